//===- PipelineCommon.cpp - pieces shared by the attn pipelines ----------===//
//
// Implements PipelineCommon.h.
//
//===----------------------------------------------------------------------===//

#include "PipelineCommon.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace {

/// Bufferization comes after the attn ops are lowered (attn-tile-flash /
/// convert-attn-to-linalg in attn-lower-to-llvm, convert-attn-to-gpu in
/// attn-lower-to-nvvm); run on its own (attn-bufferize) over a module still
/// holding one, it says so instead of One-Shot Bufferize's bare "op was
/// not bufferized".
struct AttnOpsLoweredPass
    : public PassWrapper<AttnOpsLoweredPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(AttnOpsLoweredPass)
  StringRef getArgument() const override { return "attn-ops-lowered"; }

  void runOnOperation() override {
    WalkResult result = getOperation()->walk([](Operation *op) {
      if (op->getName().getDialectNamespace() != "attn")
        return WalkResult::advance();
      InFlightDiagnostic diag = op->emitError()
                                << "'" << op->getName()
                                << "' must be lowered before bufferization ";
      if (op->getName().getStringRef() == "attn.multi_head")
        diag << "(attn-decompose-multi-head, then its attn.sdpa ops)";
      else
        diag << "(attn-derive-schedule + attn-tile-flash or "
                "convert-attn-to-linalg, as attn-lower-to-llvm does; "
                "convert-attn-to-gpu in attn-lower-to-nvvm)";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

/// A function returning one tensor twice (or a tensor it was given)
/// returns a fresh copy for each further occurrence: results become
/// distinct output buffers, which buffer-results-to-out-params needs (it
/// crashes on one allocation returned twice).
struct DistinctResultsPass
    : public PassWrapper<DistinctResultsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(DistinctResultsPass)
  StringRef getArgument() const override { return "attn-distinct-results"; }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<bufferization::BufferizationDialect>();
  }

  void runOnOperation() override {
    getOperation()->walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 4> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type)
          continue;
        bool argument = isa<BlockArgument>(value) &&
                        cast<BlockArgument>(value).getOwner()->isEntryBlock();
        if (seen.insert(value).second && !argument)
          continue;
        // A copy takes its sizes from the copied tensor.
        operand.set(bufferization::AllocTensorOp::create(
            b, ret.getLoc(), type, /*dynamicSizes=*/ValueRange(),
            /*copy=*/value));
      }
    });
  }
};

/// Marks the tensor arguments of every public function with a body
/// `bufferization.writable = false`: their buffers are the caller's inputs,
/// which One-Shot Bufferize would otherwise reuse for an elementwise result
/// (a residual `x + attention(x)` wrote the sum into the caller's x).
struct ReadOnlyArgumentsPass
    : public PassWrapper<ReadOnlyArgumentsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReadOnlyArgumentsPass)
  StringRef getArgument() const override { return "attn-read-only-arguments"; }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<bufferization::BufferizationDialect>();
  }

  void runOnOperation() override {
    getOperation()->walk([](func::FuncOp func) {
      if (!func.isPublic() || func.isExternal())
        return;
      for (BlockArgument arg : func.getArguments())
        if (isa<TensorType>(arg.getType()))
          func.setArgAttr(
              arg.getArgNumber(),
              bufferization::BufferizationDialect::kWritableAttrName,
              BoolAttr::get(func.getContext(), false));
    });
  }
};

/// memref.copy between buffers that are not both contiguous (views of
/// wider tensors) as linalg.copy, which becomes loops: the LLVM lowering
/// would otherwise call `memrefCopy` of libmlir_c_runner_utils, which
/// neither attn-run nor a C program links.
struct StridedCopiesToLinalgPass
    : public PassWrapper<StridedCopiesToLinalgPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(StridedCopiesToLinalgPass)
  StringRef getArgument() const override {
    return "attn-strided-copies-to-linalg";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }

  void runOnOperation() override {
    getOperation()->walk([](memref::CopyOp copy) {
      auto contiguous = [](Value v) {
        auto type = dyn_cast<MemRefType>(v.getType());
        return type && type.getLayout().isIdentity();
      };
      if (contiguous(copy.getSource()) && contiguous(copy.getTarget()))
        return;
      if (!isa<MemRefType>(copy.getSource().getType()) ||
          !isa<MemRefType>(copy.getTarget().getType()))
        return; // unranked: left to the runtime call
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    });
  }
};

/// The host's target triple on a module that has none, so that the LLVM
/// IR names the machine it was compiled for (clang warns when it has to
/// assume one).
struct SetHostTripleIfAbsentPass
    : public PassWrapper<SetHostTripleIfAbsentPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SetHostTripleIfAbsentPass)
  StringRef getArgument() const override {
    return "attn-set-host-triple-if-absent";
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    StringRef name = LLVM::LLVMDialect::getTargetTripleAttrName();
    if (!module->hasAttr(name))
      module->setAttr(name,
                      StringAttr::get(module.getContext(),
                                      llvm::sys::getDefaultTargetTriple()));
  }
};

} // namespace

std::unique_ptr<Pass> mlir::attn::createSetHostTripleIfAbsentPass() {
  return std::make_unique<SetHostTripleIfAbsentPass>();
}

void mlir::attn::addBufferizationPasses(OpPassManager &pm,
                                        bool resultsToOutParams) {
  pm.addPass(std::make_unique<AttnOpsLoweredPass>());
  // Elementwise arith / math on tensors (residual adds, scaling) as
  // linalg.generic, which bufferizes.
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(std::make_unique<ReadOnlyArgumentsPass>());
  pm.addPass(std::make_unique<DistinctResultsPass>());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // A loop carrying a tensor through attention (layers) yields a new
  // buffer each iteration.
  bufferizeOptions.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  if (!resultsToOutParams)
    return;
  bufferization::BufferResultsToOutParamsPassOptions outParamOptions;
  outParamOptions.hoistStaticAllocs = true;
  outParamOptions.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParamOptions));
}

std::unique_ptr<Pass> mlir::attn::createStridedCopiesToLinalgPass() {
  return std::make_unique<StridedCopiesToLinalgPass>();
}
