//===- Reference.h - float64 attention reference for attn-run ----*- C++ -*-===//
//
// A direct float64 implementation of the semantics contract of DESIGN.md,
// written independently of the compiler's lowerings: attn-run checks every
// kernel it runs against it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TOOLS_ATTN_RUN_REFERENCE_H
#define ATTN_TOOLS_ATTN_RUN_REFERENCE_H

#include <cstdint>
#include <functional>
#include <vector>

namespace attn_run {

/// The element types attn-run handles.
enum class ElementKind { F32, F16, BF16, I1, I32 };

/// Rounds `value` to the precision of `kind` (identity for F32 data held in
/// double, which is first rounded to float).
double roundTo(ElementKind kind, double value);

/// Where a mask tensor came from and how it broadcasts.
struct MaskInput {
  const std::vector<double> *values = nullptr; ///< [B|1, H|1, Sq, Skv]
  bool isBoolean = false;                      ///< keep-mask, else additive
  int64_t batch = 1, heads = 1;                ///< its leading dims
};

/// Problem description of one scaled dot-product attention.
struct SDPAProblem {
  int64_t batch, queryHeads, kvHeads, querySeq, keySeq, headDim, valueDim;
  double scale;
  /// Static pattern predicate (query i, key j) -> visible; empty = none.
  std::function<bool(int64_t, int64_t)> visible;
  MaskInput mask;
  /// Valid keys per batch entry ([B], clamped to [0, Skv]); null = all.
  const std::vector<double> *keyLengths = nullptr;
};

/// Computes output [B, Hq, Sq, Dv] and log-sum-exp [B, Hq, Sq] in float64
/// from q [B,Hq,Sq,D], k [B,Hkv,Skv,D], v [B,Hkv,Skv,Dv] (row-major).
void referenceSDPA(const SDPAProblem &problem, const std::vector<double> &query,
                   const std::vector<double> &key,
                   const std::vector<double> &value,
                   std::vector<double> &output, std::vector<double> &lse);

/// `[rows, in] · [in, out] (+ bias)` in float64, each result rounded to
/// `round` (the contract's rounding of projections to the input type).
std::vector<double> referenceLinear(const std::vector<double> &input,
                                    int64_t rows, int64_t inWidth,
                                    const std::vector<double> &weight,
                                    int64_t outWidth,
                                    const std::vector<double> *bias,
                                    ElementKind round);

} // namespace attn_run

#endif // ATTN_TOOLS_ATTN_RUN_REFERENCE_H
