//===- HostToGPU.cpp - the rest of a function onto the GPU ----------------===//
//
// attn-lower-to-nvvm turns every attn.sdpa into a kernel; what else a
// function computes (the projections, head split and merge of a decomposed
// attn.multi_head) is bufferized host code over device memory. This pass
// moves it to the GPU, simply and correctly rather than fast:
//
//   * a linalg.matmul of f16/bf16 into f32 (the projections) becomes the
//     tensor-core matmul kernel (mma.sync, 64 x 64 tiles; sm_80 and later,
//     option tensor-cores);
//   * every other linalg op outside a kernel becomes an scf.parallel nest
//     (reductions as sequential scf.for inside); one with no parallel
//     dimension runs on one thread of a one-warp kernel;
//   * every outermost host scf.parallel becomes a gpu.launch of 256-thread
//     blocks over its flattened iteration space (one thread per point);
//   * host memref.alloc becomes gpu.alloc, freed (gpu.dealloc) where the
//     function freed it or else before it returns (not when it is
//     returned, directly or through a view); memref.get_global gets a
//     device copy; host memref.copy becomes gpu.memcpy between dense
//     buffers, a copy kernel otherwise.
//
// Views (expand/collapse shapes, subviews) stay: they only describe memory.
//
//===----------------------------------------------------------------------===//

#include "AttnToGPU.h"

#include "attn/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_HOSTTOGPUPASS
#include "attn/Conversion/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {

constexpr int64_t kThreadsPerBlock = 256;

bool insideKernel(Operation *op) {
  return op->getParentOfType<gpu::LaunchOp>() ||
         op->getParentOfType<gpu::GPUModuleOp>();
}

/// Replaces `loop` (outermost, on the host) by a gpu.launch with a thread
/// per point of its iteration space.
void parallelToLaunch(RewriterBase &rewriter, scf::ParallelOp loop) {
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(loop);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  // Trip counts and their product (host side).
  SmallVector<Value> trips;
  Value total = index(1);
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    Value span = arith::SubIOp::create(rewriter, loc, ub, lb);
    Value trip = arith::CeilDivSIOp::create(rewriter, loc, span, step);
    trip = arith::MaxSIOp::create(rewriter, loc, trip, index(0));
    trips.push_back(trip);
    total = arith::MulIOp::create(rewriter, loc, total, trip);
  }
  Value threads = index(kThreadsPerBlock);
  Value blocks = arith::CeilDivSIOp::create(rewriter, loc, total, threads);
  // A grid needs at least one block; an empty loop does nothing in it.
  blocks = arith::MaxSIOp::create(rewriter, loc, blocks, index(1));
  Value one = index(1);
  auto launch =
      gpu::LaunchOp::create(rewriter, loc, blocks, one, one, threads, one, one);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&launch.getBody().front());
  Value blockOffset = arith::MulIOp::create(
      rewriter, loc, launch.getBlockIds().x, launch.getBlockSize().x);
  Value linear = arith::AddIOp::create(rewriter, loc, blockOffset,
                                       launch.getThreadIds().x);
  Value inRange = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::slt, linear, total);
  auto ifOp = scf::IfOp::create(rewriter, loc, inRange, /*withElse=*/false);
  rewriter.setInsertionPointToStart(&ifOp.getThenRegion().front());
  // Delinearize, innermost dimension fastest.
  IRMapping mapping;
  Value rest = linear;
  const int64_t rank = trips.size();
  SmallVector<Value> ivs(rank);
  for (int64_t d = rank - 1; d >= 0; --d) {
    Value position = arith::RemSIOp::create(rewriter, loc, rest, trips[d]);
    rest = arith::DivSIOp::create(rewriter, loc, rest, trips[d]);
    Value scaled =
        arith::MulIOp::create(rewriter, loc, position, loop.getStep()[d]);
    ivs[d] =
        arith::AddIOp::create(rewriter, loc, loop.getLowerBound()[d], scaled);
  }
  for (auto [iv, value] : llvm::zip(loop.getInductionVars(), ivs))
    mapping.map(iv, value);
  for (Operation &op : loop.getBody()->without_terminator())
    rewriter.clone(op, mapping);
  rewriter.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(rewriter, loc);
  rewriter.eraseOp(loop);
}

/// Runs `build` (given a token to depend on, returning the op's token) as
/// an async GPU op on a fresh stream and waits for it: the form the
/// gpu-to-llvm lowering of gpu.alloc / gpu.memcpy / gpu.dealloc takes.
void onStream(RewriterBase &rewriter, Location loc,
              function_ref<Value(Value)> build) {
  Type tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
  Value start = gpu::WaitOp::create(rewriter, loc, tokenType, ValueRange{})
                    .getAsyncToken();
  Value done = build(start);
  gpu::WaitOp::create(rewriter, loc, Type(), ValueRange{done});
}

struct HostToGPUPass : public attn::impl::HostToGPUPassBase<HostToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](func::FuncOp func) {
      if (insideKernel(func) || func.isExternal())
        return;
      // 0. Copies between dense, identity-layout buffers become gpu.memcpy
      // (below; what its lowering takes); others (views) an elementwise
      // linalg.copy, i.e. a kernel.
      SmallVector<memref::CopyOp> stridedCopies;
      bool unranked = false;
      func.walk([&](memref::CopyOp copy) {
        if (insideKernel(copy))
          return;
        if (!isa<MemRefType>(copy.getSource().getType()) ||
            !isa<MemRefType>(copy.getTarget().getType())) {
          copy->emitOpError() << "copies an unranked memref, which "
                                 "attn-host-to-gpu cannot run on the GPU";
          unranked = true;
          return;
        }
        auto isDense = [](Value v) {
          auto type = cast<MemRefType>(v.getType());
          return type.getLayout().isIdentity() &&
                 memref::isStaticShapeAndContiguousRowMajor(type);
        };
        if (!isDense(copy.getSource()) || !isDense(copy.getTarget()))
          stridedCopies.push_back(copy);
      });
      if (unranked)
        return signalPassFailure();
      for (memref::CopyOp copy : stridedCopies) {
        rewriter.setInsertionPoint(copy);
        linalg::CopyOp::create(rewriter, copy.getLoc(), copy.getSource(),
                               copy.getTarget());
        rewriter.eraseOp(copy);
      }
      // 1. linalg -> parallel loops.
      SmallVector<linalg::LinalgOp> linalgOps;
      func.walk([&](linalg::LinalgOp op) {
        if (!insideKernel(op))
          linalgOps.push_back(op);
      });
      for (linalg::LinalgOp op : linalgOps) {
        if (!op.hasPureBufferSemantics()) {
          op->emitOpError() << "works on tensors; attn-host-to-gpu runs after "
                               "bufferization (as in attn-lower-to-nvvm)";
          return signalPassFailure();
        }
        // f16/bf16 matmuls with f32 accumulation (the projections): the
        // tensor-core kernel.
        if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation())) {
          Value a = matmul.getDpsInputs()[0], b = matmul.getDpsInputs()[1];
          Value c = matmul.getDpsInits()[0];
          if (tensorCores && matmul.hasPureBufferSemantics() &&
              !matmul.hasUserDefinedMaps() &&
              attn::gpu_lowering::canUseMmaMatmul(a, b, c)) {
            rewriter.setInsertionPoint(matmul);
            attn::gpu_lowering::buildMmaMatmul(rewriter, matmul.getLoc(), a, b,
                                               c);
            rewriter.eraseOp(matmul);
            continue;
          }
        }
        if (op.getNumParallelLoops() == 0) {
          // No parallel dimension (a full reduction, a 0-d fill): one
          // thread of a one-warp kernel runs the sequential loops.
          Location loc = op.getLoc();
          rewriter.setInsertionPoint(op);
          Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
          Value warp = arith::ConstantIndexOp::create(rewriter, loc, 32);
          auto launch = gpu::LaunchOp::create(rewriter, loc, one, one, one,
                                              warp, one, one);
          rewriter.setInsertionPointToStart(&launch.getBody().front());
          Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
          Value first =
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                    launch.getThreadIds().x, zero);
          auto ifOp = scf::IfOp::create(rewriter, loc, first,
                                        /*withElse=*/false);
          gpu::TerminatorOp::create(rewriter, loc);
          rewriter.moveOpBefore(op, ifOp.thenBlock()->getTerminator());
          rewriter.setInsertionPoint(op);
          // Cannot fail: the op has buffer semantics (checked above) and a
          // verified linalg op has computable loop ranges.
          (void)linalg::linalgOpToLoops(rewriter, op);
          rewriter.eraseOp(op);
          continue;
        }
        rewriter.setInsertionPoint(op);
        (void)linalg::linalgOpToParallelLoops(rewriter, op); // as above
        rewriter.eraseOp(op);
      }
      // 2. outermost host parallel loops -> kernels.
      SmallVector<scf::ParallelOp> loops;
      bool reductions = false;
      func.walk([&](scf::ParallelOp loop) {
        if (insideKernel(loop) || loop->getParentOfType<scf::ParallelOp>())
          return;
        if (loop.getNumResults() != 0) {
          loop->emitOpError() << "has results (a reduction), which "
                                 "attn-host-to-gpu cannot run as a kernel of "
                                 "independent threads";
          reductions = true;
          return;
        }
        loops.push_back(loop);
      });
      if (reductions)
        return signalPassFailure();
      for (scf::ParallelOp loop : loops)
        parallelToLaunch(rewriter, loop);
      // 3. host buffers and copies -> device.
      SmallVector<memref::AllocOp> allocs;
      SmallVector<memref::CopyOp> copies;
      SmallVector<memref::GetGlobalOp> globals;
      bool nested = false;
      func.walk([&](Operation *op) {
        if (insideKernel(op))
          return;
        if (!isa<memref::AllocOp, memref::GetGlobalOp>(op)) {
          if (auto copy = dyn_cast<memref::CopyOp>(op))
            copies.push_back(copy);
          return;
        }
        // Device buffers are freed before the return: they must be made
        // at the function's top level, not inside control flow.
        if (op->getBlock() != &func.getBody().front()) {
          op->emitOpError()
              << (isa<memref::AllocOp>(op) ? "allocates a buffer"
                                           : "reads a host constant")
              << " inside control flow, which attn-host-to-gpu cannot place "
                 "on the GPU; keep tensor computation out of scf.if / scf.for "
                 "bodies";
          nested = true;
          return;
        }
        if (auto alloc = dyn_cast<memref::AllocOp>(op))
          allocs.push_back(alloc);
        else
          globals.push_back(cast<memref::GetGlobalOp>(op));
      });
      if (nested)
        return signalPassFailure();
      Type tokenType = gpu::AsyncTokenType::get(&getContext());
      SmallVector<Value> deviceBuffers;
      for (memref::AllocOp alloc : allocs) {
        rewriter.setInsertionPoint(alloc);
        Value buffer;
        onStream(rewriter, alloc.getLoc(), [&](Value start) {
          auto deviceAlloc = gpu::AllocOp::create(
              rewriter, alloc.getLoc(), alloc.getType(), tokenType,
              ValueRange{start}, alloc.getDynamicSizes(),
              alloc.getSymbolOperands(), /*hostShared=*/false);
          buffer = deviceAlloc.getMemref();
          return deviceAlloc.getAsyncToken();
        });
        rewriter.replaceOp(alloc, buffer);
        deviceBuffers.push_back(buffer);
      }
      // Host constants (memref.global) get a device copy the kernels read.
      for (memref::GetGlobalOp global : globals) {
        rewriter.setInsertionPointAfter(global);
        Value buffer;
        onStream(rewriter, global.getLoc(), [&](Value start) {
          auto deviceAlloc = gpu::AllocOp::create(
              rewriter, global.getLoc(), global.getType(), tokenType,
              ValueRange{start}, ValueRange{}, ValueRange{},
              /*hostShared=*/false);
          buffer = deviceAlloc.getMemref();
          return deviceAlloc.getAsyncToken();
        });
        rewriter.replaceAllUsesExcept(global.getResult(), buffer,
                                      SmallPtrSet<Operation *, 1>{});
        onStream(rewriter, global.getLoc(), [&](Value start) {
          return gpu::MemcpyOp::create(rewriter, global.getLoc(), tokenType,
                                       ValueRange{start}, buffer,
                                       global.getResult())
              .getAsyncToken();
        });
        deviceBuffers.push_back(buffer);
      }
      for (memref::CopyOp copy : copies) {
        rewriter.setInsertionPoint(copy);
        onStream(rewriter, copy.getLoc(), [&](Value start) {
          return gpu::MemcpyOp::create(rewriter, copy.getLoc(), tokenType,
                                       ValueRange{start}, copy.getTarget(),
                                       copy.getSource())
              .getAsyncToken();
        });
        rewriter.eraseOp(copy);
      }
      // A memref.dealloc of a device buffer becomes its gpu.dealloc; the
      // others are freed before the function returns, unless returned
      // (directly or through a view: the caller owns them).
      llvm::SmallDenseSet<Value> freed;
      SmallVector<memref::DeallocOp> deallocs;
      func.walk([&](memref::DeallocOp dealloc) {
        if (!insideKernel(dealloc) &&
            llvm::is_contained(deviceBuffers, dealloc.getMemref()))
          deallocs.push_back(dealloc);
      });
      for (memref::DeallocOp dealloc : deallocs) {
        rewriter.setInsertionPoint(dealloc);
        Value buffer = dealloc.getMemref();
        onStream(rewriter, dealloc.getLoc(), [&](Value start) {
          return gpu::DeallocOp::create(rewriter, dealloc.getLoc(), tokenType,
                                        ValueRange{start}, buffer)
              .getAsyncToken();
        });
        freed.insert(buffer);
        rewriter.eraseOp(dealloc);
      }
      func.walk([&](func::ReturnOp ret) {
        rewriter.setInsertionPoint(ret);
        llvm::SmallDenseSet<Value> returned;
        for (Value operand : ret.getOperands())
          if (auto memref = dyn_cast<TypedValue<BaseMemRefType>>(operand))
            returned.insert(memref::skipViewLikeOps(memref));
        for (Value buffer : deviceBuffers) {
          if (returned.contains(buffer) || freed.contains(buffer))
            continue; // the caller owns it, or the function freed it
          onStream(rewriter, ret.getLoc(), [&](Value start) {
            return gpu::DeallocOp::create(rewriter, ret.getLoc(), tokenType,
                                          ValueRange{start}, buffer)
                .getAsyncToken();
          });
        }
      });
    });
  }
};

} // namespace
