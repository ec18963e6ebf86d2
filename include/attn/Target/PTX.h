//===- PTX.h - PTX text out of serialized GPU modules -----------*- C++ -*-===//
//
// The `gpu-binary-to-ptx` translation: prints the PTX that
// `attn-lower-to-nvvm{format=isa}` stored in the module's gpu.binary ops,
// ready for ptxas (e.g. `ptxas -v` to read register use and spills).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TARGET_PTX_H
#define ATTN_TARGET_PTX_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class Operation;
namespace attn {

/// Writes the PTX of every assembly object of the gpu.binary ops in `op`
/// (only of the gpu.binary named `binary` when it is not empty) to `os`;
/// fails with a diagnostic when there is none or `binary` names none. Each
/// binary's PTX is a complete module: when several are printed (split-KV
/// has a second, combining kernel), a warning says how to select one, as
/// ptxas assembles a single module.
LogicalResult translateGPUBinaryToPTX(Operation *op, raw_ostream &os,
                                      StringRef binary = {});

/// Registers `--gpu-binary-to-ptx` (and its `--ptx-binary=NAME` option)
/// with the translation registry.
void registerGPUBinaryToPTXTranslation();

} // namespace attn
} // namespace mlir

#endif // ATTN_TARGET_PTX_H
