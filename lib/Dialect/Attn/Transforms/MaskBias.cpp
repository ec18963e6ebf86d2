//===- MaskBias.cpp - additive masks in the log2 domain ------------------===//
//
// Every flash kernel (CPU tiles, both GPU kernels) runs its softmax on
// scores scaled by log2(e); an additive mask value joins them the same way.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>
#include <limits>

using namespace mlir;

Value mlir::attn::buildLog2MaskBias(OpBuilder &builder, Location loc, Value m) {
  Type f32 = builder.getF32Type();
  Value wide = m;
  if (m.getType() != f32)
    wide = arith::ExtFOp::create(builder, loc, f32, m);
  Value log2e =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(M_LOG2E));
  Value scaled = arith::MulFOp::create(builder, loc, wide, log2e);
  Value lowest = arith::ConstantOp::create(
      builder, loc,
      builder.getF32FloatAttr(-std::numeric_limits<float>::max()));
  Value clamped = arith::MaximumFOp::create(builder, loc, scaled, lowest);
  Value negInf = arith::ConstantOp::create(
      builder, loc,
      builder.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
  Value isNegInf = arith::CmpFOp::create(
      builder, loc, arith::CmpFPredicate::OEQ, wide, negInf);
  return arith::SelectOp::create(builder, loc, isNegInf, negInf, clamped);
}
