//===- GPUBinaryToPTX.cpp - PTX text of gpu.binary objects ---------------===//
//
// Prints the PTX of the assembly-format objects (`format=isa`) of every
// gpu.binary in the module, one after the other, each introduced by a
// comment naming the binary and its target.
//
//===----------------------------------------------------------------------===//

#include "attn/InitAll.h"
#include "attn/Target/PTX.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

LogicalResult attn::translateGPUBinaryToPTX(Operation *op, raw_ostream &os) {
  int64_t printed = 0, binaries = 0;
  op->walk([&](gpu::BinaryOp binary) {
    ++binaries;
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
      ++printed;
    }
  });
  if (printed)
    return success();
  if (binaries)
    return op->emitError()
           << "gpu-binary-to-ptx: the gpu.binary ops hold no PTX; lower with "
              "attn-lower-to-nvvm=\"format=isa\" (bin and fatbin are "
              "machine code)";
  return op->emitError()
         << "gpu-binary-to-ptx: the module has no gpu.binary; lower it with "
            "attn-lower-to-nvvm=\"format=isa\" first";
}

void attn::registerGPUBinaryToPTXTranslation() {
  TranslateFromMLIRRegistration registration(
      "gpu-binary-to-ptx",
      "Print the PTX stored in the gpu.binary ops of a module lowered with "
      "attn-lower-to-nvvm=\"format=isa\"",
      translateGPUBinaryToPTX,
      [](DialectRegistry &registry) { attn::registerAllDialects(registry); });
}
