//===- AttnDialect.td - attn dialect definition ------------*- tablegen -*-===//
//
// The `attn` dialect: attention (scaled dot-product, multi-head, masks) as
// first-class ops, lowered by the project's passes into fused kernels.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNDIALECT_TD
#define ATTN_DIALECT_ATTN_IR_ATTNDIALECT_TD

include "mlir/IR/OpBase.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mlir::attn";
  let summary = "Attention ops: scaled dot-product and multi-head attention";
  let description = [{
    The `attn` dialect describes attention at the level users think of it:
    `attn.sdpa` (scaled dot-product attention over `[batch, heads, seq, dim]`
    tensors, with grouped-query heads, masks and an optional log-sum-exp
    result) and `attn.multi_head` (projections + heads + output projection).
    Static mask patterns (causal masking with a named alignment, ...) are
    attributes implementing `MaskPatternAttrInterface`; data masks are tensor
    operands.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let useDefaultAttributePrinterParser = 1;
  // attn.target, attn.gpu_target and attn.register_tile must hold what
  // their readers expect, and no other attn.* name exists (a wrong kind or
  // a misspelt name would be ignored silently).
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNDIALECT_TD
