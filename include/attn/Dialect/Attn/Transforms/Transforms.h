//===- Transforms.h - attn rewrite patterns ----------------------*- C++ -*-===//
//
// populate*Patterns entry points, so embedders can run the project's
// rewrites inside their own pattern sets.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
#define ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H

namespace mlir {
class RewritePatternSet;
namespace attn {

/// Adds the pattern rewriting attn.multi_head (static shapes) into
/// projections, head split/merge and one attn.sdpa.
void populateDecomposeMultiHeadPatterns(RewritePatternSet &patterns);

} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
