//===- AttnToGPU.cpp - convert-attn-to-gpu and its SIMT kernel ------------===//
//
// The pass: every attn.sdpa becomes the kernel its gpu_schedule names (or
// one derived from the pass options by the same policy): the tensor-core
// kernel (AttnToGPUMma.cpp) or the SIMT kernel here.
//
// The SIMT kernel, correctness first, for every shape and dtype: one
// gpu.launch per attn.sdpa, a block per (query block, query head, batch), a
// thread per query row. Key/value tiles are staged in shared memory by all
// threads; each thread keeps its (pre-scaled) query row and its f32 output
// accumulator in private memory and runs the online softmax (exp2, running
// max and sum) over the keys the mask pattern and key length leave visible.
// Operands must already be device memory (the caller passes device
// pointers in the memref descriptors).
//
//===----------------------------------------------------------------------===//

#include "AttnToGPU.h"
#include "attn/Conversion/AttnToGPU/AttnToGPU.h"

#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_CONVERTATTNTOGPUPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_lowering;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

struct SimtBuilder {
  OpBuilder &b;
  Location loc;
  /// Loops over head dims, to be unrolled so that the private query row and
  /// accumulator are indexed by constants and live in registers.
  SmallVectorImpl<scf::ForOp> *unroll = nullptr;
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value toF32(Value v) {
    if (v.getType().isF32())
      return v;
    return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
  }
  /// scf.for from `lb` to `ub` step `step` with `inits`; `body` returns the
  /// values to yield.
  ValueRange
  loop(Value lb, Value ub, Value step, ValueRange inits,
       function_ref<SmallVector<Value>(SimtBuilder &, Value, ValueRange)> body,
       bool unrolled = false) {
    auto forOp = scf::ForOp::create(
        b, loc, lb, ub, step, inits,
        [&](OpBuilder &nb, Location nloc, Value iv, ValueRange args) {
          SimtBuilder inner{nb, nloc, unroll};
          scf::YieldOp::create(nb, nloc, body(inner, iv, args));
        });
    if (unrolled && unroll)
      unroll->push_back(forOp);
    return forOp.getResults();
  }
};

} // namespace

LogicalResult gpu_lowering::lowerToSimtKernel(RewriterBase &rewriter, SDPAOp op,
                                              int64_t blockQ, int64_t blockKV) {
  RankedTensorType queryType = op.getQueryType(), keyType = op.getKeyType(),
                   valueType = op.getValueType();
  const int64_t batch = queryType.getDimSize(0);
  const int64_t heads = queryType.getDimSize(1);
  const int64_t querySeq = queryType.getDimSize(2);
  const int64_t headDim = queryType.getDimSize(3);
  const int64_t keySeq = keyType.getDimSize(2);
  const int64_t valueDim = valueType.getDimSize(3);
  const int64_t group = op.getGroupSize();
  const int64_t numQueryBlocks = (querySeq + blockQ - 1) / blockQ;
  auto pattern = op.getPatternAttr();
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  rewriter.setInsertionPoint(op);
  SimtBuilder hb{rewriter, loc};

  SDPABuffers buffers = createSDPABuffers(rewriter, op, std::nullopt);
  Value query = buffers.query, key = buffers.key, value = buffers.value;
  Value mask = buffers.mask, keyLengths = buffers.keyLengths;
  Value output = buffers.output, lse = buffers.lse;
  if (batch * heads * querySeq == 0) {
    // Nothing to compute (and a grid with a zero dimension is invalid).
    replaceWithSDPABuffers(rewriter, op, buffers);
    return success();
  }
  Type outElementType = valueType.getElementType();

  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto privateSpace =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Private);
  Type keyTileType = MemRefType::get({blockKV, headDim}, rewriter.getF32Type(),
                                     MemRefLayoutAttrInterface(), workgroup);
  Type valueTileType =
      MemRefType::get({blockKV, valueDim}, rewriter.getF32Type(),
                      MemRefLayoutAttrInterface(), workgroup);
  Type queryRowType =
      MemRefType::get({headDim}, rewriter.getF32Type(),
                      MemRefLayoutAttrInterface(), privateSpace);
  Type accRowType = MemRefType::get({valueDim}, rewriter.getF32Type(),
                                    MemRefLayoutAttrInterface(), privateSpace);
  // One op per statement throughout: IR order must not depend on the C++
  // compiler's argument evaluation order.
  Value one = hb.index(1);
  Value gridX = hb.index(numQueryBlocks);
  Value gridY = hb.index(heads);
  Value gridZ = hb.index(batch);
  Value blockX = hb.index(blockQ);
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, gridX, gridY, gridZ, blockX, one, one,
      /*dynamicSmem=*/nullptr,
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{},
      TypeRange{keyTileType, valueTileType},
      TypeRange{queryRowType, accRowType});

  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    SmallVector<scf::ForOp> headDimLoops;
    SimtBuilder kb{rewriter, loc, &headDimLoops};
    OpBuilder &b = rewriter;
    Value blockIdx = launch.getBlockIds().x, headIdx = launch.getBlockIds().y,
          batchIdx = launch.getBlockIds().z, thread = launch.getThreadIds().x;
    Value keyTile = launch.getWorkgroupAttributions()[0];
    Value valueTile = launch.getWorkgroupAttributions()[1];
    Value queryRow = launch.getPrivateAttributions()[0];
    Value accRow = launch.getPrivateAttributions()[1];
    Value zero = kb.index(0);
    Value querySeqLen = kb.index(querySeq), keySeqLen = kb.index(keySeq);
    Value queryBegin = kb.mul(blockIdx, kb.index(blockQ));
    Value row = kb.add(queryBegin, thread);
    Value rowValid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           row, querySeqLen);
    // Out-of-range threads work on the last row (loads stay in bounds) and
    // store nothing.
    Value lastRow = kb.index(querySeq - 1);
    Value safeRow = arith::SelectOp::create(b, loc, rowValid, row, lastRow);
    Value kvHead =
        group == 1 ? headIdx
                   : arith::DivUIOp::create(b, loc, headIdx, kb.index(group))
                         .getResult();
    const double scoreScale = op.getEffectiveScale() * M_LOG2E;

    // q row (scaled into the log2 domain) and a zero accumulator.
    kb.loop(
        zero, kb.index(headDim), one, {},
        [&](SimtBuilder &ib, Value d, ValueRange) -> SmallVector<Value> {
          Value q = memref::LoadOp::create(
              ib.b, ib.loc, query, ValueRange{batchIdx, headIdx, safeRow, d});
          Value wide = ib.toF32(q);
          Value factor = ib.f32(scoreScale);
          Value scaled = arith::MulFOp::create(ib.b, ib.loc, wide, factor);
          memref::StoreOp::create(ib.b, ib.loc, scaled, queryRow, d);
          return {};
        },
        /*unrolled=*/true);
    kb.loop(
        zero, kb.index(valueDim), one, {},
        [&](SimtBuilder &ib, Value e, ValueRange) -> SmallVector<Value> {
          memref::StoreOp::create(ib.b, ib.loc, ib.f32(0.0), accRow, e);
          return {};
        },
        /*unrolled=*/true);

    // Keys visible to some row of this block (uniform across the block, so
    // every thread reaches the same barriers).
    Value keyBegin = zero, keyEnd = keySeqLen;
    if (pattern) {
      Value blockEnd = kb.add(queryBegin, blockX);
      Value queryEnd = kb.min(blockEnd, querySeqLen);
      std::tie(keyBegin, keyEnd) = pattern.buildVisibleKeyRange(
          b, loc, queryBegin, queryEnd, querySeqLen, keySeqLen);
    }
    Value length;
    if (keyLengths) {
      Value raw = memref::LoadOp::create(b, loc, keyLengths, batchIdx);
      length = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
      length = arith::MaxSIOp::create(b, loc, length, zero);
      keyEnd = kb.min(keyEnd, length);
    }

    Value threads = kb.index(blockQ);
    Value kvStep = kb.index(blockKV);
    Value initialMax = kb.f32(kNegInf);
    Value initialSum = kb.f32(0.0);
    ValueRange state = kb.loop(
        keyBegin, keyEnd, kvStep, {initialMax, initialSum},
        [&](SimtBuilder &lb, Value kvBegin,
            ValueRange carried) -> SmallVector<Value> {
          Value kvLeft = lb.sub(keyEnd, kvBegin);
          Value kvCount = lb.min(kvStep, kvLeft);
          // Stage the tiles: thread t copies elements t, t + blockQ, ...
          auto stage = [&](Value source, Value tile, int64_t width) {
            Value total = lb.mul(kvCount, lb.index(width));
            lb.loop(thread, total, threads, {},
                    [&](SimtBuilder &sb, Value flat,
                        ValueRange) -> SmallVector<Value> {
                      Value widthValue = sb.index(width);
                      Value j = arith::DivUIOp::create(sb.b, sb.loc, flat,
                                                       widthValue);
                      Value d = arith::RemUIOp::create(sb.b, sb.loc, flat,
                                                       widthValue);
                      Value keyIdx = sb.add(kvBegin, j);
                      Value element = memref::LoadOp::create(
                          sb.b, sb.loc, source,
                          ValueRange{batchIdx, kvHead, keyIdx, d});
                      memref::StoreOp::create(sb.b, sb.loc, sb.toF32(element),
                                              tile, ValueRange{j, d});
                      return {};
                    });
          };
          stage(key, keyTile, headDim);
          stage(value, valueTile, valueDim);
          gpu::BarrierOp::create(lb.b, lb.loc);
          ValueRange updated = lb.loop(
              zero, kvCount, one, carried,
              [&](SimtBuilder &jb, Value j,
                  ValueRange running) -> SmallVector<Value> {
                Value dotEnd = jb.index(headDim);
                Value dotInit = jb.f32(0.0);
                Value score = jb.loop(
                    zero, dotEnd, one, {dotInit},
                    [&](SimtBuilder &db, Value d,
                        ValueRange sum) -> SmallVector<Value> {
                      Value q =
                          memref::LoadOp::create(db.b, db.loc, queryRow, d);
                      Value k = memref::LoadOp::create(db.b, db.loc, keyTile,
                                                       ValueRange{j, d});
                      Value product = arith::MulFOp::create(db.b, db.loc, q, k);
                      return {
                          arith::AddFOp::create(db.b, db.loc, sum[0], product)
                              .getResult()};
                    },
                    /*unrolled=*/true)[0];
                Value keyIdx = jb.add(kvBegin, j);
                Value keep;
                if (pattern)
                  keep = pattern.buildKeyVisible(jb.b, jb.loc, safeRow, keyIdx,
                                                 querySeqLen, keySeqLen);
                if (mask) {
                  auto maskType = cast<MemRefType>(mask.getType());
                  Value maskBatch =
                      maskType.getDimSize(0) == 1 ? jb.index(0) : batchIdx;
                  Value maskHead =
                      maskType.getDimSize(1) == 1 ? jb.index(0) : headIdx;
                  Value m = memref::LoadOp::create(
                      jb.b, jb.loc, mask,
                      ValueRange{maskBatch, maskHead, safeRow, keyIdx});
                  if (m.getType().isInteger(1)) {
                    keep = keep ? arith::AndIOp::create(jb.b, jb.loc, keep, m)
                                      .getResult()
                                : m;
                  } else {
                    Value bias = buildLog2MaskBias(jb.b, jb.loc, m);
                    score = arith::AddFOp::create(jb.b, jb.loc, score, bias);
                  }
                }
                if (keep)
                  score = arith::SelectOp::create(jb.b, jb.loc, keep, score,
                                                  jb.f32(kNegInf));
                // Online softmax in the log2 domain.
                Value maxValue =
                    arith::MaximumFOp::create(jb.b, jb.loc, running[0], score);
                Value isNegInf = arith::CmpFOp::create(
                    jb.b, jb.loc, arith::CmpFPredicate::OEQ, maxValue,
                    jb.f32(kNegInf));
                Value offset = arith::SelectOp::create(jb.b, jb.loc, isNegInf,
                                                       jb.f32(0.0), maxValue);
                Value oldShift =
                    arith::SubFOp::create(jb.b, jb.loc, running[0], offset);
                Value rescale = math::Exp2Op::create(jb.b, jb.loc, oldShift);
                Value newShift =
                    arith::SubFOp::create(jb.b, jb.loc, score, offset);
                Value p = math::Exp2Op::create(jb.b, jb.loc, newShift);
                Value scaledSum =
                    arith::MulFOp::create(jb.b, jb.loc, running[1], rescale);
                Value sum = arith::AddFOp::create(jb.b, jb.loc, scaledSum, p);
                Value valueEnd = jb.index(valueDim);
                jb.loop(
                    zero, valueEnd, one, {},
                    [&](SimtBuilder &eb, Value e,
                        ValueRange) -> SmallVector<Value> {
                      Value acc =
                          memref::LoadOp::create(eb.b, eb.loc, accRow, e);
                      Value v = memref::LoadOp::create(eb.b, eb.loc, valueTile,
                                                       ValueRange{j, e});
                      Value kept =
                          arith::MulFOp::create(eb.b, eb.loc, acc, rescale);
                      Value added =
                          math::FmaOp::create(eb.b, eb.loc, p, v, kept);
                      memref::StoreOp::create(eb.b, eb.loc, added, accRow, e);
                      return {};
                    },
                    /*unrolled=*/true);
                return {maxValue, sum};
              });
          gpu::BarrierOp::create(lb.b, lb.loc);
          return {updated[0], updated[1]};
        });

    // Normalize and store (valid rows only).
    Value rowMax = state[0], rowSum = state[1];
    auto ifOp = scf::IfOp::create(b, loc, rowValid, /*withElse=*/false);
    {
      OpBuilder::InsertionGuard ifGuard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      SimtBuilder sb{b, loc, &headDimLoops};
      Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                          rowSum, sb.f32(0.0));
      sb.loop(
          zero, sb.index(valueDim), one, {},
          [&](SimtBuilder &eb, Value e, ValueRange) -> SmallVector<Value> {
            Value acc = memref::LoadOp::create(eb.b, eb.loc, accRow, e);
            Value quotient = arith::DivFOp::create(eb.b, eb.loc, acc, rowSum);
            Value result = arith::SelectOp::create(eb.b, eb.loc, empty,
                                                   eb.f32(0.0), quotient);
            if (!outElementType.isF32())
              result =
                  arith::TruncFOp::create(eb.b, eb.loc, outElementType, result);
            memref::StoreOp::create(eb.b, eb.loc, result, output,
                                    ValueRange{batchIdx, headIdx, row, e});
            return {};
          },
          /*unrolled=*/true);
      if (lse) {
        Value log2Sum = math::Log2Op::create(b, loc, rowSum);
        Value total = arith::AddFOp::create(b, loc, rowMax, log2Sum);
        Value natural = arith::MulFOp::create(b, loc, total, sb.f32(M_LN2));
        Value result =
            arith::SelectOp::create(b, loc, empty, sb.f32(kNegInf), natural);
        memref::StoreOp::create(b, loc, result, lse,
                                ValueRange{batchIdx, headIdx, row});
      }
    }
    gpu::TerminatorOp::create(b, loc);
    // The trip counts are the (static) head dims, so full unrolling cannot
    // fail; the loops are independent of each other.
    for (scf::ForOp forOp : headDimLoops)
      (void)loopUnrollFull(forOp);
  }

  replaceWithSDPABuffers(rewriter, op, buffers);
  return success();
}

namespace {

struct ConvertAttnToGPUPass
    : public attn::impl::ConvertAttnToGPUPassBase<ConvertAttnToGPUPass> {
  using Base::Base;

  LogicalResult checkOptions() {
    Operation *root = getOperation();
    if (!isGPUKernelName(kernel))
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: kernel must be " << kGPUKernelNames
             << ", got '" << kernel << "'";
    if (blockQ < 0 || blockQ > 1024)
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: block-q must be 0 (derived) or lie in "
                "[1, 1024], got "
             << static_cast<int64_t>(blockQ);
    if (kernel == "mma" && blockQ != 0 && (blockQ % 16 != 0 || blockQ > 512))
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: the mma kernel takes 16 query rows per "
                "warp, so block-q must be a multiple of 16 in [16, 512], got "
             << static_cast<int64_t>(blockQ);
    if (kvSplits < 0 || kvSplits > 64)
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: kv-splits must lie in [0, 64], got "
             << static_cast<int64_t>(kvSplits);
    if (warpRows != 16 && warpRows != 32)
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: warp-rows must be 16 or 32, got "
             << static_cast<int64_t>(warpRows);
    if (blockKV < 0 || blockKV > 1024)
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: block-kv must be 0 (derived) or lie in "
                "[1, 1024], got "
             << static_cast<int64_t>(blockKV);
    if (kernel == "mma" && blockKV != 0 &&
        (blockKV < 16 || blockKV % 16 != 0 || blockKV > 256))
      return emitError(root->getLoc())
             << "convert-attn-to-gpu: block-kv of the mma kernel must be 0 "
                "(derived) or a multiple of 16 in [16, 256], got "
             << static_cast<int64_t>(blockKV);
    // The SIMT kernel has a thread per query row: no warp tiles, no
    // split-KV. Saying so beats ignoring the options.
    std::string conflict =
        gpuKernelOptionsConflict(kernel, /*chip=*/"", kvSplits, warpRows);
    if (!conflict.empty())
      return emitError(root->getLoc()) << "convert-attn-to-gpu: " << conflict;
    return success();
  }

  /// Lowers one op with its gpu_schedule, or with one derived from the
  /// options; the target is the module's attn.gpu_target (default: tensor
  /// cores, 48 KiB of shared memory).
  LogicalResult lower(RewriterBase &rewriter, SDPAOp op,
                      const GPUPolicy &target) {
    GPUScheduleAttr schedule = op.getGpuScheduleAttr();
    if (schedule) {
      if (failed(verifyGPUSchedule(op, schedule, target)))
        return failure();
    } else {
      GPUPolicy policy = target;
      policy.kernel = kernel;
      policy.blockQ = blockQ;
      policy.blockKV = blockKV;
      policy.warpRows = warpRows;
      policy.kvSplits = kvSplits;
      FailureOr<GPUScheduleAttr> derived = deriveGPUSchedule(op, policy);
      if (failed(derived))
        return failure();
      schedule = *derived;
    }
    return lowerWithGPUSchedule(rewriter, op, schedule);
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    GPUPolicy target = targetPolicy(getOperation());
    const int64_t maxShared = GPUTargetAttr::maxSharedKB(target.sm);
    if (sharedKB < 0 || sharedKB > maxShared) {
      emitError(getOperation()->getLoc())
          << "convert-attn-to-gpu: shared-kb must be 0 (default) or at most "
          << maxShared << " (KiB a block may use on sm_" << target.sm
          << "), got " << static_cast<int64_t>(sharedKB);
      return signalPassFailure();
    }
    if (sharedKB > 0) {
      target.sharedBytes = sharedKB * 1024;
      target.sharedDefault = false;
    }
    SmallVector<SDPAOp> ops;
    bool failedAny = false;
    getOperation()->walk([&](SDPAOp op) {
      if (failed(checkStaticShapes(op)))
        failedAny = true;
      else
        ops.push_back(op);
    });
    if (failedAny)
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    for (SDPAOp op : ops)
      if (failed(lower(rewriter, op, target)))
        return signalPassFailure();
  }
};

} // namespace
