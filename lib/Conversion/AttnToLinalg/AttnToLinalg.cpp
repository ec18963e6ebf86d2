//===- AttnToLinalg.cpp - attn.sdpa to linalg (reference path) -----------===//
//
// The reference lowering of attn.sdpa: every rule of the semantics contract
// written as directly as possible in linalg on tensors, with the f32 score
// tensor materialized. This is the oracle later lowerings are tested against,
// so it favours clarity over speed.
//
// Grouped-query attention is handled by viewing the query as
// [B, Hkv, G, Sq, D] (G = Hq / Hkv) with tensor.expand_shape; every indexing
// map is then a projected permutation and no gather is needed.
//
//===----------------------------------------------------------------------===//

#include "attn/Conversion/AttnToLinalg/AttnToLinalg.h"
#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_CONVERTATTNTOLINALGPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Terminates a linalg body with one yielded value.
static void yieldValue(OpBuilder &b, Location loc, Value value) {
  linalg::YieldOp::create(b, loc, ValueRange{value});
}

using utils::IteratorType;

/// Extends a float value to f32 (no-op for f32).
static Value toF32(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

static Value f32Const(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// An f32 tensor of `shape` filled with `value`.
static Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                          double value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  return linalg::FillOp::create(b, loc, f32Const(b, loc, value), empty)
      .getResult(0);
}

/// A map from `numDims` loop dims to the listed dims (a projection).
static AffineMap projection(MLIRContext *ctx, unsigned numDims,
                            ArrayRef<unsigned> dims) {
  return AffineMap::getMultiDimMapWithTargets(numDims, dims, ctx);
}

/// True when every operand and result of `op` has a static shape.
static bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    return cast<RankedTensorType>(type).hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

/// Lowers one attn.sdpa with static shapes.
struct SDPAToLinalgPattern : public OpRewritePattern<SDPAOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SDPAOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType queryType = op.getQueryType();
    RankedTensorType keyType = op.getKeyType();
    RankedTensorType valueType = op.getValueType();
    Value maskValue = op.getMask();
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");

    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t batch = queryType.getDimSize(0);
    int64_t kvHeads = keyType.getDimSize(1);
    int64_t group = op.getGroupSize();
    int64_t querySeq = queryType.getDimSize(2);
    int64_t headDim = queryType.getDimSize(3);
    int64_t keySeq = keyType.getDimSize(2);
    int64_t valueDim = valueType.getDimSize(3);

    // Query viewed as [B, Hkv, G, Sq, D].
    SmallVector<ReassociationIndices> splitHeads = {{0}, {1, 2}, {3}, {4}};
    Value query = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({batch, kvHeads, group, querySeq, headDim},
                              queryType.getElementType()),
        op.getQuery(), splitHeads);

    // Loop dims of the score-shaped ops: (b, h, g, i, j).
    enum { B, H, G, I, J, K };
    SmallVector<int64_t> scoreShape = {batch, kvHeads, group, querySeq,
                                       keySeq};
    SmallVector<int64_t> rowShape = {batch, kvHeads, group, querySeq};
    AffineMap scoreMap = rewriter.getMultiDimIdentityMap(5);
    AffineMap rowMap = projection(ctx, 5, {B, H, G, I});

    // 1. scores[b,h,g,i,j] = sum_d q[b,h,g,i,d] * k[b,h,j,d]  (f32).
    Value scores =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{RankedTensorType::get(
                               scoreShape, rewriter.getF32Type())},
            ValueRange{query, op.getKey()},
            ValueRange{filledTensor(rewriter, loc, scoreShape, 0.0)},
            ArrayRef<AffineMap>{projection(ctx, 6, {B, H, G, I, K}),
                                projection(ctx, 6, {B, H, J, K}),
                                projection(ctx, 6, {B, H, G, I, J})},
            ArrayRef<IteratorType>{IteratorType::parallel,
                                   IteratorType::parallel,
                                   IteratorType::parallel,
                                   IteratorType::parallel,
                                   IteratorType::parallel,
                                   IteratorType::reduction},
            [](OpBuilder &b, Location loc, ValueRange args) {
              // One op per statement: IR order must not depend on the C++
              // compiler's argument evaluation order.
              Value lhs = toF32(b, loc, args[0]);
              Value rhs = toF32(b, loc, args[1]);
              Value product = arith::MulFOp::create(b, loc, lhs, rhs);
              Value sum = arith::AddFOp::create(b, loc, args[2], product);
              yieldValue(b, loc, sum);
            })
            .getResult(0);

    // 2. Scale, then the additive mask, then -inf where masked.
    SmallVector<Value> maskedInputs = {scores};
    SmallVector<AffineMap> maskedMaps = {scoreMap};
    if (maskValue) {
      auto maskType = cast<RankedTensorType>(maskValue.getType());
      // Mask heads index query heads: view them as [Hkv, G] when present.
      AffineExpr batchExpr = maskType.getDimSize(0) == 1
                                 ? getAffineConstantExpr(0, ctx)
                                 : getAffineDimExpr(B, ctx);
      AffineMap maskMap;
      if (maskType.getDimSize(1) == 1 && op.getQueryType().getDimSize(1) != 1) {
        maskMap = AffineMap::get(5, 0,
                                 {batchExpr, getAffineConstantExpr(0, ctx),
                                  getAffineDimExpr(I, ctx),
                                  getAffineDimExpr(J, ctx)},
                                 ctx);
      } else {
        maskValue = tensor::ExpandShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({maskType.getDimSize(0), kvHeads, group,
                                   querySeq, keySeq},
                                  maskType.getElementType()),
            maskValue, splitHeads);
        maskMap = AffineMap::get(
            5, 0,
            {batchExpr, getAffineDimExpr(H, ctx), getAffineDimExpr(G, ctx),
             getAffineDimExpr(I, ctx), getAffineDimExpr(J, ctx)},
            ctx);
      }
      maskedInputs.push_back(maskValue);
      maskedMaps.push_back(maskMap);
    }
    Value keyLengths = op.getKeyLengths();
    if (keyLengths) {
      maskedInputs.push_back(keyLengths);
      maskedMaps.push_back(AffineMap::get(5, 0, {getAffineDimExpr(B, ctx)}, ctx));
    }
    maskedMaps.push_back(scoreMap);
    auto pattern = op.getPatternAttr();
    double scale = op.getEffectiveScale();
    bool hasMask = static_cast<bool>(maskValue);
    Value masked =
        linalg::GenericOp::create(
            rewriter, loc,
            TypeRange{RankedTensorType::get(scoreShape, rewriter.getF32Type())},
            maskedInputs, ValueRange{tensor::EmptyOp::create(
                              rewriter, loc, scoreShape, rewriter.getF32Type())},
            maskedMaps, SmallVector<IteratorType>(5, IteratorType::parallel),
            [&](OpBuilder &b, Location loc, ValueRange args) {
              Value score =
                  arith::MulFOp::create(b, loc, args[0], f32Const(b, loc, scale));
              Value keep;
              if (hasMask) {
                Value maskElement = args[1];
                if (maskElement.getType().isInteger(1))
                  keep = maskElement;
                else // saturated as in the flash kernels
                  score = arith::AddFOp::create(
                      b, loc, score, buildMaskBias(b, loc, maskElement));
              }
              if (pattern) {
                Value queryIndex = linalg::IndexOp::create(b, loc, I);
                Value keyIndex = linalg::IndexOp::create(b, loc, J);
                Value querySeqLen =
                    arith::ConstantIndexOp::create(b, loc, querySeq);
                Value keySeqLen = arith::ConstantIndexOp::create(b, loc, keySeq);
                Value visible = pattern.buildKeyVisible(
                    b, loc, queryIndex, keyIndex, querySeqLen, keySeqLen);
                keep = keep ? arith::AndIOp::create(b, loc, keep, visible)
                                  .getResult()
                            : visible;
              }
              if (keyLengths) {
                // Key j is padding when j >= key_lengths[b].
                Value keyIndex = arith::IndexCastOp::create(
                    b, loc, b.getI64Type(), linalg::IndexOp::create(b, loc, J));
                Value length = arith::ExtSIOp::create(b, loc, b.getI64Type(),
                                                      args[hasMask ? 2 : 1]);
                Value valid = arith::CmpIOp::create(
                    b, loc, arith::CmpIPredicate::slt, keyIndex, length);
                keep = keep ? arith::AndIOp::create(b, loc, keep, valid)
                                  .getResult()
                            : valid;
              }
              if (keep)
                score = arith::SelectOp::create(
                    b, loc, keep, score,
                    f32Const(b, loc, -std::numeric_limits<double>::infinity()));
              yieldValue(b, loc, score);
            })
            .getResult(0);

    SmallVector<IteratorType> rowReduction(4, IteratorType::parallel);
    rowReduction.push_back(IteratorType::reduction);
    auto rowType = RankedTensorType::get(rowShape, rewriter.getF32Type());
    auto scoreType = RankedTensorType::get(scoreShape, rewriter.getF32Type());

    // 3. Row max (-inf for a fully masked row).
    Value rowMax =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{rowType}, ValueRange{masked},
            ValueRange{filledTensor(rewriter, loc, rowShape,
                                    -std::numeric_limits<double>::infinity())},
            ArrayRef<AffineMap>{scoreMap, rowMap}, rowReduction,
            [](OpBuilder &b, Location loc, ValueRange args) {
              yieldValue(
                  b, loc, arith::MaximumFOp::create(b, loc, args[0], args[1]));
            })
            .getResult(0);

    // 4. p = exp(s - max), 0 on a fully masked row (max = -inf).
    Value probs =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{scoreType}, ValueRange{masked, rowMax},
            ValueRange{tensor::EmptyOp::create(rewriter, loc, scoreShape,
                                               rewriter.getF32Type())},
            ArrayRef<AffineMap>{scoreMap, rowMap, scoreMap},
            SmallVector<IteratorType>(5, IteratorType::parallel),
            [](OpBuilder &b, Location loc, ValueRange args) {
              Value negInf = f32Const(b, loc,
                                      -std::numeric_limits<double>::infinity());
              Value rowMasked = arith::CmpFOp::create(
                  b, loc, arith::CmpFPredicate::OEQ, args[1], negInf);
              Value shifted = arith::SubFOp::create(b, loc, args[0], args[1]);
              Value expValue = math::ExpOp::create(b, loc, shifted);
              Value prob = arith::SelectOp::create(b, loc, rowMasked,
                                                   f32Const(b, loc, 0.0),
                                                   expValue);
              yieldValue(b, loc, prob);
            })
            .getResult(0);

    // 5. Row sum of p.
    Value rowSum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{rowType}, ValueRange{probs},
            ValueRange{filledTensor(rewriter, loc, rowShape, 0.0)},
            ArrayRef<AffineMap>{scoreMap, rowMap}, rowReduction,
            [](OpBuilder &b, Location loc, ValueRange args) {
              yieldValue(
                  b, loc, arith::AddFOp::create(b, loc, args[0], args[1]));
            })
            .getResult(0);

    // 6. acc[b,h,g,i,e] = sum_j p[b,h,g,i,j] * v[b,h,j,e]; loop dims
    //    (b, h, g, i, e, j). Keys past key_lengths[b] add nothing, whatever
    //    V holds there (0 * NaN is NaN: an unwritten cache slot must not
    //    reach the output).
    SmallVector<int64_t> outShape = {batch, kvHeads, group, querySeq,
                                     valueDim};
    enum { E = 4, JJ = 5 };
    SmallVector<Value> accInputs = {probs, op.getValue()};
    SmallVector<AffineMap> accMaps = {projection(ctx, 6, {B, H, G, I, JJ}),
                                      projection(ctx, 6, {B, H, JJ, E})};
    if (keyLengths) {
      accInputs.push_back(keyLengths);
      accMaps.push_back(projection(ctx, 6, {B}));
    }
    accMaps.push_back(projection(ctx, 6, {B, H, G, I, E}));
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc,
            TypeRange{RankedTensorType::get(outShape, rewriter.getF32Type())},
            accInputs, ValueRange{filledTensor(rewriter, loc, outShape, 0.0)},
            accMaps,
            ArrayRef<IteratorType>{
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::parallel, IteratorType::parallel,
                IteratorType::parallel, IteratorType::reduction},
            [&](OpBuilder &b, Location loc, ValueRange args) {
              Value product = arith::MulFOp::create(b, loc, args[0],
                                                    toF32(b, loc, args[1]));
              if (keyLengths) {
                Value keyIndex = arith::IndexCastOp::create(
                    b, loc, b.getI64Type(),
                    linalg::IndexOp::create(b, loc, JJ));
                Value length =
                    arith::ExtSIOp::create(b, loc, b.getI64Type(), args[2]);
                Value valid = arith::CmpIOp::create(
                    b, loc, arith::CmpIPredicate::slt, keyIndex, length);
                product = arith::SelectOp::create(b, loc, valid, product,
                                                  f32Const(b, loc, 0.0));
              }
              yieldValue(b, loc,
                         arith::AddFOp::create(b, loc, args.back(), product));
            })
            .getResult(0);

    // 7. out = acc / sum (0 when the row is fully masked), in V's type.
    Type outElementType = valueType.getElementType();
    AffineMap outMap = rewriter.getMultiDimIdentityMap(5);
    Value normalized =
        linalg::GenericOp::create(
            rewriter, loc,
            TypeRange{RankedTensorType::get(outShape, outElementType)},
            ValueRange{acc, rowSum},
            ValueRange{tensor::EmptyOp::create(rewriter, loc, outShape,
                                               outElementType)},
            ArrayRef<AffineMap>{outMap, rowMap, outMap},
            SmallVector<IteratorType>(5, IteratorType::parallel),
            [&](OpBuilder &b, Location loc, ValueRange args) {
              Value zero = f32Const(b, loc, 0.0);
              Value empty = arith::CmpFOp::create(
                  b, loc, arith::CmpFPredicate::OEQ, args[1], zero);
              Value quotient = arith::DivFOp::create(b, loc, args[0], args[1]);
              Value result =
                  arith::SelectOp::create(b, loc, empty, zero, quotient);
              if (!outElementType.isF32())
                result = arith::TruncFOp::create(b, loc, outElementType, result);
              yieldValue(b, loc, result);
            })
            .getResult(0);
    Value output = tensor::CollapseShapeOp::create(
        rewriter, loc, op.getOutputType(), normalized, splitHeads);

    SmallVector<Value> results = {output};
    if (op.getLse()) {
      // 8. lse = max + log(sum), -inf for a fully masked row.
      AffineMap identity = rewriter.getMultiDimIdentityMap(4);
      Value lse =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{rowType}, ValueRange{rowMax, rowSum},
              ValueRange{tensor::EmptyOp::create(rewriter, loc, rowShape,
                                                 rewriter.getF32Type())},
              ArrayRef<AffineMap>{identity, identity, identity},
              SmallVector<IteratorType>(4, IteratorType::parallel),
              [](OpBuilder &b, Location loc, ValueRange args) {
                Value zero = f32Const(b, loc, 0.0);
                Value empty = arith::CmpFOp::create(
                    b, loc, arith::CmpFPredicate::OEQ, args[1], zero);
                Value logSum = math::LogOp::create(b, loc, args[1]);
                Value value = arith::AddFOp::create(b, loc, args[0], logSum);
                Value negInf = f32Const(
                    b, loc, -std::numeric_limits<double>::infinity());
                yieldValue(
                    b, loc,
                    arith::SelectOp::create(b, loc, empty, negInf, value));
              })
              .getResult(0);
      SmallVector<ReassociationIndices> mergeRows = {{0}, {1, 2}, {3}};
      results.push_back(tensor::CollapseShapeOp::create(
          rewriter, loc, op.getLse().getType(), lse, mergeRows));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct ConvertAttnToLinalgPass
    : public attn::impl::ConvertAttnToLinalgPassBase<ConvertAttnToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateAttnToLinalgPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    WalkResult result = getOperation()->walk([](SDPAOp op) {
      op.emitOpError() << "has dynamic shapes, which the CPU lowerings (flash "
                          "and reference) do not support; give every "
                          "dimension a size";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void mlir::attn::populateAttnToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SDPAToLinalgPattern>(patterns.getContext());
}
