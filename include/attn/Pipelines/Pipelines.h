//===- Pipelines.h - attn pass pipelines -------------------------*- C++ -*-===//
//
// Named pass pipelines from attn ops on tensors to the LLVM dialect, as
// builders an embedding compiler can call on its own OpPassManager.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PIPELINES_H
#define ATTN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace attn {

/// Options of the CPU pipeline `attn-lower-to-llvm`.
struct AttnCPUPipelineOptions
    : public PassPipelineOptions<AttnCPUPipelineOptions> {
  PassOptions::Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Give every public function a `_mlir_ciface_<name>` "
                     "wrapper taking memref descriptors"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> flash{
      *this, "flash",
      llvm::cl::desc("Compile attn.sdpa with the FlashAttention schedule "
                     "(attn-derive-schedule, attn-tile-flash); false selects "
                     "the reference lowering (scores materialized)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> openmp{
      *this, "openmp",
      llvm::cl::desc("Run parallel loops on OpenMP threads (libomp; thread "
                     "count from OMP_NUM_THREADS); false runs them serially"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Turn returned tensors into caller-allocated output "
                     "buffers appended to the arguments"),
      llvm::cl::init(true)};
};

/// Builds `attn-lower-to-llvm`: attn ops on tensors (in func.func ops) to
/// the LLVM dialect, through the reference lowering, bufferization and the
/// standard conversions. Public functions take their inputs, then one
/// caller-allocated buffer per result.
void buildAttnCPUPipeline(OpPassManager &pm,
                          const AttnCPUPipelineOptions &options);

/// Options of the NVIDIA GPU pipeline `attn-lower-to-nvvm`.
struct AttnNVPTXPipelineOptions
    : public PassPipelineOptions<AttnNVPTXPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("GPU architecture (sm_80, sm_90a, ...); a module's "
                     "attn.gpu_target must describe it"),
      llvm::cl::init("sm_90a")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (+ptx80, ...); default: the chip's oldest "
                     "PTX version, at least +ptx80 (+ptx83 for kernel=wgmma)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Kernel binary format: bin (cubin), isa (PTX), fatbin"),
      llvm::cl::init("bin")};
  PassOptions::Option<int64_t> optLevel{
      *this, "opt-level", llvm::cl::desc("Optimization level of the kernels"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> kernel{
      *this, "kernel",
      llvm::cl::desc("Kernel: simt, mma (tensor cores, sm_80+, f16/bf16, "
                     "head dims multiple of 16), wgmma (sm_90a: TMA + "
                     "wgmma.mma_async, head dims multiple of 64; not yet "
                     "measured on hardware) or auto (mma where it applies, "
                     "else simt with a remark)"),
      llvm::cl::init("auto")};
  PassOptions::Option<int64_t> blockQ{
      *this, "block-q",
      llvm::cl::desc("Query rows per block (simt: threads; mma: 16 per "
                     "warp; wgmma: 64 or 128); 0 derives it "
                     "(attn-derive-gpu-schedule)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> blockKV{
      *this, "block-kv",
      llvm::cl::desc("Keys per shared-memory tile (mma: a multiple of 16; "
                     "wgmma: of 64); 0 derives it"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> warpRows{
      *this, "warp-rows",
      llvm::cl::desc("mma: query rows per warp, 16 (Q in registers) or 32 "
                     "(Q in shared memory)"),
      llvm::cl::init(16)};
  PassOptions::Option<int64_t> kvSplits{
      *this, "kv-splits",
      llvm::cl::desc("mma, wgmma: split-KV ways (1: none); 0 derives it"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> sharedKB{
      *this, "shared-kb",
      llvm::cl::desc("Shared memory a block may use, KiB (0: the module's "
                     "attn.gpu_target, else 48 for the simt kernel and the "
                     "chip's limit for the tensor-core kernels; more than "
                     "48 is dynamic shared memory the runtime opts into, up "
                     "to the chip's limit: 163 on sm_80, 99 on sm_86/89, "
                     "227 on sm_90)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> minBlocksPerSM{
      *this, "min-blocks-per-sm",
      llvm::cl::desc("Blocks per SM each kernel is compiled to allow "
                     "(.minnctapersm: ptxas keeps registers within "
                     "64K / (blocks x threads)); 1, as FlashAttention's "
                     "launch bounds, lets a thread use up to 255; 0 leaves "
                     "the register budget to ptxas; a kernel the request "
                     "cannot fit (SM threads or blocks, wgmma accumulator "
                     "registers) gets none, with a warning"),
      llvm::cl::init(1)};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("CUDA toolkit (libdevice for the kernels' math, "
                     "ptxas); default: $CUDA_ROOT, $CUDA_HOME or "
                     "$CUDA_PATH, else /usr/local/cuda"),
      llvm::cl::init("")};
};

/// Builds `attn-lower-to-nvvm`: attn ops on tensors to a gpu.binary of
/// kernels and LLVM-dialect host code calling the mgpu* runtime. Public
/// functions take device memory (inputs, then caller-allocated outputs).
void buildAttnNVPTXPipeline(OpPassManager &pm,
                            const AttnNVPTXPipelineOptions &options);

/// Registers the named pipelines with the global pass registry.
void registerAttnPipelines();

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINES_H
