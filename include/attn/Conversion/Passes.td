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

#endif // ATTN_CONVERSION_PASSES_TD
