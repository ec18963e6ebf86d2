// attn-translate --mlir-to-c-header declares the C-interface entry point of
// every public function with typed memref descriptors (inputs, then one
// caller-allocated output per result); private functions are skipped and a
// signature the C interface cannot express is a diagnostic.
// RUN: attn-translate --mlir-to-c-header %s -split-input-file -verify-diagnostics | FileCheck %s

// The descriptor contract: whole tensors of the declared shape.
// CHECK: Each
// CHECK-NEXT: descriptor must describe a whole tensor of the declared shape: offset 0,
// CHECK-NEXT: sizes the shape, strides its row-major ones.
// CHECK: #ifndef ATTN_KERNELS_19_gqa_masked_with_lse_H
// CHECK: #include <stdint.h>
// CHECK-DAG: #ifndef ATTN_MEMREF_4D_F16_DEFINED
// CHECK-DAG: typedef struct attn_memref_4d_f16 {
// CHECK-DAG: } attn_memref_4d_f16;
// CHECK-DAG: /* A rank-4 memref descriptor (i1: one byte per element, 0 or 1; other values are undefined, as for a C bool). */
// CHECK-DAG: } attn_memref_4d_i1;
// CHECK-DAG: } attn_memref_3d_f32;
// CHECK-DAG: } attn_memref_1d_i32;
// CHECK: /* @gqa_masked_with_lse: f16[1,8,16,64], f16[1,2,32,64], f16[1,2,32,64], i1[1,1,16,32], i32[1] -> f16[1,8,16,64], f32[1,8,16] */
// CHECK-NEXT: void _mlir_ciface_gqa_masked_with_lse(attn_memref_4d_f16 *arg0, attn_memref_4d_f16 *arg1, attn_memref_4d_f16 *arg2, attn_memref_4d_i1 *arg3, attn_memref_1d_i32 *arg4, attn_memref_4d_f16 *result0, attn_memref_3d_f32 *result1);
// CHECK-NOT: helper
// CHECK: #endif /* ATTN_KERNELS_19_gqa_masked_with_lse_H */
func.func @gqa_masked_with_lse(%q: tensor<1x8x16x64xf16>, %k: tensor<1x2x32x64xf16>, %v: tensor<1x2x32x64xf16>, %m: tensor<1x1x16x32xi1>, %len: tensor<1xi32>) -> (tensor<1x8x16x64xf16>, tensor<1x8x16xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x16x32xi1>) key_lengths(%len : tensor<1xi32>) : tensor<1x8x16x64xf16>, tensor<1x2x32x64xf16>, tensor<1x2x32x64xf16> -> tensor<1x8x16x64xf16>, tensor<1x8x16xf32>
  return %o, %lse : tensor<1x8x16x64xf16>, tensor<1x8x16xf32>
}

func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{mlir-to-c-header: '@dynamic' has a 'tensor<?x8xf32>' argument or result; the C interface covers statically shaped tensors of f32, f16, bf16, f64, i1 and i32}}
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}

// -----

// expected-error @+1 {{mlir-to-c-header: '@my-attn.v2' is not a C identifier, so _mlir_ciface_my-attn.v2 cannot be declared or called from C; rename the function (letters, digits and '_')}}
func.func @"my-attn.v2"(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// An already-lowered module (or one with only private functions) has
// nothing to declare.
// expected-error @+1 {{mlir-to-c-header: the module has no public func.func to declare; give it the tensor-level module (before attn-lower-to-llvm), whose functions take and return tensors}}
module {
  func.func private @only_private(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}
