//===- InitAll.cpp - register everything attn-mlir provides --------------===//
//
// Implements the one-call registration functions of attn/InitAll.h.
//
//===----------------------------------------------------------------------===//

#include "attn/InitAll.h"
#include "attn/Conversion/Passes.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::attn::registerAllDialects(DialectRegistry &registry) {
  registry.insert<AttnDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // LLVM IR translations of every dialect: gpu-module-to-binary and the
  // ExecutionEngine translate modules inside a pass pipeline.
  mlir::registerAllToLLVMIRTranslations(registry);
}

void mlir::attn::registerAllPasses() {
  mlir::registerAllPasses();
  registerAttnPasses();
  registerAttnConversionPasses();
  registerAttnPipelines();
}
