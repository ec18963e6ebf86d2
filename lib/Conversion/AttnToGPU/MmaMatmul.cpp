//===- MmaMatmul.cpp - a tensor-core matmul kernel ------------------------===//
//
// The kernel attn-host-to-gpu gives an f16/bf16 linalg.matmul with f32
// accumulation (the projections of a decomposed attn.multi_head): mma.sync
// m16n8k16 (sm_80 and later), a block of 4 warps per 64 x 64 tile of C.
//
//===----------------------------------------------------------------------===//

#include "AttnToGPU.h"
#include "MmaBuilder.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_lowering;

bool gpu_lowering::canUseMmaMatmul(Value a, Value b, Value c) {
  auto aType = dyn_cast<MemRefType>(a.getType());
  auto bType = dyn_cast<MemRefType>(b.getType());
  auto cType = dyn_cast<MemRefType>(c.getType());
  if (!aType || !bType || !cType || aType.getRank() != 2 ||
      bType.getRank() != 2 || cType.getRank() != 2)
    return false;
  Type element = aType.getElementType();
  if ((!element.isBF16() && !element.isF16()) ||
      bType.getElementType() != element || !cType.getElementType().isF32())
    return false;
  for (MemRefType type : {aType, bType, cType})
    if (!type.hasStaticShape() || !type.getLayout().isIdentity())
      return false;
  const int64_t m = aType.getDimSize(0), k = aType.getDimSize(1),
                n = bType.getDimSize(1);
  return m > 0 && n > 0 && k > 0 && k % 16 == 0 && n % 8 == 0 &&
         bType.getDimSize(0) == k && cType.getDimSize(0) == m &&
         cType.getDimSize(1) == n;
}

void gpu_lowering::buildMmaMatmul(OpBuilder &b, Location loc, Value a,
                                  Value bMatrix, Value c) {
  // C[M, N] += A[M, K] B[K, N] on mma.sync m16n8k16: a block of 4 warps
  // owns a 64 x 64 tile of C, each warp 16 rows x 8 n8 tiles; fragments
  // come straight from global memory (A as row pairs, B as column pairs),
  // rows and columns past the edges are clamped on load and not stored.
  auto aType = cast<MemRefType>(a.getType());
  auto bType = cast<MemRefType>(bMatrix.getType());
  const int64_t m = aType.getDimSize(0), k = aType.getDimSize(1),
                n = bType.getDimSize(1);
  Type element = aType.getElementType();
  constexpr int64_t kTile = 64, kWarps = 4;
  KernelBuilder hb{b, loc, element};
  Value one = hb.index(1);
  Value gridX = hb.index((n + kTile - 1) / kTile);
  Value gridY = hb.index((m + kTile - 1) / kTile);
  Value threads = hb.index(32 * kWarps);
  auto launch =
      gpu::LaunchOp::create(b, loc, gridX, gridY, one, threads, one, one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  KernelBuilder kb{b, loc, element};
  Value thread = launch.getThreadIds().x;
  Value warpSize = kb.index(32), quad = kb.index(4);
  Value warp = arith::DivUIOp::create(b, loc, thread, warpSize);
  Value lane = arith::RemUIOp::create(b, loc, thread, warpSize);
  Value g = arith::DivUIOp::create(b, loc, lane, quad);
  Value t = arith::RemUIOp::create(b, loc, lane, quad);
  Value twiceT = kb.mul(t, kb.index(2));
  Value tile = kb.index(kTile);
  Value rowBase = kb.mul(launch.getBlockIds().y, tile);
  Value warpRows = kb.mul(warp, kb.index(16));
  rowBase = kb.add(rowBase, warpRows);
  Value colBase = kb.mul(launch.getBlockIds().x, tile);
  Value lastRow = kb.index(m - 1), lastCol = kb.index(n - 1);
  Value rowCount = kb.index(m), colCount = kb.index(n);
  std::array<Value, 2> rows, safeRows;
  rows[0] = kb.add(rowBase, g);
  rows[1] = kb.addOffset(rows[0], 8);
  for (int r = 0; r < 2; ++r)
    safeRows[r] = kb.min(rows[r], lastRow);
  // Accumulators start from C (linalg.matmul accumulates).
  constexpr int64_t kTiles = kTile / 8;
  SmallVector<Value> columns, safeColumns;
  for (int64_t nt = 0; nt < kTiles; ++nt)
    for (int64_t i = 0; i < 2; ++i) {
      Value col = kb.addOffset(colBase, nt * 8);
      col = kb.add(col, twiceT);
      col = kb.addOffset(col, i);
      columns.push_back(col);
      safeColumns.push_back(kb.min(col, lastCol));
    }
  SmallVector<Value> inits;
  for (int64_t nt = 0; nt < kTiles; ++nt)
    for (int64_t e = 0; e < 4; ++e)
      inits.push_back(memref::LoadOp::create(
          b, loc, c, ValueRange{safeRows[e / 2], safeColumns[nt * 2 + e % 2]}));
  Value zero = kb.index(0), kEnd = kb.index(k), step = kb.index(16);
  auto loop = scf::ForOp::create(
      b, loc, zero, kEnd, step, inits,
      [&](OpBuilder &nb, Location nloc, Value k0, ValueRange acc) {
        KernelBuilder lb{nb, nloc, element};
        Value colLo = lb.add(k0, twiceT);
        Value colHi = lb.addOffset(colLo, 8);
        Fragment fragA = {lb.loadPair(a, ValueRange{safeRows[0], colLo}),
                          lb.loadPair(a, ValueRange{safeRows[1], colLo}),
                          lb.loadPair(a, ValueRange{safeRows[0], colHi}),
                          lb.loadPair(a, ValueRange{safeRows[1], colHi})};
        SmallVector<Value> next;
        for (int64_t nt = 0; nt < kTiles; ++nt) {
          // B fragment: rows k0 + 2t, 2t+1 (and + 8) of column g.
          Value col = lb.addOffset(colBase, nt * 8);
          col = lb.add(col, g);
          col = lb.min(col, lastCol);
          std::array<Value, 4> v;
          for (int64_t i = 0; i < 4; ++i) {
            Value row = lb.addOffset(colLo, (i / 2) * 8 + i % 2);
            v[i] =
                memref::LoadOp::create(nb, nloc, bMatrix, ValueRange{row, col});
          }
          Value b0 = lb.packElements(v[0], v[1]);
          Value b1 = lb.packElements(v[2], v[3]);
          SmallVector<Value> cValues(acc.begin() + nt * 4,
                                     acc.begin() + nt * 4 + 4);
          Fragment d = lb.mma(fragA, {b0, b1}, cValues);
          next.append(d.begin(), d.end());
        }
        scf::YieldOp::create(nb, nloc, next);
      });
  // Store the fragments inside the matrix.
  for (int64_t nt = 0; nt < kTiles; ++nt)
    for (int64_t e = 0; e < 4; ++e) {
      Value row = rows[e / 2], col = columns[nt * 2 + e % 2];
      Value rowOk = kb.less(row, rowCount);
      Value colOk = kb.less(col, colCount);
      Value inside = kb.andI(rowOk, colOk);
      auto ifOp = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
      OpBuilder::InsertionGuard ifGuard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      memref::StoreOp::create(b, loc, loop.getResult(nt * 4 + e), c,
                              ValueRange{row, col});
    }
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
}
