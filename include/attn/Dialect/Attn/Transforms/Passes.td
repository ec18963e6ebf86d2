//===- Passes.td - attn dialect transformation passes ------*- tablegen -*-===//
//
// Passes that rewrite attn ops into other attn ops (or their building
// blocks) while staying on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DecomposeMultiHeadPass
    : Pass<"attn-decompose-multi-head"> {
  let summary = "Decompose attn.multi_head into projections and attn.sdpa";
  let description = [{
    Input: any IR; every `attn.multi_head` with static shapes is rewritten.
    Output: for each `attn.multi_head`, linalg on tensors computing the Q, K,
    V projections (f32 accumulation, bias added, rounded to the input element
    type), `tensor.expand_shape` + `linalg.transpose` splitting heads to
    `[B, H, S, D]`, one `attn.sdpa` carrying the op's mask, scale and
    pattern, the inverse head merge, and the output projection. No
    `attn.multi_head` remains; an op with dynamic shapes is reported as an
    error and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
