//===- AttnToGPUMma.cpp - attn.sdpa -> a tensor-core FlashAttention kernel ===//
//
// The FlashAttention-2 forward kernel on mma.sync (sm_80 and later):
//
//   * a block per (query block, query head, batch); a warp per 16 query
//     rows; causal blocks in reverse order so the longest run first;
//   * the warp's Q rows live in registers as m16n8k16 A fragments for the
//     whole kernel (loaded once, straight from global memory);
//   * K and V tiles of blockKV rows are staged in shared memory by the
//     whole block with 16-byte cp.async copies (rows padded by 8 elements
//     so the ldmatrix reads are free of bank conflicts); keys past the
//     visible range are zero-filled without reading memory;
//   * software pipeline: V of a key block lands while Q K^T and the
//     softmax run, the next K while P V runs (one buffer each, handed over
//     at the barrier after each wait);
//   * S = Q K^T per warp: blockKV/8 accumulator tiles (C fragments, f32);
//     scaled into the log2 domain, masked only on tiles the pattern, the
//     key range or an explicit mask make partial;
//   * online softmax per row in f32: each row spans the 4 lanes of a quad,
//     so the row max needs two xor-shuffles; the row sum stays lane-partial
//     until the end (the rescale factor is uniform across the row);
//   * P, converted to f16/bf16, is reused in registers as the A operand of
//     O += P V: two adjacent C fragments of S are one A fragment;
//   * O / l is written as pairs; the lse as (m + log2 l) ln 2.
//
// Fragment layouts (PTX ISA, mma.m16n8k16 with 16-bit multiplicands; lane
// = 4 g + t): A reg0 = row g, cols 2t..2t+1; reg1 = row g+8; reg2 = row g,
// cols 8+2t..; reg3 = row g+8, cols 8+2t... B reg0 = rows 2t..2t+1 of
// column g; reg1 = rows 8+2t... C c0,c1 = row g, cols 2t..2t+1; c2,c3 =
// row g+8.
//
//===----------------------------------------------------------------------===//

#include "AttnToGPU.h"

#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_lowering;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
/// Elements a lane copies per 16-byte global -> shared transfer.
constexpr int64_t kCopyElements = 8;
/// Padding (elements) of each shared-memory tile row: 16 bytes, so that
/// the 8 rows one fragment read touches start in different banks.
constexpr int64_t kRowPad = 8;

using Fragment = SmallVector<Value, 4>;

/// IR helpers of the kernel body. One op per statement: the IR order must
/// not depend on the C++ compiler's argument evaluation order.
struct KernelBuilder {
  OpBuilder &b;
  Location loc;
  Type element; ///< f16 or bf16

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value addOffset(Value x, int64_t c) {
    if (c == 0)
      return x;
    Value constant = index(c);
    return add(x, constant);
  }
  Value less(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, y);
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) { return arith::MaxNumFOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  /// 2^x with the hardware approximation (ex2.approx.ftz: exact 0 for -inf).
  Value exp2(Value x) {
    return LLVM::CallIntrinsicOp::create(
               b, loc, b.getF32Type(),
               b.getStringAttr("llvm.nvvm.ex2.approx.ftz.f32"), ValueRange{x})
        .getResult(0);
  }

  /// xor-shuffle within the warp.
  Value shuffleXor(Value v, int32_t offset) {
    Value offsetValue =
        arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(offset));
    Value width = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(32));
    return gpu::ShuffleOp::create(b, loc, v, offsetValue, width,
                                  gpu::ShuffleMode::XOR)
        .getShuffleResult();
  }

  VectorType pairType() { return VectorType::get({2}, element); }

  /// A 2-element vector as an mma.sync multiplicand register: i32 for bf16
  /// (what the NVVM op takes), vector<2xf16> for f16.
  Value toOperand(Value pair) {
    if (element.isF16())
      return pair;
    auto wordType = VectorType::get({1}, b.getI32Type());
    Value word = vector::BitCastOp::create(b, loc, wordType, pair);
    return vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0});
  }
  /// Two consecutive elements of the innermost dimension (4-byte aligned).
  Value loadPair(Value memref, ValueRange indices) {
    Value pair = vector::LoadOp::create(b, loc, pairType(), memref, indices,
                                        /*nontemporal=*/false,
                                        llvm::MaybeAlign(4));
    return toOperand(pair);
  }
  /// Two elements from anywhere.
  Value packElements(Value lo, Value hi) {
    Value pair =
        vector::FromElementsOp::create(b, loc, pairType(), ValueRange{lo, hi});
    return toOperand(pair);
  }
  /// Two f32 values rounded to the element type.
  Value packF32(Value lo, Value hi) {
    Value narrowLo = arith::TruncFOp::create(b, loc, element, lo);
    Value narrowHi = arith::TruncFOp::create(b, loc, element, hi);
    return packElements(narrowLo, narrowHi);
  }

  /// ldmatrix of `count` 8x8 matrices (rows 16 bytes) from the shared
  /// `tile`, lane l giving row l % 8 of matrix l / 8 at [row, column]; the
  /// result is one multiplicand register per matrix.
  SmallVector<Value> loadMatrices(Value tile, Value row, Value column,
                                  int64_t count, bool transpose) {
    auto resultType = VectorType::get({count, 2}, element);
    Value matrices = nvgpu::LdMatrixOp::create(
        b, loc, resultType, tile, ValueRange{row, column}, transpose, count);
    SmallVector<Value> registers;
    for (int64_t i = 0; i < count; ++i) {
      Value pair =
          vector::ExtractOp::create(b, loc, matrices, ArrayRef<int64_t>{i});
      registers.push_back(toOperand(pair));
    }
    return registers;
  }

  /// D = A B + C for one m16n8k16 step (f32 accumulators).
  Fragment mma(ArrayRef<Value> a, ArrayRef<Value> bOperands,
               ArrayRef<Value> c) {
    Type f32Type = b.getF32Type();
    auto resultType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), {f32Type, f32Type, f32Type, f32Type});
    NVVM::MMATypes ptxType =
        element.isF16() ? NVVM::MMATypes::f16 : NVVM::MMATypes::bf16;
    std::array<NVVM::MMATypes, 2> ptxTypes = {ptxType, ptxType};
    std::array<NVVM::MMALayout, 2> layouts = {NVVM::MMALayout::row,
                                              NVVM::MMALayout::col};
    std::array<int64_t, 3> shape = {16, 8, 16};
    Value result = NVVM::MmaOp::create(b, loc, resultType, a, bOperands, c,
                                       shape, std::nullopt, std::nullopt,
                                       ptxTypes, layouts);
    Fragment d;
    for (int64_t i = 0; i < 4; ++i)
      d.push_back(LLVM::ExtractValueOp::create(b, loc, result,
                                               ArrayRef<int64_t>{i}));
    return d;
  }
};

} // namespace

std::string gpu_lowering::mmaUnsupportedReason(SDPAOp op) {
  std::string reason;
  llvm::raw_string_ostream os(reason);
  Type element = op.getQueryType().getElementType();
  if (!element.isF16() && !element.isBF16()) {
    os << "element type " << element << " (tensor cores take f16 and bf16)";
    return reason;
  }
  if (op.getKeyType().getElementType() != element ||
      op.getValueType().getElementType() != element) {
    os << "query, key and value element types differ";
    return reason;
  }
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  if (headDim < 16 || headDim % 16 != 0 || headDim > 256) {
    os << "head dim " << headDim << " (needs a multiple of 16 from 16 to 256)";
    return reason;
  }
  if (valueDim < 16 || valueDim % 16 != 0 || valueDim > 256) {
    os << "value head dim " << valueDim
       << " (needs a multiple of 16 from 16 to 256)";
    return reason;
  }
  return reason;
}

int64_t gpu_lowering::mmaSharedBytes(SDPAOp op, int64_t blockKV) {
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  const int64_t elementBytes =
      op.getQueryType().getElementType().getIntOrFloatBitWidth() / 8;
  return blockKV * (headDim + kRowPad + valueDim + kRowPad) * elementBytes;
}

int64_t gpu_lowering::defaultMmaBlockKV(SDPAOp op, int64_t sharedLimit) {
  // Past head dim 128 the Q and O fragments alone take most of the 255
  // registers a thread may have: the smallest score tile spills least.
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  const int64_t largest = headDim > 128 || valueDim > 128 ? 16 : 64;
  for (int64_t blockKV = largest; blockKV >= 16; blockKV -= 16)
    if (mmaSharedBytes(op, blockKV) <= sharedLimit)
      return blockKV;
  return 0;
}

LogicalResult gpu_lowering::lowerToMmaKernel(RewriterBase &rewriter,
                                             SDPAOp op, int64_t blockQ,
                                             int64_t blockKV) {
  RankedTensorType queryType = op.getQueryType(), keyType = op.getKeyType(),
                   valueType = op.getValueType();
  const int64_t batch = queryType.getDimSize(0);
  const int64_t heads = queryType.getDimSize(1);
  const int64_t querySeq = queryType.getDimSize(2);
  const int64_t headDim = queryType.getDimSize(3);
  const int64_t keySeq = keyType.getDimSize(2);
  const int64_t valueDim = valueType.getDimSize(3);
  const int64_t group = op.getGroupSize();
  const int64_t warps = blockQ / 16;
  const int64_t threads = warps * 32;
  const int64_t numQueryBlocks = (querySeq + blockQ - 1) / blockQ;
  const int64_t keyTiles = blockKV / 8;   // n8 tiles of S per warp
  const int64_t keyChunks = blockKV / 16; // k16 steps of P V
  const int64_t valueTiles = valueDim / 8; // n8 tiles of O per warp
  const int64_t headChunks = headDim / 16; // k16 steps of Q K^T
  auto pattern = op.getPatternAttr();
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Type element = queryType.getElementType();
  rewriter.setInsertionPoint(op);

  SDPABuffers buffers = createSDPABuffers(rewriter, op, std::nullopt);
  Value query = buffers.query, key = buffers.key, value = buffers.value;
  Value mask = buffers.mask, keyLengths = buffers.keyLengths;
  Value output = buffers.output, lse = buffers.lse;
  if (batch * heads * querySeq == 0) {
    // Nothing to compute (and a grid with a zero dimension is invalid).
    replaceWithSDPABuffers(rewriter, op, buffers);
    return success();
  }

  // Both tiles live in dynamic shared memory, which the NVVM lowering
  // aligns to 16 bytes (static attributions get only the element's
  // alignment, too little for the 16-byte copies).
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto keyTileType =
      MemRefType::get({blockKV, headDim + kRowPad}, element,
                      MemRefLayoutAttrInterface(), workgroup);
  auto valueTileType =
      MemRefType::get({blockKV, valueDim + kRowPad}, element,
                      MemRefLayoutAttrInterface(), workgroup);
  const int64_t elementBytes = element.getIntOrFloatBitWidth() / 8;
  const int64_t keyTileBytes = blockKV * (headDim + kRowPad) * elementBytes;
  KernelBuilder hb{rewriter, loc, element};
  Value one = hb.index(1);
  Value gridX = hb.index(numQueryBlocks);
  Value gridY = hb.index(heads);
  Value gridZ = hb.index(batch);
  Value blockX = hb.index(threads);
  Value sharedBytes = arith::ConstantOp::create(
      rewriter, loc,
      rewriter.getI32IntegerAttr(mmaSharedBytes(op, blockKV)));
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, gridX, gridY, gridZ, blockX, one, one, sharedBytes,
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{},
      /*workgroupAttributions=*/TypeRange{},
      /*privateAttributions=*/TypeRange{});

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&launch.getBody().front());
  OpBuilder &b = rewriter;
  KernelBuilder kb{b, loc, element};
  auto bytesType = MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                   MemRefLayoutAttrInterface(), workgroup);
  Value shared = gpu::DynamicSharedMemoryOp::create(b, loc, bytesType);
  Value keyOffset = kb.index(0);
  Value valueOffset = kb.index(keyTileBytes);
  Value keyTile = memref::ViewOp::create(b, loc, keyTileType, shared,
                                         keyOffset, ValueRange{});
  Value valueTile = memref::ViewOp::create(b, loc, valueTileType, shared,
                                           valueOffset, ValueRange{});
  Value headIdx = launch.getBlockIds().y, batchIdx = launch.getBlockIds().z;
  Value thread = launch.getThreadIds().x;
  // Causal blocks see more keys the later they lie: start those first.
  Value blockIdx = launch.getBlockIds().x;
  if (pattern) {
    Value last = kb.index(numQueryBlocks - 1);
    blockIdx = arith::SubIOp::create(b, loc, last, blockIdx);
  }
  Value zero = kb.index(0);
  Value querySeqLen = kb.index(querySeq), keySeqLen = kb.index(keySeq);
  Value lastQuery = kb.index(querySeq - 1);
  Value lastKey = kb.index(std::max<int64_t>(keySeq - 1, 0));
  Value blockQValue = kb.index(blockQ);
  Value queryBegin = kb.mul(blockIdx, blockQValue);
  Value queryBlockEnd = kb.add(queryBegin, blockQValue);
  Value queryEnd = kb.min(queryBlockEnd, querySeqLen);
  Value warpSize = kb.index(32);
  Value quadSize = kb.index(4);
  Value warp = arith::DivUIOp::create(b, loc, thread, warpSize);
  Value lane = arith::RemUIOp::create(b, loc, thread, warpSize);
  Value laneGroup = arith::DivUIOp::create(b, loc, lane, quadSize); // g
  Value laneInQuad = arith::RemUIOp::create(b, loc, lane, quadSize); // t
  Value twiceT = kb.mul(laneInQuad, kb.index(2));
  // ldmatrix lane addresses: row lane % 8 of matrix lane / 8.
  Value eight = kb.index(8);
  Value matrix = arith::DivUIOp::create(b, loc, lane, eight);
  Value matrixRow = arith::RemUIOp::create(b, loc, lane, eight);
  Value matrixColumn4 = kb.mul(matrix, eight); // x4: 8 columns per matrix
  Value two = kb.index(2);
  Value matrixMod2 = arith::RemUIOp::create(b, loc, matrix, two);
  Value matrixColumn2 = kb.mul(matrixMod2, eight); // x2 (lanes 16+ unused)
  // Value tiles (transposed): matrix m covers keys (m % 2) * 8 and value
  // columns (m / 2) * 8.
  Value matrixMod2Rows = kb.mul(matrixMod2, eight);
  Value valueMatrixRow = kb.add(matrixMod2Rows, matrixRow);
  Value matrixDiv2 = arith::DivUIOp::create(b, loc, matrix, two);
  Value valueMatrixColumn = kb.mul(matrixDiv2, eight);
  Value warpRows = kb.mul(warp, kb.index(16));
  Value warpBegin = kb.add(queryBegin, warpRows);
  // The two query rows of this lane: g and g + 8 of the warp's 16.
  std::array<Value, 2> rows, safeRows, rowValid;
  rows[0] = kb.add(warpBegin, laneGroup);
  rows[1] = kb.addOffset(rows[0], 8);
  for (int r = 0; r < 2; ++r) {
    rowValid[r] = kb.less(rows[r], querySeqLen);
    // Rows past the end compute on the last row and store nothing.
    safeRows[r] = kb.min(rows[r], lastQuery);
  }
  Value kvHead = headIdx;
  if (group != 1) {
    Value groupValue = kb.index(group);
    kvHead = arith::DivUIOp::create(b, loc, headIdx, groupValue);
  }

  // Q fragments, once: A operands of every Q K^T step.
  SmallVector<Fragment> queryFragments;
  for (int64_t kk = 0; kk < headChunks; ++kk) {
    Value colLo = kb.addOffset(twiceT, kk * 16);
    Value colHi = kb.addOffset(twiceT, kk * 16 + 8);
    Fragment fragment;
    fragment.push_back(kb.loadPair(
        query, ValueRange{batchIdx, headIdx, safeRows[0], colLo}));
    fragment.push_back(kb.loadPair(
        query, ValueRange{batchIdx, headIdx, safeRows[1], colLo}));
    fragment.push_back(kb.loadPair(
        query, ValueRange{batchIdx, headIdx, safeRows[0], colHi}));
    fragment.push_back(kb.loadPair(
        query, ValueRange{batchIdx, headIdx, safeRows[1], colHi}));
    queryFragments.push_back(fragment);
  }

  // Keys visible to some row of the block, clipped by the key length.
  Value keyBegin = zero, keyEnd = keySeqLen;
  if (pattern) {
    auto range = pattern.buildVisibleKeyRange(b, loc, queryBegin, queryEnd,
                                              querySeqLen, keySeqLen);
    keyBegin = range.first;
    keyEnd = range.second;
  }
  if (keyLengths) {
    Value raw = memref::LoadOp::create(b, loc, keyLengths, batchIdx);
    Value length = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
    length = arith::MaxSIOp::create(b, loc, length, zero);
    keyEnd = kb.min(keyEnd, length);
  }

  const double scoreScale = op.getEffectiveScale() * M_LOG2E;
  Value negInf = kb.f32(kNegInf);
  Value f32Zero = kb.f32(0.0);
  // Loop state: running max and lane-partial sum of both rows, then the O
  // accumulator fragments.
  SmallVector<Value> inits = {negInf, negInf, f32Zero, f32Zero};
  for (int64_t i = 0; i < valueTiles * 4; ++i)
    inits.push_back(f32Zero);
  Value kvStep = kb.index(blockKV);

  // Starts copying rows [kvBegin, kvBegin + blockKV) of `source` into
  // `tile` with cp.async (16 bytes per lane and transfer, L1 bypassed);
  // rows at or past keyEnd are zero-filled without reading global memory.
  // Returns the committed group's token.
  auto stageTile = [&](KernelBuilder &lb, Value kvBegin, Value source,
                       Value tile, int64_t width) -> Value {
    const int64_t chunksPerRow = width / kCopyElements;
    const int64_t chunks = blockKV * chunksPerRow;
    const int64_t rounds = (chunks + threads - 1) / threads;
    Value chunksPerRowValue = lb.index(chunksPerRow);
    Value copyElements = lb.index(kCopyElements);
    Value noElements = lb.index(0);
    // When a round covers whole rows, lane l copies the same column in
    // every round and the row advances by a constant: the addresses are one
    // base plus immediates.
    const bool wholeRows = threads % chunksPerRow == 0;
    Value laneRow = arith::DivUIOp::create(lb.b, lb.loc, thread,
                                           chunksPerRowValue);
    Value laneChunk = arith::RemUIOp::create(lb.b, lb.loc, thread,
                                             chunksPerRowValue);
    Value laneColumn = lb.mul(laneChunk, copyElements);
    auto tokenType = nvgpu::DeviceAsyncTokenType::get(lb.b.getContext());
    SmallVector<Value> tokens;
    for (int64_t round = 0; round < rounds; ++round) {
      Value row, column;
      if (wholeRows && chunks % threads == 0) {
        row = lb.addOffset(laneRow, round * (threads / chunksPerRow));
        column = laneColumn;
      } else {
        Value chunk = lb.addOffset(thread, round * threads);
        if ((round + 1) * threads > chunks) {
          // The last round is partial: extra lanes redo the last chunk.
          Value lastChunk = lb.index(chunks - 1);
          chunk = lb.min(chunk, lastChunk);
        }
        row = arith::DivUIOp::create(lb.b, lb.loc, chunk, chunksPerRowValue);
        column = arith::RemUIOp::create(lb.b, lb.loc, chunk, chunksPerRowValue);
        column = lb.mul(column, copyElements);
      }
      Value keyIdx = lb.add(kvBegin, row);
      Value visible = lb.less(keyIdx, keyEnd);
      Value safeKey = lb.min(keyIdx, lastKey);
      Value sourceElements = lb.select(visible, copyElements, noElements);
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          lb.b, lb.loc, tokenType, tile, ValueRange{row, column}, source,
          ValueRange{batchIdx, kvHead, safeKey, column},
          lb.b.getIndexAttr(kCopyElements), sourceElements,
          lb.b.getUnitAttr()));
    }
    return nvgpu::DeviceAsyncCreateGroupOp::create(lb.b, lb.loc, tokenType,
                                                   tokens);
  };
  // Waits for this lane's copies of `group`, then for everyone's.
  auto awaitTile = [&](KernelBuilder &lb, Value group) {
    nvgpu::DeviceAsyncWaitOp::create(lb.b, lb.loc, group,
                                     lb.b.getI32IntegerAttr(0));
    gpu::BarrierOp::create(lb.b, lb.loc);
  };

  // Software pipeline (FlashAttention-2 on sm_80): the V tile of a block
  // lands while Q K^T and the softmax run, the next K tile while P V runs.
  // Each tile is waited for (and its buffer handed over) at a barrier.
  Value firstKeys = stageTile(kb, keyBegin, key, keyTile, headDim);
  inits.push_back(firstKeys);
  auto loop = scf::ForOp::create(
      b, loc, keyBegin, keyEnd, kvStep, inits,
      [&](OpBuilder &nb, Location nloc, Value kvBegin, ValueRange state) {
        KernelBuilder lb{nb, nloc, element};
        // K of this block is in; every warp is done with the previous V.
        awaitTile(lb, state.back());
        Value valuesLanded = stageTile(lb, kvBegin, value, valueTile,
                                       valueDim);

        // S = Q K^T, then into the log2 domain. ldmatrix.x4 reads the B
        // registers of two k16 steps of one key tile: matrix i is rows
        // nt*8..+7, columns kk*16 + 8i..+7 (lane l addresses row l % 8 of
        // matrix l / 8); an odd last step takes an x2.
        Value scale = lb.f32(scoreScale);
        SmallVector<Value> scores; // keyTiles x 4, C-fragment order
        for (int64_t nt = 0; nt < keyTiles; ++nt) {
          Value tileRow = lb.addOffset(matrixRow, nt * 8);
          Fragment acc = {f32Zero, f32Zero, f32Zero, f32Zero};
          for (int64_t kk = 0; kk < headChunks; kk += 2) {
            int64_t count = kk + 1 < headChunks ? 4 : 2;
            Value column = lb.addOffset(count == 4 ? matrixColumn4
                                                   : matrixColumn2,
                                        kk * 16);
            SmallVector<Value> keyRegs = lb.loadMatrices(
                keyTile, tileRow, column, count, /*transpose=*/false);
            acc = lb.mma(queryFragments[kk], {keyRegs[0], keyRegs[1]}, acc);
            if (count == 4)
              acc = lb.mma(queryFragments[kk + 1], {keyRegs[2], keyRegs[3]},
                           acc);
          }
          for (Value s : acc)
            scores.push_back(lb.fmul(s, scale));
        }

        // Mask the tile unless every row of the block sees every key.
        Value kvTileEnd = lb.add(kvBegin, kvStep);
        Value full = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sle,
                                           kvTileEnd, keyEnd);
        if (pattern) {
          Value patternFull = pattern.buildIsTileFull(
              nb, nloc, queryBegin, queryEnd, kvBegin, kvTileEnd, querySeqLen,
              keySeqLen);
          full = lb.andI(full, patternFull);
        }
        if (mask)
          full = arith::ConstantOp::create(nb, nloc, nb.getBoolAttr(false));
        SmallVector<Type> scoreTypes(scores.size(), nb.getF32Type());
        auto maskIf = scf::IfOp::create(nb, nloc, scoreTypes, full,
                                        /*withElse=*/true);
        {
          OpBuilder::InsertionGuard ifGuard(nb);
          nb.setInsertionPointToStart(&maskIf.getThenRegion().front());
          scf::YieldOp::create(nb, nloc, scores);
          nb.setInsertionPointToStart(&maskIf.getElseRegion().front());
          KernelBuilder mb{nb, nloc, element};
          Value keyBase = mb.add(kvBegin, twiceT);
          SmallVector<Value> masked;
          for (int64_t nt = 0; nt < keyTiles; ++nt) {
            for (int64_t e = 0; e < 4; ++e) {
              Value row = safeRows[e / 2];
              Value keyIdx = mb.addOffset(keyBase, nt * 8 + (e % 2));
              Value score = scores[nt * 4 + e];
              Value keep = mb.less(keyIdx, keyEnd);
              if (pattern) {
                Value visible = pattern.buildKeyVisible(
                    nb, nloc, row, keyIdx, querySeqLen, keySeqLen);
                keep = mb.andI(keep, visible);
              }
              if (mask) {
                auto maskType = cast<MemRefType>(mask.getType());
                Value maskBatch =
                    maskType.getDimSize(0) == 1 ? zero : batchIdx;
                Value maskHead = maskType.getDimSize(1) == 1 ? zero : headIdx;
                Value safeKey = mb.min(keyIdx, lastKey);
                Value m = memref::LoadOp::create(
                    nb, nloc, mask,
                    ValueRange{maskBatch, maskHead, row, safeKey});
                if (m.getType().isInteger(1)) {
                  keep = mb.andI(keep, m);
                } else {
                  Value bias = buildLog2MaskBias(nb, nloc, m);
                  score = mb.fadd(score, bias);
                }
              }
              masked.push_back(mb.select(keep, score, negInf));
            }
          }
          scf::YieldOp::create(nb, nloc, masked);
        }
        ValueRange maskedScores = maskIf.getResults();

        // Online softmax: row max over the quad, rescale, exponentiate.
        std::array<Value, 2> rowMax, offsets, rescale, rowSum;
        for (int r = 0; r < 2; ++r) {
          Value localMax = state[r];
          for (int64_t nt = 0; nt < keyTiles; ++nt)
            for (int64_t e = 2 * r; e < 2 * r + 2; ++e)
              localMax = lb.fmax(localMax, maskedScores[nt * 4 + e]);
          Value across1 = lb.shuffleXor(localMax, 1);
          localMax = lb.fmax(localMax, across1);
          Value across2 = lb.shuffleXor(localMax, 2);
          rowMax[r] = lb.fmax(localMax, across2);
          Value isEmpty = arith::CmpFOp::create(
              nb, nloc, arith::CmpFPredicate::OEQ, rowMax[r], negInf);
          offsets[r] = lb.select(isEmpty, f32Zero, rowMax[r]);
          Value shift = lb.fsub(state[r], offsets[r]);
          rescale[r] = lb.exp2(shift);
          rowSum[r] = lb.fmul(state[2 + r], rescale[r]);
        }
        SmallVector<Value> probabilities;
        for (int64_t nt = 0; nt < keyTiles; ++nt) {
          for (int64_t e = 0; e < 4; ++e) {
            Value shifted = lb.fsub(maskedScores[nt * 4 + e], offsets[e / 2]);
            Value p = lb.exp2(shifted);
            rowSum[e / 2] = lb.fadd(rowSum[e / 2], p);
            probabilities.push_back(p);
          }
        }
        SmallVector<Value> accumulators;
        for (int64_t i = 0; i < valueTiles * 4; ++i)
          accumulators.push_back(lb.fmul(state[4 + i], rescale[(i % 4) / 2]));

        // V of this block is in; every warp is done with this K, so the
        // next one may land (zero-filled past the visible keys).
        awaitTile(lb, valuesLanded);
        Value nextBegin = lb.add(kvBegin, kvStep);
        Value nextKeys = stageTile(lb, nextBegin, key, keyTile, headDim);

        // O += P V: two adjacent S tiles form one A fragment.
        for (int64_t kc = 0; kc < keyChunks; ++kc) {
          auto p = [&](int64_t tile, int64_t e) {
            return probabilities[tile * 4 + e];
          };
          Fragment a = {lb.packF32(p(2 * kc, 0), p(2 * kc, 1)),
                        lb.packF32(p(2 * kc, 2), p(2 * kc, 3)),
                        lb.packF32(p(2 * kc + 1, 0), p(2 * kc + 1, 1)),
                        lb.packF32(p(2 * kc + 1, 2), p(2 * kc + 1, 3))};
          // ldmatrix.x4.trans: matrices 0, 1 = keys kc*16 + 0..7, 8..15 of
          // value columns nv*8..+7, matrices 2, 3 the same for nv + 1.
          Value keyRow = lb.addOffset(valueMatrixRow, kc * 16);
          for (int64_t nv = 0; nv < valueTiles; nv += 2) {
            Value column = lb.addOffset(valueMatrixColumn, nv * 8);
            SmallVector<Value> valueRegs = lb.loadMatrices(
                valueTile, keyRow, column, 4, /*transpose=*/true);
            for (int64_t half = 0; half < 2; ++half) {
              ArrayRef<Value> c(accumulators.begin() + (nv + half) * 4, 4);
              Fragment d = lb.mma(
                  a, {valueRegs[2 * half], valueRegs[2 * half + 1]}, c);
              for (int64_t i = 0; i < 4; ++i)
                accumulators[(nv + half) * 4 + i] = d[i];
            }
          }
        }
        SmallVector<Value> next = {rowMax[0], rowMax[1], rowSum[0],
                                   rowSum[1]};
        next.append(accumulators);
        next.push_back(nextKeys);
        scf::YieldOp::create(nb, nloc, next);
      });

  // No copy may be in flight when the block exits.
  nvgpu::DeviceAsyncWaitOp::create(b, loc, loop.getResults().back(),
                                   b.getI32IntegerAttr(0));

  // Epilogue: full row sums, O / l, the lse.
  ValueRange final = loop.getResults();
  Value zeroF = f32Zero;
  Value oneF = kb.f32(1.0);
  for (int r = 0; r < 2; ++r) {
    Value sum = final[2 + r];
    Value across1 = kb.shuffleXor(sum, 1);
    sum = kb.fadd(sum, across1);
    Value across2 = kb.shuffleXor(sum, 2);
    sum = kb.fadd(sum, across2);
    Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, sum,
                                        zeroF);
    Value reciprocal = arith::DivFOp::create(b, loc, oneF, sum);
    Value inverse = kb.select(empty, zeroF, reciprocal);
    auto ifOp = scf::IfOp::create(b, loc, rowValid[r], /*withElse=*/false);
    OpBuilder::InsertionGuard ifGuard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    for (int64_t nv = 0; nv < valueTiles; ++nv) {
      Value lo = kb.fmul(final[4 + nv * 4 + 2 * r], inverse);
      Value hi = kb.fmul(final[4 + nv * 4 + 2 * r + 1], inverse);
      Value narrowLo = arith::TruncFOp::create(b, loc, element, lo);
      Value narrowHi = arith::TruncFOp::create(b, loc, element, hi);
      Value pair = vector::FromElementsOp::create(b, loc, kb.pairType(),
                                                  ValueRange{narrowLo, narrowHi});
      Value column = kb.addOffset(twiceT, nv * 8);
      vector::StoreOp::create(b, loc, pair, output,
                              ValueRange{batchIdx, headIdx, rows[r], column},
                              /*nontemporal=*/false, llvm::MaybeAlign(4));
    }
    if (lse) {
      Value firstOfQuad = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, laneInQuad, zero);
      auto lseIf = scf::IfOp::create(b, loc, firstOfQuad, /*withElse=*/false);
      b.setInsertionPointToStart(&lseIf.getThenRegion().front());
      Value log2Sum = math::Log2Op::create(b, loc, sum);
      Value total = kb.fadd(final[r], log2Sum);
      Value ln2 = kb.f32(M_LN2);
      Value natural = kb.fmul(total, ln2);
      Value result = kb.select(empty, negInf, natural);
      memref::StoreOp::create(b, loc, result, lse,
                              ValueRange{batchIdx, headIdx, rows[r]});
    }
  }
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPoint(op);
  replaceWithSDPABuffers(rewriter, op, buffers);
  return success();
}
