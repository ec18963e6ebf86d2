//===- AttnToGPU.h - internal interface of the GPU lowerings ----*- C++ -*-===//
//
// Shared by the passes of this folder: the kernels convert-attn-to-gpu
// can emit for an attn.sdpa (SIMT in AttnToGPU.cpp, every shape and dtype;
// tensor cores in AttnToGPUMma.cpp, f16/bf16 with head dims that are
// multiples of 16 -- mma.sync, or TMA + wgmma on sm_90a for multiples of
// 64), the policy choosing between them
// (DeriveGPUSchedule.cpp) and the tensor-core matmul attn-host-to-gpu uses
// (MmaMatmul.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTOGPU_ATTNTOGPU_H
#define ATTN_LIB_CONVERSION_ATTNTOGPU_ATTNTOGPU_H

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "mlir/IR/PatternMatch.h"

#include <string>

namespace mlir::attn::gpu_lowering {

/// Largest static shared memory a kernel may use (the 48 KiB every CUDA
/// GPU from sm_80 on grants without an opt-in).
inline constexpr int64_t kMaxStaticSharedBytes = 48 * 1024;

/// The SIMT kernel: a thread per query row, `blockQ` rows per block, K/V
/// tiles of `blockKV` rows (f32) in shared memory.
LogicalResult lowerToSimtKernel(RewriterBase &rewriter, SDPAOp op,
                                int64_t blockQ, int64_t blockKV);

/// Shared memory (bytes) of the SIMT kernel's K and V tiles.
int64_t simtSharedBytes(SDPAOp op, int64_t blockKV);

/// Why the tensor-core kernel cannot implement `op`; empty when it can.
std::string mmaUnsupportedReason(SDPAOp op);

/// Shared memory (bytes) of the tensor-core kernel: K and V tiles of
/// `blockKV` rows, plus a Q tile of `stagedQueryRows` rows (0 when the Q
/// fragments live in registers; see mmaSharedQueryRows).
int64_t mmaSharedBytes(SDPAOp op, int64_t blockKV, int64_t stagedQueryRows = 0);

/// The query rows the mma.sync kernel keeps in shared memory: all `blockQ`
/// with two 16-row tiles per warp (a Q tile read with ldmatrix), or past
/// head dim 128 (each lane's Q fragments parked there and reloaded at every
/// k16 step, leaving the registers to O); 0 when Q stays in registers.
int64_t mmaSharedQueryRows(SDPAOp op, int64_t blockQ, int64_t warpRows);

/// The largest key-block size (a multiple of 16, at most 64; 32 past head
/// dim 128, 16 past 64 with `warpRows` 32, where registers run out) whose
/// tiles (with `stagedQueryRows` of Q) fit `sharedLimit` bytes; 0 when none
/// does.
int64_t defaultMmaBlockKV(SDPAOp op, int64_t sharedLimit,
                          int64_t stagedQueryRows, int64_t warpRows);

/// Queries up to which the mma.sync kernel stacks the query heads of a KV
/// group into one block's rows (decode and short chunks with GQA).
inline constexpr int64_t kPackedQueryLimit = 16;
/// The widest head dim (and value head dim) the GPU kernels take: a key and
/// a value row must fit in shared memory, and sizes computed from head dims
/// stay far from overflow.
inline constexpr int64_t kMaxGPUHeadDim = 16384;

/// Whether the mma.sync kernel with `warpRows` rows per warp stacks the
/// query heads of a KV group into its rows for `op` (grouped heads, at most
/// kPackedQueryLimit queries, Q fragments in registers): a block then
/// covers group x Sq rows of one KV head.
bool packsQueryHeads(SDPAOp op, int64_t warpRows);

/// Query rows of a warpgroup (4 warps) in the sm_90a kernel.
inline constexpr int64_t kWarpgroupRows = 64;

/// Why the sm_90a kernel (TMA + wgmma) cannot implement `op`; empty when
/// it can: f16/bf16 with head dims that are multiples of 64 up to 256.
std::string wgmmaUnsupportedReason(SDPAOp op);

/// Shared memory (bytes) of the sm_90a kernel: swizzled Q tiles of `blockQ`
/// rows, a K tile and two V tiles of `blockKV` rows, 1 KiB of alignment.
int64_t wgmmaSharedBytes(SDPAOp op, int64_t blockQ, int64_t blockKV);

/// The key-block size of the sm_90a kernel (128 up to head dim 64, else
/// 64: the S, P and O fragments share the registers) whose tiles fit
/// `sharedLimit`; 0 when none does.
int64_t defaultWgmmaBlockKV(SDPAOp op, int64_t blockQ, int64_t sharedLimit);

/// The tensor-core kernel (mma.sync m16n8k16, f32 accumulation): a warp per
/// `warpRows` (16 or 32) query rows, `blockQ / warpRows` warps per block,
/// key/value tiles of `blockKV` rows in shared memory. With `warpgroupMma`
/// (sm_90a; warpRows 16, blockQ 64 or 128) the same kernel moves its tiles
/// with TMA and multiplies with wgmma.mma_async (WgmmaBuilder.h). The
/// caller checked mmaUnsupportedReason(op) (wgmmaUnsupportedReason) and the
/// block sizes.
LogicalResult lowerToMmaKernel(RewriterBase &rewriter, SDPAOp op,
                               int64_t blockQ, int64_t blockKV,
                               int64_t warpRows, int64_t kvSplits = 1,
                               bool warpgroupMma = false);

/// Whether buildMmaMatmul takes C += A B: f16/bf16 A [M, K] and B [K, N],
/// f32 C, static identity-layout memrefs, K a multiple of 16, N of 8. The
/// kernel needs sm_80 or later: the caller checks the chip.
bool canUseMmaMatmul(Value a, Value b, Value c);

/// A tensor-core kernel (mma.sync) for C += A B at the builder's point.
void buildMmaMatmul(OpBuilder &builder, Location loc, Value a, Value b,
                    Value c);

/// What the GPU schedule policy knows and was asked for.
struct GPUPolicy {
  int64_t sm = 90;                             ///< compute capability x 10
  int64_t sharedBytes = kMaxStaticSharedBytes; ///< per block
  /// Whether sharedBytes is the default (no attn.gpu_target, no shared-kb):
  /// the tensor-core kernels then assume what a block of the chip may opt
  /// into (tensorCoreSharedLimit).
  bool sharedDefault = true;
  int64_t sms = 132;               ///< streaming multiprocessors
  std::string kernel = "auto";     ///< simt, mma, wgmma or auto
  int64_t blockQ = 0, blockKV = 0; ///< 0: derive
  int64_t warpRows = 16;           ///< mma: rows per warp
  int64_t kvSplits = 1;            ///< mma split-KV; 0: derive
  bool explain = false;            ///< remark on every choice
};

/// The shared memory a tensor-core kernel (mma or wgmma) may use under
/// `policy`: by default what a block of the chip may opt into (227 KiB on
/// sm_90a; the mma kernel's tiles take at most 48 KiB up to head dim 128,
/// past it Q waits in shared memory too), else the target's. The runtime
/// opts a kernel past 48 KiB in.
inline int64_t tensorCoreSharedLimit(const GPUPolicy &policy) {
  return policy.sharedDefault ? GPUTargetAttr::maxSharedKB(policy.sm) * 1024
                              : policy.sharedBytes;
}

/// The target half of a policy from the `attn.gpu_target` attribute of the
/// module holding `op` (defaults when there is none; the attn dialect
/// verifies the attribute's kind).
GPUPolicy targetPolicy(Operation *op);

/// Chooses the kernel and block sizes of `op` (the policy of
/// attn-derive-gpu-schedule). Errors (an unusable request) and remarks
/// (fall-backs, explanations) go to `op`.
FailureOr<GPUScheduleAttr> deriveGPUSchedule(SDPAOp op,
                                             const GPUPolicy &policy);

/// Checks a given schedule against `op` and the target (compute capability
/// and shared memory of `policy`).
LogicalResult verifyGPUSchedule(SDPAOp op, GPUScheduleAttr schedule,
                                const GPUPolicy &policy);

/// Diagnoses dynamic shapes, which neither GPU kernel takes.
LogicalResult checkStaticShapes(SDPAOp op);

/// Lowers `op` with the kernel its (checked) schedule names.
LogicalResult lowerWithGPUSchedule(RewriterBase &rewriter, SDPAOp op,
                                   GPUScheduleAttr schedule);

} // namespace mlir::attn::gpu_lowering

#endif // ATTN_LIB_CONVERSION_ATTNTOGPU_ATTNTOGPU_H
