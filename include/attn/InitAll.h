//===- InitAll.h - register everything attn-mlir provides --------*- C++ -*-===//
//
// One call each to register the attn dialect (with every upstream dialect
// and extension) and the project's passes and pipelines (with every
// upstream pass), for tools and embedders.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_INITALL_H
#define ATTN_INITALL_H

namespace mlir {
class DialectRegistry;
namespace attn {

/// Adds the attn dialect, all upstream dialects and all dialect extensions.
void registerAllDialects(DialectRegistry &registry);

/// Registers the attn passes, the named pipelines and all upstream passes.
void registerAllPasses();

} // namespace attn
} // namespace mlir

#endif // ATTN_INITALL_H
