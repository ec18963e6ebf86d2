//===- AttnToGPU.h - internal interface of the GPU lowerings ----*- C++ -*-===//
//
// The two kernels convert-attn-to-gpu can emit for an attn.sdpa: the SIMT
// kernel (AttnToGPU.cpp, every shape and dtype) and the tensor-core kernel
// (AttnToGPUMma.cpp, f16/bf16 with head dims that are multiples of 16).
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

/// The SIMT kernel: a thread per query row, `blockQ` rows per block.
LogicalResult lowerToSimtKernel(RewriterBase &rewriter, SDPAOp op,
                                int64_t blockQ);

/// Why the tensor-core kernel cannot implement `op`; empty when it can.
std::string mmaUnsupportedReason(SDPAOp op);

/// Shared memory (bytes) of the tensor-core kernel's K and V tiles.
int64_t mmaSharedBytes(SDPAOp op, int64_t blockKV);

/// The largest key-block size (a multiple of 16, at most 64; 16 past head
/// dim 128, where registers run out) whose tiles fit kMaxStaticSharedBytes;
/// 0 when none does.
int64_t defaultMmaBlockKV(SDPAOp op);

/// The tensor-core kernel (mma.sync m16n8k16, f32 accumulation): a warp per
/// 16 query rows, `blockQ / 16` warps per block, key/value tiles of
/// `blockKV` rows in shared memory. The caller checked
/// mmaUnsupportedReason(op) and the block sizes.
LogicalResult lowerToMmaKernel(RewriterBase &rewriter, SDPAOp op,
                               int64_t blockQ, int64_t blockKV);

} // namespace mlir::attn::gpu_lowering

#endif // ATTN_LIB_CONVERSION_ATTNTOGPU_ATTNTOGPU_H
