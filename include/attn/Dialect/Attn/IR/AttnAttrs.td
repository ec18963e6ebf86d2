//===- AttnAttrs.td - attn attributes and interfaces -------*- tablegen -*-===//
//
// Mask-pattern attributes of the attn dialect. Every static mask pattern
// implements MaskPatternAttrInterface, which answers "may query i see key j"
// both as a host-side predicate (for references and tile classification) and
// as IR (for lowerings). New patterns (sliding window, chunked, and/or, ...)
// are new attributes implementing the same interface, so the `pattern`
// attribute of the ops never changes syntax.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD

include "attn/Dialect/Attn/IR/AttnDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// MaskPatternAttrInterface
//===----------------------------------------------------------------------===//

def Attn_MaskPatternAttrInterface : AttrInterface<"MaskPatternAttrInterface"> {
  let cppNamespace = "::mlir::attn";
  let description = [{
    A static attention mask pattern: a predicate over (query index, key index)
    given the query and key sequence lengths. A key the predicate rejects
    gets score -inf before the softmax.
  }];
  let methods = [
    InterfaceMethod<
      "Returns true when query `queryIndex` may attend to key `keyIndex`.",
      "bool", "isKeyVisible",
      (ins "int64_t":$queryIndex, "int64_t":$keyIndex,
           "int64_t":$querySeqLen, "int64_t":$keySeqLen)>,
    InterfaceMethod<
      [{Builds an i1 value (or a vector of i1 when the index values are
        vectors) that is true where the query may attend to the key. All
        operands are of `index` type (or vectors of index).}],
      "::mlir::Value", "buildKeyVisible",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$queryIndex, "::mlir::Value":$keyIndex,
           "::mlir::Value":$querySeqLen, "::mlir::Value":$keySeqLen)>,
  ];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Attn_CausalAlignment : I32EnumAttr<"CausalAlignment",
    "which corner of the score matrix the causal diagonal starts from", [
      I32EnumAttrCase<"TopLeft", 0, "top_left">,
      I32EnumAttrCase<"BottomRight", 1, "bottom_right">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Attn_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Attn_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Attn_CausalAttr : Attn_Attr<"Causal", "causal",
    [DeclareAttrInterfaceMethods<Attn_MaskPatternAttrInterface>]> {
  let summary = "causal mask with an explicit alignment";
  let description = [{
    Causal masking. `top_left`: query i sees keys `j <= i` (PyTorch
    `is_causal=True`). `bottom_right`: query i sees keys `j <= i + Skv - Sq`
    (FlashAttention, KV-cache decode). With `Sq == Skv` both agree.

    ```mlir
    #attn.causal<top_left>
    #attn.causal<bottom_right>
    ```
  }];
  let parameters = (ins EnumParameter<Attn_CausalAlignment>:$alignment);
  let assemblyFormat = "`<` $alignment `>`";
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
