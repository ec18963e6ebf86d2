//===- MmaBuilder.h - IR helpers of the mma.sync kernels --------*- C++ -*-===//
//
// Internal to lib/Conversion/AttnToGPU: builds the pieces the tensor-core
// kernels (attention in AttnToGPUMma.cpp, matmul in MmaMatmul.cpp) share:
// index and f32 arithmetic, ex2, xor shuffles, multiplicand registers
// (pairs of f16/bf16 as the mma.sync operand type), ldmatrix and one
// m16n8k16 step.
//
// Fragment layouts (PTX ISA, mma.m16n8k16 with 16-bit multiplicands; lane
// = 4 g + t): A reg0 = row g, cols 2t..2t+1; reg1 = row g+8; reg2 = row g,
// cols 8+2t..; reg3 = row g+8, cols 8+2t... B reg0 = rows 2t..2t+1 of
// column g; reg1 = rows 8+2t... C c0,c1 = row g, cols 2t..2t+1; c2,c3 =
// row g+8.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTOGPU_MMABUILDER_H
#define ATTN_LIB_CONVERSION_ATTNTOGPU_MMABUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <array>

namespace mlir::attn::gpu_lowering {

using Fragment = SmallVector<Value, 4>;

/// IR helpers of the kernel body. One op per statement: the IR order must
/// not depend on the C++ compiler's argument evaluation order.
struct KernelBuilder {
  OpBuilder &b;
  Location loc;
  Type element; ///< f16 or bf16

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value addOffset(Value x, int64_t c) {
    if (c == 0)
      return x;
    Value constant = index(c);
    return add(x, constant);
  }
  Value less(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, y);
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) {
    return arith::MaxNumFOp::create(b, loc, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  /// 2^x with the hardware approximation (ex2.approx.ftz: exact 0 for -inf).
  Value exp2(Value x) {
    return LLVM::CallIntrinsicOp::create(
               b, loc, b.getF32Type(),
               b.getStringAttr("llvm.nvvm.ex2.approx.ftz.f32"), ValueRange{x})
        .getResult(0);
  }

  /// xor-shuffle within the warp.
  Value shuffleXor(Value v, int32_t offset) {
    Value offsetValue =
        arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(offset));
    Value width = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(32));
    return gpu::ShuffleOp::create(b, loc, v, offsetValue, width,
                                  gpu::ShuffleMode::XOR)
        .getShuffleResult();
  }

  VectorType pairType() { return VectorType::get({2}, element); }

  /// A 2-element vector as an mma.sync multiplicand register: i32 for bf16
  /// (what the NVVM op takes), vector<2xf16> for f16.
  Value toOperand(Value pair) {
    if (element.isF16())
      return pair;
    auto wordType = VectorType::get({1}, b.getI32Type());
    Value word = vector::BitCastOp::create(b, loc, wordType, pair);
    return vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0});
  }
  /// Two consecutive elements of the innermost dimension (4-byte aligned).
  Value loadElements(Value memref, ValueRange indices) {
    return vector::LoadOp::create(b, loc, pairType(), memref, indices,
                                  /*nontemporal=*/false, llvm::MaybeAlign(4));
  }
  /// The same as a multiplicand register.
  Value loadPair(Value memref, ValueRange indices) {
    Value pair = loadElements(memref, indices);
    return toOperand(pair);
  }
  /// Four element pairs (one fragment) to the 16 bytes at `at` of the
  /// shared 1-d `memref`, for loadParked.
  void storeParked(ArrayRef<Value> pairs, Value memref, Value at) {
    for (auto [i, pair] : llvm::enumerate(pairs)) {
      Value offset = addOffset(at, 2 * static_cast<int64_t>(i));
      vector::StoreOp::create(b, loc, pair, memref, ValueRange{offset},
                              /*nontemporal=*/false, llvm::MaybeAlign(4));
    }
  }
  /// The fragment storeParked wrote, as one 16-byte load.
  Fragment loadParked(Value memref, Value at) {
    auto wideType = VectorType::get({8}, element);
    Value wide =
        vector::LoadOp::create(b, loc, wideType, memref, ValueRange{at},
                               /*nontemporal=*/false, llvm::MaybeAlign(16));
    Fragment fragment;
    for (int64_t i = 0; i < 4; ++i) {
      Value pair = vector::ShuffleOp::create(
          b, loc, wide, wide, ArrayRef<int64_t>{2 * i, 2 * i + 1});
      fragment.push_back(toOperand(pair));
    }
    return fragment;
  }
  /// Two elements from anywhere.
  Value packElements(Value lo, Value hi) {
    Value pair =
        vector::FromElementsOp::create(b, loc, pairType(), ValueRange{lo, hi});
    return toOperand(pair);
  }
  /// Two f32 values rounded to the element type.
  Value packF32(Value lo, Value hi) {
    Value narrowLo = arith::TruncFOp::create(b, loc, element, lo);
    Value narrowHi = arith::TruncFOp::create(b, loc, element, hi);
    return packElements(narrowLo, narrowHi);
  }

  /// ldmatrix of `count` 8x8 matrices (rows 16 bytes) from the shared
  /// `tile`, lane l giving row l % 8 of matrix l / 8 at [row, column]; the
  /// result is one multiplicand register per matrix.
  SmallVector<Value> loadMatrices(Value tile, Value row, Value column,
                                  int64_t count, bool transpose) {
    auto resultType = VectorType::get({count, 2}, element);
    Value matrices = nvgpu::LdMatrixOp::create(
        b, loc, resultType, tile, ValueRange{row, column}, transpose, count);
    SmallVector<Value> registers;
    for (int64_t i = 0; i < count; ++i) {
      Value pair =
          vector::ExtractOp::create(b, loc, matrices, ArrayRef<int64_t>{i});
      registers.push_back(toOperand(pair));
    }
    return registers;
  }

  /// accumulators[at..at+4) += A B (one m16n8k16 step, in place).
  void mmaInto(SmallVectorImpl<Value> &accumulators, int64_t at,
               ArrayRef<Value> a, Value b0, Value b1) {
    SmallVector<Value, 4> c(accumulators.begin() + at,
                            accumulators.begin() + at + 4);
    Fragment d = mma(a, {b0, b1}, c);
    for (int64_t i = 0; i < 4; ++i)
      accumulators[at + i] = d[i];
  }

  /// D = A B + C for one m16n8k16 step (f32 accumulators).
  Fragment mma(ArrayRef<Value> a, ArrayRef<Value> bOperands,
               ArrayRef<Value> c) {
    Type f32Type = b.getF32Type();
    auto resultType = LLVM::LLVMStructType::getLiteral(
        b.getContext(), {f32Type, f32Type, f32Type, f32Type});
    NVVM::MMATypes ptxType =
        element.isF16() ? NVVM::MMATypes::f16 : NVVM::MMATypes::bf16;
    std::array<NVVM::MMATypes, 2> ptxTypes = {ptxType, ptxType};
    std::array<NVVM::MMALayout, 2> layouts = {NVVM::MMALayout::row,
                                              NVVM::MMALayout::col};
    std::array<int64_t, 3> shape = {16, 8, 16};
    Value result =
        NVVM::MmaOp::create(b, loc, resultType, a, bOperands, c, shape,
                            std::nullopt, std::nullopt, ptxTypes, layouts);
    Fragment d;
    for (int64_t i = 0; i < 4; ++i)
      d.push_back(
          LLVM::ExtractValueOp::create(b, loc, result, ArrayRef<int64_t>{i}));
    return d;
  }
};

} // namespace mlir::attn::gpu_lowering

#endif // ATTN_LIB_CONVERSION_ATTNTOGPU_MMABUILDER_H
