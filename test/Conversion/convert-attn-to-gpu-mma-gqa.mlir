// Short queries with grouped heads (decode with GQA): the mma kernel
// stacks the query heads of a KV head into one block's rows -- a grid over
// KV heads (y = 2, not 8), block-q 16 holding 4 heads x 3 queries -- so
// each K/V tile is read once for the whole group. Each row's head is
// 4 x (KV head) + row / 3 and its query row / 3's remainder.
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=mma block-q=16" | FileCheck %s
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=mma block-q=32 warp-rows=32" | FileCheck %s --check-prefix=UNPACKED

// CHECK-LABEL: func.func @gqa_decode
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}, {{.*}} = %c2{{.*}}, {{.*}} = %c2{{.*}}) threads({{.*}}) in ({{.*}} = %c32
// CHECK: arith.divui %{{.*}}, %c3 : index
// CHECK: arith.remui %{{.*}}, %c3 : index
// CHECK: nvvm.mma.sync
// With Q staged in shared memory (32 rows per warp) the heads stay apart:
// UNPACKED: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}, {{.*}} = %c8{{.*}}, {{.*}} = %c2{{.*}})
func.func @gqa_decode(%q: tensor<2x8x3x64xbf16>, %k: tensor<2x2x100x64xbf16>) -> tensor<2x8x3x64xbf16> {
  %o = attn.sdpa %q, %k, %k {pattern = #attn.causal<bottom_right>} : tensor<2x8x3x64xbf16>, tensor<2x2x100x64xbf16>, tensor<2x2x100x64xbf16> -> tensor<2x8x3x64xbf16>
  return %o : tensor<2x8x3x64xbf16>
}
