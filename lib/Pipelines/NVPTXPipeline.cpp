//===- NVPTXPipeline.cpp - attn-lower-to-nvvm ----------------------------===//
//
// The NVIDIA GPU pipeline: attn ops on tensors -> a gpu.launch per
// attn.sdpa (convert-attn-to-gpu) -> buffers, results as caller-allocated
// (device) outputs -> upstream gpu-lower-to-nvvm-pipeline: kernels in NVVM,
// serialized to cubin / PTX / fatbin in a gpu.binary, host code in the LLVM
// dialect calling the mgpu* runtime (libattn_cuda_runtime).
//
//===----------------------------------------------------------------------===//

#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Pipelines/Pipelines.h"
#include "PipelineCommon.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>

using namespace mlir;

/// Points MLIR's NVVM serialization at the CUDA toolkit: it links libdevice
/// (exp2, log2 of the kernels) from the toolkit named by CUDA_ROOT /
/// CUDA_HOME / CUDA_PATH, and without one it would leave those calls
/// unresolved. Sets CUDA_HOME for this process when it is not set.
static void selectCudaToolkit(StringRef requested) {
  if (!requested.empty()) {
    setenv("CUDA_HOME", requested.str().c_str(), /*overwrite=*/1);
    return;
  }
  if (getenv("CUDA_ROOT") || getenv("CUDA_HOME") || getenv("CUDA_PATH"))
    return;
  if (llvm::sys::fs::exists("/usr/local/cuda/nvvm/libdevice"))
    setenv("CUDA_HOME", "/usr/local/cuda", /*overwrite=*/0);
}

void mlir::attn::buildAttnNVPTXPipeline(OpPassManager &pm,
                                        const AttnNVPTXPipelineOptions &options) {
  selectCudaToolkit(options.cudaPath);
  pm.addPass(createDecomposeMultiHeadPass());
  ConvertAttnToGPUPassOptions gpuOptions;
  gpuOptions.blockQ = options.blockQ;
  pm.addPass(createConvertAttnToGPUPass(gpuOptions));
  pm.addPass(createCanonicalizerPass());

  addBufferizationPasses(pm, /*resultsToOutParams=*/true);
  // No deallocation pipeline: results are caller-allocated and the kernels
  // use shared / private attributions, so nothing is left to free.
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());

  gpu::GPUToNVVMPipelineOptions nvvmOptions;
  nvvmOptions.cubinChip = options.chip;
  nvvmOptions.cubinFeatures = options.features;
  nvvmOptions.cubinFormat = options.format;
  nvvmOptions.optLevel = options.optLevel;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvmOptions);
  pm.addPass(createStripAnnotationsPass());
}
