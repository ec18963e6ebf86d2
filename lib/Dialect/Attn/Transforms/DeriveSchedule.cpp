//===- DeriveSchedule.cpp - choose FlashAttention schedules --------------===//
//
// The policy half of the flash path: from the target description and the
// op's shapes, pick block sizes and the micro-kernel register tile, and write
// them as #attn.schedule. The cost model is documented in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace mlir::attn {
#define GEN_PASS_DEF_DERIVESCHEDULEPASS
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

CPUTargetInfo mlir::attn::getHostCPUInfo() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](StringRef name) {
    auto it = features.find(name);
    return it != features.end() && it->second;
  };
  int64_t vectorBits = has("avx512f") ? 512 : has("avx2") ? 256 : 128;
  int64_t registers = has("avx512f") ? 32 : 16;
  int64_t cores = std::max(1u, std::thread::hardware_concurrency());
  if (const char *env = std::getenv("OMP_NUM_THREADS")) {
    int64_t threads = std::atoll(env);
    if (threads > 0)
      cores = threads;
  }
  long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  int64_t l1KB = l1 > 0 ? l1 / 1024 : 32, l2KB = l2 > 0 ? l2 / 1024 : 1024;
  return {vectorBits, registers, cores, l1KB, l2KB};
}

CPUTargetAttr mlir::attn::getHostCPUTarget(MLIRContext *context) {
  context->getOrLoadDialect<AttnDialect>();
  CPUTargetInfo host = getHostCPUInfo();
  return CPUTargetAttr::get(context, host.vectorBits, host.vectorRegisters,
                            host.cores, host.l1KB, host.l2KB);
}

/// Rows of the score tile of a work item: block_q, or in the row form
/// (block_q below the lanes) block_q of each of the group's query heads.
static int64_t scoreTileRows(SDPAOp op, int64_t blockQ, int64_t lanes) {
  return blockQ < lanes ? op.getGroupSize() * blockQ : blockQ;
}

ScheduleAttr mlir::attn::deriveCPUSchedule(SDPAOp op, CPUTargetAttr target) {
  RankedTensorType queryType = op.getQueryType();
  int64_t batch = queryType.getDimSize(0), heads = queryType.getDimSize(1);
  int64_t querySeq = queryType.getDimSize(2);
  int64_t lanes = target.getVectorBits() / 32;
  int64_t registers = target.getVectorRegisters();

  // Query block: 64 rows, fewer when that leaves cores idle, never more
  // than the (vector-rounded) sequence.
  auto roundUp = [](int64_t value, int64_t multiple) {
    return (value + multiple - 1) / multiple * multiple;
  };
  int64_t blockQ = std::max<int64_t>(roundUp(64, lanes), lanes);
  blockQ = std::min(blockQ, roundUp(std::max<int64_t>(querySeq, 1), lanes));
  while (blockQ > lanes &&
         batch * heads * ((querySeq + blockQ - 1) / blockQ) <
             4 * target.getCores())
    blockQ = std::max(lanes, roundUp(blockQ / 2, lanes));

  // A query shorter than a vector (decode, a few speculative tokens): one
  // block of exactly its rows, in attn-tile-flash's row form (keys
  // innermost) rather than a vector of mostly padding query columns.
  if (querySeq < lanes)
    blockQ = std::max<int64_t>(querySeq, 1);

  // Register tile: accumulators + loaded vectors + one broadcast. In the
  // row form the vectors are query rows of the Q K^T dot products (at
  // most the block's rows) and the rows are keys.
  int64_t registerVectors = std::max<int64_t>(
      1, std::min<int64_t>(registers == 32 ? 4 : 2,
                           blockQ < lanes ? scoreTileRows(op, blockQ, lanes)
                                          : blockQ / lanes));
  int64_t registerRows = std::min<int64_t>(
      8, (registers - registerVectors - 1) / registerVectors);
  // Row form: keys per dot-product group a power of two (6 keys of 4 rows
  // took 7.4 ms where 4 took 4.2, f32 decode B1 Hq32 Hkv8 Skv8192 D128).
  if (blockQ < lanes)
    registerRows = int64_t(1) << llvm::Log2_64(registerRows);

  // Key block: the score tile takes at most half of L1 (its rows: the
  // block's queries, of every query head of a KV head in the row form),
  // and no more keys than there are, rounded up to 16.
  int64_t blockKV =
      target.getL1KB() * 1024 / 2 / (4 * scoreTileRows(op, blockQ, lanes));
  blockKV = std::clamp<int64_t>(blockKV / 16 * 16, 16, 256);
  blockKV = std::min(
      blockKV,
      std::max<int64_t>(16, roundUp(op.getKeyType().getDimSize(2), 16)));

  // Split-KV (row form): a decode with fewer work items, (batch, KV head,
  // query block), than cores shares each item's keys among as many items
  // as fill the cores, each keeping at least two key blocks.
  int64_t kvSplits = 1;
  if (blockQ < lanes) {
    int64_t items = batch * op.getKeyType().getDimSize(1) *
                    ((querySeq + blockQ - 1) / blockQ);
    int64_t keyBlocks = (op.getKeyType().getDimSize(2) + blockKV - 1) / blockKV;
    if (items > 0 && items < target.getCores())
      kvSplits = std::clamp<int64_t>(
          (target.getCores() + items - 1) / items, 1,
          std::min<int64_t>(256, std::max<int64_t>(1, keyBlocks / 2)));
  }
  return ScheduleAttr::get(op.getContext(), blockQ, blockKV, lanes,
                           registerRows, registerVectors, kvSplits);
}

namespace {

struct DeriveSchedulePass
    : public attn::impl::DeriveSchedulePassBase<DeriveSchedulePass> {
  using Base::Base;

  /// Host, then the nearest enclosing (or this) module's `attn.target`,
  /// then pass options, each overriding the previous.
  CPUTargetAttr resolveTarget(Operation *anchor) {
    MLIRContext *context = &getContext();
    CPUTargetAttr target = getHostCPUTarget(context);
    for (Operation *op = anchor; op; op = op->getParentOp())
      if (auto fromModule = op->getAttrOfType<CPUTargetAttr>("attn.target")) {
        target = fromModule;
        break;
      }
    auto pick = [](int64_t option, int64_t current) {
      return option > 0 ? option : current;
    };
    return CPUTargetAttr::getChecked(
        [&]() {
          return anchor->emitError() << "attn-derive-schedule: invalid target: ";
        },
        context, pick(vectorBits, target.getVectorBits()),
        pick(vectorRegisters, target.getVectorRegisters()),
        pick(cores, target.getCores()), pick(l1KB, target.getL1KB()),
        pick(l2KB, target.getL2KB()));
  }

  /// Options are sizes, or 0 for "from the module or the host".
  LogicalResult checkOptions() {
    const StringRef names[] = {"vector-bits", "vector-registers", "cores",
                               "l1-kb", "l2-kb"};
    const int64_t values[] = {vectorBits, vectorRegisters, cores, l1KB, l2KB};
    for (auto [name, value] : llvm::zip(names, values)) {
      if (value < 0)
        return emitError(getOperation()->getLoc())
               << "attn-derive-schedule: option '" << name
               << "' must be positive (or 0 for the module's or host's "
                  "value), got "
               << value;
      if (value > kMaxCPUTargetValue)
        return emitError(getOperation()->getLoc())
               << "attn-derive-schedule: option '" << name
               << "' must be at most " << kMaxCPUTargetValue << ", got "
               << value;
    }
    if (vectorBits != 0 && vectorBits != 128 && vectorBits != 256 &&
        vectorBits != 512)
      return emitError(getOperation()->getLoc())
             << "attn-derive-schedule: option 'vector-bits' must be 128, 256 "
                "or 512 (or 0), got "
             << static_cast<int64_t>(vectorBits);
    if (vectorRegisters != 0 && vectorRegisters != 16 && vectorRegisters != 32)
      return emitError(getOperation()->getLoc())
             << "attn-derive-schedule: option 'vector-registers' must be 16 or "
                "32 (or 0), got "
             << static_cast<int64_t>(vectorRegisters);
    return success();
  }

  void runOnOperation() override {
    if (failed(checkOptions()))
      return signalPassFailure();
    WalkResult result = getOperation()->walk([&](SDPAOp op) {
      CPUTargetAttr target = resolveTarget(op);
      if (!target)
        return WalkResult::interrupt();
      int64_t lanes = target.getVectorBits() / 32;
      if (ScheduleAttr given = op.getScheduleAttr()) {
        if (given.getVectorWidth() > lanes) {
          op.emitOpError() << "schedule 'vector_width' "
                           << given.getVectorWidth()
                           << " exceeds the target's " << lanes
                           << " f32 lanes (" << target.getVectorBits()
                           << "-bit vectors)";
          return WalkResult::interrupt();
        }
        int64_t needed = given.getRegisterRows() * given.getRegisterVectors() +
                         given.getRegisterVectors() + 1;
        if (needed > target.getVectorRegisters()) {
          op.emitOpError() << "schedule register tile "
                           << given.getRegisterRows() << "x"
                           << given.getRegisterVectors() << " needs " << needed
                           << " vector registers, the target has "
                           << target.getVectorRegisters();
          return WalkResult::interrupt();
        }
        if (explain)
          op.emitRemark() << "keeping the given schedule " << given;
        return WalkResult::advance();
      }
      if (!op.getQueryType().hasStaticShape() ||
          !op.getKeyType().hasStaticShape()) {
        if (explain)
          op.emitRemark() << "no schedule: dynamic shapes take the reference "
                             "path";
        return WalkResult::advance();
      }
      if (op.getQueryType().getDimSize(3) == 0 ||
          op.getValueType().getDimSize(3) == 0) {
        if (explain)
          op.emitRemark() << "no schedule: a head dim of 0 takes the "
                             "reference path";
        return WalkResult::advance();
      }
      ScheduleAttr schedule = deriveCPUSchedule(op, target);
      op.setScheduleAttr(schedule);
      if (explain) {
        RankedTensorType query = op.getQueryType();
        // The row form (block_q narrower than a vector) takes all query
        // heads of a KV head in one work item.
        bool rowForm = schedule.getBlockQ() < lanes;
        int64_t items =
            query.getDimSize(0) *
            (rowForm ? op.getKeyType().getDimSize(1) : query.getDimSize(1)) *
            ((query.getDimSize(2) + schedule.getBlockQ() - 1) /
             schedule.getBlockQ());
        InFlightDiagnostic diag = op.emitRemark();
        diag << "schedule " << schedule << " for " << target << ": " << lanes
             << " f32 lanes; register tile " << schedule.getRegisterRows()
             << "x" << schedule.getRegisterVectors() << " uses "
             << schedule.getRegisterRows() * schedule.getRegisterVectors() +
                    schedule.getRegisterVectors() + 1
             << " of " << target.getVectorRegisters() << " registers; block_q "
             << schedule.getBlockQ()
             << (rowForm ? " (row form: narrower than a vector; "
                           "the query heads of a KV head share "
                           "a work item)"
                         : "")
             << " gives " << items << " parallel work items for "
             << target.getCores() << " cores";
        if (schedule.getKvSplits() > 1)
          diag << ", each split over " << schedule.getKvSplits()
               << " key ranges (split-KV: " << items * schedule.getKvSplits()
               << " items)";
        diag << "; block_kv " << schedule.getBlockKV();
        const int64_t tileRows = scoreTileRows(op, schedule.getBlockQ(), lanes);
        const int64_t tileKB = schedule.getBlockKV() * tileRows * 4 / 1024;
        if (schedule.getBlockKV() * tileRows * 4 * 2 > target.getL1KB() * 1024)
          diag << " is the smallest taken: its " << tileKB
               << " KiB score tile exceeds half of the " << target.getL1KB()
               << " KiB L1";
        else
          diag << " keeps the " << tileKB << " KiB score tile within half of "
               << "the " << target.getL1KB() << " KiB L1";
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
