//===- DecomposeMultiHead.cpp - attn.multi_head -> projections + sdpa ----===//
//
// Rewrites attn.multi_head into its parts: Q/K/V projections (linalg.matmul
// accumulating in f32, bias added, rounded to the input element type), the
// head split [B, S, H*D] -> [B, H, S, D], one attn.sdpa, the head merge and
// the output projection.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_DECOMPOSEMULTIHEADPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Terminates a linalg body with one yielded value.
static void yieldValue(OpBuilder &b, Location loc, Value value) {
  linalg::YieldOp::create(b, loc, ValueRange{value});
}

/// `input [B, S, In] · weight [In, Out] (+ bias [Out])` accumulated in f32
/// and rounded to `elementType`: returns `[B, S, Out]`.
static Value buildProjection(OpBuilder &b, Location loc, Value input,
                             Value weight, Value bias, Type elementType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t batch = inputType.getDimSize(0), seq = inputType.getDimSize(1);
  int64_t inWidth = inputType.getDimSize(2), outWidth = weightType.getDimSize(1);

  SmallVector<ReassociationIndices> rows = {{0, 1}, {2}};
  Value flat = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({batch * seq, inWidth}, elementType), input,
      rows);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
  Value init = linalg::FillOp::create(
                   b, loc, zero,
                   tensor::EmptyOp::create(b, loc, {batch * seq, outWidth},
                                           b.getF32Type()).getResult())
                   .getResult(0);
  Value product =
      linalg::MatmulOp::create(b, loc, ValueRange{flat, weight},
                               ValueRange{init})
          .getResult(0);

  // Bias and rounding in one elementwise op (nothing to do for f32 without
  // bias).
  if (!bias && elementType.isF32())
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({batch, seq, outWidth}, elementType),
        product, rows);
  MLIRContext *ctx = b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
  SmallVector<Value> inputs = {product};
  SmallVector<AffineMap> maps = {identity};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx));
  }
  maps.push_back(identity);
  Value rounded =
      linalg::GenericOp::create(
          b, loc,
          TypeRange{RankedTensorType::get({batch * seq, outWidth},
                                          elementType)},
          inputs,
          ValueRange{tensor::EmptyOp::create(b, loc, {batch * seq, outWidth},
                                             elementType)},
          maps,
          SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            Value value = args[0];
            if (bias) {
              Value biasValue = args[1];
              if (!biasValue.getType().isF32())
                biasValue =
                    arith::ExtFOp::create(nb, nloc, nb.getF32Type(), biasValue);
              value = arith::AddFOp::create(nb, nloc, value, biasValue);
            }
            if (!elementType.isF32())
              value = arith::TruncFOp::create(nb, nloc, elementType, value);
            yieldValue(nb, nloc, value);
          })
          .getResult(0);
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({batch, seq, outWidth}, elementType),
      rounded, rows);
}

/// `[B, S, H*D]` -> `[B, H, S, D]`.
static Value splitHeads(OpBuilder &b, Location loc, Value value,
                        int64_t heads) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t batch = type.getDimSize(0), seq = type.getDimSize(1);
  int64_t headDim = type.getDimSize(2) / heads;
  Type elementType = type.getElementType();
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({batch, seq, heads, headDim}, elementType),
      value, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  Value init = tensor::EmptyOp::create(b, loc, {batch, heads, seq, headDim},
                                       elementType);
  return linalg::TransposeOp::create(b, loc, expanded, init,
                                     ArrayRef<int64_t>{0, 2, 1, 3})
      .getResult()[0];
}

/// `[B, H, S, D]` -> `[B, S, H*D]`.
static Value mergeHeads(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t batch = type.getDimSize(0), heads = type.getDimSize(1);
  int64_t seq = type.getDimSize(2), headDim = type.getDimSize(3);
  Type elementType = type.getElementType();
  Value init = tensor::EmptyOp::create(b, loc, {batch, seq, heads, headDim},
                                       elementType);
  Value transposed = linalg::TransposeOp::create(b, loc, value, init,
                                                 ArrayRef<int64_t>{0, 2, 1, 3})
                         .getResult()[0];
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({batch, seq, heads * headDim}, elementType),
      transposed, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
}

static bool allStatic(Operation *op) {
  return llvm::all_of(op->getOperandTypes(),
                      [](Type type) {
                        return cast<RankedTensorType>(type).hasStaticShape();
                      }) &&
         llvm::all_of(op->getResultTypes(), [](Type type) {
           return cast<RankedTensorType>(type).hasStaticShape();
         });
}

struct DecomposeMultiHeadPattern : public OpRewritePattern<MultiHeadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MultiHeadOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Location loc = op.getLoc();
    Type elementType =
        cast<RankedTensorType>(op.getInput().getType()).getElementType();
    int64_t numHeads = op.getNumHeads(), numKVHeads = op.getNumKVHeads();

    Value query = splitHeads(
        rewriter, loc,
        buildProjection(rewriter, loc, op.getInput(), op.getQueryWeight(),
                        op.getQueryBias(), elementType),
        numHeads);
    Value key = splitHeads(
        rewriter, loc,
        buildProjection(rewriter, loc, op.getKVSource(), op.getKeyWeight(),
                        op.getKeyBias(), elementType),
        numKVHeads);
    Value value = splitHeads(
        rewriter, loc,
        buildProjection(rewriter, loc, op.getKVSource(), op.getValueWeight(),
                        op.getValueBias(), elementType),
        numKVHeads);

    auto queryType = cast<RankedTensorType>(query.getType());
    auto valueType = cast<RankedTensorType>(value.getType());
    auto attentionType = RankedTensorType::get(
        {queryType.getDimSize(0), numHeads, queryType.getDimSize(2),
         valueType.getDimSize(3)},
        elementType);
    auto sdpa = SDPAOp::create(rewriter, loc, TypeRange{attentionType}, query,
                               key, value, op.getMask(),
                               /*key_lengths=*/nullptr, op.getScaleAttr(),
                               op.getPatternAttr(), /*schedule=*/nullptr,
                               /*gpu_schedule=*/nullptr);
    Value merged = mergeHeads(rewriter, loc, sdpa.getOutput());
    Value output = buildProjection(rewriter, loc, merged, op.getOutputWeight(),
                                   op.getOutputBias(), elementType);
    rewriter.replaceOp(op, output);
    return success();
  }
};

struct DecomposeMultiHeadPass
    : public attn::impl::DecomposeMultiHeadPassBase<DecomposeMultiHeadPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateDecomposeMultiHeadPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    WalkResult result = getOperation()->walk([](MultiHeadOp op) {
      op.emitOpError() << "has dynamic shapes, which "
                          "attn-decompose-multi-head does not support; give "
                          "every dimension a size";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void mlir::attn::populateDecomposeMultiHeadPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeMultiHeadPattern>(patterns.getContext());
}
