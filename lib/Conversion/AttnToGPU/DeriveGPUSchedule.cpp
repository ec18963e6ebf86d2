//===- DeriveGPUSchedule.cpp - the GPU kernel policy ----------------------===//
//
// Which kernel convert-attn-to-gpu builds for an attn.sdpa and with which
// block sizes, from what the target offers (compute capability, shared
// memory per block, SM count) and the shapes:
//
//   * kernel: mma (tensor cores) where the chip has bf16 mma.sync (sm_80+),
//     the dtype is f16/bf16, the head dims are multiples of 16 (at most
//     256) and a K/V tile fits; otherwise simt;
//   * mma block_q: 64 rows (4 warps), fewer for short query sequences (no
//     idle warps on decode) and halved down to 16 while the grid has fewer
//     blocks than the GPU has SMs; block_kv: the largest tile up to 64 keys
//     that fits shared memory (32 past head dim 128, where the registers
//     run out; by default a block may use the chip's opt-in maximum);
//   * wgmma (sm_90a, only when asked for: not yet measured on hardware):
//     block_q 128 (two warpgroups) while the grid fills the GPU, else 64;
//     block_kv 128 up to head dim 64, else 64;
//   * simt block_q: 64 threads (32 for a short query), block_kv: 64 keys
//     halved until the f32 tiles fit.
//
//===----------------------------------------------------------------------===//

#include "AttnToGPU.h"
#include "attn/Conversion/AttnToGPU/AttnToGPU.h"

#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_lowering;

int64_t mlir::attn::parseGPUChip(StringRef chip) {
  if (!chip.consume_front("sm_"))
    return 0;
  StringRef digits = chip.take_while(llvm::isDigit);
  StringRef suffix = chip.drop_front(digits.size());
  int64_t version = 0;
  if (digits.getAsInteger(10, version) ||
      !(suffix.empty() || suffix == "a" || suffix == "f"))
    return 0;
  return version;
}

std::string mlir::attn::gpuKernelOptionsConflict(StringRef kernel,
                                                 StringRef chip,
                                                 int64_t kvSplits,
                                                 int64_t warpRows) {
  if (kernel == "wgmma" && !chip.empty() && chip != "sm_90a")
    return "kernel=wgmma needs chip sm_90a (wgmma.mma_async and TMA exist "
           "on the arch-specific Hopper target only), got " +
           chip.str();
  if (kernel == "simt" && (kvSplits > 1 || warpRows != 16))
    return "kernel=simt takes neither kv-splits nor warp-rows (got "
           "kv-splits=" +
           std::to_string(kvSplits) + " warp-rows=" + std::to_string(warpRows) +
           "); they apply to the tensor-core "
           "kernels";
  return "";
}

static int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

int64_t gpu_lowering::simtSharedBytes(SDPAOp op, int64_t blockKV) {
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  return blockKV * (headDim + valueDim) * 4;
}

/// Query rows per block of the mma kernel: the requested ones, else 4
/// warps' worth (fewer for a short query), halved down to one warp while
/// the grid has fewer blocks than the GPU has SMs.
/// The mma kernel's grid for `blockQ`: blocks of query rows per (batch,
/// head), or per (batch, KV head) when it stacks a group's query heads.
static int64_t mmaBlocks(SDPAOp op, int64_t warpRows, int64_t blockQ) {
  const int64_t batch = op.getQueryType().getDimSize(0);
  int64_t heads = op.getQueryType().getDimSize(1);
  int64_t rows = op.getQueryType().getDimSize(2);
  if (packsQueryHeads(op, warpRows)) {
    rows *= op.getGroupSize();
    heads /= op.getGroupSize();
  }
  return batch * heads * ((rows + blockQ - 1) / blockQ);
}

static int64_t mmaBlockQ(SDPAOp op, const GPUPolicy &policy) {
  if (policy.blockQ)
    return policy.blockQ;
  const int64_t warpRows = policy.warpRows;
  auto blocksOf = [&](int64_t blockQ) {
    return mmaBlocks(op, warpRows, blockQ);
  };
  int64_t rows = op.getQueryType().getDimSize(2);
  if (packsQueryHeads(op, warpRows))
    rows *= op.getGroupSize();
  int64_t blockQ = std::min<int64_t>(
      4 * warpRows, roundUp(std::max<int64_t>(rows, 1), warpRows));
  while (blockQ > warpRows && blocksOf(blockQ) < policy.sms)
    blockQ = roundUp(blockQ / 2, warpRows);
  return blockQ;
}

/// Why the mma kernel cannot take `op` on this target (empty if it can).
static std::string mmaReason(SDPAOp op, const GPUPolicy &policy) {
  std::string reason = mmaUnsupportedReason(op);
  if (!reason.empty())
    return reason;
  if (policy.sm < 80)
    return "sm_" + std::to_string(policy.sm) +
           " has no m16n8k16 mma.sync for f16 and bf16 (needs sm_80 or "
           "later)";
  const int64_t staged =
      mmaSharedQueryRows(op, mmaBlockQ(op, policy), policy.warpRows);
  int64_t blockKV = policy.blockKV
                        ? policy.blockKV
                        : defaultMmaBlockKV(op, tensorCoreSharedLimit(policy),
                                            staged, policy.warpRows);
  int64_t shownKV = blockKV ? blockKV : 16;
  int64_t bytes = mmaSharedBytes(op, shownKV, staged);
  if (blockKV == 0 || bytes > tensorCoreSharedLimit(policy)) {
    llvm::raw_string_ostream os(reason);
    os << "key/value tiles of " << shownKV << " rows";
    if (staged)
      os << " and the staged Q tile of " << staged << " rows";
    os << " need " << bytes << " bytes of shared memory, over the "
       << tensorCoreSharedLimit(policy) << " available";
  }
  return reason;
}

/// Split-KV when the grid of `blocks` cannot fill the GPU but the key loop
/// is long: enough splits for about two blocks per SM, each of at least 4
/// key tiles of `blockKV`.
static int64_t deriveKVSplits(SDPAOp op, const GPUPolicy &policy,
                              int64_t blocks, int64_t blockKV) {
  if (policy.kvSplits != 0)
    return policy.kvSplits;
  const int64_t keySeq = op.getKeyType().getDimSize(2);
  const int64_t keyTiles = blockKV ? (keySeq + blockKV - 1) / blockKV : 0;
  if (blocks <= 0 || blocks >= policy.sms || keyTiles < 8)
    return 1;
  return std::max<int64_t>(
      1, std::min<int64_t>(
             {(2 * policy.sms + blocks - 1) / blocks, keyTiles / 4, 64}));
}

/// The end of an explain remark: the grid against the SMs, and the split.
static std::string gridSummary(int64_t blocks, int64_t sms, int64_t kvSplits) {
  std::string text = std::to_string(blocks * kvSplits) + " blocks for " +
                     std::to_string(sms) + " SMs";
  if (kvSplits > 1)
    text +=
        " (keys split " + std::to_string(kvSplits) + " ways, then combined)";
  return text;
}

/// The sm_90a schedule: a warpgroup per 64 query rows, two warpgroups
/// while the grid still fills the GPU; the largest K/V tile that fits.
static FailureOr<GPUScheduleAttr> deriveWgmmaSchedule(SDPAOp op,
                                                      const GPUPolicy &policy) {
  if (policy.sm != 90)
    return op.emitOpError() << "cannot use the wgmma kernel: sm_" << policy.sm
                            << " has no wgmma.mma_async (it needs sm_90a)";
  std::string reason = wgmmaUnsupportedReason(op);
  if (!reason.empty())
    return op.emitOpError() << "cannot use the wgmma kernel: " << reason;
  const int64_t batch = op.getQueryType().getDimSize(0);
  const int64_t heads = op.getQueryType().getDimSize(1);
  const int64_t querySeq = op.getQueryType().getDimSize(2);
  auto blocksOf = [&](int64_t blockQ) {
    return batch * heads * ((querySeq + blockQ - 1) / blockQ);
  };
  const int64_t sharedLimit = tensorCoreSharedLimit(policy);
  // Past head dim 128 always two warpgroups: one alone (block_q 64) ran
  // at 255 registers and spilled 28-124 bytes at D 256, two take 238.
  const int64_t widest = std::max(op.getQueryType().getDimSize(3),
                                  op.getValueType().getDimSize(3));
  int64_t blockQ = policy.blockQ;
  if (!blockQ)
    blockQ = (widest > 128 &&
              wgmmaSharedBytes(op, 128, kWarpgroupRows) <= sharedLimit) ||
                     (querySeq > kWarpgroupRows && blocksOf(128) >= policy.sms)
                 ? 128
                 : 64;
  int64_t blockKV = policy.blockKV
                        ? policy.blockKV
                        : defaultWgmmaBlockKV(op, blockQ, sharedLimit);
  // A requested block size the kernel cannot take, before its cost.
  if (failed(GPUScheduleAttr::verify(
          [&] { return op.emitOpError() << "gpu schedule: "; }, "wgmma", blockQ,
          blockKV ? blockKV : 64, 16, std::max<int64_t>(policy.kvSplits, 1))))
    return failure();
  const int64_t shownKV = blockKV ? blockKV : 64;
  const int64_t bytes = wgmmaSharedBytes(op, blockQ, shownKV);
  if (!blockKV || bytes > sharedLimit)
    return op.emitOpError()
           << "cannot use the wgmma kernel: its tiles (" << blockQ
           << " query rows, " << shownKV << " keys) need " << bytes
           << " bytes of shared memory, over the " << sharedLimit
           << " available";
  const int64_t kvSplits =
      deriveKVSplits(op, policy, blocksOf(blockQ), blockKV);
  MLIRContext *ctx = op.getContext();
  auto schedule =
      GPUScheduleAttr::get(ctx, "wgmma", blockQ, blockKV, 16, kvSplits);
  if (policy.explain)
    op.emitRemark() << "gpu schedule " << schedule << ": "
                    << blockQ / kWarpgroupRows << " warpgroup"
                    << (blockQ > kWarpgroupRows ? "s" : "")
                    << " of 64 query rows; TMA tiles of " << blockKV
                    << " keys; " << bytes << " of " << sharedLimit
                    << " bytes of shared memory; "
                    << gridSummary(blocksOf(blockQ), policy.sms, kvSplits);
  return schedule;
}

/// Batch and heads index grid dimensions z and y, which CUDA caps at 65535.
static LogicalResult checkGridLimits(SDPAOp op) {
  const int64_t batch = op.getQueryType().getDimSize(0);
  const int64_t heads = op.getQueryType().getDimSize(1);
  const int64_t querySeq = op.getQueryType().getDimSize(2);
  if (batch > 65535 || heads > 65535)
    return op.emitOpError()
           << "has batch " << batch << " and " << heads
           << " query heads; the GPU kernels put them on grid dimensions z "
              "and y, which hold at most 65535 blocks";
  // Query blocks go on grid dimension x (at most 2^31 - 1 blocks of at
  // least one row).
  if (querySeq > std::numeric_limits<int32_t>::max())
    return op.emitOpError()
           << "has query length " << querySeq
           << "; the GPU kernels put its blocks on grid dimension x, which "
              "holds at most 2147483647 blocks";
  // Every kernel keeps a key (and value) row of f32 or f16 in shared
  // memory; past this no GPU's shared memory holds one (and sizes computed
  // from it would overflow).
  const int64_t headDim = op.getQueryType().getDimSize(3);
  const int64_t valueDim = op.getValueType().getDimSize(3);
  if (headDim > kMaxGPUHeadDim || valueDim > kMaxGPUHeadDim)
    return op.emitOpError()
           << "has head dim " << headDim << " and value head dim " << valueDim
           << "; the GPU kernels take head dims up to " << kMaxGPUHeadDim
           << " (a key and value row must fit in shared memory)";
  return success();
}

FailureOr<GPUScheduleAttr>
gpu_lowering::deriveGPUSchedule(SDPAOp op, const GPUPolicy &requested) {
  GPUPolicy policy = requested;
  if (failed(checkGridLimits(op)))
    return failure();
  MLIRContext *ctx = op.getContext();
  const int64_t batch = op.getQueryType().getDimSize(0);
  const int64_t heads = op.getQueryType().getDimSize(1);
  const int64_t querySeq = op.getQueryType().getDimSize(2);
  auto blocksOf = [&](int64_t blockQ) {
    return batch * heads * ((querySeq + blockQ - 1) / blockQ);
  };

  GPUScheduleAttr schedule;
  bool useMma = false;
  if (policy.kernel == "wgmma") {
    FailureOr<GPUScheduleAttr> derived = deriveWgmmaSchedule(op, policy);
    if (failed(derived))
      return failure();
    schedule = *derived;
  } else if (policy.kernel != "simt") {
    std::string reason = mmaReason(op, policy);
    // Two 16-row tiles per warp hold O twice: past value head dim 128 that
    // is more f32 accumulators than a thread's 255 registers hold well (it
    // compiles, spilling, when the tiles are given).
    const int64_t valueDim = op.getValueType().getDimSize(3);
    std::string tooWide;
    if (policy.warpRows == 32 && valueDim > 128)
      tooWide = "two 16-row tiles per warp hold " + std::to_string(valueDim) +
                " f32 accumulators of O per lane at value head dim " +
                std::to_string(valueDim) + " (of 255 registers; at most 128)";
    if ((!reason.empty() || !tooWide.empty()) && policy.warpRows == 32 &&
        !policy.blockKV && policy.sm >= 80 &&
        mmaUnsupportedReason(op).empty()) {
      // Two 16-row tiles per warp stage Q in shared memory; where that does
      // not fit, or O does not (wide heads), one tile per warp may.
      GPUPolicy narrower = policy;
      narrower.warpRows = 16;
      if (mmaReason(op, narrower).empty()) {
        op.emitRemark() << "using 16 query rows per warp, not 32: "
                        << (reason.empty() ? tooWide : reason);
        policy = narrower;
        reason.clear();
      }
    }
    if (reason.empty()) {
      useMma = true;
    } else if (policy.kernel == "mma") {
      return op.emitOpError()
             << "cannot use the tensor-core (mma) kernel: " << reason;
    } else if ((policy.blockKV || policy.warpRows != 16) && policy.sm >= 80 &&
               mmaUnsupportedReason(op).empty()) {
      // Only the requested tiles stand in the way: the SIMT kernel would
      // need more shared memory for them (or spill), so say what to change.
      InFlightDiagnostic diag = op.emitOpError();
      if (policy.blockKV)
        diag << "block-kv=" << policy.blockKV;
      if (policy.blockKV && policy.warpRows != 16)
        diag << " with ";
      if (policy.warpRows != 16)
        diag << "warp-rows=" << policy.warpRows;
      return diag << " does not fit the tensor-core (mma) kernel: " << reason
                  << "; give smaller tiles (or none, to derive them)";
    } else {
      op.emitRemark() << "using the SIMT kernel, not the tensor-core one: "
                      << reason;
    }
  }

  if (schedule) {
    // derived above
  } else if (useMma) {
    const int64_t warpRows = policy.warpRows;
    const int64_t blockQ = mmaBlockQ(op, policy);
    const int64_t staged = mmaSharedQueryRows(op, blockQ, warpRows);
    int64_t blockKV = policy.blockKV
                          ? policy.blockKV
                          : defaultMmaBlockKV(op, tensorCoreSharedLimit(policy),
                                              staged, warpRows);
    // A single warp (decode, short queries) past head dim 64: 16 keys. It
    // stages K and V alone, and ptxas holds a one-warp kernel near 168
    // registers, spilling rather than going past: at D 128 the one-query
    // decode spilled 48-64 bytes with 64-key tiles and 4-56 bytes with 32
    // (masks, key lengths); with 16 none of 144 decode / short-query shapes
    // spills on sm_80 or sm_90a. Memory-bound decode loses little by the
    // shorter tile, and the split-KV count makes up the parallelism.
    const int64_t widest = std::max(op.getQueryType().getDimSize(3),
                                    op.getValueType().getDimSize(3));
    if (!policy.blockKV && blockQ == warpRows && widest > 64)
      blockKV = std::min<int64_t>(blockKV, 16);
    // No tile longer than the keys (rounded to the 16 of an MMA): a few
    // keys in a 64-key tile only cost shared memory and registers (7 keys
    // spilled 8 bytes at D 128 on sm_90a).
    if (!policy.blockKV)
      blockKV = std::min<int64_t>(
          blockKV, std::max<int64_t>(
                       16, roundUp(op.getKeyType().getDimSize(2), 16)));
    const int64_t blocks = mmaBlocks(op, warpRows, blockQ);
    const int64_t kvSplits = deriveKVSplits(op, policy, blocks, blockKV);
    schedule =
        GPUScheduleAttr::get(ctx, "mma", blockQ, blockKV, warpRows, kvSplits);
    if (policy.explain)
      op.emitRemark() << "gpu schedule " << schedule << ": "
                      << blockQ / warpRows
                      << (blockQ == warpRows ? " warp" : " warps") << " of "
                      << warpRows << " query rows"
                      << (packsQueryHeads(op, warpRows)
                              ? " (the " + std::to_string(op.getGroupSize()) +
                                    " query heads of a KV head stacked)"
                              : std::string())
                      << "; K/V tiles of " << blockKV << " keys"
                      << (staged
                              ? " and Q's " + std::to_string(staged) + " rows"
                              : std::string())
                      << " take " << mmaSharedBytes(op, blockKV, staged)
                      << " of " << tensorCoreSharedLimit(policy)
                      << " bytes of shared memory; "
                      << gridSummary(blocks, policy.sms, kvSplits);
  } else {
    int64_t blockQ = policy.blockQ
                         ? policy.blockQ
                         : std::min<int64_t>(
                               64, roundUp(std::max<int64_t>(querySeq, 1), 32));
    int64_t blockKV = policy.blockKV;
    if (!blockKV) {
      blockKV = 64;
      while (blockKV > 1 &&
             simtSharedBytes(op, blockKV) >
                 std::min<int64_t>(40 * 1024, policy.sharedBytes))
        blockKV /= 2;
    }
    if (simtSharedBytes(op, blockKV) > policy.sharedBytes)
      return op.emitOpError()
             << "the SIMT kernel's key/value tiles of " << blockKV
             << " rows need " << simtSharedBytes(op, blockKV)
             << " bytes of shared memory, over the " << policy.sharedBytes
             << " available";
    schedule = GPUScheduleAttr::get(ctx, "simt", blockQ, blockKV,
                                    /*warpRows=*/16, /*kvSplits=*/1);
    if (policy.explain)
      op.emitRemark() << "gpu schedule " << schedule << ": a thread per "
                      << "query row; f32 K/V tiles of " << blockKV
                      << " keys take " << simtSharedBytes(op, blockKV)
                      << " bytes of shared memory; " << blocksOf(blockQ)
                      << " blocks for " << policy.sms << " SMs";
  }
  // A requested block size the chosen kernel cannot take.
  if (failed(GPUScheduleAttr::verify(
          [&] { return op.emitOpError() << "gpu schedule: "; },
          schedule.getKernel(), schedule.getBlockQ(), schedule.getBlockKv(),
          schedule.getWarpRows(), schedule.getKvSplits())))
    return failure();
  return schedule;
}

LogicalResult gpu_lowering::checkStaticShapes(SDPAOp op) {
  auto isStatic = [](Type type) {
    return cast<ShapedType>(type).hasStaticShape();
  };
  if (llvm::all_of(op->getOperandTypes(), isStatic) &&
      llvm::all_of(op->getResultTypes(), isStatic))
    return success();
  return op.emitOpError() << "has dynamic shapes, which the GPU lowering does "
                             "not support; give every dimension a size";
}

GPUPolicy gpu_lowering::targetPolicy(Operation *op) {
  GPUPolicy policy;
  ModuleOp module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  if (!module)
    return policy;
  // The attn dialect verifies the attribute's kind (AttnDialect.cpp).
  auto target = module->getAttrOfType<GPUTargetAttr>("attn.gpu_target");
  if (!target)
    return policy;
  policy.sm = target.getSm();
  policy.sharedBytes = target.getSharedKB() * 1024;
  policy.sharedDefault = false;
  policy.sms = target.getSms();
  return policy;
}

LogicalResult gpu_lowering::verifyGPUSchedule(SDPAOp op,
                                              GPUScheduleAttr schedule,
                                              const GPUPolicy &policy) {
  if (failed(checkGridLimits(op)))
    return failure();
  if (schedule.getKernel() == "wgmma") {
    if (policy.sm != 90)
      return op.emitOpError()
             << "has gpu_schedule " << schedule << ", but sm_" << policy.sm
             << " has no wgmma.mma_async (it needs sm_90a)";
    std::string reason = wgmmaUnsupportedReason(op);
    if (!reason.empty())
      return op.emitOpError()
             << "has gpu_schedule " << schedule
             << ", but the wgmma kernel cannot take it: " << reason;
    const int64_t bytes =
        wgmmaSharedBytes(op, schedule.getBlockQ(), schedule.getBlockKv());
    if (bytes > tensorCoreSharedLimit(policy))
      return op.emitOpError()
             << "has gpu_schedule " << schedule << ", whose tiles need "
             << bytes << " bytes of shared memory, over the "
             << tensorCoreSharedLimit(policy) << " available";
    return success();
  }
  const bool mma = schedule.getKernel() == "mma";
  if (mma && policy.sm < 80)
    return op.emitOpError()
           << "has gpu_schedule " << schedule << ", but sm_" << policy.sm
           << " has no m16n8k16 mma.sync for f16 and bf16 (needs sm_80 or "
              "later)";
  if (mma) {
    std::string reason = mmaUnsupportedReason(op);
    if (!reason.empty())
      return op.emitOpError() << "has gpu_schedule " << schedule
                              << ", but the tensor-core (mma) kernel cannot "
                                 "take it: "
                              << reason;
  }
  const int64_t bytes =
      mma ? mmaSharedBytes(op, schedule.getBlockKv(),
                           mmaSharedQueryRows(op, schedule.getBlockQ(),
                                              schedule.getWarpRows()))
          : simtSharedBytes(op, schedule.getBlockKv());
  const int64_t limit =
      mma ? tensorCoreSharedLimit(policy) : policy.sharedBytes;
  if (bytes > limit)
    return op.emitOpError()
           << "has gpu_schedule " << schedule << ", whose key/value tiles "
           << "need " << bytes << " bytes of shared memory, over the " << limit
           << " available";
  return success();
}

LogicalResult gpu_lowering::lowerWithGPUSchedule(RewriterBase &rewriter,
                                                 SDPAOp op,
                                                 GPUScheduleAttr schedule) {
  if (schedule.getKernel() == "mma" || schedule.getKernel() == "wgmma")
    return lowerToMmaKernel(rewriter, op, schedule.getBlockQ(),
                            schedule.getBlockKv(), schedule.getWarpRows(),
                            schedule.getKvSplits(),
                            schedule.getKernel() == "wgmma");
  return lowerToSimtKernel(rewriter, op, schedule.getBlockQ(),
                           schedule.getBlockKv());
}

//===----------------------------------------------------------------------===//
// attn-derive-gpu-schedule
//===----------------------------------------------------------------------===//

#include "attn/Conversion/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_DERIVEGPUSCHEDULEPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

namespace {

/// SMs of a typical part of each generation (A100, A10, H100 SXM, B200...).
int64_t typicalSMs(int64_t sm) {
  switch (sm) {
  case 75:
    return 40;
  case 80:
    return 108;
  case 86:
    return 84;
  case 87:
    return 16;
  case 89:
    return 128;
  case 90:
    return 132;
  case 100:
  case 103:
    return 148;
  case 120:
    return 170;
  default:
    return 132;
  }
}

struct DeriveGPUSchedulePass
    : public attn::impl::DeriveGPUSchedulePassBase<DeriveGPUSchedulePass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    if (!isGPUKernelName(kernel)) {
      emitError(root->getLoc())
          << "attn-derive-gpu-schedule: kernel must be " << kGPUKernelNames
          << ", got '" << kernel << "'";
      return signalPassFailure();
    }
    // Target: options over the module's attn.gpu_target over defaults.
    GPUPolicy policy = targetPolicy(root);
    bool hasTargetAttr = false;
    if (auto module = isa<ModuleOp>(root) ? cast<ModuleOp>(root)
                                          : root->getParentOfType<ModuleOp>())
      hasTargetAttr = module->hasAttr("attn.gpu_target");
    if (!chip.empty()) {
      const int64_t sm = parseGPUChip(chip);
      if (sm < 75 || sm > 200) {
        emitError(root->getLoc())
            << "attn-derive-gpu-schedule: chip must be sm_75 "
               "or later, like sm_80 or sm_90a, got '"
            << chip << "'";
        return signalPassFailure();
      }
      // The module's attn.gpu_target describes one GPU: for another chip
      // its shared memory and SM count do not apply (its shared_kb could
      // exceed what the chip allows), so the chip's defaults do.
      if (hasTargetAttr && sm != policy.sm) {
        policy = GPUPolicy();
        hasTargetAttr = false;
      }
      policy.sm = sm;
    }
    if (warpRows != 16 && warpRows != 32) {
      emitError(root->getLoc())
          << "attn-derive-gpu-schedule: warp-rows must be 16 "
             "or 32, got "
          << static_cast<int64_t>(warpRows);
      return signalPassFailure();
    }
    std::string conflict =
        gpuKernelOptionsConflict(kernel, chip, kvSplits, warpRows);
    if (!conflict.empty()) {
      emitError(root->getLoc()) << "attn-derive-gpu-schedule: " << conflict;
      return signalPassFailure();
    }
    auto badOption = [&](StringRef name, int64_t value, StringRef range) {
      emitError(root->getLoc()) << "attn-derive-gpu-schedule: " << name << "="
                                << value << " is out of range; " << range;
      signalPassFailure();
    };
    const int64_t maxShared = GPUTargetAttr::maxSharedKB(policy.sm);
    if (sms < 0)
      return badOption("sms", sms, "give 0 (the chip's) or a count");
    if (sharedKB < 0 || sharedKB > maxShared)
      return badOption("shared-kb", sharedKB,
                       "give 0 (default) or at most " +
                           std::to_string(maxShared) +
                           " (KiB a block may "
                           "use on sm_" +
                           std::to_string(policy.sm) + ")");
    if (blockQ < 0)
      return badOption("block-q", blockQ, "give 0 (derived) or a size");
    if (blockKV < 0)
      return badOption("block-kv", blockKV, "give 0 (derived) or a size");
    if (kvSplits < 0 || kvSplits > 64)
      return badOption("kv-splits", kvSplits, "give 0 (derived) or 1 to 64");
    if (sms > 0)
      policy.sms = sms;
    else if (!hasTargetAttr)
      policy.sms = typicalSMs(policy.sm);
    if (sharedKB > 0) {
      policy.sharedBytes = sharedKB * 1024;
      policy.sharedDefault = false;
    }
    policy.kernel = kernel;
    policy.blockQ = blockQ;
    policy.blockKV = blockKV;
    policy.warpRows = warpRows;
    policy.kvSplits = kvSplits;
    policy.explain = explain;
    WalkResult result = root->walk([&](SDPAOp op) {
      if (failed(checkStaticShapes(op)))
        return WalkResult::interrupt();
      if (GPUScheduleAttr given = op.getGpuScheduleAttr()) {
        if (failed(verifyGPUSchedule(op, given, policy)))
          return WalkResult::interrupt();
        if (explain)
          op.emitRemark() << "keeping the given gpu schedule " << given;
        return WalkResult::advance();
      }
      FailureOr<GPUScheduleAttr> schedule = deriveGPUSchedule(op, policy);
      if (failed(schedule))
        return WalkResult::interrupt();
      op.setGpuScheduleAttr(*schedule);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
