//===- CPUPipeline.cpp - attn-lower-to-llvm ------------------------------===//
//
// The CPU pipeline: attn ops on tensors -> linalg (reference lowering) ->
// buffers -> loops -> the LLVM dialect, with C-interface wrappers and
// results turned into caller-allocated output buffers.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Pipelines.h"
#include "PipelineCommon.h"
#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::attn::buildAttnCPUPipeline(OpPassManager &pm,
                                      const AttnCPUPipelineOptions &options) {
  // attn ops -> tiled flash form (scheduled ops) or linalg on tensors.
  pm.addPass(createDecomposeMultiHeadPass());
  if (options.flash) {
    pm.addPass(createDeriveSchedulePass());
    pm.addPass(createTileFlashPass());
  }
  pm.addPass(createConvertAttnToLinalgPass());
  pm.addPass(createCanonicalizerPass());

  // Tensors -> buffers; returned buffers become output arguments.
  addBufferizationPasses(pm, options.resultsToOutParams);
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());

  // x86 code generation of the tiled form: micro-kernels and vector bodies.
  if (options.flash) {
    pm.addPass(createVectorizeCPUPass());
    pm.addPass(createCanonicalizerPass());
  }

  // Buffers -> loops -> LLVM.
  pm.addPass(createStridedCopiesToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createForallToParallelLoopPass());
  if (options.openmp) {
    pm.addPass(createConvertSCFToOpenMPPass());
    // The work items allocate on the heap, so the memref.alloca_scope that
    // scf-to-openmp wraps loop bodies in is empty and inlines away.
    pm.addPass(createCanonicalizerPass());
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  arith::ArithExpandOpsPassOptions expandOptions;
  expandOptions.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expandOptions));
  pm.addPass(createSCFToControlFlowPass());
  if (options.emitCInterface)
    pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());
  // attn-vectorize-cpu's in-register transposes (mask tiles) are 16 x 16
  // blocks of 32-bit lanes.
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.vectorTransposeLowering =
      vector::VectorTransposeLowering::Shuffle16x16;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  if (options.openmp)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createStripAnnotationsPass());
  pm.addPass(createSetHostTripleIfAbsentPass());
}

namespace {
struct AttnBufferizeOptions : public PassPipelineOptions<AttnBufferizeOptions> {
  PassOptions::Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Results become caller-allocated out-parameters of "
                     "public functions (as both pipelines do)"),
      llvm::cl::init(true)};
};
} // namespace

void mlir::attn::registerAttnPipelines() {
  PassPipelineRegistration<AttnBufferizeOptions>(
      "attn-bufferize",
      "The bufferization stage of attn-lower-to-llvm and attn-lower-to-nvvm "
      "(elementwise tensor ops as linalg, the public functions' arguments "
      "read-only, distinct results, One-Shot Bufferize across function "
      "boundaries, results as out-parameters), for tools that run the "
      "pipelines' stages one by one (utils/gpu-emulator)",
      [](OpPassManager &pm, const AttnBufferizeOptions &options) {
        addBufferizationPasses(pm, options.resultsToOutParams);
      });
  PassPipelineRegistration<AttnCPUPipelineOptions>(
      "attn-lower-to-llvm",
      "Lower attn ops on tensors to the LLVM dialect for x86 CPUs (reference "
      "lowering, bufferization, loops, C-interface wrappers)",
      buildAttnCPUPipeline);
  PassPipelineRegistration<AttnNVPTXPipelineOptions>(
      "attn-lower-to-nvvm",
      "Lower attn ops on tensors to NVIDIA GPU kernels (cubin / PTX in a "
      "gpu.binary) and host code calling the mgpu* runtime",
      buildAttnNVPTXPipeline);
}
