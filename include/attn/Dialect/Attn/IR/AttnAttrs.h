//===- AttnAttrs.h - attn attributes and interfaces --------------*- C++ -*-===//
//
// Mask-pattern attributes (#attn.causal<...>) and MaskPatternAttrInterface.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNATTRS_H
#define ATTN_DIALECT_ATTN_IR_ATTNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "attn/Dialect/Attn/IR/AttnEnums.h.inc"
#include "attn/Dialect/Attn/IR/AttnAttrInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "attn/Dialect/Attn/IR/AttnAttrs.h.inc"

namespace mlir::attn {
/// The largest `cores`, `l1_kb` and `l2_kb` a #attn.cpu_target (or
/// attn-derive-schedule's options) may give: far past any CPU, and small
/// enough that the schedule policy's arithmetic on them cannot overflow.
inline constexpr int64_t kMaxCPUTargetValue = int64_t(1) << 24;
} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_H
