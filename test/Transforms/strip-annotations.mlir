// RUN: attn-opt %s -split-input-file -attn-strip-annotations | FileCheck %s

// attn-strip-annotations drops every discardable attribute named attn.* (the
// module's attn.target or attn.gpu_target, attn.register_tile on linalg
// ops; the dialect knows no others), on every op at any depth, and keeps
// everything else: other dialects' attributes, names that only start with
// "attn" without the dot, and inherent attributes such as attn.sdpa's
// schedule.

// CHECK-LABEL: module attributes {other.keep = 1 : i32} {
// CHECK-NOT: attn.target
// CHECK-NOT: attn.gpu_target
// CHECK-LABEL: func.func @target_and_register_tile_removed
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x8xf32>, %[[B:[^:]*]]: memref<8x32xf32>, %[[C:[^:]*]]: memref<?x32xf32>) {
// CHECK-NEXT: linalg.matmul ins(%[[A]], %[[B]] : memref<?x8xf32>, memref<8x32xf32>) outs(%[[C]] : memref<?x32xf32>)
// CHECK-NEXT: return
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>, attn.gpu_target = #attn.gpu_target<sm = 80, shared_kb = 48, sms = 108>, other.keep = 1 : i32} {
  func.func @target_and_register_tile_removed(%a: memref<?x8xf32>, %b: memref<8x32xf32>, %c: memref<?x32xf32>) {
    linalg.matmul {attn.register_tile = array<i64: 16, 6, 4>} ins(%a, %b : memref<?x8xf32>, memref<8x32xf32>) outs(%c : memref<?x32xf32>)
    return
  }
}

// -----

// Nested ops lose their attn.* attributes too; the others stay.
#pv_p = affine_map<(d0, d1, d2) -> (d2, d0)>
#pv_v = affine_map<(d0, d1, d2) -> (d2, d1)>
#pv_acc = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @nested_annotations_removed_others_kept
// CHECK: scf.forall (%{{.*}}) in (2) {
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : memref<?x16xf32>, memref<?x16xf32>) outs(%{{.*}} : memref<16x16xf32>) attrs = {attn_like = 1 : i32, mine.attn.tile = 2 : i32} {
// CHECK-NOT: attn.
// CHECK: return
func.func @nested_annotations_removed_others_kept(%p: memref<?x16xf32>, %v: memref<?x16xf32>, %acc: memref<16x16xf32>) {
  scf.forall (%i) in (2) {
    %zero = arith.constant 0 : index
    linalg.generic {indexing_maps = [#pv_p, #pv_v, #pv_acc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%p, %v : memref<?x16xf32>, memref<?x16xf32>) outs(%acc : memref<16x16xf32>) attrs = {attn.register_tile = array<i64: 16, 6, 1>, attn_like = 1 : i32, mine.attn.tile = 2 : i32} {
    ^bb0(%in: f32, %in_v: f32, %out: f32):
      %product = arith.mulf %in, %in_v : f32
      %sum = arith.addf %out, %product : f32
      linalg.yield %sum : f32
    }
  }
  return
}

// -----

// The schedule is an inherent attribute of attn.sdpa, not an annotation: it
// stays (with the pattern).
// CHECK-LABEL: func.func @sdpa_schedule_is_inherent_and_kept
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.causal<top_left>, schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>
func.func @sdpa_schedule_is_inherent_and_kept(%q: tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32> {
  %o = attn.sdpa %q, %q, %q {pattern = #attn.causal<top_left>, schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return %o : tensor<1x1x16x16xf32>
}

// -----

// Nothing to strip: the IR is unchanged.
// CHECK-LABEL: func.func @no_annotations_unchanged
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %{{.*}}, %{{.*}} fastmath<fast> : f32
// CHECK-NEXT: return %[[SUM]] : f32
func.func @no_annotations_unchanged(%x: f32) -> f32 {
  %sum = arith.addf %x, %x fastmath<fast> : f32
  return %sum : f32
}
