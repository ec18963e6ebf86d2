//===- VectorizeCPU.cpp - x86 code generation for the tiled form ---------===//
//
// After bufferization, turns the tile ops of attn-tile-flash into vector
// code for x86 (see Passes.td for the full contract):
//  - contractions become register-blocked FMA micro-kernels;
//  - elementwise / outer-reduction ops with a static contiguous innermost
//    loop get vector bodies;
//  - math.exp2 on vectors becomes a polynomial.
// Everything else is left for convert-linalg-to-loops.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <array>

namespace mlir::attn {
#define GEN_PASS_DEF_VECTORIZECPUPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// The micro-kernel register tile: f32 lanes per vector, broadcast rows,
/// vectors per row.
struct RegisterTile {
  int64_t lanes, rows, vectors;
};

/// True when the innermost dim of `type` has unit stride.
static bool innermostContiguous(MemRefType type) {
  if (type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides.back() == 1;
}

static Value extendToF32(OpBuilder &b, Location loc, Value value) {
  Type f32 = b.getF32Type();
  if (getElementTypeOrSelf(value.getType()) == f32)
    return value;
  Type target = f32;
  if (auto vector = dyn_cast<VectorType>(value.getType()))
    target = VectorType::get(vector.getShape(), f32);
  return arith::ExtFOp::create(b, loc, target, value);
}

/// Indices into an operand for loop ivs, through its (projected
/// permutation) indexing map.
static SmallVector<Value> operandIndices(AffineMap map, ValueRange ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults())
    indices.push_back(ivs[cast<AffineDimExpr>(expr).getPosition()]);
  return indices;
}

//===----------------------------------------------------------------------===//
// Contraction micro-kernels
//===----------------------------------------------------------------------===//

struct Contraction {
  unsigned mDim, nDim, kDim;
  int64_t n; // static extent of the vectorized dim
};

/// The memref types (A, B, C) of a contraction on buffers with float inputs
/// and an f32 accumulator, if it is one.
static std::optional<std::array<MemRefType, 3>>
contractionTypes(linalg::LinalgOp op) {
  auto aType = dyn_cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
  auto bType = dyn_cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
  auto cType = dyn_cast<MemRefType>(op.getDpsInitOperand(0)->get().getType());
  // Inputs are widened to f32, never narrowed (f64 stays for loops).
  auto narrow = [](Type type) {
    return isa<FloatType>(type) && type.getIntOrFloatBitWidth() <= 32;
  };
  if (!aType || !bType || !cType || !cType.getElementType().isF32() ||
      !narrow(aType.getElementType()) || !narrow(bType.getElementType()))
    return std::nullopt;
  return std::array<MemRefType, 3>{aType, bType, cType};
}

/// Matches C[m, n] += A[{m, k}] * B[k, n] on memrefs with f32 C, n static,
/// a multiple of `lanes`, and contiguous in B and C.
static std::optional<Contraction> matchContraction(linalg::LinalgOp op,
                                                   int64_t lanes) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() != 3 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap aMap = maps[0], bMap = maps[1], cMap = maps[2];
  if (!aMap.isProjectedPermutation() || !bMap.isProjectedPermutation() ||
      !cMap.isProjectedPermutation() || aMap.getNumResults() != 2 ||
      bMap.getNumResults() != 2 || cMap.getNumResults() != 2)
    return std::nullopt;
  Contraction c;
  c.mDim = cMap.getDimPosition(0);
  c.nDim = cMap.getDimPosition(1);
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  std::optional<unsigned> kDim;
  for (unsigned d = 0; d < 3; ++d)
    if (iterators[d] == utils::IteratorType::reduction)
      kDim = d;
  if (!kDim)
    return std::nullopt;
  c.kDim = *kDim;
  if (bMap.getDimPosition(0) != c.kDim || bMap.getDimPosition(1) != c.nDim)
    return std::nullopt;
  std::optional<std::array<MemRefType, 3>> types = contractionTypes(op);
  if (!types || !innermostContiguous((*types)[1]) ||
      !innermostContiguous((*types)[2]))
    return std::nullopt;
  c.n = (*types)[2].getDimSize(1);
  if (ShapedType::isDynamic(c.n) || c.n == 0)
    return std::nullopt;
  return c;
}

/// True when `op` is immediately preceded by a zero fill of its output.
static linalg::FillOp precedingZeroFill(linalg::LinalgOp op) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || fill.getOutputs()[0] != op.getDpsInitOperand(0)->get())
    return nullptr;
  FloatAttr value;
  if (!matchPattern(fill.getInputs()[0], m_Constant(&value)) ||
      !value.getValue().isZero())
    return nullptr;
  return fill;
}

/// A full vector load of `type` at `indices`, or a masked one (zero in the
/// lanes past `mask`) when `mask` is set.
static Value loadLanes(OpBuilder &b, Location loc, VectorType type,
                       Value memref, ValueRange indices, Value mask) {
  if (!mask)
    return vector::LoadOp::create(b, loc, type, memref, indices);
  Value pass = arith::ConstantOp::create(
      b, loc, type,
      DenseElementsAttr::get(type, b.getZeroAttr(type.getElementType())));
  return vector::MaskedLoadOp::create(b, loc, type, memref, indices, mask,
                                      pass);
}

/// Erases a rewritten contraction and the zero fill folded into it, if
/// any; returns that fill (the caller must not visit it again).
static Operation *eraseContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                                   linalg::FillOp fill) {
  rewriter.eraseOp(op);
  if (!fill)
    return nullptr;
  rewriter.eraseOp(fill);
  return fill;
}

/// Emits one register-blocked micro-kernel for `rows` rows starting at
/// `rowBegin` and `vectors` vectors starting at column `colBegin`; the
/// last vector covers only the n - (its column) columns left when that is
/// fewer than `lanes` (masked loads and stores).
static void emitMicroKernel(OpBuilder &b, Location loc, linalg::LinalgOp op,
                            const Contraction &c, int64_t lanes, int64_t rows,
                            int64_t vectors, Value rowBegin, int64_t colBegin,
                            Value kSize, bool zeroInit) {
  Value a = op.getDpsInputOperand(0)->get();
  Value bMat = op.getDpsInputOperand(1)->get();
  Value cMat = op.getDpsInitOperand(0)->get();
  AffineMap aMap = op.getIndexingMapsArray()[0];
  auto accType = VectorType::get({lanes}, b.getF32Type());
  auto bVecType = VectorType::get(
      {lanes}, cast<MemRefType>(bMat.getType()).getElementType());

  SmallVector<Value> rowIdx, colIdx;
  for (int64_t r = 0; r < rows; ++r)
    rowIdx.push_back(
        r == 0 ? rowBegin
               : arith::AddIOp::create(
                     b, loc, rowBegin,
                     arith::ConstantIndexOp::create(b, loc, r))
                     .getResult());
  SmallVector<Value> laneMask;
  for (int64_t v = 0; v < vectors; ++v) {
    colIdx.push_back(
        arith::ConstantIndexOp::create(b, loc, colBegin + v * lanes));
    int64_t left = c.n - (colBegin + v * lanes);
    laneMask.push_back(
        left >= lanes ? Value()
                      : vector::ConstantMaskOp::create(
                            b, loc, VectorType::get({lanes}, b.getI1Type()),
                            ArrayRef<int64_t>{left})
                            .getResult());
  }

  SmallVector<Value> init;
  Value zero;
  if (zeroInit)
    zero = arith::ConstantOp::create(b, loc, accType,
                                     DenseElementsAttr::get(accType, 0.0f));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v)
      init.push_back(zeroInit ? zero
                              : loadLanes(b, loc, accType, cMat,
                                          ValueRange{rowIdx[r], colIdx[v]},
                                          laneMask[v]));

  Value zeroIndex = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, zeroIndex, kSize, one, init,
      [&](OpBuilder &b, Location loc, Value k, ValueRange accs) {
        SmallVector<Value> bVecs;
        for (int64_t v = 0; v < vectors; ++v)
          bVecs.push_back(
              extendToF32(b, loc,
                          loadLanes(b, loc, bVecType, bMat,
                                    ValueRange{k, colIdx[v]}, laneMask[v])));
        SmallVector<Value> next(accs.begin(), accs.end());
        for (int64_t r = 0; r < rows; ++r) {
          SmallVector<Value> ivs(3);
          ivs[c.mDim] = rowIdx[r];
          ivs[c.kDim] = k;
          ivs[c.nDim] = zeroIndex;
          Value scalar = extendToF32(
              b, loc,
              memref::LoadOp::create(b, loc, a, operandIndices(aMap, ivs)));
          Value broadcast = vector::BroadcastOp::create(b, loc, accType, scalar);
          for (int64_t v = 0; v < vectors; ++v)
            next[r * vectors + v] = vector::FMAOp::create(
                b, loc, broadcast, bVecs[v], next[r * vectors + v]);
        }
        scf::YieldOp::create(b, loc, next);
      });
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v) {
      Value result = loop.getResult(r * vectors + v);
      SmallVector<Value, 2> indices = {rowIdx[r], colIdx[v]};
      if (laneMask[v])
        vector::MaskedStoreOp::create(b, loc, cMat, indices, laneMask[v],
                                      result);
      else
        vector::StoreOp::create(b, loc, result, cMat, indices);
    }
}

/// Rewrites the contraction; returns the zero fill it folded (and erased),
/// if any.
static Operation *vectorizeContraction(RewriterBase &rewriter,
                                       linalg::LinalgOp op,
                                       const Contraction &c,
                                       RegisterTile tile) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  linalg::FillOp fill = precedingZeroFill(op);
  bool zeroInit = static_cast<bool>(fill);
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
  Value mSize = getValueOrCreateConstantIndexOp(rewriter, loc, ranges[c.mDim].size);
  Value kSize = getValueOrCreateConstantIndexOp(rewriter, loc, ranges[c.kDim].size);
  Value rowsValue = arith::ConstantIndexOp::create(rewriter, loc, tile.rows);
  Value fullRows = arith::MulIOp::create(
      rewriter, loc,
      arith::DivUIOp::create(rewriter, loc, mSize, rowsValue), rowsValue);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);

  // A large contraction outside any parallel loop (e.g. a multi-head
  // projection) runs its row groups in parallel; tile ops inside the flash
  // work items stay sequential.
  SmallVector<int64_t> staticSizes = op.getStaticLoopRanges();
  bool nested = op->getParentOfType<scf::ForallOp>() ||
                op->getParentOfType<scf::ParallelOp>();
  bool parallelRows = !nested && !ShapedType::isDynamic(staticSizes[c.mDim]) &&
                      staticSizes[c.mDim] >= 8 * tile.rows &&
                      !ShapedType::isDynamic(staticSizes[c.kDim]) &&
                      staticSizes[c.mDim] * c.n * staticSizes[c.kDim] >=
                          (int64_t(1) << 20);
  int64_t chunk = tile.lanes * tile.vectors;
  // All column chunks of `rows` rows starting at `row`.
  auto emitRowGroup = [&](OpBuilder &b, Location loc, Value row,
                          int64_t rows) {
    for (int64_t col = 0; col < c.n; col += chunk)
      emitMicroKernel(
          b, loc, op, c, tile.lanes, rows,
          std::min(tile.vectors, (c.n - col + tile.lanes - 1) / tile.lanes),
          row, col, kSize, zeroInit);
  };
  if (parallelRows) {
    // Row groups are independent: one scf.parallel, run on OpenMP threads
    // by the pipeline, each iteration doing every column chunk.
    scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                            ValueRange{fullRows}, ValueRange{rowsValue},
                            [&](OpBuilder &b, Location loc, ValueRange rows) {
                              emitRowGroup(b, loc, rows[0], tile.rows);
                            });
    scf::ForOp::create(rewriter, loc, fullRows, mSize, one, ValueRange{},
                       [&](OpBuilder &b, Location loc, Value row, ValueRange) {
                         emitRowGroup(b, loc, row, 1);
                         scf::YieldOp::create(b, loc);
                       });
  } else {
    // Column chunk outermost: the chunk of B stays in L1 across row groups.
    for (int64_t col = 0; col < c.n; col += chunk) {
      int64_t vectors =
          std::min(tile.vectors, (c.n - col + tile.lanes - 1) / tile.lanes);
      scf::ForOp::create(
          rewriter, loc, zero, fullRows, rowsValue, ValueRange{},
          [&](OpBuilder &b, Location loc, Value row, ValueRange) {
            emitMicroKernel(b, loc, op, c, tile.lanes, tile.rows, vectors, row,
                            col, kSize, zeroInit);
            scf::YieldOp::create(b, loc);
          });
      scf::ForOp::create(
          rewriter, loc, fullRows, mSize, one, ValueRange{},
          [&](OpBuilder &b, Location loc, Value row, ValueRange) {
            emitMicroKernel(b, loc, op, c, tile.lanes, 1, vectors, row, col,
                            kSize, zeroInit);
            scf::YieldOp::create(b, loc);
          });
    }
  }
  return eraseContraction(rewriter, op, fill);
}

//===----------------------------------------------------------------------===//
// Dot-product micro-kernels: C[m, n] += sum_k A[m, k] * B[n, k]
//===----------------------------------------------------------------------===//

/// Matches C[m, n] += A[m, k] * B[n, k] on memrefs with f32 C, k static and
/// contiguous in A and B (attn-tile-flash's row-form Q K^T: a query row
/// times a key row). Returns the dims as a Contraction (n unused).
static std::optional<Contraction> matchDotContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() != 3 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap aMap = maps[0], bMap = maps[1], cMap = maps[2];
  for (AffineMap map : {aMap, bMap, cMap})
    if (!map.isProjectedPermutation() || map.getNumResults() != 2)
      return std::nullopt;
  Contraction c;
  c.mDim = cMap.getDimPosition(0);
  c.nDim = cMap.getDimPosition(1);
  c.kDim = 3 - c.mDim - c.nDim;
  if (c.mDim == c.nDim ||
      op.getIteratorTypesArray()[c.kDim] != utils::IteratorType::reduction ||
      aMap.getDimPosition(0) != c.mDim || aMap.getDimPosition(1) != c.kDim ||
      bMap.getDimPosition(0) != c.nDim || bMap.getDimPosition(1) != c.kDim)
    return std::nullopt;
  std::optional<std::array<MemRefType, 3>> types = contractionTypes(op);
  if (!types || !innermostContiguous((*types)[0]) ||
      !innermostContiguous((*types)[1]))
    return std::nullopt;
  if (ShapedType::isDynamic(op.getStaticLoopRanges()[c.kDim]))
    return std::nullopt;
  return c;
}

/// `rows` x `cols` dot products C[m0 + r, n0 + j] of length `k`: one
/// accumulator vector each, lanes-wide steps over k (the last one a masked
/// load), then a horizontal sum per accumulator.
static void emitDotKernel(OpBuilder &b, Location loc, linalg::LinalgOp op,
                          int64_t lanes, int64_t rows, int64_t cols,
                          Value rowBegin, Value colBegin, int64_t k,
                          bool zeroInit) {
  Value a = op.getDpsInputOperand(0)->get();
  Value bMat = op.getDpsInputOperand(1)->get();
  Value cMat = op.getDpsInitOperand(0)->get();
  auto accType = VectorType::get({lanes}, b.getF32Type());
  auto offset = [&](Value base, int64_t i) -> Value {
    return i == 0 ? base
                  : arith::AddIOp::create(
                        b, loc, base, arith::ConstantIndexOp::create(b, loc, i))
                        .getResult();
  };
  SmallVector<Value> rowIdx, colIdx;
  for (int64_t r = 0; r < rows; ++r)
    rowIdx.push_back(offset(rowBegin, r));
  for (int64_t j = 0; j < cols; ++j)
    colIdx.push_back(offset(colBegin, j));
  auto load = [&](OpBuilder &b, Value source, Value row, Value kk,
                  Value mask) -> Value {
    auto type = VectorType::get(
        {lanes}, cast<MemRefType>(source.getType()).getElementType());
    return extendToF32(
        b, loc, loadLanes(b, loc, type, source, ValueRange{row, kk}, mask));
  };
  // One lanes-wide step of every accumulator at `kk`.
  auto step = [&](OpBuilder &b, Value kk, Value mask, ValueRange accs) {
    SmallVector<Value> aVecs, next(accs.begin(), accs.end());
    for (int64_t r = 0; r < rows; ++r)
      aVecs.push_back(load(b, a, rowIdx[r], kk, mask));
    for (int64_t j = 0; j < cols; ++j) {
      Value bVec = load(b, bMat, colIdx[j], kk, mask);
      for (int64_t r = 0; r < rows; ++r)
        next[r * cols + j] =
            vector::FMAOp::create(b, loc, aVecs[r], bVec, next[r * cols + j]);
    }
    return next;
  };

  Value zero = arith::ConstantOp::create(b, loc, accType,
                                         DenseElementsAttr::get(accType, 0.0f));
  SmallVector<Value> accs(rows * cols, zero);
  const int64_t whole = k / lanes * lanes;
  if (whole > 0) {
    auto loop = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0),
        arith::ConstantIndexOp::create(b, loc, whole),
        arith::ConstantIndexOp::create(b, loc, lanes), accs,
        [&](OpBuilder &b, Location loc, Value kk, ValueRange iterArgs) {
          scf::YieldOp::create(b, loc, step(b, kk, Value(), iterArgs));
        });
    accs.assign(loop.getResults().begin(), loop.getResults().end());
  }
  if (whole < k) {
    Value mask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({lanes}, b.getI1Type()),
        ArrayRef<int64_t>{k - whole});
    accs = step(b, arith::ConstantIndexOp::create(b, loc, whole), mask, accs);
  }
  const arith::FastMathFlags reassoc = arith::FastMathFlags::reassoc;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j) {
      Value sum =
          vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                      accs[r * cols + j], Value(), reassoc);
      SmallVector<Value> idx = {rowIdx[r], colIdx[j]};
      if (!zeroInit)
        sum = arith::AddFOp::create(
            b, loc, memref::LoadOp::create(b, loc, cMat, idx), sum);
      memref::StoreOp::create(b, loc, sum, cMat, idx);
    }
}

/// Rewrites a dot contraction: groups of `tile.vectors` rows of A (held in
/// registers) times `tile.rows` rows of B, and the remainders one by one.
static Operation *vectorizeDotContraction(RewriterBase &rewriter,
                                          linalg::LinalgOp op,
                                          const Contraction &c,
                                          RegisterTile tile) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  linalg::FillOp fill = precedingZeroFill(op);
  bool zeroInit = static_cast<bool>(fill);
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
  Value mSize =
      getValueOrCreateConstantIndexOp(rewriter, loc, ranges[c.mDim].size);
  Value nSize =
      getValueOrCreateConstantIndexOp(rewriter, loc, ranges[c.nDim].size);
  const int64_t k = op.getStaticLoopRanges()[c.kDim];
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  // [0, whole multiple of `step`) in steps, then the rest one at a time.
  auto split =
      [&](OpBuilder &b, Location loc, Value size, int64_t step,
          function_ref<void(OpBuilder &, Location, Value, int64_t)> body) {
        Value stepValue = arith::ConstantIndexOp::create(b, loc, step);
        Value whole = arith::MulIOp::create(
            b, loc, arith::DivUIOp::create(b, loc, size, stepValue), stepValue);
        scf::ForOp::create(
            b, loc, zero, whole, stepValue, ValueRange{},
            [&](OpBuilder &b, Location loc, Value iv, ValueRange) {
              body(b, loc, iv, step);
              scf::YieldOp::create(b, loc);
            });
        if (step > 1)
          scf::ForOp::create(
              b, loc, whole, size, one, ValueRange{},
              [&](OpBuilder &b, Location loc, Value iv, ValueRange) {
                body(b, loc, iv, 1);
                scf::YieldOp::create(b, loc);
              });
      };
  split(rewriter, loc, mSize, tile.vectors,
        [&](OpBuilder &b, Location loc, Value row, int64_t rows) {
          split(b, loc, nSize, tile.rows,
                [&](OpBuilder &b, Location loc, Value col, int64_t cols) {
                  emitDotKernel(b, loc, op, tile.lanes, rows, cols, row, col, k,
                                zeroInit);
                });
        });
  return eraseContraction(rewriter, op, fill);
}

//===----------------------------------------------------------------------===//
// Innermost reductions: out[i] = combine(out[i], in[i, j]) over j
//===----------------------------------------------------------------------===//

/// The vector reduction kind of a body that only combines its input with
/// its output (addf or maximumf), if it is one.
static std::optional<vector::CombiningKind> innerCombiner(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (body->getOperations().size() != 2)
    return std::nullopt;
  Operation &combine = body->front();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1 ||
      yield.getOperand(0) != combine.getResult(0) ||
      combine.getNumOperands() != 2 ||
      !llvm::is_contained(combine.getOperands(), body->getArgument(0)) ||
      !llvm::is_contained(combine.getOperands(), body->getArgument(1)))
    return std::nullopt;
  if (isa<arith::AddFOp>(combine))
    return vector::CombiningKind::ADD;
  if (isa<arith::MaximumFOp>(combine))
    return vector::CombiningKind::MAXIMUMF;
  return std::nullopt;
}

/// Matches a reduction over the innermost loop (static, a multiple of
/// `lanes`, contiguous in the f32 input) into an f32 output that does not
/// use it, with an addf / maximumf body.
static std::optional<vector::CombiningKind>
matchInnerReduction(linalg::LinalgOp op, int64_t lanes) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() < 1 ||
      op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1)
    return std::nullopt;
  unsigned inner = op.getNumLoops() - 1;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < inner; ++d)
    if (iterators[d] != utils::IteratorType::parallel)
      return std::nullopt;
  if (iterators[inner] != utils::IteratorType::reduction)
    return std::nullopt;
  int64_t innerSize = op.getStaticLoopRanges()[inner];
  if (ShapedType::isDynamic(innerSize) || innerSize == 0 ||
      innerSize % lanes != 0)
    return std::nullopt;
  OpOperand *input = op.getDpsInputOperand(0);
  OpOperand *init = op.getDpsInitOperand(0);
  auto inType = dyn_cast<MemRefType>(input->get().getType());
  auto outType = dyn_cast<MemRefType>(init->get().getType());
  AffineMap inMap = op.getMatchingIndexingMap(input);
  AffineMap outMap = op.getMatchingIndexingMap(init);
  if (!inType || !outType || !inType.getElementType().isF32() ||
      !outType.getElementType().isF32() || !innermostContiguous(inType) ||
      !inMap.isProjectedPermutation() || !outMap.isProjectedPermutation() ||
      inMap.getNumResults() == 0 ||
      inMap.getDimPosition(inMap.getNumResults() - 1) != inner ||
      outMap.isFunctionOfDim(inner))
    return std::nullopt;
  return innerCombiner(op);
}

static void vectorizeInnerReduction(RewriterBase &rewriter, linalg::LinalgOp op,
                                    vector::CombiningKind kind, int64_t lanes) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
  const unsigned inner = ranges.size() - 1;
  SmallVector<Value> lbs, ubs, steps;
  for (unsigned d = 0; d < inner; ++d) {
    lbs.push_back(
        getValueOrCreateConstantIndexOp(rewriter, loc, ranges[d].offset));
    ubs.push_back(
        getValueOrCreateConstantIndexOp(rewriter, loc, ranges[d].size));
    steps.push_back(arith::ConstantIndexOp::create(rewriter, loc, 1));
  }
  const int64_t innerSize = op.getStaticLoopRanges()[inner];
  Value input = op.getDpsInputOperand(0)->get();
  Value output = op.getDpsInitOperand(0)->get();
  AffineMap inMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  auto type = VectorType::get({lanes}, rewriter.getF32Type());
  const bool isAdd = kind == vector::CombiningKind::ADD;
  auto combine = [&](OpBuilder &b, Value lhs, Value rhs) -> Value {
    if (isAdd)
      return arith::AddFOp::create(b, loc, lhs, rhs);
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  };
  scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps,
      [&](OpBuilder &b, Location loc, ValueRange outer) {
        float neutral = isAdd ? 0.0f : -std::numeric_limits<float>::infinity();
        Value start = arith::ConstantOp::create(
            b, loc, type, DenseElementsAttr::get(type, neutral));
        auto loop = scf::ForOp::create(
            b, loc, arith::ConstantIndexOp::create(b, loc, 0),
            arith::ConstantIndexOp::create(b, loc, innerSize),
            arith::ConstantIndexOp::create(b, loc, lanes), ValueRange{start},
            [&](OpBuilder &b, Location loc, Value j, ValueRange acc) {
              SmallVector<Value> ivs(outer.begin(), outer.end());
              ivs.push_back(j);
              Value chunk = vector::LoadOp::create(b, loc, type, input,
                                                   operandIndices(inMap, ivs));
              scf::YieldOp::create(b, loc, combine(b, acc[0], chunk));
            });
        SmallVector<Value> ivs(outer.begin(), outer.end());
        ivs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
        SmallVector<Value> outIdx = operandIndices(outMap, ivs);
        arith::FastMathFlags flags =
            isAdd ? arith::FastMathFlags::reassoc : arith::FastMathFlags::none;
        Value reduced = vector::ReductionOp::create(
            b, loc, kind, loop.getResult(0), Value(), flags);
        Value old = memref::LoadOp::create(b, loc, output, outIdx);
        memref::StoreOp::create(b, loc, combine(b, old, reduced), output,
                                outIdx);
      });
  rewriter.eraseOp(op);
}

//===----------------------------------------------------------------------===//
// Innermost-dim vectorization of elementwise / outer-reduction ops
//===----------------------------------------------------------------------===//

/// How one operand is accessed inside the vector body.
/// Vector: a contiguous vector load (or store); Gather: an input whose
/// innermost loop steps along another of its dims, one scalar load per
/// lane; Transposed: the input of a 2-D op read as the transpose of the
/// loops (the column form's mask tile, [query, key] under (key, query)
/// loops), loaded `lanes` x `lanes` at a time along its contiguous dim and
/// transposed in registers (rows past the last whole block are gathered);
/// Scalar: the same element for every lane; Value: not a memref.
enum class Access { Vector, Gather, Transposed, Scalar, Value };

/// Whether a `lanes` x `lanes` block of `element` transposes in registers
/// (16 lanes only): bytes (i1, i8) as one byte shuffle, f16 / bf16 widened
/// to 32-bit lanes, and those as convert-vector-to-llvm's shuffle16x16
/// lowering (4 shuffles per row on AVX-512); see loadTransposedBlock.
static bool transposesInRegisters(Type element, int64_t lanes) {
  if (lanes != 16)
    return false;
  if (element.isInteger(1) || element.isInteger(8) || element.isInteger(32))
    return true;
  return element.isF32() || element.isF16() || element.isBF16();
}

/// The bytes of an i1 memref. It holds one byte per element (its loads and
/// stores are of i1 through byte-strided addresses), but a vector<N x i1>
/// in memory is N bits; so its rows are loaded as vector<N x i8> through
/// the buffer's aligned pointer.
struct BoolBytes {
  Value base;                // aligned pointer + offset, as index
  SmallVector<Value> strides;

  BoolBytes(OpBuilder &b, Location loc, Value memref) {
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
    base = arith::AddIOp::create(
        b, loc, memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref),
        metadata.getOffset());
    llvm::append_range(strides, metadata.getStrides());
  }

  /// `lanes` contiguous bytes from `indices`.
  Value load(OpBuilder &b, Location loc, ValueRange indices,
             int64_t lanes) const {
    Value address = base;
    for (auto [index, stride] : llvm::zip(indices, strides))
      address = arith::AddIOp::create(
          b, loc, address, arith::MulIOp::create(b, loc, index, stride));
    Value ptr = LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()),
        arith::IndexCastOp::create(b, loc, b.getI64Type(), address)
            .getResult());
    return LLVM::LoadOp::create(b, loc,
                                VectorType::get({lanes}, b.getI8Type()), ptr,
                                /*alignment=*/1);
  }
};

/// Loads rows `ivs.back()`, `ivs.back()` + 1, ... of the transposed input
/// `memref` under `map` (each `lanes` contiguous elements along its last
/// dim), transposes the `lanes` x `lanes` block in registers and returns
/// its rows in the input's element type: row j holds column j of the
/// loaded block. Bytes (i1 as bytes, i8) transpose as one byte shuffle
/// (vpermi2b on AVX-512 VBMI, 8 per block); other elements as 32-bit
/// lanes, which convert-vector-to-llvm's shuffle16x16 lowering turns into
/// unpack and shuffle sequences (4 per row).
static SmallVector<Value> loadTransposedBlock(OpBuilder &b, Location loc,
                                              Value memref, AffineMap map,
                                              ValueRange ivs, int64_t lanes) {
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  const bool bytes = element.getIntOrFloatBitWidth() <= 8;
  Type wide = bytes                      ? Type(b.getI8Type())
              : isa<FloatType>(element) ? Type(b.getF32Type())
                                        : Type(b.getI32Type());
  auto rowType = VectorType::get({lanes}, wide);
  auto blockType = VectorType::get({lanes, lanes}, wide);
  Value block = ub::PoisonOp::create(b, loc, blockType);
  std::optional<BoolBytes> boolBytes;
  if (element.isInteger(1))
    boolBytes.emplace(b, loc, memref);
  SmallVector<Value> rowIvs(ivs.begin(), ivs.end());
  for (int64_t i = 0; i < lanes; ++i) {
    rowIvs.back() = arith::AddIOp::create(
        b, loc, ivs.back(), arith::ConstantIndexOp::create(b, loc, i));
    SmallVector<Value> indices = operandIndices(map, rowIvs);
    Value row;
    if (boolBytes) {
      row = boolBytes->load(b, loc, indices, lanes);
    } else {
      row = vector::LoadOp::create(b, loc, VectorType::get({lanes}, element),
                                   memref, indices);
      if (element != wide)
        row = isa<FloatType>(element)
                  ? arith::ExtFOp::create(b, loc, rowType, row).getResult()
                  : arith::ExtUIOp::create(b, loc, rowType, row).getResult();
    }
    block = vector::InsertOp::create(b, loc, row, block, i);
  }
  Value transposed;
  if (bytes) {
    auto flatType = VectorType::get({lanes * lanes}, wide);
    Value flat = vector::ShapeCastOp::create(b, loc, flatType, block);
    SmallVector<int64_t> order;
    for (int64_t i = 0; i < lanes; ++i)
      for (int64_t j = 0; j < lanes; ++j)
        order.push_back(j * lanes + i);
    transposed = vector::ShapeCastOp::create(
        b, loc, blockType,
        vector::ShuffleOp::create(b, loc, flat, flat, order));
  } else {
    transposed = vector::TransposeOp::create(b, loc, block, {1, 0});
  }
  SmallVector<Value> rows;
  auto narrowType = VectorType::get({lanes}, element);
  for (int64_t j = 0; j < lanes; ++j) {
    Value row = vector::ExtractOp::create(b, loc, transposed, j);
    if (element.isInteger(1))
      row = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::ne, row,
          arith::ConstantOp::create(
              b, loc, rowType,
              DenseElementsAttr::get(rowType, b.getI8IntegerAttr(0))));
    else if (element != wide)
      row = isa<FloatType>(element)
                ? arith::TruncFOp::create(b, loc, narrowType, row).getResult()
                : arith::TruncIOp::create(b, loc, narrowType, row).getResult();
    rows.push_back(row);
  }
  return rows;
}

static std::optional<SmallVector<Access>>
matchInnermost(linalg::LinalgOp op, int64_t lanes, int64_t &innerSize) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      isa<linalg::ContractionOpInterface>(op.getOperation()))
    return std::nullopt;
  unsigned inner = op.getNumLoops() - 1;
  if (op.getIteratorTypesArray()[inner] != utils::IteratorType::parallel)
    return std::nullopt;
  SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
  innerSize = loopSizes[inner];
  if (ShapedType::isDynamic(innerSize) || innerSize == 0)
    return std::nullopt;
  for (Operation &bodyOp : op.getBlock()->without_terminator()) {
    if (!isa<linalg::IndexOp>(bodyOp) && !matchPattern(&bodyOp, m_Constant()) &&
        !OpTrait::hasElementwiseMappableTraits(&bodyOp))
      return std::nullopt;
    for (Type type : bodyOp.getResultTypes())
      if (!type.isIntOrIndexOrFloat())
        return std::nullopt;
  }
  SmallVector<Access> accesses;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    AffineMap map = op.getMatchingIndexingMap(&operand);
    bool isInit = op.isDpsInit(&operand);
    if (!type) {
      if (isInit)
        return std::nullopt;
      accesses.push_back(Access::Value);
      continue;
    }
    if (!map.isProjectedPermutation())
      return std::nullopt;
    bool usesInner = map.isFunctionOfDim(inner);
    if (!usesInner) {
      if (isInit)
        return std::nullopt;
      accesses.push_back(Access::Scalar);
      continue;
    }
    if (!type.getElementType().isIntOrFloat())
      return std::nullopt;
    bool contiguous = map.getNumResults() > 0 &&
                      map.getDimPosition(map.getNumResults() - 1) == inner &&
                      innermostContiguous(type);
    if (!contiguous && isInit)
      return std::nullopt;
    // A transposed read of a 2-D op: loop 0 steps along the input's
    // contiguous last dim, the innermost loop along its first.
    Type element = type.getElementType();
    bool transposed = !contiguous && op.getNumLoops() == 2 &&
                      map.getNumResults() == 2 &&
                      map.getDimPosition(0) == inner &&
                      map.getDimPosition(1) == 0 && innermostContiguous(type) &&
                      transposesInRegisters(element, lanes) &&
                      innerSize % lanes == 0;
    // Other vector loads, stores and gathers need whole-byte elements (an
    // i1 memref holds one byte per element, a vector<Nxi1> would be stored
    // as bits). An input of whole bytes read along another dim is gathered
    // lane by lane.
    if (!transposed && element.getIntOrFloatBitWidth() % 8 != 0)
      return std::nullopt;
    accesses.push_back(contiguous   ? Access::Vector
                       : transposed ? Access::Transposed
                                    : Access::Gather);
  }
  // A last partial vector (masked loads and stores) is for contiguous
  // accesses only; gathered lanes past the end would read out of bounds.
  if (innerSize % lanes != 0 && llvm::is_contained(accesses, Access::Gather))
    return std::nullopt;
  return accesses;
}

static void vectorizeInnermost(RewriterBase &rewriter, linalg::LinalgOp op,
                               ArrayRef<Access> accesses, int64_t lanes) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
  const int64_t innerSize = op.getStaticLoopRanges().back();
  const int64_t whole = innerSize / lanes * lanes;
  SmallVector<Value> lbs, ubs, steps;
  for (auto [dim, range] : llvm::enumerate(ranges)) {
    const bool inner = dim + 1 == ranges.size();
    lbs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.offset));
    ubs.push_back(
        inner ? arith::ConstantIndexOp::create(rewriter, loc, whole).getResult()
              : getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
    steps.push_back(
        arith::ConstantIndexOp::create(rewriter, loc, inner ? lanes : 1));
  }
  auto vectorOf = [&](Type type) { return VectorType::get({lanes}, type); };

  // The body at `ivs` (innermost: the first of `lanes` columns); `mask`
  // limits the last partial vector's loads and stores.
  // `given`: per operand, its lanes when already loaded (a transposed
  // block's row), or null.
  auto emitBody =
      [&](OpBuilder &b, Location loc, ValueRange ivs, Value mask,
          ArrayRef<Value> given) {
        // Each body value has a scalar form (same for every lane) or a
        // vector form (varies across lanes); broadcasts of scalars are
        // created on demand and cached.
        IRMapping scalars;
        DenseMap<Value, Value> vectors, broadcasts;
        auto vectorForm = [&](Value value) -> Value {
          if (Value vector = vectors.lookup(value))
            return vector;
          if (Value cached = broadcasts.lookup(value))
            return cached;
          Value scalar = scalars.lookupOrDefault(value);
          Value broadcast = vector::BroadcastOp::create(
              b, loc, vectorOf(scalar.getType()), scalar);
          broadcasts[value] = broadcast;
          return broadcast;
        };
        Block *body = op.getBlock();
        for (auto [index, operand] : llvm::enumerate(op->getOpOperands())) {
          Value source = operand.get();
          Value arg = body->getArgument(index);
          if (accesses[index] == Access::Value) {
            scalars.map(arg, source);
            continue;
          }
          if (!given.empty() && given[index]) {
            vectors[arg] = given[index];
            continue;
          }
          SmallVector<Value> indices =
              operandIndices(op.getMatchingIndexingMap(&operand), ivs);
          if (accesses[index] == Access::Scalar) {
            scalars.map(arg, memref::LoadOp::create(b, loc, source, indices));
            continue;
          }
          Type element = cast<MemRefType>(source.getType()).getElementType();
          if (accesses[index] == Access::Gather ||
              accesses[index] == Access::Transposed) {
            SmallVector<Value> lanesIvs(ivs.begin(), ivs.end()), elements;
            for (int64_t lane = 0; lane < lanes; ++lane) {
              lanesIvs.back() =
                  lane == 0 ? ivs.back()
                            : arith::AddIOp::create(
                                  b, loc, ivs.back(),
                                  arith::ConstantIndexOp::create(b, loc, lane))
                                  .getResult();
              elements.push_back(memref::LoadOp::create(
                  b, loc, source,
                  operandIndices(op.getMatchingIndexingMap(&operand),
                                 lanesIvs)));
            }
            vectors[arg] = vector::FromElementsOp::create(
                b, loc, vectorOf(element), elements);
            continue;
          }
          vectors[arg] = loadLanes(b, loc, cast<VectorType>(vectorOf(element)),
                                   source, indices, mask);
        }
        for (Operation &bodyOp : body->without_terminator()) {
          // linalg.index: the loop iv, or for the innermost dim the vector
          // iv + [0, 1, ..., lanes - 1].
          if (auto index = dyn_cast<linalg::IndexOp>(bodyOp)) {
            Value iv = ivs[index.getDim()];
            if (index.getDim() + 1 == ivs.size()) {
              auto indexVector = vectorOf(b.getIndexType());
              Value step = vector::StepOp::create(b, loc, indexVector);
              vectors[index.getResult()] = arith::AddIOp::create(
                  b, loc, step,
                  vector::BroadcastOp::create(b, loc, indexVector, iv));
            } else {
              scalars.map(index.getResult(), iv);
            }
            continue;
          }
          bool anyVector = llvm::any_of(bodyOp.getOperands(), [&](Value v) {
            return vectors.contains(v);
          });
          if (!anyVector) {
            b.clone(bodyOp, scalars);
            continue;
          }
          IRMapping operands;
          for (Value operand : bodyOp.getOperands())
            operands.map(operand, vectorForm(operand));
          Operation *clone = b.clone(bodyOp, operands);
          for (auto [from, to] :
               llvm::zip(bodyOp.getResults(), clone->getResults())) {
            to.setType(vectorOf(to.getType()));
            vectors[from] = to;
          }
        }
        auto yield = cast<linalg::YieldOp>(body->getTerminator());
        for (auto [index, init] : llvm::enumerate(op.getDpsInitsMutable())) {
          Value value = vectorForm(yield.getOperand(index));
          SmallVector<Value> indices =
              operandIndices(op.getMatchingIndexingMap(&init), ivs);
          if (mask)
            vector::MaskedStoreOp::create(b, loc, init.get(), indices, mask,
                                          value);
          else
            vector::StoreOp::create(b, loc, value, init.get(), indices);
        }
      };
  if (llvm::is_contained(accesses, Access::Transposed)) {
    // Blocks of `lanes` rows (loop 0) transpose their transposed inputs in
    // registers; the rows past the last whole block gather them.
    Value lanesValue = arith::ConstantIndexOp::create(rewriter, loc, lanes);
    Value blocked = arith::MulIOp::create(
        rewriter, loc,
        arith::DivUIOp::create(rewriter, loc, ubs[0], lanesValue), lanesValue);
    scf::buildLoopNest(
        rewriter, loc, {lbs[0], lbs[1]}, {blocked, ubs[1]},
        {lanesValue, steps[1]},
        [&](OpBuilder &b, Location loc, ValueRange ivs) {
          SmallVector<SmallVector<Value>> blocks(accesses.size());
          for (auto [index, operand] : llvm::enumerate(op->getOpOperands()))
            if (accesses[index] == Access::Transposed)
              blocks[index] = loadTransposedBlock(
                  b, loc, operand.get(), op.getMatchingIndexingMap(&operand),
                  ivs, lanes);
          for (int64_t j = 0; j < lanes; ++j) {
            SmallVector<Value> given(accesses.size());
            for (auto [index, block] : llvm::enumerate(blocks))
              if (!block.empty())
                given[index] = block[j];
            Value row = arith::AddIOp::create(
                b, loc, ivs[0], arith::ConstantIndexOp::create(b, loc, j));
            emitBody(b, loc, {row, ivs[1]}, Value(), given);
          }
        });
    scf::buildLoopNest(rewriter, loc, {blocked, lbs[1]}, ubs, steps,
                       [&](OpBuilder &b, Location loc, ValueRange ivs) {
                         emitBody(b, loc, ivs, Value(), {});
                       });
    rewriter.eraseOp(op);
    return;
  }
  if (whole > 0)
    scf::buildLoopNest(rewriter, loc, lbs, ubs, steps,
                       [&](OpBuilder &b, Location loc, ValueRange ivs) {
                         emitBody(b, loc, ivs, Value(), {});
                       });
  if (whole < innerSize) {
    // The last partial vector of every outer position.
    SmallVector<Value> outerLbs(lbs.begin(), lbs.end() - 1),
        outerUbs(ranges.size() - 1), outerSteps(steps.begin(), steps.end() - 1);
    for (size_t dim = 0; dim + 1 < ranges.size(); ++dim)
      outerUbs[dim] = ubs[dim];
    scf::buildLoopNest(rewriter, loc, outerLbs, outerUbs, outerSteps,
                       [&](OpBuilder &b, Location loc, ValueRange outer) {
                         SmallVector<Value> ivs(outer.begin(), outer.end());
                         ivs.push_back(
                             arith::ConstantIndexOp::create(b, loc, whole));
                         Value mask = vector::ConstantMaskOp::create(
                             b, loc, VectorType::get({lanes}, b.getI1Type()),
                             ArrayRef<int64_t>{innerSize - whole});
                         emitBody(b, loc, ivs, mask, {});
                       });
  }
  rewriter.eraseOp(op);
}

//===----------------------------------------------------------------------===//
// exp2 approximation
//===----------------------------------------------------------------------===//

struct Exp2Approximation : public OpRewritePattern<math::Exp2Op> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::Exp2Op op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type || !type.getElementType().isF32() || type.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "not a 1-D f32 vector");
    Location loc = op.getLoc();
    auto splat = [&](float value) -> Value {
      return arith::ConstantOp::create(rewriter, loc, type,
                                       DenseElementsAttr::get(type, value));
    };
    auto intType = VectorType::get(type.getShape(), rewriter.getI32Type());
    Value x = op.getOperand();
    // 2^x = 2^k * 2^f, k = round(x), f in [-0.5, 0.5]; 2^128 overflows to
    // +inf as it should.
    Value low = splat(-127.0f);
    Value high = splat(128.0f);
    Value aboveLow = arith::MaximumFOp::create(rewriter, loc, x, low);
    Value clamped = arith::MinimumFOp::create(rewriter, loc, aboveLow, high);
    Value k = math::RoundEvenOp::create(rewriter, loc, clamped);
    Value f = arith::SubFOp::create(rewriter, loc, clamped, k);
    // Taylor coefficients of e^(f ln 2): error below 6e-9 on [-0.5, 0.5].
    const float coefficients[] = {1.525273380405984e-05f, 1.5403530393381606e-04f,
                                  1.3333558146428443e-03f, 9.618129107628477e-03f,
                                  5.550410866482158e-02f,  2.402265069591007e-01f,
                                  6.931471805599453e-01f,  1.0f};
    Value poly = splat(coefficients[0]);
    for (float coefficient : ArrayRef<float>(coefficients).drop_front())
      poly = math::FmaOp::create(rewriter, loc, poly, f, splat(coefficient));
    // 2^k as 2^(k-1) * 2 so that k = 128 (x in [127.5, 128)) stays finite.
    Value kInt = arith::FPToSIOp::create(rewriter, loc, intType, k);
    Value exponent = arith::AddIOp::create(
        rewriter, loc, kInt,
        arith::ConstantOp::create(rewriter, loc, intType,
                                  DenseElementsAttr::get(intType, int32_t(126))));
    Value bits = arith::ShLIOp::create(
        rewriter, loc, exponent,
        arith::ConstantOp::create(rewriter, loc, intType,
                                  DenseElementsAttr::get(intType, int32_t(23))));
    Value scale = arith::BitcastOp::create(rewriter, loc, type, bits);
    Value result = arith::MulFOp::create(
        rewriter, loc, arith::MulFOp::create(rewriter, loc, poly, splat(2.0f)),
        scale);
    Value tiny = arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OLT,
                                       x, splat(-126.0f));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, tiny, splat(0.0f), result);
    return success();
  }
};

struct VectorizeCPUPass
    : public attn::impl::VectorizeCPUPassBase<VectorizeCPUPass> {
  using Base::Base;

  /// The tile of ops without `attn.register_tile` (options or host).
  RegisterTile defaults{16, 6, 4};

  /// The register tile of `op`: its `attn.register_tile`, else the
  /// defaults; failure (with an error) when the tile is unusable.
  FailureOr<RegisterTile> tileFor(linalg::LinalgOp op) {
    RegisterTile tile = defaults;
    // Three values (the attn dialect's attribute verifier).
    if (auto attr = op->getAttrOfType<DenseI64ArrayAttr>(kRegisterTileAttrName);
        attr && attr.size() == 3)
      tile = {attr[0], attr[1], attr[2]};
    if (tile.lanes != 4 && tile.lanes != 8 && tile.lanes != 16)
      return op->emitOpError() << "register tile vector width must be 4, 8 "
                                  "or 16, got "
                               << tile.lanes;
    if (tile.rows < 1 || tile.vectors < 1 || tile.rows > 32 ||
        tile.vectors > 32 || tile.rows * tile.vectors + tile.vectors + 1 > 32)
      return op->emitOpError() << "register tile " << tile.rows << "x"
                               << tile.vectors
                               << " does not fit in 32 vector registers";
    return tile;
  }

  void runOnOperation() override {
    // Negative options are named as given, before anything is derived
    // from them.
    const StringRef optionNames[] = {"register-rows", "register-vectors"};
    const int64_t optionValues[] = {registerRows, registerVectors};
    for (auto [name, value] : llvm::zip(optionNames, optionValues))
      if (value < 0) {
        emitError(getOperation()->getLoc())
            << "attn-vectorize-cpu: " << name
            << " must be positive (or 0 for the host's), got " << value;
        return signalPassFailure();
      }
    int64_t width = vectorWidth, rows = registerRows, vectors = registerVectors;
    int64_t hostRegisters = 0;
    if (width == 0 || rows == 0 || vectors == 0) {
      // The host's vector width and the register tile the schedule policy
      // derives for it.
      CPUTargetInfo host = getHostCPUInfo();
      hostRegisters = host.vectorRegisters;
      int64_t lanes = host.vectorBits / 32;
      int64_t hostVectors = host.vectorRegisters == 32 ? 4 : 2;
      if (width == 0)
        width = lanes;
      if (vectors == 0)
        vectors = hostVectors;
      if (rows == 0)
        rows = std::min<int64_t>(
            8, (host.vectorRegisters - vectors - 1) / vectors);
    }
    if (width != 4 && width != 8 && width != 16) {
      emitError(getOperation()->getLoc())
          << "attn-vectorize-cpu: vector-width must be 4, 8 or 16, got "
          << width;
      return signalPassFailure();
    }
    if (registerRows == 0 && vectors >= 1 && rows < 1) {
      emitError(getOperation()->getLoc())
          << "attn-vectorize-cpu: register-vectors=" << vectors
          << " leaves no register row in the host's " << hostRegisters
          << " vector registers (rows x vectors + vectors + 1 must fit); "
             "give fewer, or register-rows too";
      return signalPassFailure();
    }
    assert(rows >= 1 && vectors >= 1 && "checked or derived above");
    defaults = {width, rows, vectors};
    // Contractions first, so that the zero fill before each is still there
    // to be folded into its accumulators.
    SmallVector<linalg::LinalgOp> contractions, others;
    getOperation()->walk([&](linalg::LinalgOp op) {
      (linalg::isaContractionOpInterface(op) ? contractions : others)
          .push_back(op);
    });
    IRRewriter rewriter(&getContext());
    DenseSet<Operation *> foldedFills;
    for (linalg::LinalgOp op : contractions) {
      FailureOr<RegisterTile> tile = tileFor(op);
      if (failed(tile))
        return signalPassFailure();
      if (std::optional<Contraction> c = matchContraction(op, tile->lanes)) {
        if (Operation *fill = vectorizeContraction(rewriter, op, *c, *tile))
          foldedFills.insert(fill);
      } else if (std::optional<Contraction> c = matchDotContraction(op)) {
        if (Operation *fill = vectorizeDotContraction(rewriter, op, *c, *tile))
          foldedFills.insert(fill);
      } else if (explain && op->hasAttr(kRegisterTileAttrName)) {
        // A flash tile op the micro-kernel cannot take: it stays correct
        // (scalar loops) but slow, so say so.
        op->emitRemark()
            << "attn-vectorize-cpu: contraction left to scalar loops: its "
               "vectorized dim (the query block or the value head dim) must be "
               "static and contiguous in memory, its inputs floats of at most "
               "32 bits";
      }
    }
    for (linalg::LinalgOp op : others) {
      if (foldedFills.contains(op.getOperation()))
        continue;
      FailureOr<RegisterTile> tile = tileFor(op);
      if (failed(tile))
        return signalPassFailure();
      int64_t innerSize = 0;
      if (auto accesses = matchInnermost(op, tile->lanes, innerSize))
        vectorizeInnermost(rewriter, op, *accesses, tile->lanes);
      else if (auto kind = matchInnerReduction(op, tile->lanes))
        vectorizeInnerReduction(rewriter, op, *kind, tile->lanes);
    }
    RewritePatternSet patterns(&getContext());
    populateExp2ApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::attn::populateExp2ApproximationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Exp2Approximation>(patterns.getContext());
}
