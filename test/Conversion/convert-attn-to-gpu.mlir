// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu=kernel=simt | FileCheck %s

// convert-attn-to-gpu: one gpu.launch per attn.sdpa, a block per (query
// block, query head, batch), a thread per query row; K/V tiles in shared
// memory, the query row and accumulator in private memory, exp2 online
// softmax between barriers.

// CHECK-LABEL: func.func @gqa_causal_bottom_right_bf16
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x100x64xbf16>, %[[K:[^:]*]]: tensor<2x2x130x64xbf16>, %[[V:[^:]*]]: tensor<2x2x130x64xbf16>)
// CHECK: %[[QB:.*]] = bufferization.to_buffer %[[Q]] read_only
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<2x4x100x64xbf16>
// Two query blocks of 64 rows, 4 heads, 2 batch entries; 64 threads.
// CHECK: gpu.launch blocks(%[[BLOCK:.*]], %[[HEAD:.*]], %[[BATCH:.*]]) in (%{{.*}} = %c2, %{{.*}} = %c4, %{{.*}} = %c2{{.*}}) threads(%[[THREAD:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c64
// CHECK-SAME: workgroup(%[[KTILE:.*]] : memref<64x64xf32, #gpu.address_space<workgroup>>, %[[VTILE:.*]] : memref<64x64xf32, #gpu.address_space<workgroup>>)
// CHECK-SAME: private(%[[QROW:.*]] : memref<64xf32, #gpu.address_space<private>>, %[[ACC:.*]] : memref<64xf32, #gpu.address_space<private>>)
// GQA: key/value head = query head / 2.
// CHECK: arith.divui %[[HEAD]], %{{.*}} : index
// The query row is widened and scaled by 1/sqrt(64) * log2(e).
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.constant 0.180336878 : f32
// The key loop ends where the block's last row stops seeing keys.
// CHECK: arith.maxsi
// CHECK: %[[KEY_END:.*]] = arith.minsi %{{.*}}, %c130
// CHECK: scf.for %[[KV:.*]] = %{{.*}} to %[[KEY_END]] step %{{.*}} iter_args
// CHECK: memref.store %{{.*}}, %[[KTILE]]
// CHECK: memref.store %{{.*}}, %[[VTILE]]
// CHECK: gpu.barrier
// CHECK: math.exp2
// CHECK: math.exp2
// CHECK: math.fma
// CHECK: gpu.barrier
// Fully masked rows (sum 0) give 0, then bf16.
// CHECK: arith.divf
// CHECK: arith.select
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[BATCH]], %[[HEAD]], %{{.*}}, %{{.*}}]
// CHECK: gpu.terminator
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
func.func @gqa_causal_bottom_right_bf16(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x2x130x64xbf16>, %v: tensor<2x2x130x64xbf16>) -> tensor<2x4x100x64xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x100x64xbf16>, tensor<2x2x130x64xbf16>, tensor<2x2x130x64xbf16> -> tensor<2x4x100x64xbf16>
  return %o : tensor<2x4x100x64xbf16>
}

// -----

// Head dims of 128: the shared tiles shrink to 32 keys (40 KiB budget); the
// lse is written by valid rows; key lengths clip the key loop.
// CHECK-LABEL: func.func @mha_d128_lse_key_lengths
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%{{.*}} : memref<32x128xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<32x128xf32, #gpu.address_space<workgroup>>)
// CHECK: arith.index_cast
// CHECK: arith.maxsi
// CHECK: math.log2
// CHECK: return %{{.*}}, %{{.*}} : tensor<1x2x16x128xf32>, tensor<1x2x16xf32>
func.func @mha_d128_lse_key_lengths(%q: tensor<1x2x16x128xf32>, %k: tensor<1x2x40x128xf32>, %v: tensor<1x2x40x128xf32>, %len: tensor<1xi32>) -> (tensor<1x2x16x128xf32>, tensor<1x2x16xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v key_lengths(%len : tensor<1xi32>) : tensor<1x2x16x128xf32>, tensor<1x2x40x128xf32>, tensor<1x2x40x128xf32> -> tensor<1x2x16x128xf32>, tensor<1x2x16xf32>
  return %o, %lse : tensor<1x2x16x128xf32>, tensor<1x2x16xf32>
}
