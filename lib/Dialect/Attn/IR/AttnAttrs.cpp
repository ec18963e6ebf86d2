//===- AttnAttrs.cpp - attn attributes -----------------------------------===//
//
// Mask-pattern attributes and their MaskPatternAttrInterface
// implementations: the host-side predicate and the IR builder must agree.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::attn;

#include "attn/Dialect/Attn/IR/AttnAttrInterfaces.cpp.inc"
#include "attn/Dialect/Attn/IR/AttnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "attn/Dialect/Attn/IR/AttnAttrs.cpp.inc"

void AttnDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "attn/Dialect/Attn/IR/AttnAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// CausalAttr
//===----------------------------------------------------------------------===//

bool CausalAttr::isKeyVisible(int64_t queryIndex, int64_t keyIndex,
                              int64_t querySeqLen, int64_t keySeqLen) const {
  if (getAlignment() == CausalAlignment::TopLeft)
    return keyIndex <= queryIndex;
  // Bottom-right: j <= i + Skv - Sq, written without a negative intermediate.
  return keyIndex + querySeqLen <= queryIndex + keySeqLen;
}

Value CausalAttr::buildKeyVisible(OpBuilder &builder, Location loc,
                                  Value queryIndex, Value keyIndex,
                                  Value querySeqLen, Value keySeqLen) const {
  if (getAlignment() == CausalAlignment::TopLeft)
    return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sle,
                                 keyIndex, queryIndex);
  Value lhs = arith::AddIOp::create(builder, loc, keyIndex, querySeqLen);
  Value rhs = arith::AddIOp::create(builder, loc, queryIndex, keySeqLen);
  return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sle, lhs,
                               rhs);
}

/// The causal diagonal offset: query i sees keys j <= i + offset.
static int64_t causalOffset(CausalAlignment alignment, int64_t querySeqLen,
                            int64_t keySeqLen) {
  return alignment == CausalAlignment::TopLeft ? 0 : keySeqLen - querySeqLen;
}

TileKind CausalAttr::classifyTile(int64_t queryBegin, int64_t queryEnd,
                                  int64_t keyBegin, int64_t keyEnd,
                                  int64_t querySeqLen,
                                  int64_t keySeqLen) const {
  int64_t offset = causalOffset(getAlignment(), querySeqLen, keySeqLen);
  if (keyBegin > queryEnd - 1 + offset)
    return TileKind::Empty;
  if (keyEnd - 1 <= queryBegin + offset)
    return TileKind::Full;
  return TileKind::Partial;
}

/// `queryPos + offset` as index arithmetic (offset = Skv - Sq for
/// bottom-right, written without a negative intermediate constant).
static Value addCausalOffset(OpBuilder &builder, Location loc,
                             CausalAlignment alignment, Value queryPos,
                             Value querySeqLen, Value keySeqLen) {
  if (alignment == CausalAlignment::TopLeft)
    return queryPos;
  Value shifted = arith::AddIOp::create(builder, loc, queryPos, keySeqLen);
  return arith::SubIOp::create(builder, loc, shifted, querySeqLen);
}

/// Key index `queryPos + offset + delta` (the diagonal of the alignment,
/// moved by `delta`), clamped to [`zero`, keySeqLen]: a bound of the keys a
/// run of query rows may see.
static Value clampedDiagonal(OpBuilder &builder, Location loc,
                             CausalAlignment alignment, Value queryPos,
                             int64_t delta, Value zero, Value querySeqLen,
                             Value keySeqLen) {
  Value key = addCausalOffset(builder, loc, alignment, queryPos, querySeqLen,
                              keySeqLen);
  if (delta != 0) {
    Value constant = arith::ConstantIndexOp::create(builder, loc, delta);
    key = arith::AddIOp::create(builder, loc, key, constant);
  }
  key = arith::MaxSIOp::create(builder, loc, key, zero);
  return arith::MinSIOp::create(builder, loc, key, keySeqLen);
}

/// The key range of the one-row block [queryIndex, queryIndex + 1) of a
/// pattern whose rows see one run of keys: its buildRowKeyRange.
template <typename PatternAttr>
static std::pair<Value, Value>
oneRowKeyRange(PatternAttr pattern, OpBuilder &builder, Location loc,
               Value queryIndex, Value querySeqLen, Value keySeqLen) {
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  Value next = arith::AddIOp::create(builder, loc, queryIndex, one);
  return pattern.buildVisibleKeyRange(builder, loc, queryIndex, next,
                                      querySeqLen, keySeqLen);
}

std::pair<Value, Value>
CausalAttr::buildVisibleKeyRange(OpBuilder &builder, Location loc,
                                 Value queryBegin, Value queryEnd,
                                 Value querySeqLen, Value keySeqLen) const {
  // The last query row sees keys j < queryEnd + offset.
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value end = clampedDiagonal(builder, loc, getAlignment(), queryEnd,
                              /*delta=*/0, zero, querySeqLen, keySeqLen);
  return {zero, end};
}

std::optional<std::pair<Value, Value>>
CausalAttr::buildRowKeyRange(OpBuilder &builder, Location loc, Value queryIndex,
                             Value querySeqLen, Value keySeqLen) const {
  // A row sees keys [0, queryIndex + offset].
  return oneRowKeyRange(*this, builder, loc, queryIndex, querySeqLen,
                        keySeqLen);
}

Value CausalAttr::buildIsTileFull(OpBuilder &builder, Location loc,
                                  Value queryBegin, Value queryEnd,
                                  Value keyBegin, Value keyEnd,
                                  Value querySeqLen, Value keySeqLen) const {
  // Full when the first query row already sees the last key:
  // keyEnd - 1 <= queryBegin + offset.
  Value firstRowEnd = addCausalOffset(builder, loc, getAlignment(), queryBegin,
                                      querySeqLen, keySeqLen);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  firstRowEnd = arith::AddIOp::create(builder, loc, firstRowEnd, one);
  return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sle,
                               keyEnd, firstRowEnd);
}

//===----------------------------------------------------------------------===//
// SlidingWindowAttr
//===----------------------------------------------------------------------===//

LogicalResult
SlidingWindowAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          CausalAlignment alignment, int64_t left,
                          int64_t right) {
  // Bounded so that index arithmetic on them cannot overflow; a window
  // wider than the sequences is "unbounded" on that side.
  constexpr int64_t kLimit = (int64_t(1) << 31) - 1;
  if (left < 0 || right < 0 || left > kLimit || right > kLimit)
    return emitError() << "sliding window 'left' and 'right' must lie in "
                          "[0, 2^31 - 1], got "
                       << left << " and " << right;
  return success();
}

bool SlidingWindowAttr::isKeyVisible(int64_t queryIndex, int64_t keyIndex,
                                     int64_t querySeqLen,
                                     int64_t keySeqLen) const {
  int64_t position =
      queryIndex + causalOffset(getAlignment(), querySeqLen, keySeqLen);
  return keyIndex >= position - getLeft() && keyIndex <= position + getRight();
}

/// An index constant (or a splat of one) of the type of `like`.
static Value indexConstantLike(OpBuilder &builder, Location loc, Value like,
                               int64_t value) {
  if (auto vectorType = dyn_cast<VectorType>(like.getType()))
    return arith::ConstantOp::create(
        builder, loc, vectorType,
        DenseElementsAttr::get(vectorType, builder.getIndexAttr(value)));
  return arith::ConstantIndexOp::create(builder, loc, value);
}

/// `value + delta` (no op for 0).
static Value addConstant(OpBuilder &builder, Location loc, Value value,
                         int64_t delta) {
  if (delta == 0)
    return value;
  Value constant = indexConstantLike(builder, loc, value, delta);
  return arith::AddIOp::create(builder, loc, value, constant);
}

Value SlidingWindowAttr::buildKeyVisible(OpBuilder &builder, Location loc,
                                         Value queryIndex, Value keyIndex,
                                         Value querySeqLen,
                                         Value keySeqLen) const {
  Value position = addCausalOffset(builder, loc, getAlignment(), queryIndex,
                                   querySeqLen, keySeqLen);
  Value lowest = addConstant(builder, loc, position, -getLeft());
  Value highest = addConstant(builder, loc, position, getRight());
  Value aboveLowest = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::sge, keyIndex, lowest);
  Value belowHighest = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::sle, keyIndex, highest);
  return arith::AndIOp::create(builder, loc, aboveLowest, belowHighest);
}

TileKind SlidingWindowAttr::classifyTile(int64_t queryBegin, int64_t queryEnd,
                                         int64_t keyBegin, int64_t keyEnd,
                                         int64_t querySeqLen,
                                         int64_t keySeqLen) const {
  int64_t offset = causalOffset(getAlignment(), querySeqLen, keySeqLen);
  // Rows [queryBegin, queryEnd) see keys from (first row) queryBegin + o -
  // left to (last row) queryEnd - 1 + o + right.
  if (keyEnd - 1 < queryBegin + offset - getLeft() ||
      keyBegin > queryEnd - 1 + offset + getRight())
    return TileKind::Empty;
  if (keyBegin >= queryEnd - 1 + offset - getLeft() &&
      keyEnd - 1 <= queryBegin + offset + getRight())
    return TileKind::Full;
  return TileKind::Partial;
}

std::pair<Value, Value> SlidingWindowAttr::buildVisibleKeyRange(
    OpBuilder &builder, Location loc, Value queryBegin, Value queryEnd,
    Value querySeqLen, Value keySeqLen) const {
  // The first row sees keys from queryBegin + o - left; the last row
  // (queryEnd - 1) up to queryEnd - 1 + o + right.
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value first = clampedDiagonal(builder, loc, getAlignment(), queryBegin,
                                -getLeft(), zero, querySeqLen, keySeqLen);
  Value end = clampedDiagonal(builder, loc, getAlignment(), queryEnd,
                              getRight(), zero, querySeqLen, keySeqLen);
  return {first, end};
}

std::optional<std::pair<Value, Value>>
SlidingWindowAttr::buildRowKeyRange(OpBuilder &builder, Location loc,
                                    Value queryIndex, Value querySeqLen,
                                    Value keySeqLen) const {
  // A row sees keys [i + o - left, i + o + right].
  return oneRowKeyRange(*this, builder, loc, queryIndex, querySeqLen,
                        keySeqLen);
}

Value SlidingWindowAttr::buildIsTileFull(OpBuilder &builder, Location loc,
                                         Value queryBegin, Value queryEnd,
                                         Value keyBegin, Value keyEnd,
                                         Value querySeqLen,
                                         Value keySeqLen) const {
  // Full when the last row still sees the first key and the first row
  // already sees the last one:
  //   keyBegin >= queryEnd - 1 + o - left, keyEnd - 1 <= queryBegin + o + right.
  Value lastRow = addCausalOffset(builder, loc, getAlignment(), queryEnd,
                                  querySeqLen, keySeqLen);
  lastRow = addConstant(builder, loc, lastRow, -1 - getLeft());
  Value firstRow = addCausalOffset(builder, loc, getAlignment(), queryBegin,
                                   querySeqLen, keySeqLen);
  firstRow = addConstant(builder, loc, firstRow, getRight() + 1);
  Value seesFirst = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::sge, keyBegin, lastRow);
  Value seesLast = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::sle, keyEnd, firstRow);
  return arith::AndIOp::create(builder, loc, seesFirst, seesLast);
}

//===----------------------------------------------------------------------===//
// StridedAttr
//===----------------------------------------------------------------------===//

LogicalResult StridedAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  CausalAlignment alignment, int64_t stride) {
  constexpr int64_t kLimit = (int64_t(1) << 31) - 1;
  if (stride < 1 || stride > kLimit)
    return emitError() << "strided pattern 'stride' must lie in [1, 2^31 - 1], "
                          "got "
                       << stride;
  return success();
}

/// `distance % stride` where it matters (distance >= 0): a mask for a
/// power of two (one instruction, where a 64-bit remainder is a dozen on a
/// GPU), else the remainder.
static Value remainderOnStride(OpBuilder &builder, Location loc, Value distance,
                               int64_t stride) {
  if (llvm::isPowerOf2_64(stride)) {
    Value mask = indexConstantLike(builder, loc, distance, stride - 1);
    return arith::AndIOp::create(builder, loc, distance, mask);
  }
  Value strideValue = indexConstantLike(builder, loc, distance, stride);
  return arith::RemSIOp::create(builder, loc, distance, strideValue);
}

bool StridedAttr::isKeyVisible(int64_t queryIndex, int64_t keyIndex,
                               int64_t querySeqLen, int64_t keySeqLen) const {
  // The distance from the diagonal, i + o - j.
  int64_t distance = queryIndex +
                     causalOffset(getAlignment(), querySeqLen, keySeqLen) -
                     keyIndex;
  return distance >= 0 && distance % getStride() == 0;
}

Value StridedAttr::buildKeyVisible(OpBuilder &builder, Location loc,
                                   Value queryIndex, Value keyIndex,
                                   Value querySeqLen, Value keySeqLen) const {
  Value position = addCausalOffset(builder, loc, getAlignment(), queryIndex,
                                   querySeqLen, keySeqLen);
  Value distance = arith::SubIOp::create(builder, loc, position, keyIndex);
  Value zero = indexConstantLike(builder, loc, distance, 0);
  Value atOrBefore = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::sge, distance, zero);
  if (getStride() == 1)
    return atOrBefore;
  Value remainder = remainderOnStride(builder, loc, distance, getStride());
  Value onStride = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                         remainder, zero);
  return arith::AndIOp::create(builder, loc, atOrBefore, onStride);
}

TileKind StridedAttr::classifyTile(int64_t queryBegin, int64_t queryEnd,
                                   int64_t keyBegin, int64_t keyEnd,
                                   int64_t querySeqLen,
                                   int64_t keySeqLen) const {
  // The tile's distances i + o - j fill [lowest, highest].
  int64_t offset = causalOffset(getAlignment(), querySeqLen, keySeqLen);
  int64_t lowest = queryBegin + offset - (keyEnd - 1);
  int64_t highest = queryEnd - 1 + offset - keyBegin;
  // Empty unless a multiple of the stride lies in [max(lowest, 0), highest].
  if (highest < 0 ||
      highest / getStride() * getStride() < std::max<int64_t>(lowest, 0))
    return TileKind::Empty;
  // Full when every distance is visible: all >= 0 and on the stride (one
  // distance only, past stride 1).
  if (lowest >= 0 && (getStride() == 1 || lowest == highest))
    return TileKind::Full;
  return TileKind::Partial;
}

std::pair<Value, Value>
StridedAttr::buildVisibleKeyRange(OpBuilder &builder, Location loc,
                                  Value queryBegin, Value queryEnd,
                                  Value querySeqLen, Value keySeqLen) const {
  // As causal: no row sees past its diagonal.
  return CausalAttr::get(getContext(), getAlignment())
      .buildVisibleKeyRange(builder, loc, queryBegin, queryEnd, querySeqLen,
                            keySeqLen);
}

std::optional<std::pair<Value, Value>>
StridedAttr::buildRowKeyRange(OpBuilder &builder, Location loc,
                              Value queryIndex, Value querySeqLen,
                              Value keySeqLen) const {
  // Stride 1 is causal, one run per row; past it the keys are scattered.
  if (getStride() != 1)
    return std::nullopt;
  return oneRowKeyRange(*this, builder, loc, queryIndex, querySeqLen,
                        keySeqLen);
}

Value StridedAttr::buildIsTileFull(OpBuilder &builder, Location loc,
                                   Value queryBegin, Value queryEnd,
                                   Value keyBegin, Value keyEnd,
                                   Value querySeqLen, Value keySeqLen) const {
  // Causal's test (every distance >= 0); past stride 1 the tile must also
  // be a single pair on the stride.
  Value seesLast =
      CausalAttr::get(getContext(), getAlignment())
          .buildIsTileFull(builder, loc, queryBegin, queryEnd, keyBegin, keyEnd,
                           querySeqLen, keySeqLen);
  if (getStride() == 1)
    return seesLast;
  Value firstRow = addCausalOffset(builder, loc, getAlignment(), queryBegin,
                                   querySeqLen, keySeqLen);
  Value oneRow =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq, queryEnd,
                            addConstant(builder, loc, queryBegin, 1));
  Value oneKey =
      arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq, keyEnd,
                            addConstant(builder, loc, keyBegin, 1));
  // The single pair's distance (>= 0 by seesLast) on the stride.
  Value distance = arith::SubIOp::create(builder, loc, firstRow, keyBegin);
  Value remainder = remainderOnStride(builder, loc, distance, getStride());
  Value zero = indexConstantLike(builder, loc, distance, 0);
  Value onStride = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                         remainder, zero);
  Value single = arith::AndIOp::create(builder, loc, oneRow, oneKey);
  Value seen = arith::AndIOp::create(builder, loc, seesLast, onStride);
  return arith::AndIOp::create(builder, loc, single, seen);
}

//===----------------------------------------------------------------------===//
// ScheduleAttr
//===----------------------------------------------------------------------===//

LogicalResult ScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   int64_t blockQ, int64_t blockKV,
                                   int64_t vectorWidth, int64_t registerRows,
                                   int64_t registerVectors, int64_t kvSplits) {
  if (kvSplits < 1 || kvSplits > 256)
    return emitError() << "'kv_splits' must lie in [1, 256], got " << kvSplits;
  if (kvSplits > 1 && blockQ >= vectorWidth)
    return emitError() << "'kv_splits' " << kvSplits
                       << " needs the row form (block_q below vector_width "
                       << vectorWidth << "), got block_q " << blockQ;
  if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16)
    return emitError() << "'vector_width' must be 4, 8 or 16 f32 lanes, got "
                       << vectorWidth;
  if (blockQ <= 0 || (blockQ > vectorWidth && blockQ % vectorWidth != 0))
    return emitError() << "'block_q' must be a positive multiple of "
                          "'vector_width' "
                       << vectorWidth << " or less than it, got " << blockQ;
  if (blockKV <= 0)
    return emitError() << "'block_kv' must be positive, got " << blockKV;
  if (registerRows <= 0 || registerVectors <= 0 || registerRows > 32 ||
      registerVectors > 32)
    return emitError() << "'register_rows' and 'register_vectors' must lie "
                          "in [1, 32], got "
                       << registerRows << " and " << registerVectors;
  // Accumulators, one register per loaded vector and one broadcast.
  int64_t registers = registerRows * registerVectors + registerVectors + 1;
  if (registers > 32)
    return emitError() << "register tile " << registerRows << "x"
                       << registerVectors << " needs " << registers
                       << " vector registers, more than any x86 target has "
                          "(32)";
  if (blockQ > 4096 || blockKV > 4096)
    return emitError() << "'block_q' and 'block_kv' must be at most 4096, got "
                       << blockQ << " and " << blockKV;
  return success();
}

//===----------------------------------------------------------------------===//
// CPUTargetAttr
//===----------------------------------------------------------------------===//

LogicalResult
CPUTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      int64_t vectorBits, int64_t vectorRegisters,
                      int64_t cores, int64_t l1KB, int64_t l2KB) {
  if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512)
    return emitError() << "'vector_bits' must be 128, 256 or 512, got "
                       << vectorBits;
  if (vectorRegisters != 16 && vectorRegisters != 32)
    return emitError() << "'vector_registers' must be 16 or 32, got "
                       << vectorRegisters;
  // Upper bounds far past any CPU, so that the schedule policy's products
  // of them stay far from overflow.
  const StringRef names[] = {"cores", "l1_kb", "l2_kb"};
  const int64_t values[] = {cores, l1KB, l2KB};
  for (auto [name, value] : llvm::zip(names, values)) {
    if (value <= 0)
      return emitError() << "'" << name << "' must be positive, got " << value;
    if (value > kMaxCPUTargetValue)
      return emitError() << "'" << name << "' must be at most "
                         << kMaxCPUTargetValue << ", got " << value;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// GPUScheduleAttr / GPUTargetAttr
//===----------------------------------------------------------------------===//

LogicalResult
GPUScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        StringRef kernel, int64_t blockQ, int64_t blockKV,
                        int64_t warpRows, int64_t kvSplits) {
  if (kernel == "mma") {
    if (blockQ < 16 || blockQ > 512 || blockQ % 16 != 0)
      return emitError() << "'block_q' of the mma kernel must be a multiple "
                            "of 16 (rows per warp) in [16, 512], got "
                         << blockQ;
    if (blockKV < 16 || blockKV > 256 || blockKV % 16 != 0)
      return emitError() << "'block_kv' of the mma kernel must be a multiple "
                            "of 16 in [16, 256], got "
                         << blockKV;
    if (warpRows != 16 && warpRows != 32)
      return emitError() << "'warp_rows' of the mma kernel must be 16 or 32, "
                            "got "
                         << warpRows;
    if (blockQ % warpRows != 0)
      return emitError() << "'block_q' of the mma kernel must be a multiple "
                            "of 'warp_rows' ("
                         << warpRows << "), got " << blockQ;
    if (kvSplits < 1 || kvSplits > 64)
      return emitError() << "'kv_splits' must lie in [1, 64], got "
                         << kvSplits;
    return success();
  }
  if (kernel == "wgmma") {
    if (blockQ != 64 && blockQ != 128)
      return emitError() << "'block_q' of the wgmma kernel must be 64 or 128 "
                            "(a warpgroup per 64 rows), got "
                         << blockQ;
    if (blockKV < 64 || blockKV > 256 || blockKV % 64 != 0)
      return emitError() << "'block_kv' of the wgmma kernel must be 64, 128, "
                            "192 or 256, got "
                         << blockKV;
    if (warpRows != 16)
      return emitError() << "'warp_rows' of the wgmma kernel must be 16, got "
                         << warpRows;
    if (kvSplits < 1 || kvSplits > 64)
      return emitError() << "'kv_splits' must lie in [1, 64], got "
                         << kvSplits;
    return success();
  }
  if (kernel == "simt") {
    if (warpRows != 16 || kvSplits != 1)
      return emitError() << "'warp_rows' and 'kv_splits' apply to the "
                            "tensor-core kernels only";
    if (blockQ < 1 || blockQ > 1024)
      return emitError() << "'block_q' of the simt kernel (threads per "
                            "block) must lie in [1, 1024], got "
                         << blockQ;
    if (blockKV < 1 || blockKV > 1024)
      return emitError() << "'block_kv' of the simt kernel must lie in [1, "
                            "1024], got "
                         << blockKV;
    return success();
  }
  return emitError() << "'kernel' must be \"wgmma\", \"mma\" or \"simt\", got \""
                     << kernel << "\"";
}

int64_t GPUTargetAttr::maxSharedKB(int64_t sm) {
  if (sm < 80)
    return 64;
  if (sm == 80 || sm == 87)
    return 163;
  if (sm < 90 || sm >= 120)
    return 99;
  return 227;
}

int64_t GPUTargetAttr::maxThreadsPerSM(int64_t sm) {
  if (sm < 80)
    return 1024;
  if (sm == 86 || sm == 87 || sm == 89 || sm >= 120)
    return 1536;
  return 2048;
}

int64_t GPUTargetAttr::maxBlocksPerSM(int64_t sm) {
  if (sm < 80 || sm == 86 || sm == 87)
    return 16;
  if (sm == 89 || sm >= 120)
    return 24;
  return 32;
}

LogicalResult
GPUTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      int64_t sm, int64_t sharedKB, int64_t sms) {
  if (sm < 75 || sm > 200)
    return emitError() << "'sm' must be a compute capability times 10 in "
                          "[75, 200] (e.g. 80, 90), got "
                       << sm;
  if (sharedKB < 1 || sharedKB > maxSharedKB(sm))
    return emitError() << "'shared_kb' must lie in [1, " << maxSharedKB(sm)
                       << "] (what a block may use on sm_" << sm << "), got "
                       << sharedKB;
  if (sms < 1)
    return emitError() << "'sms' must be positive, got " << sms;
  return success();
}
