//===- embed.cpp - run attn-mlir's CPU pipeline inside another tool ------===//
//
// What an ML compiler does to use attn-mlir: register the dialects, build an
// attn.sdpa (here parsed from text), add the CPU pipeline to its own pass
// manager, and find the C-interface entry point in the lowered module.
//
//===----------------------------------------------------------------------===//

#include "attn/InitAll.h"
#include "attn/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

static const char *kModule = R"mlir(
func.func @attention(%q: tensor<1x4x32x64xf32>, %k: tensor<1x2x48x64xf32>,
                     %v: tensor<1x2x48x64xf32>) -> tensor<1x4x32x64xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>}
      : tensor<1x4x32x64xf32>, tensor<1x2x48x64xf32>, tensor<1x2x48x64xf32>
      -> tensor<1x4x32x64xf32>
  return %o : tensor<1x4x32x64xf32>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  mlir::attn::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  if (!module)
    return 1;

  mlir::PassManager pm(&context);
  mlir::attn::AttnCPUPipelineOptions options;
  mlir::attn::buildAttnCPUPipeline(pm, options);
  if (mlir::failed(pm.run(*module)))
    return 1;
  for (auto func : module->getOps<mlir::LLVM::LLVMFuncOp>())
    if (func.getName().starts_with("_mlir_ciface_"))
      llvm::outs() << "entry point: " << func.getName() << " ("
                   << func.getNumArguments() << " descriptor pointers)\n";
  return 0;
}
