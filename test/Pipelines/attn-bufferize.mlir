// attn-bufferize, the bufferization stage of both pipelines: elementwise
// tensor ops become linalg, and a public function's arguments are the
// caller's, read-only: the residual add writes the caller-allocated
// out-parameter (or, without out-parameters, a new buffer), never %arg0.
// (Unmarked, One-Shot Bufferize wrote the sum into %arg0 and copied it.)
// RUN: attn-opt %s --attn-bufferize | FileCheck %s
// RUN: attn-opt %s --attn-bufferize=results-to-out-params=false | FileCheck %s --check-prefix=RETURNED
// attn ops come first: bufferizing a module that still holds one is an
// error saying so (One-Shot Bufferize alone said "op was not bufferized").
// RUN: not attn-opt %attn_src_root/examples/gqa_causal.mlir --attn-bufferize 2>&1 | FileCheck %s --check-prefix=ATTN-OP
// ATTN-OP: error: 'attn.sdpa' must be lowered before bufferization (attn-derive-schedule + attn-tile-flash or convert-attn-to-linalg, as attn-lower-to-llvm does; convert-attn-to-gpu in attn-lower-to-nvvm)
// RUN: not attn-opt %attn_src_root/examples/multi_head_bf16.mlir --attn-bufferize 2>&1 | FileCheck %s --check-prefix=MULTI-HEAD
// MULTI-HEAD: error: 'attn.multi_head' must be lowered before bufferization (attn-decompose-multi-head, then its attn.sdpa ops)
// ATTN-OP-NOT: op was not bufferized

// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%[[X:[^:]*]]: memref<4x8xf32>, %[[Y:[^:]*]]: memref<4x8xf32>, %[[OUT:[^:]*]]: memref<4x8xf32>)
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[X]], %[[Y]] : memref<4x8xf32>, memref<4x8xf32>) outs(%[[OUT]] : memref<4x8xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
// CHECK-NEXT: }
// RETURNED-LABEL: func.func @residual
// RETURNED-SAME: -> memref<4x8xf32>
// RETURNED-NEXT: %[[NEW:.*]] = memref.alloc()
// RETURNED-NEXT: linalg.generic {{.*}} outs(%[[NEW]] : memref<4x8xf32>)
// RETURNED: return %[[NEW]]
func.func @residual(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = arith.addf %x, %y : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
