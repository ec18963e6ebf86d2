//===- AttnAttrs.cpp - attn attributes -----------------------------------===//
//
// Mask-pattern attributes and their MaskPatternAttrInterface
// implementations: the host-side predicate and the IR builder must agree.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::attn;

#include "attn/Dialect/Attn/IR/AttnAttrInterfaces.cpp.inc"
#include "attn/Dialect/Attn/IR/AttnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "attn/Dialect/Attn/IR/AttnAttrs.cpp.inc"

void AttnDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "attn/Dialect/Attn/IR/AttnAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// CausalAttr
//===----------------------------------------------------------------------===//

bool CausalAttr::isKeyVisible(int64_t queryIndex, int64_t keyIndex,
                              int64_t querySeqLen, int64_t keySeqLen) const {
  if (getAlignment() == CausalAlignment::TopLeft)
    return keyIndex <= queryIndex;
  // Bottom-right: j <= i + Skv - Sq, written without a negative intermediate.
  return keyIndex + querySeqLen <= queryIndex + keySeqLen;
}

Value CausalAttr::buildKeyVisible(OpBuilder &builder, Location loc,
                                  Value queryIndex, Value keyIndex,
                                  Value querySeqLen, Value keySeqLen) const {
  if (getAlignment() == CausalAlignment::TopLeft)
    return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sle,
                                 keyIndex, queryIndex);
  Value lhs = arith::AddIOp::create(builder, loc, keyIndex, querySeqLen);
  Value rhs = arith::AddIOp::create(builder, loc, queryIndex, keySeqLen);
  return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sle, lhs,
                               rhs);
}
