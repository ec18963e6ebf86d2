//===- WgmmaBuilder.h - IR helpers of the sm_90a kernel ---------*- C++ -*-===//
//
// Internal to lib/Conversion/AttnToGPU: the Hopper pieces of the
// tensor-core attention kernel (kernel = "wgmma", AttnToGPUMma.cpp):
//
//   * TMA: a tensor map per operand, made on the host over the 4-D
//     [batch, heads, rows, dim] memref, with boxes of [1, 1, rows, 64]
//     (128 bytes wide) and the 128-byte swizzle; rows past the tensor read
//     as zeros. A box lands in shared memory as rows of 128 bytes whose
//     16-byte chunks are permuted: chunk c of row r sits at chunk c ^ (r % 8)
//     (the swizzle is a function of the shared address bits [4, 10), so
//     tiles start at 1024-byte boundaries);
//   * mbarriers: thread 0 issues the copies and arrives with the byte
//     count (expect_tx); everyone waits on the phase parity;
//   * wgmma.mma_async m64nNk16 (f16/bf16, f32 accumulation): a warpgroup
//     (4 warps, 64 rows) per instruction, asynchronous (commit groups,
//     wait_group), operands in shared memory (A may instead sit in
//     registers) described by 64-bit matrix descriptors: start address >> 4
//     (bits 0-13), leading byte offset >> 4 (16-29), stride byte offset >> 4
//     (32-45), swizzle mode (62-63, 1 = 128 bytes). K-major operands (A,
//     and B = K^T) keep a k16 step inside a 128-byte row: the step moves the
//     start by 32 bytes, the 8-row groups are 1024 bytes apart (stride
//     offset). The MN-major B operand (V, [keys, dims]) advances 16 rows
//     (2048 bytes) per k16 step; its 64-column groups are `leading` bytes
//     apart;
//   * the accumulator fragment of thread 4 g + t of warp w in the
//     warpgroup: element 4 j + e is row 16 w + g (+ 8 for e >= 2), column
//     8 j + 2 t + e % 2 -- per warp exactly the C fragments of
//     mma.m16n8k16 side by side, so the softmax code is shared;
//   * an A operand in registers (P of P V) has, per warp, the layout of an
//     mma.m16n8k16 A fragment: two adjacent accumulator tiles of S.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTOGPU_WGMMABUILDER_H
#define ATTN_LIB_CONVERSION_ATTNTOGPU_WGMMABUILDER_H

#include "MmaBuilder.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::attn::gpu_lowering {

/// One swizzled row: 128 bytes, 64 16-bit elements.
inline constexpr int64_t kSwizzleBytes = 128;
inline constexpr int64_t kSwizzleElements = 64;
/// Bytes of an 8-row swizzle atom (the stride offset of every operand).
inline constexpr int64_t kSwizzleAtomBytes = 8 * kSwizzleBytes;

/// The tensor-map type of boxes [1, 1, rows, 64] of `element`.
inline nvgpu::TensorMapDescriptorType
tensorMapType(MLIRContext *ctx, Type element, int64_t rows) {
  auto box = MemRefType::get({1, 1, rows, kSwizzleElements}, element,
                             MemRefLayoutAttrInterface(),
                             IntegerAttr::get(IntegerType::get(ctx, 64), 3));
  return nvgpu::TensorMapDescriptorType::get(
      ctx, box, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
}

/// Host code: a tensor map of `source` (a 4-D memref) with boxes of
/// `rows` x 64 elements.
inline Value createTensorMap(OpBuilder &b, Location loc, Value source,
                             int64_t rows) {
  auto type = cast<MemRefType>(source.getType());
  auto unranked =
      UnrankedMemRefType::get(type.getElementType(), type.getMemorySpace());
  Value cast = memref::CastOp::create(b, loc, unranked, source);
  SmallVector<Value> box;
  for (int64_t extent : {int64_t(1), int64_t(1), rows, kSwizzleElements})
    box.push_back(arith::ConstantIndexOp::create(b, loc, extent));
  return nvgpu::TmaCreateDescriptorOp::create(
      b, loc, tensorMapType(b.getContext(), type.getElementType(), rows), cast,
      box);
}

struct WarpgroupBuilder {
  KernelBuilder &kb;

  Value i64(int64_t v) {
    return arith::ConstantOp::create(kb.b, kb.loc, kb.b.getI64IntegerAttr(v));
  }

  /// The shared-window address (bytes) of a workgroup memref.
  Value address(Value view) {
    return memref::ExtractAlignedPointerAsIndexOp::create(kb.b, kb.loc, view);
  }

  /// A matrix descriptor with the 128-byte swizzle for the operand at
  /// shared address `address` (index).
  Value descriptor(Value address, int64_t leadingBytes, int64_t strideBytes) {
    Value wide =
        arith::IndexCastUIOp::create(kb.b, kb.loc, kb.b.getI64Type(), address);
    Value four = i64(4);
    Value shifted = arith::ShRUIOp::create(kb.b, kb.loc, wide, four);
    Value fieldMask = i64(0x3FFF);
    Value start = arith::AndIOp::create(kb.b, kb.loc, shifted, fieldMask);
    const int64_t fixed = ((leadingBytes >> 4) << 16) |
                          ((strideBytes >> 4) << 32) | (int64_t(1) << 62);
    Value rest = i64(fixed);
    return arith::OrIOp::create(kb.b, kb.loc, start, rest);
  }

  /// `descriptor` with its start `bytes` further (a multiple of 16 that
  /// keeps the address inside the 256 KiB the field covers).
  Value advance(Value descriptor, int64_t bytes) {
    if (bytes == 0)
      return descriptor;
    Value step = i64(bytes >> 4);
    return arith::AddIOp::create(kb.b, kb.loc, descriptor, step);
  }

  /// Issues D = A B + C over `kSteps` k16 steps of m64n`n`k16 as one
  /// commit group (f32 accumulators: the n / 2 elements of this thread's
  /// fragment, in fragment order); descA(k) / descB(k) give the operands of
  /// step k, B MN-major when `bTransposed` (else K-major, like A). The
  /// values are D's registers, readable after wait() retired the group.
  SmallVector<Value> issue(function_ref<Value(int64_t)> descA,
                           function_ref<Value(int64_t)> descB, int64_t kSteps,
                           int64_t n, ArrayRef<Value> c, bool bTransposed) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    MLIRContext *ctx = b.getContext();
    Type f32 = b.getF32Type();
    SmallVector<Type> fields(n / 2, f32);
    auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
    // C = 0 (Q K^T): the first step takes scale-d 0 and no accumulator
    // values, so no zeroing moves of the accumulator registers land
    // between the wgmma.fence and the wgmma (PTX wants none there).
    const bool zeroC = llvm::all_of(
        c, [](Value v) { return matchPattern(v, m_PosZeroFloat()); });
    Value acc = LLVM::PoisonOp::create(b, loc, structType);
    if (!zeroC)
      for (int64_t i = 0; i < n / 2; ++i)
        acc = LLVM::InsertValueOp::create(b, loc, acc, c[i],
                                          ArrayRef<int64_t>{i});
    const NVVM::WGMMATypes input =
        kb.element.isF16() ? NVVM::WGMMATypes::f16 : NVVM::WGMMATypes::bf16;
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    for (int64_t k = 0; k < kSteps; ++k) {
      Value a = descA(k);
      Value bDesc = descB(k);
      acc = NVVM::WgmmaMmaAsyncOp::create(
          b, loc, structType, acc, a, bDesc,
          NVVM::MMAShapeAttr::get(ctx, 64, n, 16), input, input,
          NVVM::WGMMATypes::f32,
          zeroC && k == 0 ? NVVM::WGMMAScaleOut::zero
                          : NVVM::WGMMAScaleOut::one,
          NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one,
          NVVM::MMALayout::row,
          bTransposed ? NVVM::MMALayout::row : NVVM::MMALayout::col,
          /*satfinite=*/nullptr);
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    SmallVector<Value> d;
    for (int64_t i = 0; i < n / 2; ++i)
      d.push_back(
          LLVM::ExtractValueOp::create(b, loc, acc, ArrayRef<int64_t>{i}));
    return d;
  }

  /// Waits until at most `pending` of this warpgroup's commit groups are in
  /// flight (the oldest retire first).
  void wait(int64_t pending) {
    NVVM::WgmmaWaitGroupSyncOp::create(kb.b, kb.loc, uint64_t(pending));
  }

  /// Issues D = A B + C like issue(), with A in registers: per k16 step the
  /// four 32-bit words of this thread's A fragment (each warp holds rows 16 w
  /// .. 16 w + 15 in the layout of an mma.m16n8k16 A fragment, i.e. two
  /// adjacent accumulator tiles of the first product), B from shared
  /// memory. NVVM has no op for this form: it is inline PTX, an asm
  /// statement per k16 step with the accumulators tied in and out.
  SmallVector<Value> issueRegisterA(ArrayRef<std::array<Value, 4>> a,
                                    function_ref<Value(int64_t)> descB,
                                    int64_t n, ArrayRef<Value> c,
                                    bool bTransposed) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    MLIRContext *ctx = b.getContext();
    const int64_t count = n / 2;
    SmallVector<Type> fields(count, b.getF32Type());
    auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
    const char *type = kb.element.isF16() ? "f16" : "bf16";
    // $0..$(count-1): D; then the A words, the B descriptor, scale-d; the
    // tied C operands are not named in the text.
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "{\n.reg .pred p;\nsetp.ne.b32 p, $" << count + 5 << ", 0;\n"
       << "wgmma.mma_async.sync.aligned.m64n" << n << "k16.f32." << type << "."
       << type << " {";
    for (int64_t i = 0; i < count; ++i)
      os << (i ? ", $" : "$") << i;
    os << "}, {$" << count << ", $" << count + 1 << ", $" << count + 2 << ", $"
       << count + 3 << "}, $" << count + 4 << ", p, 1, 1, "
       << (bTransposed ? 1 : 0) << ";\n}\n";
    std::string constraints;
    for (int64_t i = 0; i < count; ++i)
      constraints += "=f,";
    constraints += "r,r,r,r,l,r";
    for (int64_t i = 0; i < count; ++i)
      constraints += "," + std::to_string(i);
    Value one = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(1));
    SmallVector<Value> acc(c.begin(), c.end());
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    for (int64_t k = 0; k < static_cast<int64_t>(a.size()); ++k) {
      SmallVector<Value> operands(a[k].begin(), a[k].end());
      operands.push_back(descB(k));
      operands.push_back(one);
      operands.append(acc);
      Value result = LLVM::InlineAsmOp::create(
                         b, loc, structType, operands, text, constraints,
                         /*has_side_effects=*/true, /*is_align_stack=*/false,
                         LLVM::tailcallkind::TailCallKind::None,
                         /*asm_dialect=*/LLVM::AsmDialectAttr(),
                         /*operand_attrs=*/ArrayAttr())
                         .getResult(0);
      for (int64_t i = 0; i < count; ++i)
        acc[i] =
            LLVM::ExtractValueOp::create(b, loc, result, ArrayRef<int64_t>{i});
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    return acc;
  }

  /// A pair of f32 rounded to the element type, as one 32-bit word.
  Value packWord(Value lo, Value hi) {
    Value narrowLo = arith::TruncFOp::create(kb.b, kb.loc, kb.element, lo);
    Value narrowHi = arith::TruncFOp::create(kb.b, kb.loc, kb.element, hi);
    Value pair = vector::FromElementsOp::create(kb.b, kb.loc, kb.pairType(),
                                                ValueRange{narrowLo, narrowHi});
    auto wordType = VectorType::get({1}, kb.b.getI32Type());
    Value word = vector::BitCastOp::create(kb.b, kb.loc, wordType, pair);
    return vector::ExtractOp::create(kb.b, kb.loc, word, ArrayRef<int64_t>{0});
  }

  /// Makes this thread's generic shared-memory writes visible to the
  /// async proxy (wgmma operands written by st.shared).
  void fenceProxy() {
    NVVM::FenceProxyOp::create(
        kb.b, kb.loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(kb.b.getContext(),
                                   NVVM::SharedSpace::shared_cta));
  }
};

} // namespace mlir::attn::gpu_lowering

#endif // ATTN_LIB_CONVERSION_ATTNTOGPU_WGMMABUILDER_H
