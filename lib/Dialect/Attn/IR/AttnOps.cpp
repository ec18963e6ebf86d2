//===- AttnOps.cpp - attn dialect ops ------------------------------------===//
//
// Verifiers and helpers of attn.sdpa and attn.multi_head. Every shape, type
// and head-count mismatch gets a diagnostic naming the operands and the
// dimensions involved; dynamic dimensions are checked where they are known.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn;

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/IR/AttnOps.cpp.inc"

/// True when both dims are static and differ.
static bool staticMismatch(int64_t lhs, int64_t rhs) {
  return !ShapedType::isDynamic(lhs) && !ShapedType::isDynamic(rhs) &&
         lhs != rhs;
}

static std::string dimStr(int64_t dim) {
  return ShapedType::isDynamic(dim) ? std::string("?") : std::to_string(dim);
}

/// Checks that `a[aDim]` equals `b[bDim]`; names both in the error, each
/// dimension as `aWhat` / `bWhat`.
static LogicalResult checkDim(Operation *op, StringRef aWhat, StringRef aName,
                              RankedTensorType a, unsigned aDim,
                              StringRef bWhat, StringRef bName,
                              RankedTensorType b, unsigned bDim) {
  if (!staticMismatch(a.getDimSize(aDim), b.getDimSize(bDim)))
    return success();
  return op->emitOpError() << "'" << aName << "' " << aWhat << " "
                           << a.getDimSize(aDim) << " does not match '" << bName
                           << "' " << bWhat << " " << b.getDimSize(bDim);
}

/// checkDim for the same kind of dimension on both sides.
static LogicalResult checkDim(Operation *op, StringRef what, StringRef aName,
                              RankedTensorType a, unsigned aDim,
                              StringRef bName, RankedTensorType b,
                              unsigned bDim) {
  return checkDim(op, what, aName, a, aDim, what, bName, b, bDim);
}

static LogicalResult checkRank(Operation *op, StringRef name,
                               RankedTensorType type, int64_t rank,
                               StringRef layout) {
  if (type.getRank() == rank)
    return success();
  return op->emitOpError() << "'" << name << "' must have rank " << rank
                           << " (" << layout << "), got rank "
                           << type.getRank();
}

static LogicalResult checkScale(Operation *op, FloatAttr scale) {
  if (!scale)
    return success();
  double value = scale.getValueAsDouble();
  if (std::isfinite(value))
    return success();
  StringRef text = std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
  return op->emitOpError() << "'scale' must be finite, got " << text;
}

/// Checks a mask tensor `[B|1, Hq|1, Sq, Skv]` against the attention shape.
static LogicalResult checkMask(Operation *op, RankedTensorType mask,
                               int64_t batch, int64_t queryHeads,
                               int64_t querySeq, int64_t keySeq) {
  if (failed(checkRank(op, "mask", mask, 4, "[B|1, H|1, Sq, Skv]")))
    return failure();
  auto checkBroadcast = [&](unsigned dim, int64_t expected,
                            StringRef what) -> LogicalResult {
    int64_t actual = mask.getDimSize(dim);
    if (actual == 1 || !staticMismatch(actual, expected))
      return success();
    InFlightDiagnostic diag = op->emitOpError()
                              << "'mask' dim " << dim << " is " << actual
                              << "; it must be ";
    if (expected == 1)
      return diag << "1 (the " << what << ")";
    return diag << "1 (broadcast) or the " << what << ", " << dimStr(expected);
  };
  auto checkExact = [&](unsigned dim, int64_t expected,
                        StringRef what) -> LogicalResult {
    int64_t actual = mask.getDimSize(dim);
    if (!staticMismatch(actual, expected))
      return success();
    return op->emitOpError() << "'mask' " << what << " dim " << actual
                             << " does not match " << what << " "
                             << dimStr(expected);
  };
  if (failed(checkBroadcast(0, batch, "batch size")) ||
      failed(checkBroadcast(1, queryHeads, "query head count")) ||
      failed(checkExact(2, querySeq, "query length")) ||
      failed(checkExact(3, keySeq, "key length")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// SDPAOp
//===----------------------------------------------------------------------===//

int64_t SDPAOp::getGroupSize() {
  int64_t queryHeads = getQueryType().getDimSize(1);
  int64_t kvHeads = getKeyType().getDimSize(1);
  if (ShapedType::isDynamic(queryHeads) || ShapedType::isDynamic(kvHeads) ||
      kvHeads == 0)
    return ShapedType::kDynamic;
  return queryHeads / kvHeads;
}

double SDPAOp::getEffectiveScale() {
  if (auto scale = getScaleAttr())
    return scale.getValueAsDouble();
  int64_t headDim = getQueryType().getDimSize(3);
  if (ShapedType::isDynamic(headDim) || headDim == 0)
    return 1.0;
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

LogicalResult SDPAOp::verify() {
  Operation *op = getOperation();
  RankedTensorType query = getQueryType(), key = getKeyType(),
                   value = getValueType(), output = getOutputType();
  if (failed(checkRank(op, "query", query, 4, "[B, Hq, Sq, D]")) ||
      failed(checkRank(op, "key", key, 4, "[B, Hkv, Skv, D]")) ||
      failed(checkRank(op, "value", value, 4, "[B, Hkv, Skv, Dv]")) ||
      failed(checkRank(op, "output", output, 4, "[B, Hq, Sq, Dv]")))
    return failure();

  if (query.getElementType() != key.getElementType() ||
      query.getElementType() != value.getElementType())
    return emitOpError() << "'query', 'key' and 'value' must have one element "
                            "type, got "
                         << query.getElementType() << ", "
                         << key.getElementType() << " and "
                         << value.getElementType();
  if (output.getElementType() != value.getElementType())
    return emitOpError() << "'output' element type " << output.getElementType()
                         << " does not match 'value' element type "
                         << value.getElementType();

  if (failed(checkDim(op, "batch", "query", query, 0, "key", key, 0)) ||
      failed(checkDim(op, "batch", "key", key, 0, "value", value, 0)) ||
      failed(checkDim(op, "head count", "key", key, 1, "value", value, 1)) ||
      failed(checkDim(op, "length", "key", key, 2, "value", value, 2)) ||
      failed(checkDim(op, "head dim", "query", query, 3, "key", key, 3)))
    return failure();

  int64_t queryHeads = query.getDimSize(1), kvHeads = key.getDimSize(1);
  if (ShapedType::isDynamic(kvHeads))
    kvHeads = value.getDimSize(1);
  if (kvHeads == 0)
    return emitOpError() << "'key' and 'value' head count must be positive, "
                            "got 0";
  if (!ShapedType::isDynamic(queryHeads) && !ShapedType::isDynamic(kvHeads) &&
      queryHeads % kvHeads != 0)
    return emitOpError() << "'query' head count " << queryHeads
                         << " is not a multiple of 'key' head count "
                         << kvHeads;

  if (failed(checkDim(op, "batch", "output", output, 0, "query", query, 0)) ||
      failed(checkDim(op, "head count", "output", output, 1, "query", query,
                      1)) ||
      failed(checkDim(op, "length", "output", output, 2, "query", query, 2)) ||
      failed(checkDim(op, "head dim", "output", output, 3, "value", value, 3)))
    return failure();

  if (Value lseValue = getLse()) {
    auto lse = cast<RankedTensorType>(lseValue.getType());
    if (failed(checkRank(op, "lse", lse, 3, "[B, Hq, Sq]")) ||
        failed(checkDim(op, "batch", "lse", lse, 0, "query", query, 0)) ||
        failed(checkDim(op, "head count", "lse", lse, 1, "query", query, 1)) ||
        failed(checkDim(op, "length", "lse", lse, 2, "query", query, 2)))
      return failure();
  }

  if (Value maskValue = getMask()) {
    auto mask = cast<RankedTensorType>(maskValue.getType());
    if (failed(checkMask(op, mask, query.getDimSize(0), queryHeads,
                         query.getDimSize(2), key.getDimSize(2))))
      return failure();
  }
  if (Value lengthsValue = getKeyLengths()) {
    auto lengths = cast<RankedTensorType>(lengthsValue.getType());
    if (failed(checkRank(op, "key_lengths", lengths, 1, "[B]")) ||
        failed(checkDim(op, "batch", "key_lengths", lengths, 0, "query", query,
                        0)))
      return failure();
  }
  return checkScale(op, getScaleAttr());
}

//===----------------------------------------------------------------------===//
// MultiHeadOp
//===----------------------------------------------------------------------===//

/// Checks that projection width `width` splits into `heads` heads.
static LogicalResult checkHeadSplit(Operation *op, StringRef name,
                                    int64_t width, int64_t heads) {
  if (ShapedType::isDynamic(width) || width % heads == 0)
    return success();
  return op->emitOpError() << "'" << name << "' output width " << width
                           << " is not divisible by " << heads << " heads";
}

/// Checks a bias `[width]` against the weight `[in, width]` it belongs to.
static LogicalResult checkBias(Operation *op, Value biasValue, StringRef name,
                               StringRef weightName, RankedTensorType weight) {
  if (!biasValue)
    return success();
  auto bias = cast<RankedTensorType>(biasValue.getType());
  if (failed(checkRank(op, name, bias, 1, "[out_features]")))
    return failure();
  return checkDim(op, "width", name, bias, 0, "output width", weightName,
                  weight, 1);
}

LogicalResult MultiHeadOp::verify() {
  Operation *op = getOperation();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto kv = cast<RankedTensorType>(getKVSource().getType());
  auto wq = cast<RankedTensorType>(getQueryWeight().getType());
  auto wk = cast<RankedTensorType>(getKeyWeight().getType());
  auto wv = cast<RankedTensorType>(getValueWeight().getType());
  auto wo = cast<RankedTensorType>(getOutputWeight().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());

  if (failed(checkRank(op, "input", input, 3, "[B, Sq, E]")) ||
      failed(checkRank(op, "kv", kv, 3, "[B, Skv, Ekv]")) ||
      failed(checkRank(op, "query_weight", wq, 2, "[E, Hq*D]")) ||
      failed(checkRank(op, "key_weight", wk, 2, "[Ekv, Hkv*D]")) ||
      failed(checkRank(op, "value_weight", wv, 2, "[Ekv, Hkv*Dv]")) ||
      failed(checkRank(op, "output_weight", wo, 2, "[Hq*Dv, Eout]")) ||
      failed(checkRank(op, "output", output, 3, "[B, Sq, Eout]")))
    return failure();

  Type elementType = input.getElementType();
  const StringRef names[] = {"kv",           "query_weight", "key_weight",
                             "value_weight", "output_weight", "query_bias",
                             "key_bias",     "value_bias",   "output_bias",
                             "output"};
  const Value values[] = {getKvInput(),     getQueryWeight(), getKeyWeight(),
                          getValueWeight(), getOutputWeight(), getQueryBias(),
                          getKeyBias(),     getValueBias(),   getOutputBias(),
                          getOutput()};
  for (auto [name, value] : llvm::zip(names, values)) {
    if (!value)
      continue;
    Type type = cast<RankedTensorType>(value.getType()).getElementType();
    if (type != elementType)
      return emitOpError() << "'" << name << "' element type " << type
                           << " does not match 'input' element type "
                           << elementType;
  }

  int64_t numHeads = getNumHeads(), numKVHeads = getNumKVHeads();
  if (numHeads % numKVHeads != 0)
    return emitOpError() << "'num_heads' " << numHeads
                         << " is not a multiple of 'num_kv_heads' "
                         << numKVHeads;

  // Keys and values are projected from 'kv' when given, else from 'input'.
  StringRef kvName = getKvInput() ? "kv" : "input";
  if (failed(checkDim(op, "batch", "kv", kv, 0, "input", input, 0)) ||
      // Weights are [in, out]: their dim 0 meets the activation width.
      failed(checkDim(op, "width", "input", input, 2, "input width",
                      "query_weight", wq, 0)) ||
      failed(checkDim(op, "width", kvName, kv, 2, "input width", "key_weight",
                      wk, 0)) ||
      failed(checkDim(op, "width", kvName, kv, 2, "input width", "value_weight",
                      wv, 0)) ||
      failed(checkHeadSplit(op, "query_weight", wq.getDimSize(1), numHeads)) ||
      failed(checkHeadSplit(op, "key_weight", wk.getDimSize(1), numKVHeads)) ||
      failed(checkHeadSplit(op, "value_weight", wv.getDimSize(1), numKVHeads)))
    return failure();

  // Per-head dims must agree: D from Wq and Wk, Dv from Wv and Wo.
  int64_t qWidth = wq.getDimSize(1), kWidth = wk.getDimSize(1);
  if (!ShapedType::isDynamic(qWidth) && !ShapedType::isDynamic(kWidth) &&
      qWidth / numHeads != kWidth / numKVHeads)
    return emitOpError() << "query head dim " << qWidth / numHeads
                         << " ('query_weight' width " << qWidth << " / "
                         << numHeads << " heads) does not match key head dim "
                         << kWidth / numKVHeads << " ('key_weight' width "
                         << kWidth << " / " << numKVHeads << " heads)";
  int64_t vWidth = wv.getDimSize(1), oIn = wo.getDimSize(0);
  if (!ShapedType::isDynamic(vWidth) && !ShapedType::isDynamic(oIn) &&
      (vWidth / numKVHeads) * numHeads != oIn)
    return emitOpError() << "'output_weight' input width " << oIn
                         << " does not match " << numHeads << " heads x "
                         << vWidth / numKVHeads
                         << " value head dim ('value_weight' width " << vWidth
                         << " / " << numKVHeads << " heads)";

  if (failed(checkBias(op, getQueryBias(), "query_bias", "query_weight", wq)) ||
      failed(checkBias(op, getKeyBias(), "key_bias", "key_weight", wk)) ||
      failed(checkBias(op, getValueBias(), "value_bias", "value_weight", wv)) ||
      failed(
          checkBias(op, getOutputBias(), "output_bias", "output_weight", wo)))
    return failure();

  if (failed(checkDim(op, "batch", "output", output, 0, "input", input, 0)) ||
      failed(checkDim(op, "length", "output", output, 1, "input", input, 1)) ||
      failed(checkDim(op, "width", "output", output, 2, "output width",
                      "output_weight", wo, 1)))
    return failure();

  if (Value maskValue = getMask()) {
    auto mask = cast<RankedTensorType>(maskValue.getType());
    if (failed(checkMask(op, mask, input.getDimSize(0), numHeads,
                         input.getDimSize(1), kv.getDimSize(1))))
      return failure();
  }
  return checkScale(op, getScaleAttr());
}
