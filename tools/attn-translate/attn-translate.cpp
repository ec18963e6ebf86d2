//===- attn-translate.cpp - MLIR to LLVM IR and other formats ------------===//
//
// mlir-translate with the attn dialect registered: --mlir-to-llvmir turns the
// output of attn-lower-to-llvm into LLVM IR, and every upstream translation
// is available too.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "attn-translate: translations out of attn-mlir\n"));
}
