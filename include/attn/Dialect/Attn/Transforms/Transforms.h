//===- Transforms.h - attn rewrite patterns ----------------------*- C++ -*-===//
//
// populate*Patterns entry points, so embedders can run the project's
// rewrites inside their own pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
#define ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H

#include "attn/Dialect/Attn/IR/AttnAttrs.h"

#include "mlir/IR/Value.h"

#include <optional>

namespace mlir {
class MLIRContext;
class RewriterBase;
class RewritePatternSet;
namespace attn {

/// The facts of #attn.cpu_target, as plain numbers.
struct CPUTargetInfo {
  int64_t vectorBits, vectorRegisters, cores, l1KB, l2KB;
};

/// Describes the host CPU: vector width and registers from its features
/// (AVX-512, AVX2, else SSE), cores from OMP_NUM_THREADS or the hardware,
/// cache sizes from the OS (32 KiB / 1 MiB when it does not say).
CPUTargetInfo getHostCPUInfo();

/// getHostCPUInfo() as an attribute (loads the attn dialect).
CPUTargetAttr getHostCPUTarget(MLIRContext *context);

/// The schedule attn-derive-schedule picks for `op` on `target` (see the
/// pass description for the cost model).
ScheduleAttr deriveCPUSchedule(class SDPAOp op, CPUTargetAttr target);

/// Adds the pattern rewriting attn.multi_head (static shapes) into
/// projections, head split/merge and one attn.sdpa.
void populateDecomposeMultiHeadPatterns(RewritePatternSet &patterns);

/// Memref views of an attn.sdpa for buffer-level lowerings.
struct SDPABuffers {
  Value query, key, value; ///< read-only buffers of the operands
  Value mask, keyLengths;  ///< null when the op has none
  Value output, lse;       ///< fresh output buffers (lse null when absent)
};

/// Creates, before `op`, read-only `bufferization.to_buffer`s of its
/// operands and `memref.alloc`s (with `alignment` when given) of its
/// results.
SDPABuffers createSDPABuffers(RewriterBase &rewriter, class SDPAOp op,
                              std::optional<int64_t> alignment);

/// Replaces `op` by `bufferization.to_tensor` (restrict, writable) of the
/// output buffers once the lowering has written them.
void replaceWithSDPABuffers(RewriterBase &rewriter, class SDPAOp op,
                            const SDPABuffers &buffers);

/// The log2-domain score bias of an additive mask value `m` (f16, bf16 or
/// f32): m * log2(e) in f32, clamped to [-FLT_MAX, FLT_MAX] so that a
/// finite mask (e.g. finfo(float32).min, the usual "masked" value) stays
/// finite after the scaling instead of overflowing; infinities stay.
Value buildLog2MaskBias(OpBuilder &builder, Location loc, Value m);

/// The same bias in the natural domain (the reference lowering's): m in
/// f32, finite values clamped to +-kMaskBiasLimit (FLT_MAX / log2(e)), so
/// that every lowering saturates additive masks alike; infinities stay.
Value buildMaskBias(OpBuilder &builder, Location loc, Value m);

/// Where finite additive mask values saturate: FLT_MAX / log2(e), about
/// 2.36e38 (attn-run's float64 reference clamps there too).
inline constexpr float kMaskBiasLimit =
    static_cast<float>(3.4028234663852886e38 / 1.4426950408889634);

/// Adds the pattern rewriting `math.exp2` on f32 vectors into a polynomial
/// approximation (relative error below 2e-7; exactly 0 below 2^-126).
void populateExp2ApproximationPatterns(RewritePatternSet &patterns);

/// Name of the attribute attn-tile-flash puts on the contractions it emits:
/// [vector_width, register_rows, register_vectors] from the schedule.
inline constexpr const char *kRegisterTileAttrName = "attn.register_tile";

} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
