//===- AttnDialect.cpp - attn dialect registration -----------------------===//
//
// Registers the attn dialect's ops and attributes.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnAttrs.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"

using namespace mlir;
using namespace mlir::attn;

#include "attn/Dialect/Attn/IR/AttnDialect.cpp.inc"

void AttnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "attn/Dialect/Attn/IR/AttnOps.cpp.inc"
      >();
  registerAttributes();
}

LogicalResult AttnDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  // Each is read in one place only; anywhere else it would be ignored.
  if (name == "attn.target" || name == "attn.gpu_target") {
    if (!isa<ModuleOp>(op))
      return op->emitError()
             << "'" << name
             << "' belongs on a builtin.module (the passes read it there), "
                "not on '"
             << op->getName() << "'";
    if (name == "attn.target" && !isa<CPUTargetAttr>(value))
      return op->emitError()
             << "'attn.target' must be a #attn.cpu_target<...>, got " << value;
    if (name == "attn.gpu_target" && !isa<GPUTargetAttr>(value))
      return op->emitError() << "'attn.gpu_target' must be a "
                                "#attn.gpu_target<sm, shared_kb, sms>, got "
                             << value;
    return success();
  }
  if (name == "attn.register_tile") {
    if (op->getName().getDialectNamespace() != "linalg")
      return op->emitError() << "'attn.register_tile' belongs on a linalg op "
                                "(attn-vectorize-cpu reads it there), not on '"
                             << op->getName() << "'";
    auto tile = dyn_cast<DenseI64ArrayAttr>(value);
    if (!tile || tile.size() != 3)
      return op->emitError() << "'attn.register_tile' must be array<i64: "
                                "vector_width, rows, vectors>, got "
                             << value;
    return success();
  }
  if (name == "attn.accumulator_registers") {
    if (op->getName().getStringRef() != "gpu.dynamic_shared_memory")
      return op->emitError()
             << "'attn.accumulator_registers' belongs on the "
                "gpu.dynamic_shared_memory op of a tensor-core kernel "
                "(attn-lower-to-nvvm reads it there), not on '"
             << op->getName() << "'";
    auto registers = dyn_cast<IntegerAttr>(value);
    if (!registers || registers.getInt() < 0)
      return op->emitError() << "'attn.accumulator_registers' must be a "
                                "non-negative integer, got "
                             << value;
    return success();
  }
  // A misspelt name would be ignored by every pass.
  return op->emitError() << "unknown attn dialect attribute '" << name
                         << "' (known: attn.target, attn.gpu_target, "
                            "attn.register_tile, attn.accumulator_registers)";
}

/// No attn.* attribute belongs on a block argument or a result: nothing
/// would read it.
static LogicalResult refuseOnValue(Operation *op, NamedAttribute attr,
                                   StringRef where) {
  return op->emitError() << "'" << attr.getName().getValue() << "' on " << where
                         << ": the attn dialect defines no attribute there";
}

LogicalResult AttnDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  return refuseOnValue(op, attr, "argument #" + std::to_string(argIndex));
}

LogicalResult AttnDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                       unsigned resultIndex,
                                                       NamedAttribute attr) {
  return refuseOnValue(op, attr, "result #" + std::to_string(resultIndex));
}
