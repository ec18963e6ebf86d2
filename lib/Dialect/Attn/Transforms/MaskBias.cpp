//===- MaskBias.cpp - additive masks in the log2 domain ------------------===//
//
// Every flash kernel (CPU tiles, both GPU kernels) runs its softmax on
// scores scaled by log2(e); an additive mask value joins them the same way,
// finite values saturating at +-FLT_MAX there (+-2.36e38 before scaling),
// infinities kept.
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
  // Finite values past +-FLT_MAX ln 2 saturate instead of overflowing: a
  // +-inf bias from a finite mask would turn the row into NaN (inf - inf)
  // or an empty row.
  constexpr float kMax = std::numeric_limits<float>::max();
  Value lowest =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(-kMax));
  Value atLeast = arith::MaximumFOp::create(builder, loc, scaled, lowest);
  Value highest =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(kMax));
  Value clamped = arith::MinimumFOp::create(builder, loc, atLeast, highest);
  // -inf and +inf stay what they are (+inf: the row's softmax is NaN, as in
  // the reference).
  Value bias = clamped;
  for (float infinity : {-std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::infinity()}) {
    Value constant = arith::ConstantOp::create(
        builder, loc, builder.getF32FloatAttr(infinity));
    Value isIt = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OEQ,
                                       wide, constant);
    bias = arith::SelectOp::create(builder, loc, isIt, constant, bias);
  }
  return bias;
}
