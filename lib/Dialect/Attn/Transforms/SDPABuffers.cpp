//===- SDPABuffers.cpp - memref views of an attn.sdpa --------------------===//
//
// The prologue and epilogue every buffer-level lowering of attn.sdpa shares
// (attn-tile-flash, convert-attn-to-gpu): read-only buffers of the operands,
// fresh output buffers, and the op replaced by tensors of those outputs.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::attn;

SDPABuffers mlir::attn::createSDPABuffers(RewriterBase &rewriter, SDPAOp op,
                                          std::optional<int64_t> alignment) {
  Location loc = op.getLoc();
  auto toBuffer = [&](Value tensor) -> Value {
    if (!tensor)
      return Value();
    auto type = cast<RankedTensorType>(tensor.getType());
    return bufferization::ToBufferOp::create(
        rewriter, loc, MemRefType::get(type.getShape(), type.getElementType()),
        tensor, /*read_only=*/true);
  };
  auto alloc = [&](Type tensorType, Type elementType) -> Value {
    auto type = MemRefType::get(cast<RankedTensorType>(tensorType).getShape(),
                                elementType);
    if (alignment)
      return memref::AllocOp::create(rewriter, loc, type,
                                     rewriter.getI64IntegerAttr(*alignment));
    return memref::AllocOp::create(rewriter, loc, type);
  };
  SDPABuffers buffers;
  buffers.query = toBuffer(op.getQuery());
  buffers.key = toBuffer(op.getKey());
  buffers.value = toBuffer(op.getValue());
  buffers.mask = toBuffer(op.getMask());
  buffers.keyLengths = toBuffer(op.getKeyLengths());
  buffers.output =
      alloc(op.getOutputType(), op.getValueType().getElementType());
  if (op.getLse())
    buffers.lse = alloc(op.getLse().getType(), rewriter.getF32Type());
  return buffers;
}

void mlir::attn::replaceWithSDPABuffers(RewriterBase &rewriter, SDPAOp op,
                                        const SDPABuffers &buffers) {
  SmallVector<Value> results;
  const Value outputs[] = {buffers.output, buffers.lse};
  for (auto [result, buffer] : llvm::zip(op->getResults(), outputs))
    results.push_back(bufferization::ToTensorOp::create(
        rewriter, op.getLoc(), result.getType(), buffer, /*restrict=*/true,
        /*writable=*/true));
  rewriter.replaceOp(op, results);
}
