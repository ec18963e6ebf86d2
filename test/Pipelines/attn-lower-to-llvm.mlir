// The named CPU pipeline: attn ops on tensors end as LLVM dialect functions
// with C-interface wrappers and caller-allocated outputs; both behaviours
// can be turned off.
//
// RUN: attn-opt %s --attn-lower-to-llvm | FileCheck %s
// RUN: attn-opt %s --attn-lower-to-llvm="emit-c-interface=false results-to-out-params=false" | FileCheck %s --check-prefix=PLAIN
// The host's target triple is set (clang would warn that it assumes one).
// RUN: attn-opt %s --attn-lower-to-llvm | attn-translate --mlir-to-llvmir | FileCheck %s --check-prefix=TRIPLE
// TRIPLE: target triple = "{{.+}}"

// CHECK: module attributes {llvm.target_triple = "{{.+}}"}
// CHECK-NOT: attn.
// CHECK-NOT: linalg.
// CHECK-LABEL: llvm.func @multi_head_block(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-LABEL: llvm.func @_mlir_ciface_multi_head_block(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: llvm.return %
// CHECK: llvm.return

// PLAIN-LABEL: llvm.func @multi_head_block(
// PLAIN-SAME: -> !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>
// PLAIN-NOT: _mlir_ciface

func.func @multi_head_block(%x: tensor<1x7x16xf32>, %wq: tensor<16x16xf32>, %wk: tensor<16x8xf32>, %wv: tensor<16x8xf32>, %wo: tensor<16x16xf32>) -> tensor<1x7x16xf32> {
  %y = attn.multi_head %x : tensor<1x7x16xf32>
      weights(%wq, %wk, %wv, %wo : tensor<16x16xf32>, tensor<16x8xf32>, tensor<16x8xf32>, tensor<16x16xf32>)
      {num_heads = 2 : i64, num_kv_heads = 1 : i64, pattern = #attn.causal<top_left>} -> tensor<1x7x16xf32>
  return %y : tensor<1x7x16xf32>
}
