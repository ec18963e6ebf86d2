//===- CHeader.h - C header for the C interface of kernels -------*- C++ -*-===//
//
// The `mlir-to-c-header` translation: declares, for every public function
// of a module of attn ops on tensors, the `_mlir_ciface_<name>` entry point
// that attn-lower-to-llvm gives it, with memref descriptor structs.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_CHEADER_H
#define ATTN_TARGET_CHEADER_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
namespace attn {

/// Writes the C header of `op` (a module) to `os`; fails with a diagnostic
/// on a signature the C interface cannot express.
LogicalResult translateToCHeader(Operation *op, raw_ostream &os);

/// Registers `--mlir-to-c-header` with the translation registry.
void registerToCHeaderTranslation();

} // namespace attn
} // namespace mlir

#endif // ATTN_TARGET_CHEADER_H
