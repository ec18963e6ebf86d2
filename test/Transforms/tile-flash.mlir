// RUN: attn-opt %s -attn-tile-flash -split-input-file | FileCheck %s

// attn-tile-flash follows each op's #attn.schedule: scf.forall over (batch,
// query head, query block) on memrefs from bufferization.to_buffer, per work
// item the pre-scaled Qᵀ and f32 scratch, scf.for over the visible key
// blocks with Sᵀ = K·Qᵀ (linalg.matmul), the mask on Partial tiles only
// (scf.if), the exp2 online softmax, acc += P·V (linalg.generic), and the
// final normalization (and lse). Ops without a schedule, or with dynamic
// shapes, are left alone.

// Plain MHA, no mask, no pattern: every key block is visited (the loop ends at
// Skv = 48) and no tile is masked. Sq = 32, block_q = 16: 2 query blocks in
// natural order. D = 16: Q is scaled by 1/sqrt(16) * log2(e) = 0.360673755.

// CHECK-DAG: #[[$TRANSPOSE:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$PV_P:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$PV_V:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$PV_ACC:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @mha_no_mask_key_loop_ends_at_key_length
// CHECK-SAME: (%[[Q_T:[^:]*]]: tensor<1x2x32x16xf32>, %[[K_T:[^:]*]]: tensor<1x2x48x16xf32>, %[[V_T:[^:]*]]: tensor<1x2x48x16xf32>)
// CHECK: %[[Q:.*]] = bufferization.to_buffer %[[Q_T]] read_only : tensor<1x2x32x16xf32> to memref<1x2x32x16xf32>
// CHECK: %[[K:.*]] = bufferization.to_buffer %[[K_T]] read_only : tensor<1x2x48x16xf32> to memref<1x2x48x16xf32>
// CHECK: %[[V:.*]] = bufferization.to_buffer %[[V_T]] read_only : tensor<1x2x48x16xf32> to memref<1x2x48x16xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x32x16xf32>
// CHECK: %[[SQ:.*]] = arith.constant 32 : index
// CHECK: %[[SKV:.*]] = arith.constant 48 : index
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[H:[a-z0-9_]+]], %[[QBLOCK:[a-z0-9_]+]]) in (1, 2, 2) {
// Two query blocks: no zig-zag reordering.
// CHECK-NOT: arith.divui
// CHECK: %[[BLOCK_Q:.*]] = arith.constant 16 : index
// CHECK: %[[Q_BEGIN:.*]] = arith.muli %[[QBLOCK]], %[[BLOCK_Q]] : index
// CHECK: %[[Q_LEFT:.*]] = arith.subi %[[SQ]], %[[Q_BEGIN]] : index
// CHECK: %[[Q_COUNT:.*]] = arith.minsi %{{.*}}, %[[Q_LEFT]] : index
// Scratch: Qᵀ (D x block_q), Sᵀ (block_kv x block_q), acc (block_q x Dv),
// running max, running sum, new max, rescale factors.
// CHECK: %[[QT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[ST:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[ACC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[MAX:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK: %[[SUM:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK: %[[NEW_MAX:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK: %[[RESCALE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// Qᵀ = transpose(Q block) * scale * log2(e), padding columns zero.
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[QT]] : memref<16x16xf32>)
// CHECK: %[[Q_BLOCK:.*]] = memref.subview %[[Q]][%[[B]], %[[H]], %[[Q_BEGIN]], 0] [1, 1, %[[Q_COUNT]], 16] [1, 1, 1, 1]
// CHECK: %[[QT_USED:.*]] = memref.subview %[[QT]][0, 0] [16, %[[Q_COUNT]]] [1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[$TRANSPOSE]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[Q_BLOCK]] : {{.*}}) outs(%[[QT_USED]] : {{.*}})
// CHECK-NEXT: ^bb0(%[[Q_IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[Q_SCALE:.*]] = arith.constant 0.360673755 : f32
// CHECK-NEXT: %[[Q_SCALED:.*]] = arith.mulf %[[Q_IN]], %[[Q_SCALE]] : f32
// CHECK-NEXT: linalg.yield %[[Q_SCALED]] : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: linalg.fill ins(%[[ZERO]] : f32) outs(%[[ACC]] : memref<16x16xf32>)
// CHECK-NEXT: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX]] : memref<16xf32>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[SUM]] : memref<16xf32>)
// No pattern: the key loop runs over [0, Skv).
// CHECK: %[[KV_LB:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[BLOCK_KV:.*]] = arith.constant 16 : index
// CHECK-NEXT: scf.for %[[KV:[a-z0-9_]+]] = %[[KV_LB]] to %[[SKV]] step %[[BLOCK_KV]] {
// CHECK: %[[KV_LEFT:.*]] = arith.subi %[[SKV]], %[[KV]] : index
// CHECK-NEXT: arith.constant 16 : index
// CHECK-NEXT: %[[KV_COUNT:.*]] = arith.minsi %{{.*}}, %[[KV_LEFT]] : index
// CHECK: %[[K_BLOCK:.*]] = memref.subview %[[K]][%[[B]], %[[H]], %[[KV]], 0] [1, 1, %[[KV_COUNT]], 16] [1, 1, 1, 1]
// CHECK-NEXT: %[[V_BLOCK:.*]] = memref.subview %[[V]][%[[B]], %[[H]], %[[KV]], 0] [1, 1, %[[KV_COUNT]], 16] [1, 1, 1, 1]
// CHECK-NEXT: %[[S:.*]] = memref.subview %[[ST]][0, 0] [%[[KV_COUNT]], 16] [1, 1]
// Sᵀ = K block · Qᵀ, with the schedule's register tile for the vectorizer.
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[S]] : {{.*}})
// CHECK-NEXT: linalg.matmul {attn.register_tile = array<i64: 16, 6, 1>} ins(%[[K_BLOCK]], %[[QT]] : {{.*}}) outs(%[[S]] : {{.*}})
// No mask and no pattern: no tile is Partial.
// CHECK-NOT: scf.if
// Online softmax: new max = max(running max, column max of Sᵀ).
// CHECK-NEXT: linalg.copy ins(%[[MAX]] : memref<16xf32>) outs(%[[NEW_MAX]] : memref<16xf32>)
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[$ID2]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[S]] : {{.*}}) outs(%[[NEW_MAX]] : memref<16xf32>)
// CHECK: arith.maximumf
// rescale = exp2(max - safe(new max)); max = new max. A -inf max becomes 0.
// CHECK: linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]} ins(%[[NEW_MAX]] : memref<16xf32>) outs(%[[MAX]], %[[RESCALE]] : memref<16xf32>, memref<16xf32>)
// CHECK-NEXT: ^bb0(%[[RS_NEW:.*]]: f32, %[[RS_OLD:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[RS_NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[RS_ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[RS_IS_NEG_INF:.*]] = arith.cmpf oeq, %[[RS_NEW]], %[[RS_NEG_INF]] : f32
// CHECK-NEXT: %[[RS_SAFE:.*]] = arith.select %[[RS_IS_NEG_INF]], %[[RS_ZERO]], %[[RS_NEW]] : f32
// CHECK-NEXT: %[[RS_DIFF:.*]] = arith.subf %[[RS_OLD]], %[[RS_SAFE]] : f32
// CHECK-NEXT: %[[RS_FACTOR:.*]] = math.exp2 %[[RS_DIFF]] : f32
// CHECK-NEXT: linalg.yield %[[RS_NEW]], %[[RS_FACTOR]] : f32, f32
// Sᵀ = exp2(Sᵀ - safe(max)).
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[MAX]] : memref<16xf32>) outs(%[[S]] : {{.*}})
// CHECK: math.exp2
// sum = sum * rescale + column sum of Sᵀ.
// CHECK: linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]} ins(%[[RESCALE]] : memref<16xf32>) outs(%[[SUM]] : memref<16xf32>)
// CHECK: arith.mulf
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[S]] : {{.*}}) outs(%[[SUM]] : memref<16xf32>)
// CHECK: arith.addf
// acc = acc * rescale + (Sᵀ)ᵀ · V block.
// CHECK: linalg.generic {indexing_maps = [#[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[RESCALE]] : memref<16xf32>) outs(%[[ACC]] : memref<16x16xf32>)
// CHECK: arith.mulf
// CHECK: linalg.generic {indexing_maps = [#[[$PV_P]], #[[$PV_V]], #[[$PV_ACC]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[S]], %[[V_BLOCK]] : {{.*}}) outs(%[[ACC]] : memref<16x16xf32>) attrs = {attn.register_tile = array<i64: 16, 6, 1>}
// CHECK-NEXT: ^bb0(%[[P:.*]]: f32, %[[V_IN:.*]]: f32, %[[ACC_IN:.*]]: f32):
// CHECK-NEXT: %[[PRODUCT:.*]] = arith.mulf %[[P]], %[[V_IN]] : f32
// CHECK-NEXT: %[[ACC_NEW:.*]] = arith.addf %[[ACC_IN]], %[[PRODUCT]] : f32
// CHECK-NEXT: linalg.yield %[[ACC_NEW]] : f32
// CHECK: }
// CHECK-NEXT: }
// out = acc / sum, 0 for a row that saw no key; f32 output needs no rounding.
// CHECK-NEXT: %[[ACC_USED:.*]] = memref.subview %[[ACC]][0, 0] [%[[Q_COUNT]], 16] [1, 1]
// CHECK-NEXT: %[[SUM_USED:.*]] = memref.subview %[[SUM]][0] [%[[Q_COUNT]]] [1]
// CHECK-NEXT: %[[OUT_BLOCK:.*]] = memref.subview %[[OUT]][%[[B]], %[[H]], %[[Q_BEGIN]], 0] [1, 1, %[[Q_COUNT]], 16] [1, 1, 1, 1]
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACC_USED]], %[[SUM_USED]] : {{.*}}) outs(%[[OUT_BLOCK]] : {{.*}})
// CHECK-NEXT: ^bb0(%[[N_ACC:.*]]: f32, %[[N_SUM:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[N_ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[N_EMPTY:.*]] = arith.cmpf oeq, %[[N_SUM]], %[[N_ZERO]] : f32
// CHECK-NEXT: %[[N_QUOT:.*]] = arith.divf %[[N_ACC]], %[[N_SUM]] : f32
// CHECK-NEXT: %[[N_OUT:.*]] = arith.select %[[N_EMPTY]], %[[N_ZERO]], %[[N_QUOT]] : f32
// CHECK-NEXT: linalg.yield %[[N_OUT]] : f32
// CHECK: %[[RESULT:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<1x2x32x16xf32> to tensor<1x2x32x16xf32>
// CHECK-NEXT: return %[[RESULT]]
// No Sq x Skv buffer anywhere.
// CHECK-NOT: memref<32x48xf32>
// CHECK-NOT: attn.sdpa
func.func @mha_no_mask_key_loop_ends_at_key_length(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x48x16xf32>, %v: tensor<1x2x48x16xf32>) -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x2x32x16xf32>, tensor<1x2x48x16xf32>, tensor<1x2x48x16xf32> -> tensor<1x2x32x16xf32>
  return %o : tensor<1x2x32x16xf32>
}

// -----

// Causal, bottom-right aligned, Sq = 40 < Skv = 56 (offset 16), 3 query
// blocks of 16 (the last one 8 rows).
// - Zig-zag order 0, 2, 1: odd forall indices count from the last block.
// - The key loop ends after the last key the block's last query row sees:
//   min(max(q_end + Skv - Sq, 0), Skv); key blocks past it (Empty tiles) are
//   never visited.
// - A tile is Full when its last key is visible from the block's first row
//   (kv_end <= q_begin + Skv - Sq + 1); only the others run the mask.
// CHECK-LABEL: func.func @causal_bottom_right_zig_zag_and_visible_key_range
// CHECK: %[[SQ:.*]] = arith.constant 40 : index
// CHECK: %[[SKV:.*]] = arith.constant 56 : index
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[H:[a-z0-9_]+]], %[[QBLOCK:[a-z0-9_]+]]) in (1, 2, 3) {
// CHECK-NEXT: %[[TWO:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[HALF:.*]] = arith.divui %[[QBLOCK]], %[[TWO]] : index
// CHECK-NEXT: %[[PARITY:.*]] = arith.remui %[[QBLOCK]], %[[TWO]] : index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[ODD:.*]] = arith.cmpi ne, %[[PARITY]], %[[ZERO]] : index
// CHECK-NEXT: %[[LAST_BLOCK:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[FROM_END:.*]] = arith.subi %[[LAST_BLOCK]], %[[HALF]] : index
// CHECK-NEXT: %[[BLOCK:.*]] = arith.select %[[ODD]], %[[FROM_END]], %[[HALF]] : index
// CHECK-NEXT: %[[BLOCK_Q:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[Q_BEGIN:.*]] = arith.muli %[[BLOCK]], %[[BLOCK_Q]] : index
// CHECK-NEXT: %[[Q_LEFT:.*]] = arith.subi %[[SQ]], %[[Q_BEGIN]] : index
// CHECK-NEXT: arith.constant 16 : index
// CHECK-NEXT: %[[Q_COUNT:.*]] = arith.minsi %{{.*}}, %[[Q_LEFT]] : index
// CHECK-NEXT: %[[Q_END:.*]] = arith.addi %[[Q_BEGIN]], %[[Q_COUNT]] : index
// CHECK-NEXT: %[[QT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK-NEXT: %[[ST:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK: %[[SHIFTED_END:.*]] = arith.addi %[[Q_END]], %[[SKV]] : index
// CHECK-NEXT: %[[DIAGONAL_END:.*]] = arith.subi %[[SHIFTED_END]], %[[SQ]] : index
// CHECK-NEXT: %[[NON_NEGATIVE_END:.*]] = arith.maxsi %[[DIAGONAL_END]], %[[KEY_BEGIN:.*]] : index
// CHECK-NEXT: %[[KEY_END:.*]] = arith.minsi %[[NON_NEGATIVE_END]], %[[SKV]] : index
// CHECK-NEXT: %[[BLOCK_KV:.*]] = arith.constant 16 : index
// CHECK-NEXT: scf.for %[[KV:[a-z0-9_]+]] = %[[KEY_BEGIN]] to %[[KEY_END]] step %[[BLOCK_KV]] {
// The last key block is clipped at the visible end, not at Skv.
// CHECK: %[[KV_LEFT:.*]] = arith.subi %[[KEY_END]], %[[KV]] : index
// CHECK-NEXT: arith.constant 16 : index
// CHECK-NEXT: %[[KV_COUNT:.*]] = arith.minsi %{{.*}}, %[[KV_LEFT]] : index
// CHECK-NEXT: %[[KV_END:.*]] = arith.addi %[[KV]], %[[KV_COUNT]] : index
// CHECK: %[[S:.*]] = memref.subview %[[ST]][0, 0] [%[[KV_COUNT]], 16] [1, 1]
// CHECK: linalg.matmul
// CHECK-NEXT: %[[FIRST_ROW_SHIFTED:.*]] = arith.addi %[[Q_BEGIN]], %[[SKV]] : index
// CHECK-NEXT: %[[FIRST_ROW_DIAGONAL:.*]] = arith.subi %[[FIRST_ROW_SHIFTED]], %[[SQ]] : index
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[FIRST_ROW_END:.*]] = arith.addi %[[FIRST_ROW_DIAGONAL]], %[[ONE]] : index
// CHECK-NEXT: %[[FULL:.*]] = arith.cmpi sle, %[[KV_END]], %[[FIRST_ROW_END]] : index
// CHECK-NEXT: %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT: %[[PARTIAL:.*]] = arith.xori %[[FULL]], %[[TRUE]] : i1
// A pattern alone masks the whole block_q-wide tile (padding columns too).
// CHECK-NEXT: scf.if %[[PARTIAL]] {
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[S]] : memref<?x16xf32, strided<[16, 1]>>)
// Keep key j for query row i when j + Sq <= i + Skv.
// CHECK-NEXT: ^bb0(%[[SCORE:.*]]: f32):
// CHECK-NEXT: %[[COL:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[ROW:.*]] = arith.addi %[[Q_BEGIN]], %[[COL]] : index
// CHECK-NEXT: %[[S_ROW:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[KEY:.*]] = arith.addi %[[KV]], %[[S_ROW]] : index
// CHECK-NEXT: %[[KEY_PLUS_SQ:.*]] = arith.addi %[[KEY]], %[[SQ]] : index
// CHECK-NEXT: %[[ROW_PLUS_SKV:.*]] = arith.addi %[[ROW]], %[[SKV]] : index
// CHECK-NEXT: %[[VISIBLE:.*]] = arith.cmpi sle, %[[KEY_PLUS_SQ]], %[[ROW_PLUS_SKV]] : index
// CHECK-NEXT: %[[MASKED:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[KEPT:.*]] = arith.select %[[VISIBLE]], %[[SCORE]], %[[MASKED]] : f32
// CHECK-NEXT: linalg.yield %[[KEPT]] : f32
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: linalg.copy
// CHECK: math.exp2
// CHECK-NOT: memref<40x56xf32>
func.func @causal_bottom_right_zig_zag_and_visible_key_range(%q: tensor<1x2x40x16xf32>, %k: tensor<1x2x56x16xf32>, %v: tensor<1x2x56x16xf32>) -> tensor<1x2x40x16xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>, schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x2x40x16xf32>, tensor<1x2x56x16xf32>, tensor<1x2x56x16xf32> -> tensor<1x2x40x16xf32>
  return %o : tensor<1x2x40x16xf32>
}

// -----

// Causal, top-left, 2 query blocks: natural order (zig-zag only pays from 3
// blocks on), and the key loop ends at min(max(q_end, 0), Skv).
// CHECK-LABEL: func.func @causal_top_left_two_query_blocks_no_zig_zag
// CHECK: %[[SQ:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[SKV:.*]] = arith.constant 32 : index
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %[[QBLOCK:[a-z0-9_]+]]) in (1, 1, 2) {
// CHECK-NEXT: %[[BLOCK_Q:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[Q_BEGIN:.*]] = arith.muli %[[QBLOCK]], %[[BLOCK_Q]] : index
// CHECK: %[[Q_COUNT:.*]] = arith.minsi
// CHECK-NEXT: %[[Q_END:.*]] = arith.addi %[[Q_BEGIN]], %[[Q_COUNT]] : index
// CHECK: %[[NON_NEGATIVE_END:.*]] = arith.maxsi %[[Q_END]], %[[KEY_BEGIN:.*]] : index
// CHECK-NEXT: %[[KEY_END:.*]] = arith.minsi %[[NON_NEGATIVE_END]], %[[SKV]] : index
// CHECK: scf.for %[[KV:[a-z0-9_]+]] = %[[KEY_BEGIN]] to %[[KEY_END]] step
// Full when kv_end <= q_begin + 1.
// CHECK: linalg.matmul
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[FIRST_ROW_END:.*]] = arith.addi %[[Q_BEGIN]], %[[ONE]] : index
// CHECK-NEXT: %[[FULL:.*]] = arith.cmpi sle, %{{.*}}, %[[FIRST_ROW_END]] : index
// CHECK: scf.if
// Keep key j for query row i when j <= i.
// CHECK: %[[COL:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[ROW:.*]] = arith.addi %[[Q_BEGIN]], %[[COL]] : index
// CHECK-NEXT: %[[S_ROW:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[KEY:.*]] = arith.addi %[[KV]], %[[S_ROW]] : index
// CHECK-NEXT: %[[VISIBLE:.*]] = arith.cmpi sle, %[[KEY]], %[[ROW]] : index
// CHECK-NEXT: arith.constant 0xFF800000 : f32
// CHECK-NEXT: arith.select %[[VISIBLE]]
func.func @causal_top_left_two_query_blocks_no_zig_zag(%q: tensor<1x1x32x16xf32>, %k: tensor<1x1x32x16xf32>, %v: tensor<1x1x32x16xf32>) -> tensor<1x1x32x16xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>, schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32> -> tensor<1x1x32x16xf32>
  return %o : tensor<1x1x32x16xf32>
}

// -----

// GQA, 4 query heads over 2 key/value heads: K and V blocks are read at
// head h / 2, Q and the output at head h. Dv = 16 differs from D = 8.
// CHECK-LABEL: func.func @gqa_key_value_head_is_query_head_divided_by_group
// CHECK: %[[Q:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x4x16x8xf32> to memref<2x4x16x8xf32>
// CHECK: %[[K:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x2x24x8xf32> to memref<2x2x24x8xf32>
// CHECK: %[[V:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x2x24x16xf32> to memref<2x2x24x16xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x16x16xf32>
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[H:[a-z0-9_]+]], %{{[a-z0-9_]+}}) in (2, 4, 1) {
// CHECK: %[[GROUP:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[KV_HEAD:.*]] = arith.divui %[[H]], %[[GROUP]] : index
// Qᵀ is D x block_q = 8 x 16, the accumulator block_q x Dv = 16 x 16.
// CHECK-NEXT: %[[QT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8x16xf32>
// CHECK: memref.subview %[[Q]][%[[B]], %[[H]], %{{.*}}, 0] [1, 1, %{{.*}}, 8]
// 1/sqrt(8) * log2(e)
// CHECK: arith.constant 0.510069728 : f32
// CHECK: scf.for %[[KV:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step
// CHECK: %[[K_BLOCK:.*]] = memref.subview %[[K]][%[[B]], %[[KV_HEAD]], %[[KV]], 0] [1, 1, %{{.*}}, 8]
// CHECK-NEXT: %[[V_BLOCK:.*]] = memref.subview %[[V]][%[[B]], %[[KV_HEAD]], %[[KV]], 0] [1, 1, %{{.*}}, 16]
// CHECK: linalg.matmul {attn.register_tile = array<i64: 16, 6, 1>} ins(%[[K_BLOCK]], %[[QT]] : memref<?x8xf32, strided<[8, 1], offset: ?>>, memref<8x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[V_BLOCK]] : {{.*}}) outs(%{{.*}} : memref<16x16xf32>) attrs = {attn.register_tile = array<i64: 16, 6, 1>}
// CHECK: memref.subview %[[OUT]][%[[B]], %[[H]], %{{.*}}, 0] [1, 1, %{{.*}}, 16]
func.func @gqa_key_value_head_is_query_head_divided_by_group(%q: tensor<2x4x16x8xf32>, %k: tensor<2x2x24x8xf32>, %v: tensor<2x2x24x16xf32>) -> tensor<2x4x16x16xf32> {
  %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<2x4x16x8xf32>, tensor<2x2x24x8xf32>, tensor<2x2x24x16xf32> -> tensor<2x4x16x16xf32>
  return %o : tensor<2x4x16x16xf32>
}

// -----

// An i1 mask broadcast over heads: every tile may hold masked keys, so the
// mask runs on every key block (is_full = false); the mask block is read at
// head 0, rows of the query block, columns of the key block. A whole query
// block reads it over the static-width score tile (attn-vectorize-cpu
// transposes it in registers); a short last block reads only its rows,
// keys innermost (along the mask's rows).
// CHECK-LABEL: func.func @bool_mask_broadcast_heads_masks_every_tile
// CHECK-SAME: %[[MASK_T:[^:]*]]: tensor<2x1x16x24xi1>
// CHECK: %[[MASK:.*]] = bufferization.to_buffer %[[MASK_T]] read_only : tensor<2x1x16x24xi1> to memref<2x1x16x24xi1>
// CHECK: %[[SKV:.*]] = arith.constant 24 : index
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}) in (2, 4, 1) {
// CHECK: %[[Q_BEGIN:.*]] = arith.muli
// CHECK: %[[Q_COUNT:.*]] = arith.minsi
// CHECK: %[[ST:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// The mask does not shorten the key loop.
// CHECK: scf.for %[[KV:[a-z0-9_]+]] = %{{.*}} to %[[SKV]] step
// CHECK: %[[KV_COUNT:.*]] = arith.minsi
// CHECK: linalg.matmul
// CHECK-NEXT: %[[FULL:.*]] = arith.constant false
// CHECK-NEXT: %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT: %[[PARTIAL:.*]] = arith.xori %[[FULL]], %[[TRUE]] : i1
// CHECK-NEXT: scf.if %[[PARTIAL]] {
// CHECK-NEXT: %[[SIXTEEN:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[WHOLE:.*]] = arith.cmpi eq, %[[Q_COUNT]], %[[SIXTEEN]] : index
// CHECK-NEXT: scf.if %[[WHOLE]] {
// CHECK-NEXT: %[[HEAD0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[MASK_BLOCK:.*]] = memref.subview %[[MASK]][%[[B]], %[[HEAD0]], %[[Q_BEGIN]], %[[KV]]] [1, 1, 16, %[[KV_COUNT]]] [1, 1, 1, 1] : memref<2x1x16x24xi1> to memref<16x?xi1, strided<[24, 1], offset: ?>>
// The mask is [query, key], the scores [key, query]: transposed map.
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[TR:.*]], #[[ID:.*]]], iterator_types = ["parallel", "parallel"]} ins(%[[MASK_BLOCK]] : {{.*}}) outs(%{{.*}} : memref<?x16xf32, strided<[16, 1]>>)
// CHECK-NEXT: ^bb0(%[[KEEP:.*]]: i1, %[[SCORE:.*]]: f32):
// CHECK-NEXT: %[[MASKED:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[KEPT:.*]] = arith.select %[[KEEP]], %[[SCORE]], %[[MASKED]] : f32
// CHECK-NEXT: linalg.yield %[[KEPT]] : f32
// CHECK: } else {
// CHECK-NEXT: %[[S_USED:.*]] = memref.subview %[[ST]][0, 0] [%[[KV_COUNT]], %[[Q_COUNT]]] [1, 1]
// CHECK-NEXT: %[[HEAD0_:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[SHORT_BLOCK:.*]] = memref.subview %[[MASK]][%[[B]], %[[HEAD0_]], %[[Q_BEGIN]], %[[KV]]] [1, 1, %[[Q_COUNT]], %[[KV_COUNT]]] [1, 1, 1, 1] : memref<2x1x16x24xi1> to memref<?x?xi1, strided<[24, 1], offset: ?>>
// Loops (query, key): the mask's map is the identity, the scores' the
// transpose.
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[ID]], #[[TR]]], iterator_types = ["parallel", "parallel"]} ins(%[[SHORT_BLOCK]] : {{.*}}) outs(%[[S_USED]] : {{.*}})
// CHECK-NEXT: ^bb0(%{{.*}}: i1, %{{.*}}: f32):
// CHECK-NEXT: arith.constant 0xFF800000 : f32
// CHECK-NEXT: arith.select
func.func @bool_mask_broadcast_heads_masks_every_tile(%q: tensor<2x4x16x8xf32>, %k: tensor<2x4x24x8xf32>, %v: tensor<2x4x24x16xf32>, %m: tensor<2x1x16x24xi1>) -> tensor<2x4x16x16xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x16x24xi1>) {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<2x4x16x8xf32>, tensor<2x4x24x8xf32>, tensor<2x4x24x16xf32> -> tensor<2x4x16x16xf32>
  return %o : tensor<2x4x16x16xf32>
}

// -----

// An additive bf16 mask broadcast over batch, with a top-left pattern: the
// mask (scaled to log2 units) is added, then the pattern selects -inf; the
// mask block is read at batch 0 and head h.
// CHECK-LABEL: func.func @additive_bf16_mask_broadcast_batch_with_top_left_pattern
// CHECK-SAME: %[[MASK_T:[^:]*]]: tensor<1x2x16x16xbf16>) -> tensor<1x2x16x16xbf16>
// CHECK: %[[MASK:.*]] = bufferization.to_buffer %[[MASK_T]] read_only : tensor<1x2x16x16xbf16> to memref<1x2x16x16xbf16>
// CHECK: scf.forall (%{{[a-z0-9_]+}}, %[[H:[a-z0-9_]+]], %{{[a-z0-9_]+}}) in (1, 2, 1) {
// K and V tiles are widened to f32 once per key block, into scratch of
// block_kv rows; the contractions read f32 only.
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT: memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT: memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT: memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT: %[[K_WIDE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK-NEXT: %[[V_WIDE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// Q is extended to f32 while packed.
// CHECK: ^bb0(%[[Q_IN:.*]]: bf16, %{{.*}}: f32):
// CHECK-NEXT: %[[Q_F32:.*]] = arith.extf %[[Q_IN]] : bf16 to f32
// CHECK: scf.for %[[KV:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step
// CHECK: %[[KV_COUNT:.*]] = arith.minsi
// CHECK: %[[K_BLOCK:.*]] = memref.subview %{{.*}}[%{{.*}}, %[[H]], %[[KV]], 0] [1, 1, %[[KV_COUNT]], 16]
// CHECK: %[[K_USED:.*]] = memref.subview %[[K_WIDE]][0, 0] [%[[KV_COUNT]], 16] [1, 1]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[K_BLOCK]] : memref<?x16xbf16, strided<[16, 1], offset: ?>>) outs(%[[K_USED]] : memref<?x16xf32, strided<[16, 1]>>)
// CHECK-NEXT: ^bb0(%[[K_IN:.*]]: bf16, %{{.*}}: f32):
// CHECK-NEXT: %[[K_F32:.*]] = arith.extf %[[K_IN]] : bf16 to f32
// CHECK-NEXT: linalg.yield %[[K_F32]] : f32
// CHECK: %[[V_USED:.*]] = memref.subview %[[V_WIDE]][0, 0] [%[[KV_COUNT]], 16] [1, 1]
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[V_USED]] : memref<?x16xf32, strided<[16, 1]>>)
// CHECK: linalg.matmul {attn.register_tile = array<i64: 16, 6, 1>} ins(%[[K_USED]], %{{.*}} : memref<?x16xf32, strided<[16, 1]>>, memref<16x16xf32>)
// With a mask, every tile is Partial whatever the pattern says. A whole
// query block (16 rows, statically) reads the mask over the static-width
// score tile, which attn-vectorize-cpu gathers into vectors; a short last
// block reads only its rows (the else branch).
// CHECK-NEXT: %[[FULL:.*]] = arith.constant false
// CHECK: scf.if
// CHECK: %[[WHOLE:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : index
// CHECK-NEXT: scf.if %[[WHOLE]] {
// CHECK: %[[BATCH0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[MASK_BLOCK:.*]] = memref.subview %[[MASK]][%[[BATCH0]], %[[H]], %{{.*}}, %[[KV]]] [1, 1, 16, %{{.*}}] [1, 1, 1, 1] : memref<1x2x16x16xbf16> to memref<16x?xbf16
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[MASK_BLOCK]] : {{.*}})
// CHECK-NEXT: ^bb0(%[[BIAS:.*]]: bf16, %[[SCORE:.*]]: f32):
// CHECK-NEXT: %[[BIAS_F32:.*]] = arith.extf %[[BIAS]] : bf16 to f32
// CHECK-NEXT: %[[LOG2E:.*]] = arith.constant 1.44269502 : f32
// CHECK-NEXT: %[[BIAS_SCALED:.*]] = arith.mulf %[[BIAS_F32]], %[[LOG2E]] : f32
// (clamped to +-FLT_MAX unless infinite: see test/Conversion/additive-mask-bias.mlir)
// CHECK-NEXT: arith.constant -3.40282347E+38 : f32
// CHECK-NEXT: arith.maximumf %[[BIAS_SCALED]]
// CHECK-NEXT: arith.constant 3.40282347E+38 : f32
// CHECK-NEXT: arith.minimumf
// CHECK-NEXT: arith.constant 0xFF800000 : f32
// CHECK-NEXT: arith.cmpf oeq, %[[BIAS_F32]]
// CHECK-NEXT: arith.select
// CHECK-NEXT: arith.constant 0x7F800000 : f32
// CHECK-NEXT: arith.cmpf oeq, %[[BIAS_F32]]
// CHECK-NEXT: %[[BIAS_LOG2:.*]] = arith.select
// CHECK-NEXT: %[[BIASED:.*]] = arith.addf %[[SCORE]], %[[BIAS_LOG2]] : f32
// CHECK: %[[VISIBLE:.*]] = arith.cmpi sle
// CHECK-NEXT: %[[MASKED:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[KEPT:.*]] = arith.select %[[VISIBLE]], %[[BIASED]], %[[MASKED]] : f32
// CHECK-NEXT: linalg.yield %[[KEPT]] : f32
// The output is rounded to bf16.
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @additive_bf16_mask_broadcast_batch_with_top_left_pattern(%q: tensor<1x2x16x16xbf16>, %k: tensor<1x2x16x16xbf16>, %v: tensor<1x2x16x16xbf16>, %m: tensor<1x2x16x16xbf16>) -> tensor<1x2x16x16xbf16> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x2x16x16xbf16>) {pattern = #attn.causal<top_left>, schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x2x16x16xbf16>, tensor<1x2x16x16xbf16>, tensor<1x2x16x16xbf16> -> tensor<1x2x16x16xbf16>
  return %o : tensor<1x2x16x16xbf16>
}

// -----

// f16 with an explicit scale and lse: Q extended to f32 and scaled by
// 0.5 * log2(e) while packed, V extended once per key block, the
// output rounded to f16; lse = (max + log2(sum)) * ln(2), -inf for rows
// that saw no key, into an f32 buffer.
// CHECK-LABEL: func.func @f16_scale_and_lse
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x1x16x16xf16>
// CHECK-NEXT: %[[LSE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x1x16xf32>
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[H:[a-z0-9_]+]], %{{[a-z0-9_]+}}) in (1, 1, 1) {
// CHECK: %[[Q_BEGIN:.*]] = arith.muli
// CHECK: %[[Q_COUNT:.*]] = arith.minsi
// CHECK: %[[MAX:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT: %[[SUM:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK: ^bb0(%[[Q_IN:.*]]: f16, %{{.*}}: f32):
// CHECK-NEXT: %[[Q_F32:.*]] = arith.extf %[[Q_IN]] : f16 to f32
// CHECK-NEXT: %[[Q_SCALE:.*]] = arith.constant 0.72134751 : f32
// CHECK-NEXT: arith.mulf %[[Q_F32]], %[[Q_SCALE]] : f32
// CHECK: scf.for
// CHECK: ^bb0(%[[V_IN:.*]]: f16, %{{.*}}: f32):
// CHECK-NEXT: %[[V_F32:.*]] = arith.extf %[[V_IN]] : f16 to f32
// CHECK-NEXT: linalg.yield %[[V_F32]] : f32
// CHECK: {attn.register_tile = array<i64: 16, 6, 1>} {
// CHECK-NEXT: ^bb0(%[[P:.*]]: f32, %[[V:.*]]: f32, %[[ACC_IN:.*]]: f32):
// CHECK-NEXT: %[[PRODUCT:.*]] = arith.mulf %[[P]], %[[V]] : f32
// CHECK-NEXT: arith.addf %[[ACC_IN]], %[[PRODUCT]] : f32
// CHECK: %[[SUM_USED:.*]] = memref.subview %[[SUM]][0] [%[[Q_COUNT]]] [1]
// CHECK-NEXT: %[[OUT_BLOCK:.*]] = memref.subview %[[OUT]][%[[B]], %[[H]], %[[Q_BEGIN]], 0] [1, 1, %[[Q_COUNT]], 16] [1, 1, 1, 1] : memref<1x1x16x16xf16> to memref<?x16xf16, strided<[16, 1], offset: ?>>
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[OUT_BLOCK]] : {{.*}})
// CHECK: %[[NORMALIZED:.*]] = arith.select
// CHECK-NEXT: %[[ROUNDED:.*]] = arith.truncf %[[NORMALIZED]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[ROUNDED]] : f16
// CHECK: %[[MAX_USED:.*]] = memref.subview %[[MAX]][0] [%[[Q_COUNT]]] [1]
// CHECK-NEXT: %[[LSE_BLOCK:.*]] = memref.subview %[[LSE]][%[[B]], %[[H]], %[[Q_BEGIN]]] [1, 1, %[[Q_COUNT]]] [1, 1, 1] : memref<1x1x16xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[MAX_USED]], %[[SUM_USED]] : {{.*}}) outs(%[[LSE_BLOCK]] : {{.*}})
// CHECK-NEXT: ^bb0(%[[L_MAX:.*]]: f32, %[[L_SUM:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[L_ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[L_EMPTY:.*]] = arith.cmpf oeq, %[[L_SUM]], %[[L_ZERO]] : f32
// CHECK-NEXT: %[[L_LOG2_SUM:.*]] = math.log2 %[[L_SUM]] : f32
// CHECK-NEXT: %[[L_TOTAL:.*]] = arith.addf %[[L_MAX]], %[[L_LOG2_SUM]] : f32
// CHECK-NEXT: %[[LN2:.*]] = arith.constant 0.693147182 : f32
// CHECK-NEXT: %[[L_NATURAL:.*]] = arith.mulf %[[L_TOTAL]], %[[LN2]] : f32
// CHECK-NEXT: %[[L_NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[L_OUT:.*]] = arith.select %[[L_EMPTY]], %[[L_NEG_INF]], %[[L_NATURAL]] : f32
// CHECK-NEXT: linalg.yield %[[L_OUT]] : f32
// CHECK: %[[OUT_T:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<1x1x16x16xf16> to tensor<1x1x16x16xf16>
// CHECK-NEXT: %[[LSE_T:.*]] = bufferization.to_tensor %[[LSE]] restrict writable : memref<1x1x16xf32> to tensor<1x1x16xf32>
// CHECK-NEXT: return %[[OUT_T]], %[[LSE_T]]
func.func @f16_scale_and_lse(%q: tensor<1x1x16x16xf16>, %k: tensor<1x1x16x16xf16>, %v: tensor<1x1x16x16xf16>) -> (tensor<1x1x16x16xf16>, tensor<1x1x16xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {scale = 0.5 : f32, schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf16>, tensor<1x1x16x16xf16>, tensor<1x1x16x16xf16> -> tensor<1x1x16x16xf16>, tensor<1x1x16xf32>
  return %o, %lse : tensor<1x1x16x16xf16>, tensor<1x1x16xf32>
}

// -----

// Sq = 7 with block_q = 16: one query block, 7 rows used; Qᵀ keeps its
// 16 columns (zero padding) while the output view has 7 rows.
// CHECK-LABEL: func.func @query_shorter_than_block_q
// CHECK: scf.forall (%{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}) in (1, 1, 1) {
// CHECK: %[[QT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8x16xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[QT]] : memref<8x16xf32>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK: linalg.matmul {{.*}} ins(%{{.*}}, %[[QT]] : memref<?x8xf32, strided<[8, 1], offset: ?>>, memref<8x16xf32>) outs(%{{.*}} : memref<?x16xf32, strided<[16, 1]>>)
func.func @query_shorter_than_block_q(%q: tensor<1x1x7x8xf32>, %k: tensor<1x1x20x8xf32>, %v: tensor<1x1x20x8xf32>) -> tensor<1x1x7x8xf32> {
  %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 8, register_vectors = 1>} : tensor<1x1x7x8xf32>, tensor<1x1x20x8xf32>, tensor<1x1x20x8xf32> -> tensor<1x1x7x8xf32>
  return %o : tensor<1x1x7x8xf32>
}

// -----

// key_lengths: the key loop ends at this batch entry's length (clamped to
// [0, Skv]); the block holding the end is clipped, so no tile is masked.
// CHECK-LABEL: func.func @key_lengths_end_key_loop_without_mask
// CHECK-SAME: %[[LENGTHS_T:[^:]*]]: tensor<2xi32>)
// CHECK: %[[LENGTHS:.*]] = bufferization.to_buffer %[[LENGTHS_T]] read_only : tensor<2xi32> to memref<2xi32>
// CHECK: %[[SKV:.*]] = arith.constant 40 : index
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}) in (2, 1, 1) {
// CHECK: %[[KEY_BEGIN:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[LENGTH_I32:.*]] = memref.load %[[LENGTHS]][%[[B]]] : memref<2xi32>
// CHECK-NEXT: %[[LENGTH:.*]] = arith.index_cast %[[LENGTH_I32]] : i32 to index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[NON_NEGATIVE_LENGTH:.*]] = arith.maxsi %[[LENGTH]], %[[ZERO]] : index
// CHECK-NEXT: %[[KEY_END:.*]] = arith.minsi %[[SKV]], %[[NON_NEGATIVE_LENGTH]] : index
// CHECK-NEXT: %[[BLOCK_KV:.*]] = arith.constant 16 : index
// CHECK-NEXT: scf.for %[[KV:[a-z0-9_]+]] = %[[KEY_BEGIN]] to %[[KEY_END]] step %[[BLOCK_KV]] {
// CHECK: %[[KV_LEFT:.*]] = arith.subi %[[KEY_END]], %[[KV]] : index
// CHECK: linalg.matmul
// CHECK-NOT: scf.if
// CHECK: return
func.func @key_lengths_end_key_loop_without_mask(%q: tensor<2x1x16x16xf32>, %k: tensor<2x1x40x16xf32>, %v: tensor<2x1x40x16xf32>, %len: tensor<2xi32>) -> tensor<2x1x16x16xf32> {
  %o = attn.sdpa %q, %k, %v key_lengths(%len : tensor<2xi32>) {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<2x1x16x16xf32>, tensor<2x1x40x16xf32>, tensor<2x1x40x16xf32> -> tensor<2x1x16x16xf32>
  return %o : tensor<2x1x16x16xf32>
}

// -----

// No schedule: left for the reference lowering.
// CHECK-LABEL: func.func @no_schedule_left_alone
// CHECK-NEXT: %[[OUT:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.causal<top_left>} : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
// CHECK-NEXT: return %[[OUT]]
// CHECK-NOT: scf.forall
func.func @no_schedule_left_alone(%q: tensor<1x2x32x16xf32>, %k: tensor<1x2x32x16xf32>, %v: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32> -> tensor<1x2x32x16xf32>
  return %o : tensor<1x2x32x16xf32>
}

// -----

// A schedule on dynamic shapes is not followed: left for the reference
// lowering, next to a scheduled static op that is tiled.
// CHECK-LABEL: func.func @dynamic_shapes_with_schedule_left_alone
// CHECK: scf.forall
// CHECK: %[[DYNAMIC:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32> -> tensor<1x2x?x16xf32>
// CHECK-NEXT: return %{{.*}}, %[[DYNAMIC]]
func.func @dynamic_shapes_with_schedule_left_alone(%qs: tensor<1x2x16x16xf32>, %q: tensor<1x2x?x16xf32>) -> (tensor<1x2x16x16xf32>, tensor<1x2x?x16xf32>) {
  %static = attn.sdpa %qs, %qs, %qs {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x2x16x16xf32>, tensor<1x2x16x16xf32>, tensor<1x2x16x16xf32> -> tensor<1x2x16x16xf32>
  %dynamic = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32> -> tensor<1x2x?x16xf32>
  return %static, %dynamic : tensor<1x2x16x16xf32>, tensor<1x2x?x16xf32>
}

// -----

// The row form (block_q 1 < 16 lanes: GQA decode): a work item per (batch,
// KV head) holds both query heads of its group as rows, so the K and V
// blocks are widened once for them; S (rows x block_kv, keys innermost) is
// a dot-product contraction of Q rows and K rows; columns past the last
// block's keys are set to -inf (V, whose elements P V's 2-row tile reads
// once, is not widened); a per-head mask is read for both heads and
// the pattern's row and column are loops 1 and 2 of (head, query, key); the
// softmax reduces along the keys over the whole tile; P V and the outputs
// split the rows back into (head, query).
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[Q_ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[K_ROW:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[S_ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[PER_ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[V_COL:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @row_form_gqa_decode
// CHECK: %[[Q_IN:.*]] = bufferization.to_buffer %arg0
// CHECK: %[[MASK:.*]] = bufferization.to_buffer %arg3
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x1x16xbf16>
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %[[KVH:[a-z0-9_]+]], %{{[a-z0-9_]+}}) in (2, 2, 1) {
// CHECK: %[[Q_COUNT:.*]] = arith.minsi
// CHECK: %[[HEAD0:.*]] = arith.muli %[[KVH]], %{{.*}} : index
// CHECK-NEXT: %[[Q:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x8xf32>
// CHECK-NEXT: %[[S:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x16xf32>
// CHECK-NEXT: %[[ACC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x16xf32>
// CHECK-NEXT: %[[MAX:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2xf32>
// CHECK: %[[K_WIDE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x8xf32>
// CHECK: %[[Q_HEADS:.*]] = memref.subview %[[Q_IN]][%[[B]], %[[HEAD0]], %{{.*}}, 0] [1, 2, %[[Q_COUNT]], 8]
// CHECK-NEXT: %[[Q_SPLIT:.*]] = memref.expand_shape %[[Q]] {{\[}}[0, 1], [2]] output_shape [2, 1, 8]
// CHECK-NEXT: %[[Q_USED:.*]] = memref.subview %[[Q_SPLIT]][0, 0, 0] [2, %[[Q_COUNT]], 8]
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[ID3]], #[[ID3]]], {{.*}} ins(%[[Q_HEADS]] : {{.*}}) outs(%[[Q_USED]] : {{.*}})
// CHECK: scf.for %[[KV:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[KV_COUNT:.*]] = arith.minsi
// CHECK: %[[K_BLOCK:.*]] = memref.subview %{{.*}}[%[[B]], %[[KVH]], %[[KV]], 0] [1, 1, %[[KV_COUNT]], 8]
// CHECK: %[[S_USED:.*]] = memref.subview %[[S]][0, 0] [2, %[[KV_COUNT]]] [1, 1]
// CHECK: %[[K_USED:.*]] = memref.subview %[[K_WIDE]][0, 0] [%[[KV_COUNT]], 8] [1, 1]
// CHECK: %[[SHORT:.*]] = arith.cmpi slt, %[[KV_COUNT]], %{{.*}} : index
// CHECK-NEXT: scf.if %[[SHORT]] {
// CHECK: %[[TAIL:.*]] = memref.subview %[[S]][0, %[[KV_COUNT]]] [2, %{{.*}}] [1, 1]
// CHECK-NEXT: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[TAIL]] : {{.*}})
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[S_USED]] : {{.*}})
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[Q_ROW]], #[[K_ROW]], #[[S_ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[Q]], %[[K_USED]] : memref<2x8xf32>, memref<?x8xf32, strided<[8, 1]>>) outs(%[[S_USED]] : {{.*}}) attrs = {attn.register_tile = array<i64: 16, 8, 1>}
// CHECK: scf.if
// CHECK: %[[S_SPLIT:.*]] = memref.expand_shape %[[S]] {{\[}}[0, 1], [2]] output_shape [2, 1, 16]
// CHECK-NEXT: %[[S_MASKED:.*]] = memref.subview %[[S_SPLIT]][0, 0, 0] [2, %[[Q_COUNT]], %[[KV_COUNT]]]
// CHECK-NEXT: %[[MASK_BLOCK:.*]] = memref.subview %[[MASK]][%[[B]], %[[HEAD0]], %{{.*}}, %[[KV]]] [1, 2, %[[Q_COUNT]], %[[KV_COUNT]]]
// CHECK-NEXT: linalg.generic {indexing_maps = [#[[ID3]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[MASK_BLOCK]] : {{.*}}) outs(%[[S_MASKED]] : {{.*}})
// CHECK: linalg.index 1 : index
// CHECK: linalg.index 2 : index
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[PER_ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[S]] : memref<2x16xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.maximumf
// CHECK: linalg.generic {indexing_maps = [#[[Q_ROW]], #[[V_COL]], #[[S_ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[S_USED]], %{{.*}} : memref<2x?xf32, strided<[16, 1]>>, memref<?x16xbf16, strided<[16, 1], offset: ?>>) outs(%[[ACC]] : memref<2x16xf32>) attrs = {attn.register_tile = array<i64: 16, 2, 1>}
// CHECK: %[[ACC_SPLIT:.*]] = memref.expand_shape %[[ACC]] {{\[}}[0, 1], [2]] output_shape [2, 1, 16]
// CHECK: %[[OUT_HEADS:.*]] = memref.subview %[[OUT]][%[[B]], %[[HEAD0]], %{{.*}}, 0] [1, 2, %[[Q_COUNT]], 16]
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[OUT_HEADS]] : memref<2x?x16xbf16, {{.*}}>)
func.func @row_form_gqa_decode(%q: tensor<2x4x1x8xbf16>, %k: tensor<2x2x40x8xbf16>, %v: tensor<2x2x40x16xbf16>, %m: tensor<2x4x1x40xi1>) -> (tensor<2x4x1x16xbf16>, tensor<2x4x1xf32>) {
  %o, %l = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x1x40xi1>) {pattern = #attn.causal<bottom_right>, schedule = #attn.schedule<block_q = 1, block_kv = 16, vector_width = 16, register_rows = 8, register_vectors = 1>} : tensor<2x4x1x8xbf16>, tensor<2x2x40x8xbf16>, tensor<2x2x40x16xbf16> -> tensor<2x4x1x16xbf16>, tensor<2x4x1xf32>
  return %o, %l : tensor<2x4x1x16xbf16>, tensor<2x4x1xf32>
}

// -----

// Split-KV (kv_splits = 2, row form): a work item per (batch, KV head, query
// block, split); each split takes its share of whole key blocks
// (ceil(ceil(keys / block_kv) / splits) blocks) and copies its
// unnormalized accumulator, row max and row sum into f32 workspaces
// [split, B, Hq, Sq(, Dv)]; after the forall the splits are combined by
// their maxima (max over splits, weights exp2(m - M), sums), then the output
// and the lse are written.
// CHECK-LABEL: func.func @split_kv_decode
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x1x16xf32>
// CHECK-NEXT: %[[LSE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x1xf32>
// CHECK: %[[PART_ACC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x1x2x1x16xf32>
// CHECK-NEXT: %[[PART_MAX:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x1x2x1xf32>
// CHECK-NEXT: %[[PART_SUM:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x1x2x1xf32>
// CHECK: scf.forall (%[[B:[a-z0-9_]+]], %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}, %[[SPLIT:[a-z0-9_]+]]) in (1, 1, 1, 2) {
// CHECK: %[[BLOCKS:.*]] = arith.ceildivsi %{{.*}}, %{{.*}} : index
// CHECK: %[[SHARE:.*]] = arith.ceildivsi %[[BLOCKS]], %{{.*}} : index
// CHECK: %[[SHARE_KEYS:.*]] = arith.muli %[[SHARE]], %{{.*}} : index
// CHECK: %[[OFFSET:.*]] = arith.muli %[[SPLIT]], %[[SHARE_KEYS]] : index
// CHECK: %[[BEGIN:.*]] = arith.addi %{{.*}}, %[[OFFSET]] : index
// CHECK: %[[SHARE_END:.*]] = arith.addi %[[BEGIN]], %[[SHARE_KEYS]] : index
// CHECK: %[[END:.*]] = arith.minsi %{{.*}}, %[[SHARE_END]] : index
// CHECK: scf.for %{{.*}} = %[[BEGIN]] to %[[END]] step
// CHECK: memref.subview %[[PART_ACC]][%[[SPLIT]], %[[B]], %{{.*}}, %{{.*}}, 0] [1, 1, 2, %{{.*}}, 16]
// CHECK-NEXT: linalg.copy
// CHECK: memref.subview %[[PART_MAX]][%[[SPLIT]], %[[B]]
// CHECK-NEXT: linalg.copy
// CHECK: memref.subview %[[PART_SUM]][%[[SPLIT]], %[[B]]
// CHECK-NEXT: linalg.copy
// CHECK-NEXT: }
// CHECK: %[[MAX_ALL:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x1xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "parallel", "parallel"]} ins(%[[PART_MAX]] : {{.*}}) outs(%[[MAX_ALL]] : {{.*}})
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%[[MAX_ALL]] : {{.*}}) outs(%[[PART_MAX]] : {{.*}})
// CHECK: math.exp2
// CHECK: %[[SUM_ALL:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[PART_SUM]], %[[PART_MAX]] : {{.*}}) outs(%[[SUM_ALL]] : {{.*}})
// CHECK: %[[ACC_ALL:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x2x1x16xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PART_MAX]], %[[PART_ACC]] : {{.*}}) outs(%[[ACC_ALL]] : {{.*}})
// CHECK: linalg.generic {{.*}} ins(%[[ACC_ALL]], %[[SUM_ALL]] : {{.*}}) outs(%[[OUT]] : {{.*}})
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} ins(%[[MAX_ALL]], %[[SUM_ALL]] : {{.*}}) outs(%[[LSE]] : {{.*}})
// CHECK: math.log2
func.func @split_kv_decode(%q: tensor<1x2x1x16xf32>, %k: tensor<1x1x100x16xf32>, %v: tensor<1x1x100x16xf32>) -> (tensor<1x2x1x16xf32>, tensor<1x2x1xf32>) {
  %o, %l = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 1, block_kv = 16, vector_width = 16, register_rows = 8, register_vectors = 1, kv_splits = 2>} : tensor<1x2x1x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32> -> tensor<1x2x1x16xf32>, tensor<1x2x1xf32>
  return %o, %l : tensor<1x2x1x16xf32>, tensor<1x2x1xf32>
}
