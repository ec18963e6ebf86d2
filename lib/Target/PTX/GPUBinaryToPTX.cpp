//===- GPUBinaryToPTX.cpp - PTX text of gpu.binary objects ---------------===//
//
// Prints the PTX of the assembly-format objects (`format=isa`) of every
// gpu.binary in the module (or of the one `--ptx-binary` names), one after
// the other, each introduced by a comment naming the binary and its target.
//
//===----------------------------------------------------------------------===//

#include "attn/InitAll.h"
#include "attn/Target/PTX.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

LogicalResult attn::translateGPUBinaryToPTX(Operation *op, raw_ostream &os,
                                            StringRef only) {
  int64_t binaries = 0;
  SmallVector<StringRef> names, printed;
  op->walk([&](gpu::BinaryOp binary) {
    ++binaries;
    names.push_back(binary.getSymName());
    if (!only.empty() && binary.getSymName() != only)
      return;
    for (Attribute attr : binary.getObjects()) {
      auto object = dyn_cast<gpu::ObjectAttr>(attr);
      if (!object || object.getFormat() != gpu::CompilationTarget::Assembly ||
          !isa<NVVM::NVVMTargetAttr>(object.getTarget()))
        continue;
      os << "// gpu.binary @" << binary.getSymName() << ", target "
         << object.getTarget() << "\n";
      os << object.getObject().getValue();
      if (!object.getObject().getValue().ends_with("\n"))
        os << "\n";
      printed.push_back(binary.getSymName());
    }
  });
  auto list = [](ArrayRef<StringRef> syms) {
    std::string s;
    for (StringRef sym : syms)
      s += (s.empty() ? "@" : ", @") + sym.str();
    return s;
  };
  if (!only.empty() && !llvm::is_contained(names, only))
    return emitError(op->getLoc())
           << "gpu-binary-to-ptx: no gpu.binary named @" << only
           << " (the module has " << (names.empty() ? "none" : list(names))
           << ")";
  if (printed.size() > 1 && !only.empty())
    emitWarning(op->getLoc())
        << "gpu-binary-to-ptx: @" << only << " holds " << printed.size()
        << " PTX objects (one per target), printed one after the other; "
           "ptxas assembles one module";
  else if (printed.size() > 1)
    emitWarning(op->getLoc())
        << "gpu-binary-to-ptx: printed " << printed.size()
        << " PTX modules one after the other (" << list(printed)
        << "); ptxas assembles one module, select it with "
           "--ptx-binary=NAME";
  if (!printed.empty())
    return success();
  if (binaries)
    return emitError(op->getLoc())
           << "gpu-binary-to-ptx: "
           << (only.empty() ? "the gpu.binary ops hold"
                            : "the gpu.binary holds")
           << " no PTX; lower with attn-lower-to-nvvm=\"format=isa\" (bin "
              "and fatbin are machine code)";
  return emitError(op->getLoc())
         << "gpu-binary-to-ptx: the module has no gpu.binary; lower it with "
            "attn-lower-to-nvvm=\"format=isa\" first";
}

void attn::registerGPUBinaryToPTXTranslation() {
  static llvm::cl::opt<std::string> binaryName(
      "ptx-binary",
      llvm::cl::desc("gpu-binary-to-ptx: print only the gpu.binary with this "
                     "symbol name (a module with several, e.g. split-KV's "
                     "combining kernel, holds several PTX modules)"),
      llvm::cl::value_desc("NAME"), llvm::cl::init(""));
  TranslateFromMLIRRegistration registration(
      "gpu-binary-to-ptx",
      "Print the PTX stored in the gpu.binary ops of a module lowered with "
      "attn-lower-to-nvvm=\"format=isa\"",
      [](Operation *op, raw_ostream &os) {
        if (binaryName.getNumOccurrences() && binaryName.empty())
          return LogicalResult(emitError(op->getLoc())
                               << "gpu-binary-to-ptx: --ptx-binary needs the "
                                  "name of a gpu.binary");
        return translateGPUBinaryToPTX(op, os, binaryName);
      },
      [](DialectRegistry &registry) { attn::registerAllDialects(registry); });
}
