//===- AttnToGPUMma.cpp - attn.sdpa -> a tensor-core FlashAttention kernel ===//
//
// The FlashAttention-2 forward kernel on mma.sync (sm_80 and later):
//
//   * a block per (query block, query head, batch); a warp per 16 query
//     rows (or 32: two 16-row MMA tiles, warp_rows); causal blocks in
//     reverse order so the longest run first; for short queries with
//     grouped heads (decode with GQA) a block per (row block, KV head,
//     batch) instead, its rows the group's query heads stacked
//     (packsQueryHeads), so each K/V tile serves the whole group;
//   * with 16 rows per warp, the warp's Q rows live in registers as
//     m16n8k16 A fragments for the whole kernel (loaded once from global
//     memory), or past head dim 128, where O needs the registers, each lane
//     parks its fragments in shared memory and reloads one per k16 step
//     (16 bytes); with 32, Q is staged in shared memory and read with
//     ldmatrix at every k16 step, so each K/V fragment feeds two MMAs;
//   * K and V tiles of blockKV rows are staged in shared memory by the
//     whole block with 16-byte cp.async copies (rows padded by 8 elements
//     so the ldmatrix reads are free of bank conflicts); keys past the
//     visible range are zero-filled without reading memory;
//   * software pipeline: V of a key block lands while Q K^T and the
//     softmax run, the next K while P V runs (one buffer each, handed over
//     at the barrier after each wait);
//   * S = Q K^T per warp: blockKV/8 accumulator tiles (C fragments, f32),
//     in the log2 domain (scale * log2 e), masked only on tiles the pattern,
//     the key range or an explicit mask make partial: there each row's keys (a
//     pattern's buildRowKeyRange, cut by the key range) become tile columns
//     [lo, hi) in i32, two compares per score against a constant;
//   * online softmax per row in f32: each row spans the 4 lanes of a quad,
//     so the row max needs two xor-shuffles; the row sum stays lane-partial
//     until the end (the rescale factor is uniform across the row); a
//     positive scale waits for the exponent, ex2(fma(s, scale, -m)); a
//     lane rescales O only when the (log2-domain) max of one of its rows
//     grew by more than 8 (else the old maxima stay, for O, l and the lse
//     alike, and P is at most 2^8);
//   * P, converted to f16/bf16, is reused in registers as the A operand of
//     O += P V: two adjacent C fragments of S are one A fragment;
//   * O / l is written as pairs; the lse as (m + log2 l) ln 2;
//   * split-KV (kv_splits > 1, flash-decoding): the blocks of one query
//     block share its key range in whole-tile chunks and write O / l and
//     the lse (f32) to a workspace; a second kernel combines them by lse.
//
// With kernel = "wgmma" (sm_90a) the same schedule runs on Hopper's
// asynchronous units: a warpgroup per 64 query rows; Q, K and V tiles
// copied by TMA (thread 0 issues, mbarriers count the bytes) into 128-byte
// swizzled tiles; S = Q K^T as wgmma.mma_async on shared-memory
// descriptors, whose accumulator fragments per warp are exactly the C
// fragments above, so masking and the softmax are shared; P stays in
// registers as the A operand of the P V wgmma. Each iteration issues Q K^T
// of its key block and P V of the previous one, waits for S only, and
// runs the softmax while the tensor cores do P V (FlashAttention-3's
// intra-warpgroup overlap; P V of the last block after the loop). K and V
// are double-buffered and the key loop has no CTA barrier: every thread
// arrives on a "block done" mbarrier once its P V of the previous block
// retired, and thread 0 waits for it before requesting the next K and
// this block's V into the buffers Q K^T one block back and P V two blocks
// back read. V rows past the visible keys are zeroed in shared memory
// (TMA reads them from memory).
//
// Fragment layouts and the IR helpers: MmaBuilder.h, WgmmaBuilder.h.
//
//===----------------------------------------------------------------------===//

#include "AttnToGPU.h"
#include "MmaBuilder.h"
#include "WgmmaBuilder.h"

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
#include <optional>

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

} // namespace

/// Why a tensor-core kernel whose head dims must be multiples of `multiple`
/// up to 256 (for the reason `why`) cannot take `op`; empty if it can.
static std::string tensorCoreReason(SDPAOp op, int64_t multiple,
                                    StringRef why) {
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
  if (headDim < multiple || headDim % multiple != 0 || headDim > 256)
    os << "head dim " << headDim << " (" << why << ")";
  else if (valueDim < multiple || valueDim % multiple != 0 || valueDim > 256)
    os << "value head dim " << valueDim << " (" << why << ")";
  return reason;
}

std::string gpu_lowering::mmaUnsupportedReason(SDPAOp op) {
  return tensorCoreReason(op, 16, "needs a multiple of 16 from 16 to 256");
}

bool gpu_lowering::packsQueryHeads(SDPAOp op, int64_t warpRows) {
  return op.getGroupSize() > 1 && warpRows == 16 &&
         op.getQueryType().getDimSize(2) <= kPackedQueryLimit;
}

std::string gpu_lowering::wgmmaUnsupportedReason(SDPAOp op) {
  return tensorCoreReason(
      op, kSwizzleElements,
      "TMA boxes and wgmma tiles need a multiple of 64 up to 256");
}

int64_t gpu_lowering::wgmmaSharedBytes(SDPAOp op, int64_t blockQ,
                                       int64_t blockKV) {
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  const int64_t elementBytes =
      op.getQueryType().getElementType().getIntOrFloatBitWidth() / 8;
  // Q, two K and two V buffers (the next K and this block's V land while
  // this block's Q K^T and the last block's P V run).
  return kSwizzleAtomBytes +
         (blockQ * headDim + 2 * blockKV * headDim + 2 * blockKV * valueDim) *
             elementBytes;
}

int64_t gpu_lowering::defaultWgmmaBlockKV(SDPAOp op, int64_t blockQ,
                                          int64_t sharedLimit) {
  // While P V of one key block runs, the next block's S (blockKV / 2 f32),
  // P (blockKV / 4 words) and O (valueDim / 2 f32) are all live. ptxas,
  // B 4 H 16 S 1024 causal: 128 keys take 157 registers at head dim 64 and
  // 197 at 128, 64 keys 162 at 128. Head dim 128 keeps 64 keys (more
  // blocks per SM) until a GPU measurement says otherwise.
  const int64_t widest = std::max(op.getQueryType().getDimSize(3),
                                  op.getValueType().getDimSize(3));
  for (int64_t blockKV : {int64_t(128), int64_t(64)})
    if ((blockKV == 64 || widest <= 64) &&
        wgmmaSharedBytes(op, blockQ, blockKV) <= sharedLimit)
      return blockKV;
  return 0;
}

int64_t gpu_lowering::mmaSharedBytes(SDPAOp op, int64_t blockKV,
                                     int64_t stagedQueryRows) {
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  const int64_t elementBytes =
      op.getQueryType().getElementType().getIntOrFloatBitWidth() / 8;
  return (blockKV * (headDim + kRowPad + valueDim + kRowPad) +
          stagedQueryRows * (headDim + kRowPad)) *
         elementBytes;
}

int64_t gpu_lowering::mmaSharedQueryRows(SDPAOp op, int64_t blockQ,
                                         int64_t warpRows) {
  // Past head dim 128 the O fragments alone take 128 registers at D 256:
  // with Q's 64 more, ptxas spilled 16-80 bytes at 255 registers (decode,
  // patterns, masks).
  const int64_t widest = std::max(op.getQueryType().getDimSize(3),
                                  op.getValueType().getDimSize(3));
  return warpRows > 16 || widest > 128 ? blockQ : 0;
}

int64_t gpu_lowering::defaultMmaBlockKV(SDPAOp op, int64_t sharedLimit,
                                        int64_t stagedQueryRows,
                                        int64_t warpRows) {
  // Past head dim 64 with 32 rows per warp, the O fragments of two tiles
  // take most of the 255 registers a thread may have: the smallest score
  // tile spills least. Past head dim 128 with 16 rows per warp, O alone
  // takes 128 registers at D 256 (Q is parked in shared memory): ptxas
  // took 226-243 registers with 32 keys, up to 255 with 64 (window, mask,
  // key lengths, lse).
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  const int64_t widest = std::max(headDim, valueDim);
  int64_t largest = 64;
  if (warpRows > 16 && widest > 64)
    largest = 16;
  else if (widest > 128)
    largest = 32;
  for (int64_t blockKV = largest; blockKV >= 16; blockKV -= 16)
    if (mmaSharedBytes(op, blockKV, stagedQueryRows) <= sharedLimit)
      return blockKV;
  return 0;
}

/// The combine kernel of split-KV: a thread per output element (b, h, row,
/// e) merges the splits' normalized partial outputs by their lse:
/// O = sum_s 2^(lse_s - m) O_s / sum_s 2^(lse_s - m) (log2 domain), with
/// m the largest lse; the lse is m + log(sum). Rows no split saw stay 0
/// (lse -inf).
static void buildSplitCombine(OpBuilder &b, Location loc, Value partialOutput,
                              Value partialLse, Value output, Value lse) {
  auto partialType = cast<MemRefType>(partialOutput.getType());
  const int64_t splits = partialType.getDimSize(0);
  const int64_t batch = partialType.getDimSize(1);
  const int64_t heads = partialType.getDimSize(2);
  const int64_t rows = partialType.getDimSize(3);
  const int64_t width = partialType.getDimSize(4);
  const int64_t total = batch * heads * rows * width;
  constexpr int64_t kThreads = 256;
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value one = index(1);
  Value gridX = index((total + kThreads - 1) / kThreads);
  Value blockX = index(kThreads);
  auto launch =
      gpu::LaunchOp::create(b, loc, gridX, one, one, blockX, one, one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  auto f32 = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  Value blockOffset =
      arith::MulIOp::create(b, loc, launch.getBlockIds().x, blockX);
  Value linear =
      arith::AddIOp::create(b, loc, blockOffset, launch.getThreadIds().x);
  Value totalValue = index(total);
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                        linear, totalValue);
  auto ifOp = scf::IfOp::create(b, loc, inRange, /*withElse=*/false);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  // linear = ((bi * heads + h) * rows + row) * width + e
  Value widthValue = index(width), rowsValue = index(rows),
        headsValue = index(heads);
  Value e = arith::RemUIOp::create(b, loc, linear, widthValue);
  Value rest = arith::DivUIOp::create(b, loc, linear, widthValue);
  Value row = arith::RemUIOp::create(b, loc, rest, rowsValue);
  rest = arith::DivUIOp::create(b, loc, rest, rowsValue);
  Value h = arith::RemUIOp::create(b, loc, rest, headsValue);
  Value bi = arith::DivUIOp::create(b, loc, rest, headsValue);
  // Largest lse of the splits.
  Value negInf = f32(kNegInf);
  Value largest = negInf;
  SmallVector<Value> lses;
  for (int64_t s = 0; s < splits; ++s) {
    Value sIdx = index(s);
    Value l = memref::LoadOp::create(b, loc, partialLse,
                                     ValueRange{sIdx, bi, h, row});
    lses.push_back(l);
    largest = arith::MaximumFOp::create(b, loc, largest, l);
  }
  Value isEmpty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, largest, negInf);
  Value zero = f32(0.0);
  Value offset = arith::SelectOp::create(b, loc, isEmpty, zero, largest);
  Value log2e = f32(M_LOG2E);
  Value weightSum = zero, acc = zero;
  for (int64_t s = 0; s < splits; ++s) {
    Value shifted = arith::SubFOp::create(b, loc, lses[s], offset);
    Value scaled = arith::MulFOp::create(b, loc, shifted, log2e);
    Value weight = math::Exp2Op::create(b, loc, scaled);
    weightSum = arith::AddFOp::create(b, loc, weightSum, weight);
    Value sIdx = index(s);
    Value part = memref::LoadOp::create(b, loc, partialOutput,
                                        ValueRange{sIdx, bi, h, row, e});
    // An empty split (weight 0) wrote zeros: no NaN from 0 * x.
    acc = math::FmaOp::create(b, loc, weight, part, acc);
  }
  Value positive =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, weightSum, zero);
  Value quotient = arith::DivFOp::create(b, loc, acc, weightSum);
  Value result = arith::SelectOp::create(b, loc, positive, quotient, zero);
  Type element = cast<MemRefType>(output.getType()).getElementType();
  if (!element.isF32())
    result = arith::TruncFOp::create(b, loc, element, result);
  memref::StoreOp::create(b, loc, result, output, ValueRange{bi, h, row, e});
  if (lse) {
    Value zeroIndex = index(0);
    Value first =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, e, zeroIndex);
    auto lseIf = scf::IfOp::create(b, loc, first, /*withElse=*/false);
    b.setInsertionPointToStart(&lseIf.getThenRegion().front());
    Value log2Sum = math::Log2Op::create(b, loc, weightSum);
    Value ln2 = f32(M_LN2);
    Value natural = arith::MulFOp::create(b, loc, log2Sum, ln2);
    natural = arith::AddFOp::create(b, loc, natural, offset);
    Value value = arith::SelectOp::create(b, loc, isEmpty, negInf, natural);
    memref::StoreOp::create(b, loc, value, lse, ValueRange{bi, h, row});
  }
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
}

namespace {

/// The sm_90a staging of lowerToMmaKernel: swizzled tiles from a 1024-byte
/// boundary of dynamic shared memory -- Q of each warpgroup, two K and two
/// V buffers -- filled by TMA from thread 0, the mbarriers below, and the
/// loop-invariant operand descriptors.
struct HopperStaging {
  // mbarriers: K buffer 0 full (and Q), K 1 full, V 0 full, V 1 full (one
  // arrival with the bytes); key block done, for even and odd blocks
  // (every thread arrives once its P V of the block before retired, which
  // follows its Q K^T of the block: both buffers it read are free).
  static constexpr int64_t kBarriers = 6;
  static constexpr int64_t kKeyFull = 0, kValueFull = 2, kBlockDone = 4;
  struct Shape {
    Type element;
    int64_t headDim, valueDim, blockQ, blockKV, threads;
  };

  Shape shape;
  int64_t elementBytes, queryTileBytes, keyBufferBytes, valueBufferBytes;
  std::array<int64_t, 2> keyAt, valueAt;
  Value shared, thread, batchIdx, kvHead, keyMap, valueMap, zero;
  Value alignShift, tiles, barriers, isLeader;
  Value queryDesc;
  std::array<Value, 2> keyDesc, valueDesc;
  Attribute workgroup;

  HopperStaging(KernelBuilder &kb, Shape shape, Value shared, Value thread,
                Value warp, Value batchIdx, Value kvHead, Value queryMap,
                Value keyMap, Value valueMap)
      : shape(shape), shared(shared), thread(thread), batchIdx(batchIdx),
        kvHead(kvHead), keyMap(keyMap), valueMap(valueMap) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    MLIRContext *ctx = b.getContext();
    workgroup = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
    elementBytes = shape.element.getIntOrFloatBitWidth() / 8;
    const int64_t warpgroups = shape.blockQ / kWarpgroupRows;
    queryTileBytes = kWarpgroupRows * shape.headDim * elementBytes;
    // [Q of each warpgroup][K 0][K 1][V 0][V 1], each tile 1024-aligned.
    keyBufferBytes = shape.blockKV * shape.headDim * elementBytes;
    valueBufferBytes = shape.blockKV * shape.valueDim * elementBytes;
    keyAt = {warpgroups * queryTileBytes,
             warpgroups * queryTileBytes + keyBufferBytes};
    valueAt = {keyAt[1] + keyBufferBytes,
               keyAt[1] + keyBufferBytes + valueBufferBytes};
    const int64_t tilesEnd = valueAt[1] + valueBufferBytes;
    WarpgroupBuilder wb{kb};
    zero = kb.index(0);
    Value base = wb.address(shared);
    Value bumped = kb.addOffset(base, kSwizzleAtomBytes - 1);
    Value atomMask = kb.index(-kSwizzleAtomBytes);
    Value aligned = arith::AndIOp::create(b, loc, bumped, atomMask);
    alignShift = arith::SubIOp::create(b, loc, aligned, base);
    auto tilesType = MemRefType::get({tilesEnd / elementBytes}, shape.element,
                                     MemRefLayoutAttrInterface(), workgroup);
    tiles = memref::ViewOp::create(b, loc, tilesType, shared, alignShift,
                                   ValueRange{});
    barriers = nvgpu::MBarrierCreateOp::create(
        b, loc, nvgpu::MBarrierGroupType::get(ctx, workgroup, kBarriers));
    isLeader =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, thread, zero);
    Value one = kb.index(1);
    Value everyThread = kb.index(shape.threads);
    for (int64_t id = 0; id < kBarriers; ++id) {
      Value idValue = kb.index(id);
      nvgpu::MBarrierInitOp::create(b, loc, barriers,
                                    id < kBlockDone ? one : everyThread,
                                    idValue, isLeader);
    }
    // The inits (generic proxy) visible to the TMA unit's complete_tx
    // (async proxy) before any copy signals them.
    NVVM::FenceMbarrierInitOp::create(b, loc);
    // The tensor maps were copied to device memory by the host: acquire
    // them for the TMA unit (the tensormap proxy).
    for (Value map : {queryMap, keyMap, valueMap})
      nvgpu::TmaFenceOp::create(b, loc, map);
    Value four = kb.index(4);
    Value warpgroup = arith::DivUIOp::create(b, loc, warp, four);
    Value queryOffset = kb.mul(warpgroup, kb.index(queryTileBytes));
    Value queryAddress = kb.add(aligned, queryOffset);
    queryDesc = wb.descriptor(queryAddress, 16, kSwizzleAtomBytes);
    for (int64_t buffer = 0; buffer < 2; ++buffer) {
      Value keyAddress = kb.addOffset(aligned, keyAt[buffer]);
      keyDesc[buffer] = wb.descriptor(keyAddress, 16, kSwizzleAtomBytes);
      Value valueAddress = kb.addOffset(aligned, valueAt[buffer]);
      valueDesc[buffer] = wb.descriptor(
          valueAddress, shape.blockKV * kSwizzleBytes, kSwizzleAtomBytes);
    }
  }

  // Copies rows [firstRow, firstRow + rows) of (batch, `head`) of `map`
  // into the tile at byte `at` (a box per 64 columns) on mbarrier `id`,
  // from thread 0 when `issue` holds; returns the bytes that land.
  int64_t loadTile(KernelBuilder &lb, Value map, Value head, Value firstRow,
                   int64_t at, int64_t rows, int64_t width, int64_t id,
                   Value issue) {
    auto boxType =
        MemRefType::get({1, 1, rows, kSwizzleElements}, shape.element,
                        MemRefLayoutAttrInterface(), workgroup);
    Value idValue = lb.index(id);
    for (int64_t g = 0; g < width / kSwizzleElements; ++g) {
      Value offset = lb.addOffset(alignShift, at + g * rows * kSwizzleBytes);
      Value box = memref::ViewOp::create(lb.b, lb.loc, boxType, shared, offset,
                                         ValueRange{});
      Value column = lb.index(g * kSwizzleElements);
      nvgpu::TmaAsyncLoadOp::create(
          lb.b, lb.loc, box, barriers, map,
          ValueRange{column, firstRow, head, batchIdx}, idValue,
          /*multicastMask=*/Value(), issue);
    }
    return rows * width * elementBytes;
  }
  void expectBytes(KernelBuilder &lb, int64_t id, int64_t bytes, Value issue) {
    Value count = lb.index(bytes);
    Value idValue = lb.index(id);
    nvgpu::MBarrierArriveExpectTxOp::create(lb.b, lb.loc, barriers, count,
                                            idValue, issue);
  }
  void awaitBarrier(KernelBuilder &lb, Value id, Value parity) {
    Value ticks = lb.index(10000000);
    nvgpu::MBarrierTryWaitParityOp::create(lb.b, lb.loc, barriers, parity,
                                           ticks, id);
  }
  // The parity (i1) of phase `n` (an index) of an mbarrier.
  Value parityOf(KernelBuilder &lb, Value n) {
    Value two = lb.index(2);
    Value bit = arith::RemUIOp::create(lb.b, lb.loc, n, two);
    return arith::CmpIOp::create(lb.b, lb.loc, arith::CmpIPredicate::ne, bit,
                                 zero)
        .getResult();
  }
  // Zeroes rows [firstRow, shape.blockKV) of the V buffer whose first element
  // is `bufferAt` in `tiles` (a row holds the same 16-byte chunks in every
  // swizzle order), then makes the stores visible to the tensor cores.
  void zeroValueRows(KernelBuilder &lb, Value bufferAt, Value firstRow) {
    OpBuilder &zb = lb.b;
    WarpgroupBuilder wb{lb};
    const int64_t chunksPerRow = kSwizzleBytes / 16;
    const int64_t chunks =
        shape.valueDim / kSwizzleElements * shape.blockKV * chunksPerRow;
    auto chunkType = VectorType::get({8}, shape.element);
    Value zeros = arith::ConstantOp::create(
        zb, lb.loc,
        DenseElementsAttr::get(chunkType, zb.getZeroAttr(shape.element)));
    // Round r: lane l zeroes 16-byte chunk r * shape.threads + l.
    Value roundsValue = lb.index(chunks / shape.threads);
    Value oneValue = lb.index(1);
    Value blockKVValue = lb.index(shape.blockKV);
    auto zeroLoop = scf::ForOp::create(zb, lb.loc, zero, roundsValue, oneValue);
    {
      OpBuilder::InsertionGuard loopGuard(zb);
      zb.setInsertionPointToStart(zeroLoop.getBody());
      Value roundStart =
          lb.mul(zeroLoop.getInductionVar(), lb.index(shape.threads));
      Value chunk = lb.add(roundStart, thread);
      Value perRow = lb.index(chunksPerRow);
      Value rowOfTile = arith::DivUIOp::create(zb, lb.loc, chunk, perRow);
      Value row = arith::RemUIOp::create(zb, lb.loc, rowOfTile, blockKVValue);
      Value past = arith::CmpIOp::create(zb, lb.loc, arith::CmpIPredicate::sge,
                                         row, firstRow);
      auto pastIf = scf::IfOp::create(zb, lb.loc, past, /*withElse=*/false);
      zb.setInsertionPointToStart(&pastIf.getThenRegion().front());
      Value at = lb.mul(chunk, lb.index(8));
      at = lb.add(at, bufferAt);
      vector::StoreOp::create(zb, lb.loc, zeros, tiles, ValueRange{at},
                              /*nontemporal=*/false, llvm::MaybeAlign(16));
    }
    wb.fenceProxy(); // st.shared before the tensor cores read V
  }
  // K and V are double-buffered alike: key block `it` goes to buffer
  // it % 2 (at `at[it % 2]`) on mbarrier `full + it % 2`, whose load number
  // for it is it / 2.
  // Loads rows [kvBegin, kvBegin + blockKV) of `map` into that buffer,
  // from thread 0 when `issue` holds.
  void loadBlock(KernelBuilder &lb, Value map, std::array<int64_t, 2> at,
                 int64_t width, int64_t full, Value kvBegin, Value it,
                 Value issue) {
    Value two = lb.index(2);
    Value buffer = arith::RemUIOp::create(lb.b, lb.loc, it, two);
    for (int64_t target = 0; target < 2; ++target) {
      Value targetValue = lb.index(target);
      Value here = arith::CmpIOp::create(lb.b, lb.loc, arith::CmpIPredicate::eq,
                                         buffer, targetValue);
      Value issueHere = lb.andI(issue, here);
      int64_t bytes = loadTile(lb, map, kvHead, kvBegin, at[target],
                               shape.blockKV, width, full + target, issueHere);
      expectBytes(lb, full + target, bytes, issueHere);
    }
  }
  // Waits for block `it` of the buffers on mbarriers `full`, `full + 1`.
  void awaitBlock(KernelBuilder &lb, int64_t full, Value it) {
    Value two = lb.index(2);
    Value buffer = arith::RemUIOp::create(lb.b, lb.loc, it, two);
    Value load = arith::DivUIOp::create(lb.b, lb.loc, it, two);
    awaitBarrier(lb, lb.addOffset(buffer, full), parityOf(lb, load));
  }
  void loadKeys(KernelBuilder &lb, Value kvBegin, Value it, Value issue) {
    loadBlock(lb, keyMap, keyAt, shape.headDim, kKeyFull, kvBegin, it, issue);
  }
  void loadValues(KernelBuilder &lb, Value kvBegin, Value it) {
    loadBlock(lb, valueMap, valueAt, shape.valueDim, kValueFull, kvBegin, it,
              isLeader);
  }
  void awaitKeys(KernelBuilder &lb, Value it) { awaitBlock(lb, kKeyFull, it); }
  void awaitValues(KernelBuilder &lb, Value it) {
    awaitBlock(lb, kValueFull, it);
  }
  // Every thread, once its P V of key block `it - 1` retired: this
  // warpgroup is done with block it - 1 (mbarrier kBlockDone + (it + 1) % 2,
  // the block's parity; the block before the first is the zeroed V buffer).
  void blockDone(KernelBuilder &lb, Value it) {
    Value two = lb.index(2);
    Value next = lb.addOffset(it, 1);
    Value id = arith::RemUIOp::create(lb.b, lb.loc, next, two);
    nvgpu::MBarrierArriveOp::create(
        lb.b, lb.loc, nvgpu::MBarrierTokenType::get(lb.b.getContext()),
        barriers, lb.addOffset(id, kBlockDone));
  }
  // Thread 0, before loading key block `it`'s V into buffer it % 2 (which
  // held block it - 2) and block it + 1's K into buffer (it + 1) % 2
  // (block it - 1's), waits until every warpgroup is done with block it - 1
  // (its arrival number (it - 1) / 2): then both buffers are free. Nothing
  // to wait for at it = 0.
  void awaitFreeBuffers(KernelBuilder &lb, Value it) {
    Value one = lb.index(1), two = lb.index(2);
    Value started =
        arith::CmpIOp::create(lb.b, lb.loc, arith::CmpIPredicate::uge, it, one);
    Value leaderWaits = lb.andI(isLeader, started);
    auto waitIf = scf::IfOp::create(lb.b, lb.loc, leaderWaits,
                                    /*withElse=*/false);
    OpBuilder::InsertionGuard guard(lb.b);
    lb.b.setInsertionPointToStart(&waitIf.getThenRegion().front());
    Value previous = arith::SubIOp::create(lb.b, lb.loc, it, one);
    Value arrival = arith::DivUIOp::create(lb.b, lb.loc, previous, two);
    Value id = arith::RemUIOp::create(lb.b, lb.loc, it, two);
    awaitBarrier(lb, lb.addOffset(id, kBlockDone), parityOf(lb, arrival));
  }
  // The descriptor of K buffer `it % 2`.
  Value keyDescriptor(KernelBuilder &lb, Value it) {
    Value two = lb.index(2);
    Value buffer = arith::RemUIOp::create(lb.b, lb.loc, it, two);
    Value second = arith::CmpIOp::create(lb.b, lb.loc, arith::CmpIPredicate::ne,
                                         buffer, zero);
    return lb.select(second, keyDesc[1], keyDesc[0]);
  }
  // O += P V for the key block `it` (P as A words, in flight until wait()).
  SmallVector<Value> issueValues(KernelBuilder &lb, ArrayRef<Value> words,
                                 ArrayRef<Value> o, Value it) {
    WarpgroupBuilder wb{lb};
    Value two = lb.index(2);
    Value buffer = arith::RemUIOp::create(lb.b, lb.loc, it, two);
    Value first = arith::CmpIOp::create(lb.b, lb.loc, arith::CmpIPredicate::eq,
                                        buffer, zero);
    Value desc = lb.select(first, valueDesc[0], valueDesc[1]);
    SmallVector<std::array<Value, 4>> a;
    for (int64_t kc = 0; kc < (shape.blockKV / 16); ++kc)
      a.push_back({words[4 * kc], words[4 * kc + 1], words[4 * kc + 2],
                   words[4 * kc + 3]});
    return wb.issueRegisterA(
        a, [&](int64_t k) { return wb.advance(desc, k * 16 * kSwizzleBytes); },
        shape.valueDim, o, /*bTransposed=*/true);
  }
};

} // namespace

LogicalResult gpu_lowering::lowerToMmaKernel(RewriterBase &rewriter, SDPAOp op,
                                             int64_t blockQ, int64_t blockKV,
                                             int64_t warpRows, int64_t kvSplits,
                                             bool warpgroupMma) {
  RankedTensorType queryType = op.getQueryType(), keyType = op.getKeyType(),
                   valueType = op.getValueType();
  const int64_t batch = queryType.getDimSize(0);
  const int64_t heads = queryType.getDimSize(1);
  const int64_t querySeq = queryType.getDimSize(2);
  const int64_t headDim = queryType.getDimSize(3);
  const int64_t keySeq = keyType.getDimSize(2);
  const int64_t valueDim = valueType.getDimSize(3);
  const int64_t group = op.getGroupSize();
  const int64_t queryTiles = warpRows / 16; // 16-row MMA tiles per warp
  const int64_t warps = blockQ / warpRows;
  const int64_t stagedQueryRows = mmaSharedQueryRows(op, blockQ, warpRows);
  // One tile per warp with Q in shared memory: each lane parks its own Q
  // fragments there (no ldmatrix tile, no barrier: it reads only what it
  // wrote).
  const bool parkQuery = queryTiles == 1 && stagedQueryRows > 0;
  const int64_t threads = warps * 32;
  const int64_t keyTiles = blockKV / 8;    // n8 tiles of S per warp
  const int64_t keyChunks = blockKV / 16;  // k16 steps of P V
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
  const bool floatMask =
      mask && !cast<MemRefType>(mask.getType()).getElementType().isInteger(1);
  Value output = buffers.output, lse = buffers.lse;
  if (batch * heads * querySeq == 0) {
    // Nothing to compute (and a grid with a zero dimension is invalid).
    replaceWithSDPABuffers(rewriter, op, buffers);
    return success();
  }
  // No keys: nothing to copy (and TMA cannot describe an empty tensor);
  // the mma.sync kernel writes the zero rows.
  if (keySeq == 0)
    warpgroupMma = false;
  // Short queries of grouped heads (decode with GQA): the query heads of a
  // KV group share a block, their rows stacked (row = head in group x Sq +
  // query), so every K/V tile read feeds `group` times more rows.
  const bool packHeads = !warpgroupMma && packsQueryHeads(op, warpRows);
  const int64_t blockRows = packHeads ? group * querySeq : querySeq;
  const int64_t numQueryBlocks = (blockRows + blockQ - 1) / blockQ;

  // Both tiles live in dynamic shared memory, which the NVVM lowering
  // aligns to 16 bytes (static attributions get only the element's
  // alignment, too little for the 16-byte copies).
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto keyTileType = MemRefType::get({blockKV, headDim + kRowPad}, element,
                                     MemRefLayoutAttrInterface(), workgroup);
  auto valueTileType = MemRefType::get({blockKV, valueDim + kRowPad}, element,
                                       MemRefLayoutAttrInterface(), workgroup);
  const int64_t elementBytes = element.getIntOrFloatBitWidth() / 8;
  const int64_t keyTileBytes = blockKV * (headDim + kRowPad) * elementBytes;
  const int64_t valueTileBytes = blockKV * (valueDim + kRowPad) * elementBytes;
  KernelBuilder hb{rewriter, loc, element};
  // Split-KV (flash-decoding): kvSplits blocks share a query block's keys;
  // each writes its normalized partial output and lse to a workspace that
  // a second kernel combines.
  Value partialOutput, partialLse;
  if (kvSplits > 1) {
    auto f32 = rewriter.getF32Type();
    partialOutput = memref::AllocOp::create(
        rewriter, loc,
        MemRefType::get({kvSplits, batch, heads, querySeq, valueDim}, f32));
    partialLse = memref::AllocOp::create(
        rewriter, loc,
        MemRefType::get({kvSplits, batch, heads, querySeq}, f32));
  }
  // sm_90a: tensor maps for the TMA copies (boxes of 64 columns).
  Value queryMap, keyMap, valueMap;
  if (warpgroupMma) {
    queryMap = createTensorMap(rewriter, loc, query, kWarpgroupRows);
    keyMap = createTensorMap(rewriter, loc, key, blockKV);
    valueMap = createTensorMap(rewriter, loc, value, blockKV);
  }
  Value one = hb.index(1);
  Value gridX = hb.index(numQueryBlocks * kvSplits);
  Value gridY = hb.index(packHeads ? heads / group : heads);
  Value gridZ = hb.index(batch);
  Value blockX = hb.index(threads);
  Value sharedBytes = arith::ConstantOp::create(
      rewriter, loc,
      rewriter.getI32IntegerAttr(
          warpgroupMma ? wgmmaSharedBytes(op, blockQ, blockKV)
                       : mmaSharedBytes(op, blockKV, stagedQueryRows)));
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
  // The registers a thread's wgmma accumulators take (S: blockKV / 2 f32,
  // O: valueDim / 2 f32), which ptxas cannot spill: attn-lower-to-nvvm's
  // min-blocks-per-sm must leave at least these (ptxas asked for 90, 94
  // and 158 at D 64, 128 and 256 with this rule's 96, 96 and 160).
  if (warpgroupMma)
    shared.getDefiningOp()->setAttr(
        "attn.accumulator_registers",
        b.getI64IntegerAttr(kWarpgroupRows * (blockKV + valueDim) / 128));
  Value keyTile, valueTile; // padded [blockKV, D + pad] (mma.sync)
  if (!warpgroupMma) {
    Value keyOffset = kb.index(0);
    Value valueOffset = kb.index(keyTileBytes);
    keyTile = memref::ViewOp::create(b, loc, keyTileType, shared, keyOffset,
                                     ValueRange{});
    valueTile = memref::ViewOp::create(b, loc, valueTileType, shared,
                                       valueOffset, ValueRange{});
  }
  Value queryTile; // [blockQ, D + pad] when Q is staged (32 rows per warp)
  Value parkedQuery; // [warp][kk][lane][8 elements] when Q is parked
  if (parkQuery) {
    auto parkedType = MemRefType::get({warps * headChunks * 32 * 8}, element,
                                      MemRefLayoutAttrInterface(), workgroup);
    Value queryOffset = kb.index(keyTileBytes + valueTileBytes);
    parkedQuery = memref::ViewOp::create(b, loc, parkedType, shared,
                                         queryOffset, ValueRange{});
  } else if (stagedQueryRows) {
    auto queryTileType =
        MemRefType::get({blockQ, headDim + kRowPad}, element,
                        MemRefLayoutAttrInterface(), workgroup);
    Value queryOffset = kb.index(keyTileBytes + valueTileBytes);
    queryTile = memref::ViewOp::create(b, loc, queryTileType, shared,
                                       queryOffset, ValueRange{});
  }
  // Block y: the query head, or with packHeads the KV head.
  Value headIdx = launch.getBlockIds().y, batchIdx = launch.getBlockIds().z;
  Value thread = launch.getThreadIds().x;
  // Causal blocks see more keys the later they lie: start those first.
  Value blockIdx = launch.getBlockIds().x;
  Value splitIdx;
  if (kvSplits > 1) {
    Value splits = kb.index(kvSplits);
    splitIdx = arith::RemUIOp::create(b, loc, blockIdx, splits);
    blockIdx = arith::DivUIOp::create(b, loc, blockIdx, splits);
  }
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
  // The block's query range for the pattern (rows of several heads: all).
  Value patternBegin = packHeads ? zero : queryBegin;
  Value patternEnd = packHeads ? querySeqLen : queryEnd;
  Value warpSize = kb.index(32);
  Value quadSize = kb.index(4);
  Value warp = arith::DivUIOp::create(b, loc, thread, warpSize);
  Value lane = arith::RemUIOp::create(b, loc, thread, warpSize);
  Value laneGroup = arith::DivUIOp::create(b, loc, lane, quadSize);  // g
  Value laneInQuad = arith::RemUIOp::create(b, loc, lane, quadSize); // t
  Value twiceT = kb.mul(laneInQuad, kb.index(2));
  // ldmatrix lane addresses: lane l gives row l % 8 of matrix l / 8.
  Value eight = kb.index(8);
  Value two = kb.index(2);
  Value matrix = arith::DivUIOp::create(b, loc, lane, eight);
  Value matrixRow = arith::RemUIOp::create(b, loc, lane, eight);
  Value matrixMod2 = arith::RemUIOp::create(b, loc, matrix, two);
  Value matrixDiv2 = arith::DivUIOp::create(b, loc, matrix, two);
  Value oddMatrixRows = kb.mul(matrixMod2, eight);    // (m % 2) * 8
  Value pairedMatrixRows = kb.mul(matrixDiv2, eight); // (m / 2) * 8
  // A 16x16 block as matrices (rows 0-7 | 8-15) x (columns 0-7 | 8-15),
  // row blocks first: rows (m % 2) * 8 + l % 8, columns (m / 2) * 8. This
  // is the A fragment of Q, and (transposed) two B fragments of V.
  Value blockRow = kb.add(oddMatrixRows, matrixRow);
  Value blockColumn = pairedMatrixRows;
  // Two 8-row key tiles x one k16 step of K: rows (m / 2) * 8 + l % 8,
  // columns (m % 2) * 8: the B fragments of key tiles nt and nt + 1.
  Value keyPairRow = kb.add(pairedMatrixRows, matrixRow);
  Value keyPairColumn = oddMatrixRows;

  Value warpRowCount = kb.index(16 * queryTiles);
  Value warpOffset = kb.mul(warp, warpRowCount);
  Value warpBegin = kb.add(queryBegin, warpOffset);
  // The query rows of this lane: g and g + 8 of each of the warp's 16-row
  // tiles (slot 2 * mt + r).
  // With packHeads a row is (head, query): rowHeads / safeRows hold both.
  SmallVector<Value> safeRows, rowValid, rowHeads;
  Value kvHead = headIdx;
  if (group != 1 && !packHeads) {
    Value groupValue = kb.index(group);
    kvHead = arith::DivUIOp::create(b, loc, headIdx, groupValue);
  }
  Value blockRowsValue = kb.index(blockRows);
  Value lastRow = kb.index(blockRows - 1);
  for (int64_t mt = 0; mt < queryTiles; ++mt) {
    for (int64_t r = 0; r < 2; ++r) {
      Value row = kb.add(warpBegin, laneGroup);
      row = kb.addOffset(row, mt * 16 + r * 8);
      rowValid.push_back(kb.less(row, blockRowsValue));
      // Rows past the end compute on the last row and store nothing.
      Value safeRow = kb.min(row, lastRow);
      if (!packHeads) {
        safeRows.push_back(safeRow);
        rowHeads.push_back(headIdx);
        continue;
      }
      Value inGroup = arith::DivUIOp::create(b, loc, safeRow, querySeqLen);
      Value firstHead = kb.mul(kvHead, kb.index(group));
      rowHeads.push_back(kb.add(firstHead, inGroup));
      safeRows.push_back(arith::RemUIOp::create(b, loc, safeRow, querySeqLen));
    }
  }

  // With one 16-row tile per warp, each lane loads its Q fragments once
  // from global memory and keeps them in registers for the whole kernel,
  // or past head dim 128 parks them in shared memory (16 bytes per lane
  // and k16 step, one ld.shared.v4 to reload); with two tiles, Q is staged
  // in shared memory and read with ldmatrix at every k16 step.
  SmallVector<Fragment> queryFragments; // [kk] when Q is in registers
  Value parkedLane; // first element of this lane's parked fragment kk = 0
  if (parkQuery) {
    Value slot = kb.mul(warp, kb.index(headChunks * 32));
    slot = kb.add(slot, lane);
    parkedLane = kb.mul(slot, kb.index(8));
  }
  if (queryTiles == 1 && !warpgroupMma) {
    for (int64_t kk = 0; kk < headChunks; ++kk) {
      Value colLo = kb.addOffset(twiceT, kk * 16);
      Value colHi = kb.addOffset(twiceT, kk * 16 + 8);
      SmallVector<Value, 4> pairs;
      pairs.push_back(kb.loadElements(
          query, ValueRange{batchIdx, rowHeads[0], safeRows[0], colLo}));
      pairs.push_back(kb.loadElements(
          query, ValueRange{batchIdx, rowHeads[1], safeRows[1], colLo}));
      pairs.push_back(kb.loadElements(
          query, ValueRange{batchIdx, rowHeads[0], safeRows[0], colHi}));
      pairs.push_back(kb.loadElements(
          query, ValueRange{batchIdx, rowHeads[1], safeRows[1], colHi}));
      if (parkQuery) {
        Value at = kb.addOffset(parkedLane, kk * 32 * 8);
        kb.storeParked(pairs, parkedQuery, at);
        continue;
      }
      Fragment fragment;
      for (Value pair : pairs)
        fragment.push_back(kb.toOperand(pair));
      queryFragments.push_back(fragment);
    }
  }
  Value warpTileRow = kb.mul(warp, warpRowCount); // first Q tile row

  // Keys visible to some row of the block, clipped by the key length.
  Value keyBegin = zero, keyEnd = keySeqLen;
  if (pattern) {
    auto range = pattern.buildVisibleKeyRange(b, loc, patternBegin, patternEnd,
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
  if (kvSplits > 1) {
    // This split's share: chunks of whole key tiles.
    Value span = arith::SubIOp::create(b, loc, keyEnd, keyBegin);
    span = arith::MaxSIOp::create(b, loc, span, zero);
    Value splits = kb.index(kvSplits);
    Value chunk = arith::CeilDivSIOp::create(b, loc, span, splits);
    Value tile = kb.index(blockKV);
    chunk = arith::CeilDivSIOp::create(b, loc, chunk, tile);
    chunk = kb.mul(chunk, tile);
    Value offset = kb.mul(splitIdx, chunk);
    Value splitBegin = kb.add(keyBegin, offset);
    Value splitEnd = kb.add(splitBegin, chunk);
    keyEnd = kb.min(splitEnd, keyEnd);
    keyBegin = splitBegin;
  }

  const double scoreScale = op.getEffectiveScale() * M_LOG2E;
  // How far (log2) a row's max may grow before O is rescaled: P is then
  // at most 2^8, which f16 holds with room (past 2^15 it would overflow).
  constexpr double kStaleMaxLog2 = 8.0;
  Value negInf = kb.f32(kNegInf);
  Value f32Zero = kb.f32(0.0);
  // Loop state: running max and lane-partial sum of each row slot, the O
  // accumulator fragments ([mt][nv][4]), the pending K copy.
  const int64_t slots = 2 * queryTiles;
  SmallVector<Value> inits;
  for (int64_t i = 0; i < slots; ++i)
    inits.push_back(negInf);
  for (int64_t i = 0; i < slots; ++i)
    inits.push_back(f32Zero);
  for (int64_t i = 0; i < queryTiles * valueTiles * 4; ++i)
    inits.push_back(f32Zero);
  Value kvStep = kb.index(blockKV);

  // Starts copying `tileRows` rows of `source` (rows firstRow.. of the
  // [batch, head] slice) into `tile` with cp.async (16 bytes per lane and
  // transfer, L1 bypassed); rows at or past rowEnd are zero-filled without
  // reading global memory (the address is clamped to lastRow). Returns the
  // committed group's token.
  auto stageTile = [&](KernelBuilder &lb, Value source, Value sourceHead,
                       Value firstRow, Value rowEnd, Value lastRow,
                       int64_t tileRows, Value tile, int64_t width) -> Value {
    const int64_t chunksPerRow = width / kCopyElements;
    const int64_t chunks = tileRows * chunksPerRow;
    const int64_t rounds = (chunks + threads - 1) / threads;
    Value chunksPerRowValue = lb.index(chunksPerRow);
    Value copyElements = lb.index(kCopyElements);
    Value noElements = lb.index(0);
    // When a round covers whole rows, lane l copies the same column in
    // every round and the row advances by a constant: the addresses are one
    // base plus immediates.
    const bool wholeRows = threads % chunksPerRow == 0;
    Value laneRow =
        arith::DivUIOp::create(lb.b, lb.loc, thread, chunksPerRowValue);
    Value laneChunk =
        arith::RemUIOp::create(lb.b, lb.loc, thread, chunksPerRowValue);
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
      Value sourceRow = lb.add(firstRow, row);
      Value visible = lb.less(sourceRow, rowEnd);
      Value safeRow = lb.min(sourceRow, lastRow);
      Value sourceElements = lb.select(visible, copyElements, noElements);
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          lb.b, lb.loc, tokenType, tile, ValueRange{row, column}, source,
          ValueRange{batchIdx, sourceHead, safeRow, column},
          lb.b.getIndexAttr(kCopyElements), sourceElements,
          lb.b.getUnitAttr()));
    }
    return nvgpu::DeviceAsyncCreateGroupOp::create(lb.b, lb.loc, tokenType,
                                                   tokens);
  };
  auto stageKeys = [&](KernelBuilder &lb, Value kvBegin, Value source,
                       Value tile, int64_t width) {
    return stageTile(lb, source, kvHead, kvBegin, keyEnd, lastKey, blockKV,
                     tile, width);
  };
  // Waits for this lane's copies of `group`, then for everyone's.
  auto awaitTile = [&](KernelBuilder &lb, Value group) {
    nvgpu::DeviceAsyncWaitOp::create(lb.b, lb.loc, group,
                                     lb.b.getI32IntegerAttr(0));
    gpu::BarrierOp::create(lb.b, lb.loc);
  };

  // sm_90a: the TMA tiles, mbarriers and operand descriptors.
  std::optional<HopperStaging> hopper;
  if (warpgroupMma)
    hopper.emplace(kb,
                   HopperStaging::Shape{element, headDim, valueDim, blockQ,
                                        blockKV, threads},
                   shared, thread, warp, batchIdx, kvHead, queryMap, keyMap,
                   valueMap);
  // Software pipeline (FlashAttention-2 on sm_80): the V tile of a block
  // lands while Q K^T and the softmax run, the next K tile while P V runs.
  // Each tile is waited for (and its buffer handed over) at a barrier.
  if (queryTiles > 1) // lands with the first K tile
    stageTile(kb, query, headIdx, queryBegin, querySeqLen, lastQuery, blockQ,
              queryTile, headDim);
  if (warpgroupMma) {
    // The loop issues P V of the previous key block next to Q K^T of this
    // one; before the first block that is P = 0 times V buffer 1, zeroed
    // here (uninitialized shared memory may hold NaN).
    Value bufferOneAt = kb.index(hopper->valueAt[1] / elementBytes);
    hopper->zeroValueRows(kb, bufferOneAt, zero);
    gpu::BarrierOp::create(b, loc); // mbarriers initialized, V zeroed
    // Q and the first K tile on mbarrier 0 (nothing when no key is
    // visible: no copy may outlive the block).
    Value hasKeys = kb.less(keyBegin, keyEnd);
    Value issue = kb.andI(hopper->isLeader, hasKeys);
    int64_t bytes = 0;
    for (int64_t w = 0; w < blockQ / kWarpgroupRows; ++w) {
      Value rowsBegin = kb.addOffset(queryBegin, w * kWarpgroupRows);
      bytes += hopper->loadTile(kb, queryMap, headIdx, rowsBegin,
                                w * hopper->queryTileBytes, kWarpgroupRows,
                                headDim, 0, issue);
    }
    bytes += hopper->loadTile(kb, keyMap, kvHead, keyBegin, hopper->keyAt[0],
                              blockKV, headDim, 0, issue);
    hopper->expectBytes(kb, 0, bytes, issue);
    // P of "block -1": pairs of -0.0 (0x8000 in f16 and bf16), zero like
    // +0.0 times the zeroed V buffer, but not the bit pattern of the zero
    // O accumulators: with one key block ptxas would otherwise give the A
    // words and the accumulators one register, and serialize the wgmma
    // (C7511).
    Value zeroWord = arith::ConstantOp::create(
        b, loc, b.getI32IntegerAttr(static_cast<int32_t>(0x80008000u)));
    for (int64_t i = 0; i < keyChunks * 4; ++i)
      inits.push_back(zeroWord);
    inits.push_back(zero);       // the iteration: its parity is the phase's
  } else {
    Value firstKeys = stageKeys(kb, keyBegin, key, keyTile, headDim);
    inits.push_back(firstKeys);
  }
  auto loop = scf::ForOp::create(
      b, loc, keyBegin, keyEnd, kvStep, inits,
      [&](OpBuilder &nb, Location nloc, Value kvBegin, ValueRange state) {
        KernelBuilder lb{nb, nloc, element};
        WarpgroupBuilder wb{lb};
        // K of this block is in; every warp is done with the previous V.
        Value valuesLanded, iteration;
        const int64_t oAt = 2 * slots;
        const int64_t wordsAt = oAt + queryTiles * valueTiles * 4;
        if (warpgroupMma) {
          // K of this block (and Q) is in. (No CTA barrier in the key
          // loop: buffers are handed back on the block-done mbarriers,
          // below, and warpgroups may drift apart by up to a block.)
          iteration = state.back();
          hopper->awaitKeys(lb, iteration);
        } else {
          awaitTile(lb, state.back());
          valuesLanded = stageKeys(lb, kvBegin, value, valueTile, valueDim);
        }

        // S = Q K^T, then into the log2 domain: per k16 step, the A
        // fragments of the warp's query tiles and the B fragments of every
        // key tile (ldmatrix.x4 reads two key tiles), each used by all the
        // MMAs that need it.
        Value scale = lb.f32(scoreScale);
        const int64_t scoreCount = queryTiles * keyTiles * 4;
        SmallVector<Value> scores(scoreCount, f32Zero); // [mt][nt][4]
        // A K-major operand of `rows` rows: k16 step k is 32 bytes into
        // the 128-byte rows of column group k / 4.
        auto kMajorStep = [](int64_t k, int64_t rows) {
          return (k / 4) * rows * kSwizzleBytes + (k % 4) * 32;
        };
        SmallVector<Value> previousO(state.begin() + oAt,
                                     state.begin() + wordsAt);
        if (warpgroupMma) {
          // Q K^T of this block, then P V of the previous one (its V landed
          // during the last softmax): the tensor cores run P V while this
          // block's softmax runs (FlashAttention-3's intra-warpgroup
          // overlap).
          Value keyDesc = hopper->keyDescriptor(lb, iteration);
          scores = wb.issue(
              [&](int64_t k) {
                return wb.advance(hopper->queryDesc,
                                  kMajorStep(k, kWarpgroupRows));
              },
              [&](int64_t k) {
                return wb.advance(keyDesc, kMajorStep(k, blockKV));
              },
              headChunks, blockKV, scores, /*bTransposed=*/false);
          Value started = arith::CmpIOp::create(
              nb, nloc, arith::CmpIPredicate::ugt, iteration, zero);
          Value previous = arith::AddIOp::create(nb, nloc, iteration,
                                                 lb.index(1)); // (it - 1) % 2
          {
            auto waitIf =
                scf::IfOp::create(nb, nloc, started, /*withElse=*/false);
            OpBuilder::InsertionGuard ifGuard(nb);
            nb.setInsertionPointToStart(&waitIf.getThenRegion().front());
            Value last =
                arith::SubIOp::create(nb, nloc, iteration, lb.index(1));
            hopper->awaitValues(lb, last);
          }
          SmallVector<Value> words(state.begin() + wordsAt,
                                   state.begin() + (state.size() - 1));
          previousO = hopper->issueValues(lb, words, previousO, previous);
          // With both issued (they read K buffer it % 2 and V buffer
          // (it - 1) % 2), thread 0 waits until every warpgroup is done
          // with the last block and requests this block's V and the next
          // K into the other two buffers, while the tensor cores run: a
          // warpgroup ahead does not hold its own wgmma back for the other.
          Value nextBegin = lb.add(kvBegin, kvStep);
          Value more = lb.less(nextBegin, keyEnd);
          hopper->awaitFreeBuffers(lb, iteration);
          hopper->loadValues(lb, kvBegin, iteration);
          Value next = lb.addOffset(iteration, 1);
          hopper->loadKeys(lb, nextBegin, next,
                           lb.andI(hopper->isLeader, more));
          wb.wait(1); // S is in
        }
        for (int64_t kk = 0; kk < headChunks && !warpgroupMma; ++kk) {
          SmallVector<Fragment> a;
          for (int64_t mt = 0; mt < queryTiles; ++mt) {
            if (parkQuery) {
              Value at = lb.addOffset(parkedLane, kk * 32 * 8);
              a.push_back(lb.loadParked(parkedQuery, at));
              continue;
            }
            if (queryTiles == 1) {
              a.push_back(queryFragments[kk]);
              continue;
            }
            Value row = lb.addOffset(warpTileRow, mt * 16);
            row = lb.add(row, blockRow);
            Value column = lb.addOffset(blockColumn, kk * 16);
            SmallVector<Value> regs = lb.loadMatrices(queryTile, row, column, 4,
                                                      /*transpose=*/false);
            a.push_back(Fragment(regs.begin(), regs.end()));
          }
          for (int64_t nt = 0; nt < keyTiles; nt += 2) {
            Value row = lb.addOffset(keyPairRow, nt * 8);
            Value column = lb.addOffset(keyPairColumn, kk * 16);
            SmallVector<Value> keyRegs =
                lb.loadMatrices(keyTile, row, column, 4, /*transpose=*/false);
            for (int64_t half = 0; half < 2; ++half)
              for (int64_t mt = 0; mt < queryTiles; ++mt)
                lb.mmaInto(scores, (mt * keyTiles + nt + half) * 4, a[mt],
                           keyRegs[2 * half], keyRegs[2 * half + 1]);
          }
        }
        // With a positive scale the scores stay unscaled up to the
        // exponent, which takes the scale in one fma (FlashAttention-2's
        // fold: fma(s, scale, -m) then ex2, where a multiply, a subtract
        // and ex2 were three ops per score); the row max commutes with the
        // scale. An additive mask is in the scaled domain: those scores
        // are scaled first.
        const bool foldScale = scoreScale > 0 && !floatMask;
        if (!foldScale)
          for (Value &score : scores)
            score = lb.fmul(score, scale);

        // Mask the tile unless every row of the block sees every key.
        Value kvTileEnd = lb.add(kvBegin, kvStep);
        Value full = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sle,
                                           kvTileEnd, keyEnd);
        if (pattern) {
          Value patternFull = pattern.buildIsTileFull(
              nb, nloc, patternBegin, patternEnd, kvBegin, kvTileEnd,
              querySeqLen, keySeqLen);
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
          // The lane's scores hold keys keyBase + c, c = nt * 8 + {0, 1}.
          // Per row slot, the columns c the row sees form one run [lo, hi)
          // (the key length, and a pattern with contiguous row ranges):
          // two 32-bit compares against constants per score, where testing
          // each key index in 64 bits kept registers for them all.
          Value keyBase = mb.add(kvBegin, twiceT);
          Value tileColumns = mb.index(keyTiles * 8);
          auto toColumn = [&](Value key) { // key - keyBase, clamped, as i32
            Value column = arith::SubIOp::create(nb, nloc, key, keyBase);
            column = arith::MaxSIOp::create(nb, nloc, column, zero);
            column = mb.min(column, tileColumns);
            return arith::IndexCastOp::create(nb, nloc, nb.getI32Type(), column)
                .getResult();
          };
          // columnLo stays null where no lower bound applies (no pattern,
          // or a row range starting at key 0, as causal's).
          SmallVector<Value> columnLo(slots), columnHi(slots);
          bool patternByColumns = false;
          for (int64_t slot = 0; slot < slots; ++slot) {
            Value end = keyEnd;
            if (auto range =
                    pattern ? pattern.buildRowKeyRange(nb, nloc, safeRows[slot],
                                                       querySeqLen, keySeqLen)
                            : std::nullopt) {
              patternByColumns = true;
              if (getConstantIntValue(range->first) != 0)
                columnLo[slot] = toColumn(range->first);
              end = mb.min(end, range->second);
            }
            columnHi[slot] = toColumn(end);
          }
          SmallVector<Value> masked;
          for (int64_t i = 0; i < scoreCount; ++i) {
            {
              const int64_t mt = i / (keyTiles * 4);
              const int64_t nt = (i / 4) % keyTiles, e = i % 4;
              const int64_t slot = 2 * mt + e / 2;
              Value row = safeRows[slot];
              Value rowHead = rowHeads[slot];
              const int64_t columnOffset = nt * 8 + (e % 2);
              Value keyIdx = mb.addOffset(keyBase, columnOffset);
              Value column = arith::ConstantOp::create(
                  nb, nloc, nb.getI32IntegerAttr(columnOffset));
              Value score = scores[i];
              Value keep = mb.less(column, columnHi[slot]);
              if (columnLo[slot]) {
                Value aboveLo =
                    arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sge,
                                          column, columnLo[slot]);
                keep = mb.andI(keep, aboveLo);
              } else if (pattern && !patternByColumns) {
                Value visible = pattern.buildKeyVisible(nb, nloc, row, keyIdx,
                                                        querySeqLen, keySeqLen);
                keep = mb.andI(keep, visible);
              }
              if (mask) {
                auto maskType = cast<MemRefType>(mask.getType());
                Value maskBatch = maskType.getDimSize(0) == 1 ? zero : batchIdx;
                Value maskHead = maskType.getDimSize(1) == 1 ? zero : rowHead;
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

        // Online softmax per row slot: row max over the quad, rescale,
        // exponentiate.
        auto slotOf = [&](int64_t i) { // score index -> row slot
          return 2 * (i / (keyTiles * 4)) + (i % 4) / 2;
        };
        SmallVector<Value> rowMax(slots), offsets(slots), rescale(slots),
            rowSum(slots);
        // The running max (state) is in the scaled log2 domain either way.
        for (int64_t slot = 0; slot < slots; ++slot) {
          Value localMax = foldScale ? negInf : state[slot];
          for (int64_t i = 0; i < scoreCount; ++i)
            if (slotOf(i) == slot)
              localMax = lb.fmax(localMax, maskedScores[i]);
          Value across1 = lb.shuffleXor(localMax, 1);
          localMax = lb.fmax(localMax, across1);
          Value across2 = lb.shuffleXor(localMax, 2);
          localMax = lb.fmax(localMax, across2);
          if (foldScale)
            localMax = lb.fmax(state[slot], lb.fmul(localMax, scale));
          rowMax[slot] = localMax;
        }
        // A lane keeps its rows' old maxima while none grew by more than
        // kStaleMaxLog2 (FlashAttention-4's conditional rescaling): P is
        // then at most 2^kStaleMaxLog2 and O needs no rescale, which is one
        // multiply per O element and key block saved; the result is the
        // same, as O, l and the lse all use the max kept. An empty row's
        // max (-inf) never counts as kept (-inf - -inf is NaN).
        Value keepMax;
        for (int64_t slot = 0; slot < slots; ++slot) {
          Value growth = lb.fsub(rowMax[slot], state[slot]);
          Value small =
              arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OLE, growth,
                                    lb.f32(kStaleMaxLog2));
          keepMax = keepMax ? lb.andI(keepMax, small) : small;
        }
        for (int64_t slot = 0; slot < slots; ++slot) {
          Value isEmpty = arith::CmpFOp::create(
              nb, nloc, arith::CmpFPredicate::OEQ, rowMax[slot], negInf);
          Value offset = lb.select(isEmpty, f32Zero, rowMax[slot]);
          Value shift = lb.fsub(state[slot], offset);
          rowMax[slot] = lb.select(keepMax, state[slot], rowMax[slot]);
          offsets[slot] = lb.select(keepMax, state[slot], offset);
          rescale[slot] = lb.select(keepMax, lb.f32(1.0), lb.exp2(shift));
          rowSum[slot] = lb.fmul(state[slots + slot], rescale[slot]);
        }
        SmallVector<Value> negOffsets;
        for (Value offset : offsets)
          if (foldScale)
            negOffsets.push_back(lb.fsub(f32Zero, offset));
        SmallVector<Value> probabilities; // [mt][nt][4]
        for (int64_t i = 0; i < scoreCount; ++i) {
          Value shifted =
              foldScale ? math::FmaOp::create(nb, nloc, maskedScores[i], scale,
                                              negOffsets[slotOf(i)])
                              .getResult()
                        : lb.fsub(maskedScores[i], offsets[slotOf(i)]);
          Value p = lb.exp2(shifted);
          rowSum[slotOf(i)] = lb.fadd(rowSum[slotOf(i)], p);
          probabilities.push_back(p);
        }
        if (warpgroupMma) {
          wb.wait(0); // P V of the previous block is in
          hopper->blockDone(lb, iteration);
        }
        SmallVector<Value> accumulators; // [mt][nv][4]
        {
          SmallVector<Type> oTypes(previousO.size(), nb.getF32Type());
          auto rescaleIf = scf::IfOp::create(nb, nloc, oTypes, keepMax,
                                             /*withElse=*/true);
          OpBuilder::InsertionGuard ifGuard(nb);
          nb.setInsertionPointToStart(&rescaleIf.getThenRegion().front());
          scf::YieldOp::create(nb, nloc, previousO);
          nb.setInsertionPointToStart(&rescaleIf.getElseRegion().front());
          SmallVector<Value> rescaled;
          for (int64_t i = 0; i < queryTiles * valueTiles * 4; ++i) {
            const int64_t slot = 2 * (i / (valueTiles * 4)) + (i % 4) / 2;
            rescaled.push_back(lb.fmul(previousO[i], rescale[slot]));
          }
          scf::YieldOp::create(nb, nloc, rescaled);
          accumulators.assign(rescaleIf.getResults().begin(),
                              rescaleIf.getResults().end());
        }

        if (warpgroupMma) {
          // P of this block as A words, for P V in the next iteration.
          SmallVector<Value> next(rowMax);
          next.append(rowSum);
          next.append(accumulators);
          for (int64_t kc = 0; kc < keyChunks; ++kc)
            for (int64_t half = 0; half < 2; ++half)
              for (int64_t r = 0; r < 2; ++r) {
                const int64_t at = (2 * kc + half) * 4 + 2 * r;
                next.push_back(
                    wb.packWord(probabilities[at], probabilities[at + 1]));
              }
          next.push_back(lb.addOffset(iteration, 1));
          scf::YieldOp::create(nb, nloc, next);
          return;
        }
        // V of this block is in; every warp is done with this K, so the
        // next one may land (zero-filled past the visible keys).
        awaitTile(lb, valuesLanded);
        Value nextBegin = lb.add(kvBegin, kvStep);
        Value nextKeys = stageKeys(lb, nextBegin, key, keyTile, headDim);

        // O += P V: two adjacent S tiles form one A fragment; each V
        // fragment pair (ldmatrix.x4.trans: keys kc*16 + 0..15 of value
        // columns nv*8.. and (nv+1)*8..) serves every query tile.
        for (int64_t kc = 0; kc < keyChunks; ++kc) {
          SmallVector<Fragment> a;
          for (int64_t mt = 0; mt < queryTiles; ++mt) {
            auto p = [&](int64_t tile, int64_t e) {
              return probabilities[(mt * keyTiles + tile) * 4 + e];
            };
            a.push_back({lb.packF32(p(2 * kc, 0), p(2 * kc, 1)),
                         lb.packF32(p(2 * kc, 2), p(2 * kc, 3)),
                         lb.packF32(p(2 * kc + 1, 0), p(2 * kc + 1, 1)),
                         lb.packF32(p(2 * kc + 1, 2), p(2 * kc + 1, 3))});
          }
          Value keyRow = lb.addOffset(blockRow, kc * 16);
          for (int64_t nv = 0; nv < valueTiles; nv += 2) {
            Value column = lb.addOffset(blockColumn, nv * 8);
            SmallVector<Value> valueRegs = lb.loadMatrices(
                valueTile, keyRow, column, 4, /*transpose=*/true);
            for (int64_t half = 0; half < 2; ++half)
              for (int64_t mt = 0; mt < queryTiles; ++mt)
                lb.mmaInto(accumulators, (mt * valueTiles + nv + half) * 4,
                           a[mt], valueRegs[2 * half], valueRegs[2 * half + 1]);
          }
        }
        SmallVector<Value> next(rowMax);
        next.append(rowSum);
        next.append(accumulators);
        next.push_back(nextKeys);
        scf::YieldOp::create(nb, nloc, next);
      });

  // No copy may be in flight when the block exits.
  if (!warpgroupMma)
    nvgpu::DeviceAsyncWaitOp::create(b, loc, loop.getResults().back(),
                                     b.getI32IntegerAttr(0));
  SmallVector<Value> final(loop.getResults());
  if (warpgroupMma) {
    // P V of the last key block, whose V rows past the visible keys are
    // zeroed first: TMA zero-fills only past the tensor, and a KV cache's
    // unwritten slots (NaN) must not meet P = 0.
    const int64_t oAt = 2 * slots;
    const int64_t wordsAt = oAt + valueTiles * 4;
    Value blocks = final.back();
    Value any =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, blocks, zero);
    SmallVector<Type> oTypes(valueTiles * 4, b.getF32Type());
    auto lastIf = scf::IfOp::create(b, loc, oTypes, any, /*withElse=*/true);
    {
      OpBuilder::InsertionGuard ifGuard(b);
      b.setInsertionPointToStart(&lastIf.getThenRegion().front());
      WarpgroupBuilder wb{kb};
      Value last = arith::SubIOp::create(b, loc, blocks, one);
      hopper->awaitValues(kb, last);
      Value lastBegin = kb.mul(last, kvStep);
      lastBegin = kb.add(keyBegin, lastBegin);
      Value validRows = arith::SubIOp::create(b, loc, keyEnd, lastBegin);
      Value partial = kb.less(validRows, kvStep);
      auto partialIf = scf::IfOp::create(b, loc, partial, /*withElse=*/false);
      {
        OpBuilder::InsertionGuard partialGuard(b);
        b.setInsertionPointToStart(&partialIf.getThenRegion().front());
        Value two = kb.index(2);
        Value buffer = arith::RemUIOp::create(b, loc, last, two);
        Value bufferAt =
            kb.mul(buffer, kb.index(hopper->valueBufferBytes / elementBytes));
        bufferAt = kb.addOffset(bufferAt, hopper->valueAt[0] / elementBytes);
        hopper->zeroValueRows(kb, bufferAt, validRows);
      }
      gpu::BarrierOp::create(b, loc); // zeroed rows visible to every warp
      SmallVector<Value> words(final.begin() + wordsAt, final.end() - 1);
      SmallVector<Value> o(final.begin() + oAt, final.begin() + wordsAt);
      o = hopper->issueValues(kb, words, o, last);
      wb.wait(0);
      scf::YieldOp::create(b, loc, o);
      b.setInsertionPointToStart(&lastIf.getElseRegion().front());
      SmallVector<Value> none(final.begin() + oAt, final.begin() + wordsAt);
      scf::YieldOp::create(b, loc, none);
    }
    for (int64_t i = 0; i < valueTiles * 4; ++i)
      final[oAt + i] = lastIf.getResult(i);
  }

  // Epilogue: full row sums, O / l, the lse.
  Value zeroF = f32Zero;
  Value oneF = kb.f32(1.0);
  for (int64_t slot = 0; slot < slots; ++slot) {
    const int64_t mt = slot / 2, r = slot % 2;
    Value sum = final[slots + slot];
    Value across1 = kb.shuffleXor(sum, 1);
    sum = kb.fadd(sum, across1);
    Value across2 = kb.shuffleXor(sum, 2);
    sum = kb.fadd(sum, across2);
    Value empty =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, sum, zeroF);
    Value reciprocal = arith::DivFOp::create(b, loc, oneF, sum);
    Value inverse = kb.select(empty, zeroF, reciprocal);
    auto ifOp = scf::IfOp::create(b, loc, rowValid[slot], /*withElse=*/false);
    OpBuilder::InsertionGuard ifGuard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    for (int64_t nv = 0; nv < valueTiles; ++nv) {
      const int64_t at = 2 * slots + (mt * valueTiles + nv) * 4 + 2 * r;
      Value lo = kb.fmul(final[at], inverse);
      Value hi = kb.fmul(final[at + 1], inverse);
      Value column = kb.addOffset(twiceT, nv * 8);
      if (kvSplits > 1) {
        const std::array<Value, 2> parts = {lo, hi};
        for (int64_t offset = 0; offset < 2; ++offset) {
          Value part = parts[offset];
          Value col = kb.addOffset(column, offset);
          memref::StoreOp::create(b, loc, part, partialOutput,
                                  ValueRange{splitIdx, batchIdx, rowHeads[slot],
                                             safeRows[slot], col});
        }
        continue;
      }
      Value narrowLo = arith::TruncFOp::create(b, loc, element, lo);
      Value narrowHi = arith::TruncFOp::create(b, loc, element, hi);
      Value pair = vector::FromElementsOp::create(
          b, loc, kb.pairType(), ValueRange{narrowLo, narrowHi});
      vector::StoreOp::create(
          b, loc, pair, output,
          ValueRange{batchIdx, rowHeads[slot], safeRows[slot], column},
          /*nontemporal=*/false, llvm::MaybeAlign(4));
    }
    if (lse || kvSplits > 1) {
      Value firstOfQuad = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, laneInQuad, zero);
      auto lseIf = scf::IfOp::create(b, loc, firstOfQuad, /*withElse=*/false);
      b.setInsertionPointToStart(&lseIf.getThenRegion().front());
      Value log2Sum = math::Log2Op::create(b, loc, sum);
      Value total = kb.fadd(final[slot], log2Sum);
      Value ln2 = kb.f32(M_LN2);
      Value natural = kb.fmul(total, ln2);
      Value result = kb.select(empty, negInf, natural);
      if (kvSplits > 1)
        memref::StoreOp::create(
            b, loc, result, partialLse,
            ValueRange{splitIdx, batchIdx, rowHeads[slot], safeRows[slot]});
      else
        memref::StoreOp::create(
            b, loc, result, lse,
            ValueRange{batchIdx, rowHeads[slot], safeRows[slot]});
    }
  }
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPoint(op);
  if (kvSplits > 1)
    buildSplitCombine(b, loc, partialOutput, partialLse, output, lse);
  replaceWithSDPABuffers(rewriter, op, buffers);
  return success();
}
