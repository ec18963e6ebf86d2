//===- Passes.td - attn conversion passes ------------------*- tablegen -*-===//
//
// Conversions out of the attn dialect.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_PASSES_TD
#define ATTN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAttnToLinalgPass : Pass<"convert-attn-to-linalg"> {
  let summary = "Lower attn.sdpa to linalg on tensors with materialized scores";
  let description = [{
    The reference lowering and the test oracle: implements every rule of the
    semantics contract (scale, GQA head mapping, both causal alignments, i1
    keep-masks and additive masks broadcast over batch and heads, fully
    masked rows giving 0 and log-sum-exp -inf, f32 accumulation for f16 and
    bf16 inputs) in the most direct way.

    Input: `attn.sdpa` ops with static shapes (run
    `attn-decompose-multi-head` first for `attn.multi_head`).
    Output: `linalg.generic` / `linalg.fill` / `tensor` ops on tensors that
    materialize the `[B, Hkv, Hq/Hkv, Sq, Skv]` f32 score tensor, a row max,
    the exponentials, a row sum, P·V and the normalization. No `attn.sdpa`
    remains; an op with dynamic shapes is reported and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertAttnToGPUPass : Pass<"convert-attn-to-gpu"> {
  let summary = "Lower attn.sdpa to a FlashAttention gpu.launch (SIMT or tensor cores)";
  let description = [{
    One `gpu.launch` per `attn.sdpa`, with a block per (query block, query
    head, batch). Two kernels, chosen by `kernel`:

    * `simt`: a thread per query row. All threads stage key/value tiles in
      shared memory (`#gpu.address_space<workgroup>`, f32); each keeps its
      pre-scaled query row and f32 accumulator in registers (the head-dim
      loops are fully unrolled) and runs the exp2 online softmax. Every
      shape and dtype.
    * `mma`: FlashAttention-2 on tensor cores (`nvvm.mma.sync` m16n8k16,
      sm_80 and later), f16/bf16 with head dims that are multiples of 16 (at
      most 256). A warp per 16 query rows (`block-q / 16` warps); the Q
      fragments stay in registers; K/V tiles of `block-kv` rows (padded
      rows, 16-byte `cp.async` copies) in shared memory, V loading during
      Q K^T and the softmax and the next K during P V; S = Q K^T in f32 C fragments,
      masked only on partial tiles; online softmax with quad shuffles; P
      reused in registers as the A operand of O += P V; causal blocks run
      longest first. An op it cannot take is an error.
    * `auto`: `mma` where it applies, otherwise `simt` with a remark that
      names the reason.

    In both, empty key blocks (causal pattern, key length) are not visited;
    masks, GQA, fully masked rows (0, lse -inf) and the lse follow the
    semantics contract.

    Input: `attn.sdpa` with static shapes. Output: `bufferization.to_buffer`
    of the operands, a `gpu.launch`, `bufferization.to_tensor` of the new
    output buffers. The operands are used in place: at run time they must be
    device memory, 16-byte aligned for the mma kernel.
  }];
  let options = [
    Option<"kernel", "kernel", "std::string", /*default=*/"\"simt\"",
           "Kernel: simt, mma (tensor cores) or auto (mma where it applies)">,
    Option<"blockQ", "block-q", "int64_t", /*default=*/"64",
           "Query rows per block (simt: threads; mma: 16 per warp)">,
    Option<"blockKV", "block-kv", "int64_t", /*default=*/"0",
           "mma: key rows per shared-memory tile, a multiple of 16; 0 "
           "derives the largest (at most 64; 16 past head dim 128) that "
           "fits 48 KiB">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // ATTN_CONVERSION_PASSES_TD
