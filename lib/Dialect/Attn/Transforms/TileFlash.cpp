//===- TileFlash.cpp - attn.sdpa -> FlashAttention-2 loop nest -----------===//
//
// The mechanism half of the flash path: follows the op's #attn.schedule and
// emits a target-neutral tiled form on memrefs (see Passes.td):
//
//   scf.forall (b, h, query block) {            // parallel work items
//     Qᵀ = transpose(Q block) * scale * log2(e)  // D x block_q, f32
//     scf.for key block in visible range {       // Empty tiles skipped
//       Sᵀ = K block · Qᵀ                        // block_kv x block_q
//       scf.if (!full) { mask Sᵀ }               // Partial tiles only
//       online softmax (exp2, f32 running max / sum), rescale acc
//       acc += (Sᵀ)ᵀ · V block
//     }
//     O block = acc / sum ; lse = (max + log2 sum) * ln 2
//   }
//
// A block_q narrower than a vector (decode) takes the row form instead:
// a work item per (b, KV head, query block) holding the rows of all the KV
// head's query heads, Q as rows, S = Q · K blockᵀ as dot products (keys
// innermost), softmax and acc += S · V block along the keys.
//
// Scores are kept in the log2 domain (scale * log2(e) is folded into Q), so
// the softmax uses exp2; the accumulators, max and sum are f32 whatever the
// input type. Every tile op is a linalg op on (sub)views, so the form runs
// as is through convert-linalg-to-loops and is what target code generation
// (attn-vectorize-x86, the NVPTX path) starts from.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_TILEFLASHPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

using utils::IteratorType;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// Builder helpers shared by the tile ops below.
struct TileBuilder {
  OpBuilder &b;
  Location loc;

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value f32(double value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  }
  Value toF32(OpBuilder &nb, Location nloc, Value value) {
    if (value.getType().isF32())
      return value;
    return arith::ExtFOp::create(nb, nloc, nb.getF32Type(), value);
  }
  Value add(Value lhs, Value rhs) {
    return arith::AddIOp::create(b, loc, lhs, rhs);
  }
  Value sub(Value lhs, Value rhs) {
    return arith::SubIOp::create(b, loc, lhs, rhs);
  }
  Value mul(Value lhs, Value rhs) {
    return arith::MulIOp::create(b, loc, lhs, rhs);
  }
  Value min(Value lhs, Value rhs) {
    return arith::MinSIOp::create(b, loc, lhs, rhs);
  }
  Value scratch(ArrayRef<int64_t> shape) {
    return memref::AllocOp::create(b, loc,
                                   MemRefType::get(shape, b.getF32Type()),
                                   b.getI64IntegerAttr(64));
  }

  /// A rank-reduced view `source[offsets][sizes]` with unit strides that
  /// keeps the dims listed in `keptDims`.
  Value view(Value source, ArrayRef<OpFoldResult> offsets,
             ArrayRef<OpFoldResult> sizes, ArrayRef<int64_t> keptShape) {
    auto sourceType = cast<MemRefType>(source.getType());
    SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
    MemRefType type = memref::SubViewOp::inferRankReducedResultType(
        keptShape, sourceType, offsets, sizes, strides);
    return memref::SubViewOp::create(b, loc, type, source, offsets, sizes,
                                     strides);
  }

  void fill(Value buffer, double value) {
    linalg::FillOp::create(b, loc, ValueRange{f32(value)},
                           ValueRange{buffer});
  }

  /// Copies the `rows` x `cols` tile `source` into the top of the f32
  /// scratch `wide`, widened; returns that part of `wide`.
  Value widen(Value source, Value wide, Value rows, int64_t cols) {
    Value used = view(wide, {b.getIndexAttr(0), b.getIndexAttr(0)},
                      {rows, b.getIndexAttr(cols)},
                      {ShapedType::kDynamic, cols});
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, b.getContext());
    generic(source, used, {identity, identity},
            {IteratorType::parallel, IteratorType::parallel},
            [&](OpBuilder &nb, Location nloc, ValueRange args) {
              linalg::YieldOp::create(nb, nloc, toF32(nb, nloc, args[0]));
            });
    return used;
  }

  /// out[m, n] += a * f32(b) over the loops (m, n, k), the operands
  /// indexed by `maps`.
  linalg::GenericOp contraction(Value a, Value bIn, Value out,
                                ArrayRef<AffineMap> maps) {
    return generic(
        ValueRange{a, bIn}, ValueRange{out}, maps,
        {IteratorType::parallel, IteratorType::parallel,
         IteratorType::reduction},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value product = arith::MulFOp::create(nb, nloc, args[0],
                                                toF32(nb, nloc, args[1]));
          linalg::YieldOp::create(
              nb, nloc,
              arith::AddFOp::create(nb, nloc, args[2], product).getResult());
        });
  }

  /// A linalg.generic on memrefs over `numDims` loop dims.
  linalg::GenericOp
  generic(ValueRange inputs, ValueRange outputs, ArrayRef<AffineMap> maps,
          ArrayRef<IteratorType> iterators,
          function_ref<void(OpBuilder &, Location, ValueRange)> body) {
    return linalg::GenericOp::create(b, loc, TypeRange{}, inputs, outputs,
                                     maps, iterators, body);
  }
};

/// A map from `numDims` loop dims to the listed dims.
static AffineMap dims(MLIRContext *ctx, unsigned numDims,
                      ArrayRef<unsigned> results) {
  return AffineMap::getMultiDimMapWithTargets(numDims, results, ctx);
}

static void yield(OpBuilder &b, Location loc, ValueRange values) {
  linalg::YieldOp::create(b, loc, values);
}

/// `x == -inf ? 0 : x`: the running max used as the exp2 offset, so a row
/// that has seen only masked keys gives exp2(-inf - 0) = 0, never NaN.
static Value safeMax(OpBuilder &b, Location loc, Value max) {
  Value negInf = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(kNegInf));
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
  Value isNegInf =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, max, negInf);
  return arith::SelectOp::create(b, loc, isNegInf, zero, max);
}

/// acc / sum rounded to `outType`, 0 for a row that saw no key (sum 0).
static Value buildNormalized(OpBuilder &b, Location loc, Value acc, Value sum,
                             Type outType) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
  Value empty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, sum, zero);
  Value quotient = arith::DivFOp::create(b, loc, acc, sum);
  Value result = arith::SelectOp::create(b, loc, empty, zero, quotient);
  if (!outType.isF32())
    result = arith::TruncFOp::create(b, loc, outType, result);
  return result;
}

/// The lse from a log2-domain row max and sum: (max + log2 sum) * ln 2,
/// -inf for a row that saw no key (sum 0).
static Value buildLogSumExp(OpBuilder &b, Location loc, Value max, Value sum) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
  Value empty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, sum, zero);
  Value total =
      arith::AddFOp::create(b, loc, max, math::Log2Op::create(b, loc, sum));
  Value natural = arith::MulFOp::create(
      b, loc, total,
      arith::ConstantOp::create(b, loc, b.getF32FloatAttr(M_LN2)));
  Value negInf = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(kNegInf));
  return arith::SelectOp::create(b, loc, empty, negInf, natural);
}

/// The combine step of split-KV: from the splits' unnormalized
/// accumulators `partAcc` [S, B, H, Sq, Dv] and log2-domain row maxima /
/// sums `partMax`, `partSum` [S, B, H, Sq], the output (rounded to its
/// element type) and the lse (if any): M = max_s m_s, w_s = exp2(m_s - M),
/// O = sum_s w_s acc_s / sum_s w_s l_s (0 with no visible key).
static void combineKVSplits(OpBuilder &b, Location loc, Value partAcc,
                            Value partMax, Value partSum, Value output,
                            Value lse) {
  TileBuilder tb{b, loc};
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = cast<MemRefType>(partAcc.getType()).getShape();
  const int64_t batch = shape[1], heads = shape[2], querySeq = shape[3],
                valueDim = shape[4];
  Type outElementType = cast<MemRefType>(output.getType()).getElementType();
  using IT = IteratorType;
  const SmallVector<IT> rowsOverSplits = {IT::reduction, IT::parallel,
                                          IT::parallel, IT::parallel};
  // M[b, h, i] = max_s m_s; m_s becomes the weight exp2(m_s - safe(M)).
  Value maxAll = tb.scratch({batch, heads, querySeq});
  tb.fill(maxAll, kNegInf);
  tb.generic(
      partMax, maxAll, {dims(ctx, 4, {0, 1, 2, 3}), dims(ctx, 4, {1, 2, 3})},
      rowsOverSplits, [](OpBuilder &nb, Location nloc, ValueRange a) {
        yield(nb, nloc,
              arith::MaximumFOp::create(nb, nloc, a[0], a[1]).getResult());
      });
  tb.generic(
      maxAll, partMax, {dims(ctx, 4, {1, 2, 3}), dims(ctx, 4, {0, 1, 2, 3})},
      SmallVector<IT>(4, IT::parallel),
      [](OpBuilder &nb, Location nloc, ValueRange a) {
        Value diff =
            arith::SubFOp::create(nb, nloc, a[1], safeMax(nb, nloc, a[0]));
        yield(nb, nloc, math::Exp2Op::create(nb, nloc, diff).getResult());
      });
  // L = sum_s w_s l_s; O = sum_s w_s acc_s.
  Value sumAll = tb.scratch({batch, heads, querySeq});
  tb.fill(sumAll, 0.0);
  tb.generic(ValueRange{partSum, partMax}, ValueRange{sumAll},
             {dims(ctx, 4, {0, 1, 2, 3}), dims(ctx, 4, {0, 1, 2, 3}),
              dims(ctx, 4, {1, 2, 3})},
             rowsOverSplits, [](OpBuilder &nb, Location nloc, ValueRange a) {
               Value term = arith::MulFOp::create(nb, nloc, a[0], a[1]);
               yield(nb, nloc,
                     arith::AddFOp::create(nb, nloc, a[2], term).getResult());
             });
  Value accAll = tb.scratch({batch, heads, querySeq, valueDim});
  tb.fill(accAll, 0.0);
  tb.generic(
      ValueRange{partMax, partAcc}, ValueRange{accAll},
      {dims(ctx, 5, {0, 1, 2, 3}), dims(ctx, 5, {0, 1, 2, 3, 4}),
       dims(ctx, 5, {1, 2, 3, 4})},
      {IT::reduction, IT::parallel, IT::parallel, IT::parallel, IT::parallel},
      [](OpBuilder &nb, Location nloc, ValueRange a) {
        Value term = arith::MulFOp::create(nb, nloc, a[0], a[1]);
        yield(nb, nloc,
              arith::AddFOp::create(nb, nloc, a[2], term).getResult());
      });
  // out = O / L (0 for a row without a visible key), rounded.
  tb.generic(ValueRange{accAll, sumAll}, ValueRange{output},
             {dims(ctx, 4, {0, 1, 2, 3}), dims(ctx, 4, {0, 1, 2}),
              dims(ctx, 4, {0, 1, 2, 3})},
             SmallVector<IT>(4, IT::parallel),
             [&](OpBuilder &nb, Location nloc, ValueRange a) {
               yield(nb, nloc,
                     buildNormalized(nb, nloc, a[0], a[1], outElementType));
             });
  if (!lse)
    return;
  AffineMap rows = AffineMap::getMultiDimIdentityMap(3, ctx);
  tb.generic(ValueRange{maxAll, sumAll}, ValueRange{lse}, {rows, rows, rows},
             SmallVector<IT>(3, IT::parallel),
             [](OpBuilder &nb, Location nloc, ValueRange a) {
               yield(nb, nloc, buildLogSumExp(nb, nloc, a[0], a[1]));
             });
}

/// Rewrites one scheduled attn.sdpa into the tiled form.
static LogicalResult tileSDPA(RewriterBase &rewriter, SDPAOp op) {
  ScheduleAttr schedule = op.getScheduleAttr();
  RankedTensorType queryType = op.getQueryType(), keyType = op.getKeyType(),
                   valueType = op.getValueType();
  const int64_t batch = queryType.getDimSize(0);
  const int64_t queryHeads = queryType.getDimSize(1);
  const int64_t querySeq = queryType.getDimSize(2);
  const int64_t headDim = queryType.getDimSize(3);
  const int64_t keySeq = keyType.getDimSize(2);
  const int64_t valueDim = valueType.getDimSize(3);
  const int64_t group = op.getGroupSize();
  const int64_t blockQ = schedule.getBlockQ(), blockKV = schedule.getBlockKV();
  const int64_t numQueryBlocks = (querySeq + blockQ - 1) / blockQ;
  auto pattern = op.getPatternAttr();

  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  rewriter.setInsertionPoint(op);
  TileBuilder tb{rewriter, loc};

  SDPABuffers buffers = createSDPABuffers(rewriter, op, /*alignment=*/64);
  Value query = buffers.query, key = buffers.key, value = buffers.value;
  Value mask = buffers.mask, keyLengths = buffers.keyLengths;
  Value output = buffers.output, lse = buffers.lse;
  auto maskType = mask ? cast<MemRefType>(mask.getType()) : MemRefType();
  Type outElementType = valueType.getElementType();

  const double scoreScale = op.getEffectiveScale() * M_LOG2E;
  Value querySeqLen = tb.index(querySeq), keySeqLen = tb.index(keySeq);
  auto registerTile = rewriter.getDenseI64ArrayAttr(
      {schedule.getVectorWidth(), schedule.getRegisterRows(),
       schedule.getRegisterVectors()});
  // A query block narrower than a vector (decode, short queries) takes the
  // row form: scores S[i, j] with the keys innermost, so that the score
  // tile, the softmax and P V vectorize over keys and the value head dim
  // (the column form would spend a whole vector of query columns on each
  // row). Q K^T is then a dot product over the head dim, whose register
  // tile is register_vectors query rows x register_rows keys; P V keeps
  // register_rows query rows x register_vectors V vectors, within the
  // same register budget. A work item of the row form takes the block's
  // rows of every query head of one KV head (GQA: `group` heads stacked),
  // so that each K/V tile is read and widened once for all of them.
  const bool rowForm = blockQ < schedule.getVectorWidth();
  const unsigned rowDim = rowForm ? 0 : 1;
  const int64_t headsPerItem = rowForm ? group : 1;
  const int64_t rows = headsPerItem * blockQ;
  DenseI64ArrayAttr valueTile = registerTile;
  if (rowForm) {
    const int64_t lanes = schedule.getVectorWidth();
    const int64_t budget =
        schedule.getRegisterRows() * schedule.getRegisterVectors() +
        schedule.getRegisterVectors() + 1;
    int64_t vectors = std::clamp<int64_t>(valueDim / lanes, 1, 4);
    while (vectors > 1 && budget - vectors - 1 < vectors)
      --vectors;
    int64_t tileRows =
        std::clamp<int64_t>((budget - vectors - 1) / vectors, 1, rows);
    valueTile = rewriter.getDenseI64ArrayAttr({lanes, tileRows, vectors});
  }

  // Split-KV (row form): each work item takes one of kv_splits shares of
  // its key blocks and leaves its unnormalized accumulator, row max and row
  // sum in f32 workspaces [split, B, Hq, Sq(, Dv)]; a combine step after
  // the forall merges them by their maxima.
  const int64_t kvSplits = schedule.getKvSplits();
  Value partAcc, partMax, partSum;
  if (kvSplits > 1) {
    partAcc = tb.scratch({kvSplits, batch, queryHeads, querySeq, valueDim});
    partMax = tb.scratch({kvSplits, batch, queryHeads, querySeq});
    partSum = tb.scratch({kvSplits, batch, queryHeads, querySeq});
  }

  SmallVector<OpFoldResult> upperBounds = {
      rewriter.getIndexAttr(batch),
      rewriter.getIndexAttr(queryHeads / headsPerItem),
      rewriter.getIndexAttr(numQueryBlocks)};
  if (kvSplits > 1)
    upperBounds.push_back(rewriter.getIndexAttr(kvSplits));
  scf::ForallOp::create(
      rewriter, loc, upperBounds, ValueRange{}, std::nullopt,
      [&](OpBuilder &b, Location loc, ValueRange ivs) {
        TileBuilder tb{b, loc};

        Value batchIdx = ivs[0], headIdx = ivs[1], blockIdx = ivs[2];
        Value splitIdx = kvSplits > 1 ? ivs[3] : Value();
        // Causal work grows with the block index: visit blocks in the
        // order 0, n-1, 1, n-2, ... so contiguous chunks of work items
        // carry balanced work (harmless for patterns with even work).
        if (pattern && numQueryBlocks > 2) {
          Value two = tb.index(2);
          Value half = arith::DivUIOp::create(b, loc, blockIdx, two);
          Value parity = arith::RemUIOp::create(b, loc, blockIdx, two);
          Value odd = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                            parity, tb.index(0));
          Value fromEnd = tb.sub(tb.index(numQueryBlocks - 1), half);
          blockIdx = arith::SelectOp::create(b, loc, odd, fromEnd, half);
        }
        Value queryBegin = tb.mul(blockIdx, tb.index(blockQ));
        Value queryLeft = tb.sub(querySeqLen, queryBegin);
        Value queryCount = tb.min(tb.index(blockQ), queryLeft);
        Value queryEnd = tb.add(queryBegin, queryCount);
        // Row form: the forall's head is the KV head, and the item's
        // query heads are [headIdx * group, +group).
        Value kvHead =
            group == 1 || rowForm
                ? headIdx
                : arith::DivUIOp::create(b, loc, headIdx, tb.index(group))
                      .getResult();
        if (rowForm && group > 1)
          headIdx = tb.mul(headIdx, tb.index(group));

        // Scratch of this work item. Column form: Qᵀ (D x block_q) and
        // Sᵀ (block_kv x block_q); row form: Q (block_q x D) and S
        // (block_q x block_kv).
        // (heads x block_q rows x block_kv); 3-D views of them split the
        // rows into (head, query).
        Value queryT = rowForm ? tb.scratch({rows, headDim})
                               : tb.scratch({headDim, blockQ});
        Value scoresT = rowForm ? tb.scratch({rows, blockKV})
                                : tb.scratch({blockKV, blockQ});
        Value acc = tb.scratch({rows, valueDim});
        Value rowMax = tb.scratch({rows}), rowSum = tb.scratch({rows});
        Value newMax = tb.scratch({rows}), rescale = tb.scratch({rows});
        // [rows, n] as [heads, block_q, n], cut to the block's queries.
        auto byHead = [&](OpBuilder &b, Location loc, Value buffer, Value count,
                          Value cols = Value()) -> Value {
          TileBuilder tb{b, loc};
          auto type = cast<MemRefType>(buffer.getType());
          SmallVector<int64_t> shape = {headsPerItem, blockQ};
          SmallVector<ReassociationIndices> groups = {{0, 1}};
          if (type.getRank() == 2) {
            shape.push_back(type.getDimSize(1));
            groups.push_back({2});
          }
          Value split =
              memref::ExpandShapeOp::create(b, loc, shape, buffer, groups);
          SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
          SmallVector<OpFoldResult> sizes = {b.getIndexAttr(headsPerItem),
                                             count};
          SmallVector<int64_t> kept = {headsPerItem, ShapedType::kDynamic};
          if (shape.size() == 3) {
            sizes.push_back(cols ? OpFoldResult(cols)
                                 : OpFoldResult(b.getIndexAttr(shape[2])));
            kept.push_back(cols ? ShapedType::kDynamic : shape[2]);
          }
          return tb.view(split, offsets, sizes, kept);
        };
        // The item's heads of a [B, H, S, n] (or [B, H, S]) buffer at
        // rows [queryBegin, +count): [heads, count(, n)].
        auto headsOf = [&](OpBuilder &b, Location loc, Value buffer,
                           Value count) -> Value {
          TileBuilder tb{b, loc};
          auto type = cast<MemRefType>(buffer.getType());
          SmallVector<OpFoldResult> offsets = {batchIdx, headIdx, queryBegin};
          SmallVector<OpFoldResult> sizes = {
              b.getIndexAttr(1), b.getIndexAttr(headsPerItem), count};
          SmallVector<int64_t> kept = {headsPerItem, ShapedType::kDynamic};
          if (type.getRank() == 4) {
            offsets.push_back(b.getIndexAttr(0));
            sizes.push_back(b.getIndexAttr(type.getDimSize(3)));
            kept.push_back(type.getDimSize(3));
          }
          return tb.view(buffer, offsets, sizes, kept);
        };
        // f16 / bf16 K and V tiles are widened to f32 once per key block:
        // the contractions then read f32 only, where widening at every use
        // cost a convert per broadcast K element and per V vector of each
        // row group (bf16: 94 -> 120 GFLOP/s, B1 H16 S2048 D128, 1 thread).
        // Not where every element is read once anyway: in the row form,
        // K when the dot products hold all rows in registers, V when P V's
        // tile does (bf16 decode B1 Hq32 Hkv8 Skv8192 D128: 4.7 -> 2.2 ms).
        const bool keyOnce = rowForm && rows <= schedule.getRegisterVectors();
        const bool valueOnce = rowForm && rows <= valueTile[1];
        Value keyWide = keyType.getElementType().isF32() || keyOnce
                            ? Value()
                            : tb.scratch({blockKV, headDim});
        Value valueWide = valueType.getElementType().isF32() || valueOnce
                              ? Value()
                              : tb.scratch({blockKV, valueDim});

        // Qᵀ[d, i] = Q[b, h, q0 + i, d] * scale * log2(e); padding columns 0.
        // Row form: Q[g * block_q + i, d] = Q[b, h0 + g, q0 + i, d] * ...
        tb.fill(queryT, 0.0);
        Value queryBlock, queryTUsed;
        if (rowForm) {
          queryBlock = headsOf(b, loc, query, queryCount);
          queryTUsed = byHead(b, loc, queryT, queryCount);
        } else {
          queryBlock =
              tb.view(query, {batchIdx, headIdx, queryBegin, b.getIndexAttr(0)},
                      {b.getIndexAttr(1), b.getIndexAttr(1), queryCount,
                       b.getIndexAttr(headDim)},
                      {ShapedType::kDynamic, headDim});
          queryTUsed = tb.view(queryT, {b.getIndexAttr(0), b.getIndexAttr(0)},
                               {b.getIndexAttr(headDim), queryCount},
                               {headDim, ShapedType::kDynamic});
        }
        tb.generic(queryBlock, queryTUsed,
                   rowForm ? SmallVector<AffineMap>{dims(ctx, 3, {0, 1, 2}),
                                                    dims(ctx, 3, {0, 1, 2})}
                           : SmallVector<AffineMap>{dims(ctx, 2, {1, 0}),
                                                    dims(ctx, 2, {0, 1})},
                   rowForm
                       ? SmallVector<IteratorType>(3, IteratorType::parallel)
                       : SmallVector<IteratorType>(2, IteratorType::parallel),
                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                     Value element = tb.toF32(nb, nloc, args[0]);
                     Value scaled = arith::MulFOp::create(
                         nb, nloc, element,
                         arith::ConstantOp::create(
                             nb, nloc, nb.getF32FloatAttr(scoreScale)));
                     yield(nb, nloc, scaled);
                   });
        tb.fill(acc, 0.0);
        tb.fill(rowMax, kNegInf);
        tb.fill(rowSum, 0.0);

        // Key blocks: only the range the pattern leaves visible.
        Value keyBegin = tb.index(0), keyEnd = keySeqLen;
        if (pattern)
          std::tie(keyBegin, keyEnd) = pattern.buildVisibleKeyRange(
              b, loc, queryBegin, queryEnd, querySeqLen, keySeqLen);
        // Padding: keys past this batch entry's length are never visited
        // (the block holding the end is clipped, the rest are Empty).
        if (keyLengths) {
          Value length = arith::IndexCastOp::create(
              b, loc, b.getIndexType(),
              memref::LoadOp::create(b, loc, keyLengths, batchIdx));
          length = arith::MaxSIOp::create(b, loc, length, tb.index(0));
          keyEnd = tb.min(keyEnd, length);
        }
        // Split-KV: this item's share, whole key blocks of the range.
        if (splitIdx) {
          Value span = arith::MaxSIOp::create(b, loc, tb.sub(keyEnd, keyBegin),
                                              tb.index(0));
          Value blocks =
              arith::CeilDivSIOp::create(b, loc, span, tb.index(blockKV));
          Value share =
              arith::CeilDivSIOp::create(b, loc, blocks, tb.index(kvSplits));
          Value shareKeys = tb.mul(share, tb.index(blockKV));
          Value shareBegin = tb.add(keyBegin, tb.mul(splitIdx, shareKeys));
          keyEnd = tb.min(keyEnd, tb.add(shareBegin, shareKeys));
          keyBegin = shareBegin;
        }

        scf::ForOp::create(
            b, loc, keyBegin, keyEnd, tb.index(blockKV), ValueRange{},
            [&](OpBuilder &b, Location loc, Value kvBegin, ValueRange) {
              TileBuilder tb{b, loc};
              Value kvLeft = tb.sub(keyEnd, kvBegin);
              Value kvCount = tb.min(tb.index(blockKV), kvLeft);
              Value kvEnd = tb.add(kvBegin, kvCount);
              Value keyBlock = tb.view(
                  key, {batchIdx, kvHead, kvBegin, b.getIndexAttr(0)},
                  {b.getIndexAttr(1), b.getIndexAttr(1), kvCount,
                   b.getIndexAttr(headDim)},
                  {ShapedType::kDynamic, headDim});
              Value valueBlock = tb.view(
                  value, {batchIdx, kvHead, kvBegin, b.getIndexAttr(0)},
                  {b.getIndexAttr(1), b.getIndexAttr(1), kvCount,
                   b.getIndexAttr(valueDim)},
                  {ShapedType::kDynamic, valueDim});
              // The scores of this block's keys; in the row form the
              // softmax runs over the whole (static) tile, whose columns
              // past the last block's keys hold -inf.
              Value scores =
                  rowForm
                      ? tb.view(scoresT, {b.getIndexAttr(0), b.getIndexAttr(0)},
                                {b.getIndexAttr(rows), kvCount},
                                {rows, ShapedType::kDynamic})
                      : tb.view(scoresT, {b.getIndexAttr(0), b.getIndexAttr(0)},
                                {kvCount, b.getIndexAttr(blockQ)},
                                {ShapedType::kDynamic, blockQ});
              Value softmaxScores = rowForm ? scoresT : scores;
              if (keyWide)
                keyBlock = tb.widen(keyBlock, keyWide, kvCount, headDim);
              if (valueWide)
                valueBlock = tb.widen(valueBlock, valueWide, kvCount, valueDim);

              if (rowForm) {
                Value isShort =
                    arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                          kvCount, tb.index(blockKV));
                scf::IfOp::create(
                    b, loc, isShort, [&](OpBuilder &b, Location loc) {
                      TileBuilder tb{b, loc};
                      Value tail =
                          tb.view(scoresT, {b.getIndexAttr(0), kvCount},
                                  {b.getIndexAttr(rows),
                                   tb.sub(tb.index(blockKV), kvCount)},
                                  {rows, ShapedType::kDynamic});
                      tb.fill(tail, kNegInf);
                      scf::YieldOp::create(b, loc);
                    });
              }

              // Column form: Sᵀ = K block · Qᵀ; row form: S[i, j] =
              // sum_d Q[i, d] K[j, d].
              tb.fill(scores, 0.0);
              Operation *scoreMatmul;
              if (rowForm)
                scoreMatmul =
                    tb.contraction(queryT, keyBlock, scores,
                                   {dims(ctx, 3, {0, 2}), dims(ctx, 3, {1, 2}),
                                    dims(ctx, 3, {0, 1})});
              else
                scoreMatmul = linalg::MatmulOp::create(
                    b, loc, ValueRange{keyBlock, queryT}, ValueRange{scores});
              scoreMatmul->setAttr(kRegisterTileAttrName, registerTile);

              // Mask, on Partial tiles only.
              if (pattern || mask) {
                Value isFull;
                if (mask)
                  isFull = arith::ConstantIntOp::create(b, loc, 0, 1);
                else
                  isFull = pattern.buildIsTileFull(b, loc, queryBegin,
                                                   queryEnd, kvBegin, kvEnd,
                                                   querySeqLen, keySeqLen);
                Value isPartial = arith::XOrIOp::create(
                    b, loc, isFull, arith::ConstantIntOp::create(b, loc, 1, 1));
                // With a mask tensor only the real query columns can be
                // read; a pattern alone masks the whole (static-width)
                // tile, padding columns included, so it vectorizes. So
                // does a mask over a whole query block of the column form
                // (`wholeBlock`: the query columns are block_q, statically).
                // Row form: over (head, query, key), the scores split by
                // head.
                auto applyMask = [&](OpBuilder &b, Location loc,
                                     bool wholeBlock) {
                  TileBuilder tb{b, loc};
                  const unsigned loops = rowForm ? 3 : 2;
                  // A mask over a partial query block of the column form
                  // (scalar code) is read along its rows, keys innermost:
                  // down a column its rows are a power-of-two stride apart
                  // and would share a few L1 sets (i1: 93 -> 107 GFLOP/s).
                  const bool keysInner = mask && !rowForm && !wholeBlock;
                  const unsigned queryLoop = keysInner ? 0 : 1;
                  const unsigned keyLoop = rowForm ? 2 : (keysInner ? 1 : 0);
                  OpFoldResult maskRows = queryCount;
                  int64_t maskRowsShape = ShapedType::kDynamic;
                  if (wholeBlock) {
                    maskRows = b.getIndexAttr(blockQ);
                    maskRowsShape = blockQ;
                  }
                  Value used = scores;
                  if (rowForm)
                    used =
                        byHead(b, loc, scoresT,
                               mask ? queryCount : tb.index(blockQ), kvCount);
                  else if (mask && !wholeBlock)
                    used =
                        tb.view(scoresT, {b.getIndexAttr(0), b.getIndexAttr(0)},
                                {kvCount, queryCount},
                                {ShapedType::kDynamic, ShapedType::kDynamic});
                  SmallVector<Value> inputs;
                  SmallVector<AffineMap> maps;
                  if (mask) {
                    Value maskBatch =
                        maskType.getDimSize(0) == 1 ? tb.index(0) : batchIdx;
                    bool allHeads = maskType.getDimSize(1) == 1;
                    Value maskHead = allHeads ? tb.index(0) : headIdx;
                    int64_t maskHeads = allHeads ? 1 : headsPerItem;
                    SmallVector<int64_t> kept = {maskRowsShape,
                                                 ShapedType::kDynamic};
                    if (maskHeads > 1)
                      kept.insert(kept.begin(), maskHeads);
                    inputs.push_back(tb.view(
                        mask, {maskBatch, maskHead, queryBegin, kvBegin},
                        {b.getIndexAttr(1), b.getIndexAttr(maskHeads), maskRows,
                         kvCount},
                        kept));
                    if (maskHeads > 1)
                      maps.push_back(dims(ctx, 3, {0, 1, 2}));
                    else
                      maps.push_back(dims(ctx, loops, {queryLoop, keyLoop}));
                  }
                  maps.push_back(rowForm     ? dims(ctx, 3, {0, 1, 2})
                                 : keysInner ? dims(ctx, 2, {1, 0})
                                             : dims(ctx, 2, {0, 1}));
                  tb.generic(
                      inputs, used, maps,
                      SmallVector<IteratorType>(loops, IteratorType::parallel),
                      [&](OpBuilder &nb, Location nloc, ValueRange args) {
                        Value score = args.back();
                        Value keep;
                        if (mask) {
                          Value m = args[0];
                          if (m.getType().isInteger(1)) {
                            keep = m;
                          } else {
                            Value bias = buildLog2MaskBias(nb, nloc, m);
                            score = arith::AddFOp::create(nb, nloc, score, bias);
                          }
                        }
                        if (pattern) {
                          Value row = arith::AddIOp::create(
                              nb, nloc, queryBegin,
                              linalg::IndexOp::create(nb, nloc, queryLoop));
                          Value col = arith::AddIOp::create(
                              nb, nloc, kvBegin,
                              linalg::IndexOp::create(nb, nloc, keyLoop));
                          Value visible = pattern.buildKeyVisible(
                              nb, nloc, row, col, querySeqLen, keySeqLen);
                          keep = keep ? arith::AndIOp::create(nb, nloc, keep,
                                                              visible)
                                            .getResult()
                                      : visible;
                        }
                        if (keep)
                          score = arith::SelectOp::create(
                              nb, nloc, keep, score,
                              arith::ConstantOp::create(
                                  nb, nloc, nb.getF32FloatAttr(kNegInf)));
                        yield(nb, nloc, score);
                      });
                };
                scf::IfOp::create(
                    b, loc, isPartial, [&](OpBuilder &b, Location loc) {
                      if (mask && !rowForm) {
                        Value whole = arith::CmpIOp::create(
                            b, loc, arith::CmpIPredicate::eq, queryCount,
                            arith::ConstantIndexOp::create(b, loc, blockQ));
                        scf::IfOp::create(
                            b, loc, whole,
                            [&](OpBuilder &b, Location loc) {
                              applyMask(b, loc, /*wholeBlock=*/true);
                              scf::YieldOp::create(b, loc);
                            },
                            [&](OpBuilder &b, Location loc) {
                              applyMask(b, loc, /*wholeBlock=*/false);
                              scf::YieldOp::create(b, loc);
                            });
                      } else {
                        applyMask(b, loc, /*wholeBlock=*/false);
                      }
                      scf::YieldOp::create(b, loc);
                    });
              }

              // Online softmax. newMax = max(rowMax, column max of Sᵀ).
              linalg::CopyOp::create(b, loc, rowMax, newMax);
              SmallVector<IteratorType> reduceKeys = {IteratorType::reduction,
                                                      IteratorType::parallel};
              if (rowForm)
                std::swap(reduceKeys[0], reduceKeys[1]);
              tb.generic(softmaxScores, newMax,
                         {dims(ctx, 2, {0, 1}), dims(ctx, 2, {rowDim})},
                         reduceKeys,
                         [](OpBuilder &nb, Location nloc, ValueRange args) {
                           yield(nb, nloc,
                                 arith::MaximumFOp::create(nb, nloc, args[0],
                                                           args[1])
                                     .getResult());
                         });
              // rescale = exp2(rowMax - safe(newMax)); rowMax = newMax.
              AffineMap vec = dims(ctx, 1, {0});
              tb.generic(ValueRange{newMax}, ValueRange{rowMax, rescale},
                         {vec, vec, vec}, {IteratorType::parallel},
                         [](OpBuilder &nb, Location nloc, ValueRange args) {
                           Value offset = safeMax(nb, nloc, args[0]);
                           Value diff =
                               arith::SubFOp::create(nb, nloc, args[1], offset);
                           Value factor = math::Exp2Op::create(nb, nloc, diff);
                           yield(nb, nloc, {args[0], factor});
                         });
              // Sᵀ[j, i] = exp2(Sᵀ[j, i] - safe(rowMax[i])).
              tb.generic(ValueRange{rowMax}, ValueRange{softmaxScores},
                         {dims(ctx, 2, {rowDim}), dims(ctx, 2, {0, 1})},
                         {IteratorType::parallel, IteratorType::parallel},
                         [](OpBuilder &nb, Location nloc, ValueRange args) {
                           Value offset = safeMax(nb, nloc, args[0]);
                           Value diff =
                               arith::SubFOp::create(nb, nloc, args[1], offset);
                           yield(nb, nloc,
                                 math::Exp2Op::create(nb, nloc, diff)
                                     .getResult());
                         });
              // rowSum = rowSum * rescale + column sum of Sᵀ.
              tb.generic(ValueRange{rescale}, ValueRange{rowSum}, {vec, vec},
                         {IteratorType::parallel},
                         [](OpBuilder &nb, Location nloc, ValueRange args) {
                           yield(nb, nloc,
                                 arith::MulFOp::create(nb, nloc, args[0],
                                                       args[1])
                                     .getResult());
                         });
              tb.generic(softmaxScores, rowSum,
                         {dims(ctx, 2, {0, 1}), dims(ctx, 2, {rowDim})},
                         reduceKeys,
                         [](OpBuilder &nb, Location nloc, ValueRange args) {
                           yield(nb, nloc,
                                 arith::AddFOp::create(nb, nloc, args[0],
                                                       args[1])
                                     .getResult());
                         });
              // acc[i, e] *= rescale[i]; acc[i, e] += sum_j Sᵀ[j, i] V[j, e].
              tb.generic(ValueRange{rescale}, ValueRange{acc},
                         {dims(ctx, 2, {0}), dims(ctx, 2, {0, 1})},
                         {IteratorType::parallel, IteratorType::parallel},
                         [](OpBuilder &nb, Location nloc, ValueRange args) {
                           yield(nb, nloc,
                                 arith::MulFOp::create(nb, nloc, args[0],
                                                       args[1])
                                     .getResult());
                         });
              auto pv = tb.contraction(
                  scores, valueBlock, acc,
                  {rowForm ? dims(ctx, 3, {0, 2}) : dims(ctx, 3, {2, 0}),
                   dims(ctx, 3, {2, 1}), dims(ctx, 3, {0, 1})});
              pv->setAttr(kRegisterTileAttrName, valueTile);
              scf::YieldOp::create(b, loc);
            });

        if (splitIdx) {
          // Partial results, combined after the forall.
          auto part = [&](Value workspace, Value from) {
            auto type = cast<MemRefType>(workspace.getType());
            SmallVector<OpFoldResult> offsets = {splitIdx, batchIdx, headIdx,
                                                 queryBegin};
            SmallVector<OpFoldResult> sizes = {
                b.getIndexAttr(1), b.getIndexAttr(1),
                b.getIndexAttr(headsPerItem), queryCount};
            SmallVector<int64_t> kept = {headsPerItem, ShapedType::kDynamic};
            if (type.getRank() == 5) {
              offsets.push_back(b.getIndexAttr(0));
              sizes.push_back(b.getIndexAttr(valueDim));
              kept.push_back(valueDim);
            }
            linalg::CopyOp::create(b, loc, byHead(b, loc, from, queryCount),
                                   tb.view(workspace, offsets, sizes, kept));
          };
          part(partAcc, acc);
          part(partMax, rowMax);
          part(partSum, rowSum);
          scf::InParallelOp::create(b, loc);
          return;
        }

        // out = acc / rowSum (0 for a fully masked row), rounded.
        // Row form: per (head, query, value column) of the item's heads.
        Value accUsed, sumUsed, outBlock;
        if (rowForm) {
          accUsed = byHead(b, loc, acc, queryCount);
          sumUsed = byHead(b, loc, rowSum, queryCount);
          outBlock = headsOf(b, loc, output, queryCount);
        } else {
          accUsed = tb.view(acc, {b.getIndexAttr(0), b.getIndexAttr(0)},
                            {queryCount, b.getIndexAttr(valueDim)},
                            {ShapedType::kDynamic, valueDim});
          sumUsed = tb.view(rowSum, {b.getIndexAttr(0)}, {queryCount},
                            {ShapedType::kDynamic});
          outBlock = tb.view(output,
                             {batchIdx, headIdx, queryBegin, b.getIndexAttr(0)},
                             {b.getIndexAttr(1), b.getIndexAttr(1), queryCount,
                              b.getIndexAttr(valueDim)},
                             {ShapedType::kDynamic, valueDim});
        }
        tb.generic(
            ValueRange{accUsed, sumUsed}, ValueRange{outBlock},
            rowForm ? SmallVector<AffineMap>{dims(ctx, 3, {0, 1, 2}),
                                             dims(ctx, 3, {0, 1}),
                                             dims(ctx, 3, {0, 1, 2})}
                    : SmallVector<AffineMap>{dims(ctx, 2, {0, 1}),
                                             dims(ctx, 2, {0}),
                                             dims(ctx, 2, {0, 1})},
            SmallVector<IteratorType>(rowForm ? 3 : 2, IteratorType::parallel),
            [&](OpBuilder &nb, Location nloc, ValueRange args) {
              yield(
                  nb, nloc,
                  buildNormalized(nb, nloc, args[0], args[1], outElementType));
            });
        if (lse) {
          Value maxUsed, lseBlock;
          if (rowForm) {
            maxUsed = byHead(b, loc, rowMax, queryCount);
            lseBlock = headsOf(b, loc, lse, queryCount);
          } else {
            maxUsed = tb.view(rowMax, {b.getIndexAttr(0)}, {queryCount},
                              {ShapedType::kDynamic});
            lseBlock =
                tb.view(lse, {batchIdx, headIdx, queryBegin},
                        {b.getIndexAttr(1), b.getIndexAttr(1), queryCount},
                        {ShapedType::kDynamic});
          }
          const unsigned lseLoops = rowForm ? 2 : 1;
          AffineMap lseMap = AffineMap::getMultiDimIdentityMap(lseLoops, ctx);
          tb.generic(
              ValueRange{maxUsed, sumUsed}, ValueRange{lseBlock},
              {lseMap, lseMap, lseMap},
              SmallVector<IteratorType>(lseLoops, IteratorType::parallel),
              [](OpBuilder &nb, Location nloc, ValueRange args) {
                yield(nb, nloc, buildLogSumExp(nb, nloc, args[0], args[1]));
              });
        }
        scf::InParallelOp::create(b, loc);
      });
  if (kvSplits > 1)
    combineKVSplits(rewriter, loc, partAcc, partMax, partSum, output, lse);

  replaceWithSDPABuffers(rewriter, op, buffers);
  return success();
}

struct TileFlashPass : public attn::impl::TileFlashPassBase<TileFlashPass> {
  void runOnOperation() override {
    SmallVector<SDPAOp> ops;
    getOperation()->walk([&](SDPAOp op) {
      if (!op.getScheduleAttr())
        return;
      auto isStatic = [](Type type) {
        return cast<ShapedType>(type).hasStaticShape();
      };
      if (!llvm::all_of(op->getOperandTypes(), isStatic) ||
          !llvm::all_of(op->getResultTypes(), isStatic))
        return;
      // Head dims of 0 (empty dot products) are left to the reference path.
      if (op.getQueryType().getDimSize(3) == 0 ||
          op.getValueType().getDimSize(3) == 0)
        return;
      ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (SDPAOp op : ops)
      if (failed(tileSDPA(rewriter, op)))
        return signalPassFailure();
  }
};

} // namespace
