//===- attn-translate.cpp - MLIR to LLVM IR and other formats ------------===//
//
// mlir-translate for attn-mlir: --mlir-to-llvmir turns the output of
// attn-lower-to-llvm into LLVM IR, --mlir-to-c-header declares the C entry
// points of a tensor-level module, --gpu-binary-to-ptx prints the PTX of
// attn-lower-to-nvvm{format=isa}, and every upstream translation is
// available too.
//
//===----------------------------------------------------------------------===//

#include "attn/Target/CHeader.h"
#include "attn/Target/PTX.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::attn::registerToCHeaderTranslation();
  mlir::attn::registerGPUBinaryToPTXTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "attn-translate: translations out of attn-mlir\n"));
}
