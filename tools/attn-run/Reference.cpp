//===- Reference.cpp - float64 attention reference for attn-run ----------===//
//
// Materialized softmax in float64, one (batch, query head, query row) at a
// time. Masked scores are -inf; a row with no visible key yields 0 and a
// log-sum-exp of -inf.
//
//===----------------------------------------------------------------------===//

#include "Reference.h"

#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace attn_run {

static float bitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

static uint32_t floatToBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

double roundTo(ElementKind kind, double value) {
  float single = static_cast<float>(value);
  switch (kind) {
  case ElementKind::I32: // every i32 is a double, not every one a float
    return value;
  case ElementKind::F32:
  case ElementKind::I1:
    return single;
  case ElementKind::F16:
    return static_cast<double>(static_cast<float>(
        static_cast<_Float16>(single)));
  case ElementKind::BF16: {
    if (std::isnan(single))
      return single;
    uint32_t bits = floatToBits(single);
    bits += 0x7FFF + ((bits >> 16) & 1); // round to nearest even
    return bitsToFloat(bits & 0xFFFF0000u);
  }
  }
  return single;
}

void referenceSDPA(const SDPAProblem &p, const std::vector<double> &query,
                   const std::vector<double> &key,
                   const std::vector<double> &value,
                   std::vector<double> &output, std::vector<double> &lse) {
  const double negInf = -std::numeric_limits<double>::infinity();
  output.assign(p.batch * p.queryHeads * p.querySeq * p.valueDim, 0.0);
  lse.assign(p.batch * p.queryHeads * p.querySeq, negInf);
  int64_t group = p.queryHeads / p.kvHeads;
  std::vector<double> scores(p.keySeq);
  for (int64_t b = 0; b < p.batch; ++b) {
    int64_t validKeys = p.keySeq;
    if (p.keyLengths)
      validKeys = std::clamp<int64_t>(
          static_cast<int64_t>((*p.keyLengths)[b]), 0, p.keySeq);
    for (int64_t h = 0; h < p.queryHeads; ++h) {
      int64_t kvHead = h / group;
      const double *keyBase =
          &key[((b * p.kvHeads + kvHead) * p.keySeq) * p.headDim];
      const double *valueBase =
          &value[((b * p.kvHeads + kvHead) * p.keySeq) * p.valueDim];
      for (int64_t i = 0; i < p.querySeq; ++i) {
        const double *q =
            &query[((b * p.queryHeads + h) * p.querySeq + i) * p.headDim];
        double rowMax = negInf;
        for (int64_t j = 0; j < p.keySeq; ++j) {
          double dot = 0.0;
          for (int64_t d = 0; d < p.headDim; ++d)
            dot += q[d] * keyBase[j * p.headDim + d];
          double score = dot * p.scale;
          if (p.mask.values) {
            int64_t mb = p.mask.batch == 1 ? 0 : b;
            int64_t mh = p.mask.heads == 1 ? 0 : h;
            double m = (*p.mask.values)[((mb * p.mask.heads + mh) * p.querySeq +
                                         i) * p.keySeq + j];
            if (p.mask.isBoolean) {
              if (m == 0.0)
                score = negInf;
            } else if (std::isfinite(m)) {
              // Finite additive values saturate where the compiled kernels'
              // log2 domain ends (README, "The dialect").
              const double limit = mlir::attn::kMaskBiasLimit;
              score += std::clamp(m, -limit, limit);
            } else {
              score += m;
            }
          }
          if (p.visible && !p.visible(i, j))
            score = negInf;
          if (j >= validKeys)
            score = negInf;
          scores[j] = score;
          // NaN propagates, as in the compiled kernels (maximumf) and
          // PyTorch: a row with a NaN score is NaN, not fully masked.
          if (std::isnan(score) || score > rowMax)
            rowMax = score;
        }
        int64_t row = (b * p.queryHeads + h) * p.querySeq + i;
        if (rowMax == negInf)
          continue; // every key masked: output 0, lse -inf
        double sum = 0.0;
        for (int64_t j = 0; j < p.keySeq; ++j) {
          scores[j] = std::exp(scores[j] - rowMax);
          sum += scores[j];
        }
        double *out = &output[row * p.valueDim];
        for (int64_t j = 0; j < p.keySeq; ++j) {
          if (scores[j] == 0.0)
            continue;
          double weight = scores[j] / sum;
          for (int64_t e = 0; e < p.valueDim; ++e)
            out[e] += weight * valueBase[j * p.valueDim + e];
        }
        lse[row] = rowMax + std::log(sum);
      }
    }
  }
}

std::vector<double> referenceLinear(const std::vector<double> &input,
                                    int64_t rows, int64_t inWidth,
                                    const std::vector<double> &weight,
                                    int64_t outWidth,
                                    const std::vector<double> *bias,
                                    ElementKind round) {
  std::vector<double> result(rows * outWidth, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    double *out = &result[r * outWidth];
    for (int64_t k = 0; k < inWidth; ++k) {
      double x = input[r * inWidth + k];
      const double *w = &weight[k * outWidth];
      for (int64_t n = 0; n < outWidth; ++n)
        out[n] += x * w[n];
    }
    for (int64_t n = 0; n < outWidth; ++n)
      out[n] = roundTo(round, out[n] + (bias ? (*bias)[n] : 0.0));
  }
  return result;
}

} // namespace attn_run
