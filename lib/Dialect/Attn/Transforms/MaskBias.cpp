//===- MaskBias.cpp - additive masks in the log2 domain ------------------===//
//
// Every flash kernel (CPU tiles, the GPU kernels) runs its softmax on
// scores scaled by log2(e); an additive mask value joins them the same way,
// finite values saturating at +-FLT_MAX there (+-2.36e38 before scaling),
// infinities kept. The reference lowering adds the same saturated value in
// the natural domain, so that all lowerings agree on such masks.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>
#include <limits>

using namespace mlir;

/// `value` clamped to [-limit, limit], except where the mask value `m` is
/// infinite: there the infinity (+inf: the row's softmax is NaN, as in the
/// reference; -inf: the key is masked).
static Value saturateFinite(OpBuilder &builder, Location loc, Value m,
                            Value value, float limit) {
  Value lowest =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(-limit));
  Value atLeast = arith::MaximumFOp::create(builder, loc, value, lowest);
  Value highest =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(limit));
  Value bias = arith::MinimumFOp::create(builder, loc, atLeast, highest);
  for (float infinity : {-std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::infinity()}) {
    Value constant = arith::ConstantOp::create(
        builder, loc, builder.getF32FloatAttr(infinity));
    Value isIt = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OEQ,
                                       m, constant);
    bias = arith::SelectOp::create(builder, loc, isIt, constant, bias);
  }
  return bias;
}

static Value widen(OpBuilder &builder, Location loc, Value m) {
  Type f32 = builder.getF32Type();
  if (m.getType() == f32)
    return m;
  return arith::ExtFOp::create(builder, loc, f32, m);
}

Value mlir::attn::buildLog2MaskBias(OpBuilder &builder, Location loc, Value m) {
  Value wide = widen(builder, loc, m);
  Value log2e =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(M_LOG2E));
  Value scaled = arith::MulFOp::create(builder, loc, wide, log2e);
  // Finite values past +-FLT_MAX ln 2 saturate instead of overflowing: a
  // +-inf bias from a finite mask would turn the row into NaN (inf - inf)
  // or an empty row.
  return saturateFinite(builder, loc, wide, scaled,
                        std::numeric_limits<float>::max());
}

Value mlir::attn::buildMaskBias(OpBuilder &builder, Location loc, Value m) {
  Value wide = widen(builder, loc, m);
  return saturateFinite(builder, loc, wide, wide, kMaskBiasLimit);
}
