//===- attn-opt.cpp - mlir-opt with the attn dialect ---------------------===//
//
// The optimizer driver: every upstream dialect, extension and pass, plus the
// attn dialect, its passes and the named pipelines (attn-lower-to-llvm).
//
//===----------------------------------------------------------------------===//

#include "attn/InitAll.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::attn::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::attn::registerAllDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "attn-opt: the attn-mlir optimizer driver\n", registry));
}
