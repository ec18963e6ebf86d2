//===- AttnToLinalg.h - attn.sdpa to linalg (reference path) -----*- C++ -*-===//
//
// The reference lowering of attn.sdpa to linalg on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
#define ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H

namespace mlir {
class RewritePatternSet;
namespace attn {

/// Adds the pattern lowering attn.sdpa (static shapes) to linalg on tensors
/// with the score matrix materialized.
void populateAttnToLinalgPatterns(RewritePatternSet &patterns);

} // namespace attn
} // namespace mlir

#endif // ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
