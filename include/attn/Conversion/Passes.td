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
  let summary = "Lower attn.sdpa to a SIMT FlashAttention gpu.launch";
  let description = [{
    The first GPU lowering, correctness first (no tensor cores yet): one
    `gpu.launch` per `attn.sdpa` with a block per (query block, query head,
    batch) and a thread per query row. All threads stage key/value tiles
    in shared memory (`#gpu.address_space<workgroup>`); each keeps its
    pre-scaled query row and f32 accumulator in private memory and runs the
    exp2 online softmax over the keys the causal pattern and key length
    leave visible (empty key blocks are not visited). The head-dim loops are
    fully unrolled so that row and accumulator live in registers. Masks,
    GQA, fully
    masked rows (0, lse -inf), f16/bf16 (f32 accumulation) and the lse
    follow the semantics contract.

    Input: `attn.sdpa` with static shapes. Output: `bufferization.to_buffer`
    of the operands, a `gpu.launch`, `bufferization.to_tensor` of the new
    output buffers. The operands are used in place: at run time they must be
    device memory.
  }];
  let options = [
    Option<"blockQ", "block-q", "int64_t", /*default=*/"64",
           "Query rows (threads) per block">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

#endif // ATTN_CONVERSION_PASSES_TD
