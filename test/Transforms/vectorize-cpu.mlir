// RUN: attn-opt %s -split-input-file -attn-vectorize-cpu="vector-width=16 register-rows=2 register-vectors=2" | FileCheck %s

// attn-vectorize-cpu on linalg ops on memrefs:
// - contractions C[m, n] += A[m, k] * B[k, n] (n static, a multiple of the
//   vector width) become register-blocked micro-kernels: scf.for over row
//   tiles, register_rows broadcast rows x register_vectors loaded vectors of
//   f32 accumulators carried through the k loop with vector.fma, then a
//   one-row remainder loop;
// - elementwise and outer-reduction ops with a static innermost dim that is a
//   multiple of the width get vector bodies over it (operands that do not
//   depend on it are loaded as scalars and broadcast);
// - math.exp2 on 1-D f32 vectors becomes a polynomial.
// The register tile is [vector_width, register_rows, register_vectors] from
// the op's attn.register_tile, else from the options (here 16 lanes, 2x2).

// N = 32 with 16 lanes: the 2x2 tile covers both vectors of a row; rows come
// in pairs, then one at a time.
// CHECK-LABEL: func.func @matmul_after_zero_fill_n32_micro_kernel
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x8xf32>, %[[B:[^:]*]]: memref<8x32xf32>, %[[C:[^:]*]]: memref<?x32xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// The fill is folded into zero-initialized accumulators.
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-NOT: linalg.fill
// CHECK-NOT: vector.load %[[C]]
// CHECK: %[[M:.*]] = memref.dim %[[A]], %[[C0]] : memref<?x8xf32>
// CHECK-NEXT: %[[TILES:.*]] = arith.divui %[[M]], %[[C2]] : index
// CHECK-NEXT: %[[FULL_ROWS:.*]] = arith.muli %[[TILES]], %[[C2]] : index
// CHECK-NEXT: scf.for %[[ROW:[a-z0-9_]+]] = %[[C0]] to %[[FULL_ROWS]] step %[[C2]] {
// CHECK-NEXT: %[[ROW1:.*]] = arith.addi %[[ROW]], %[[C1]] : index
// CHECK: %[[ACC:.*]]:4 = scf.for %[[K:[a-z0-9_]+]] = %[[C0]] to %[[C8]] step %[[C1]] iter_args(%[[ACC00:.*]] = %[[ZERO]], %[[ACC01:.*]] = %[[ZERO]], %[[ACC10:.*]] = %[[ZERO]], %[[ACC11:.*]] = %[[ZERO]]) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT: %[[B0:.*]] = vector.load %[[B]][%[[K]], %[[C0]]] : memref<8x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[B1:.*]] = vector.load %[[B]][%[[K]], %[[C16]]] : memref<8x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[A0:.*]] = memref.load %[[A]][%[[ROW]], %[[K]]] : memref<?x8xf32>
// CHECK-NEXT: %[[A0_SPLAT:.*]] = vector.broadcast %[[A0]] : f32 to vector<16xf32>
// CHECK-NEXT: %[[FMA00:.*]] = vector.fma %[[A0_SPLAT]], %[[B0]], %[[ACC00]] : vector<16xf32>
// CHECK-NEXT: %[[FMA01:.*]] = vector.fma %[[A0_SPLAT]], %[[B1]], %[[ACC01]] : vector<16xf32>
// CHECK-NEXT: %[[A1:.*]] = memref.load %[[A]][%[[ROW1]], %[[K]]] : memref<?x8xf32>
// CHECK-NEXT: %[[A1_SPLAT:.*]] = vector.broadcast %[[A1]] : f32 to vector<16xf32>
// CHECK-NEXT: %[[FMA10:.*]] = vector.fma %[[A1_SPLAT]], %[[B0]], %[[ACC10]] : vector<16xf32>
// CHECK-NEXT: %[[FMA11:.*]] = vector.fma %[[A1_SPLAT]], %[[B1]], %[[ACC11]] : vector<16xf32>
// CHECK-NEXT: scf.yield %[[FMA00]], %[[FMA01]], %[[FMA10]], %[[FMA11]]
// CHECK-NEXT: }
// CHECK-NEXT: vector.store %[[ACC]]#0, %[[C]][%[[ROW]], %[[C0]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: vector.store %[[ACC]]#1, %[[C]][%[[ROW]], %[[C16]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: vector.store %[[ACC]]#2, %[[C]][%[[ROW1]], %[[C0]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: vector.store %[[ACC]]#3, %[[C]][%[[ROW1]], %[[C16]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: }
// Remainder rows: a 1x2 tile.
// CHECK-NEXT: scf.for %[[LAST_ROW:[a-z0-9_]+]] = %[[FULL_ROWS]] to %[[M]] step %[[C1]] {
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C8]] step %[[C1]] iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<16xf32>, vector<16xf32>) {
// CHECK: memref.load %[[A]][%[[LAST_ROW]], %{{.*}}] : memref<?x8xf32>
// CHECK-COUNT-2: vector.fma
// CHECK-COUNT-2: vector.store %{{.*}}, %[[C]][%[[LAST_ROW]], %{{.*}}] : memref<?x32xf32>, vector<16xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul_after_zero_fill_n32_micro_kernel(%a: memref<?x8xf32>, %b: memref<8x32xf32>, %c: memref<?x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x32xf32>)
  linalg.matmul ins(%a, %b : memref<?x8xf32>, memref<8x32xf32>) outs(%c : memref<?x32xf32>)
  return
}

// -----

// A zero fill that is still a linalg.fill when the contraction is rewritten
// (here: 8 columns, too narrow for the 16-lane default, while the matmul's own
// register tile has 8 lanes) is folded: the accumulators start at zero, C is
// never loaded, and the fill is erased.
// CHECK-LABEL: func.func @zero_fill_folded_into_zero_accumulators
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x4xf32>, %[[B:[^:]*]]: memref<4x8xf32>, %[[C:[^:]*]]: memref<?x8xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK-NOT: linalg.fill
// CHECK-NOT: vector.load %[[C]]
// CHECK: scf.for %[[ROW:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]]) -> (vector<8xf32>, vector<8xf32>) {
// CHECK-COUNT-2: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.store %{{.*}}, %[[C]][%[[ROW]], %{{.*}}] : memref<?x8xf32>, vector<8xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (vector<8xf32>) {
// CHECK-NOT: vector.load %[[C]]
// CHECK-NOT: linalg.
// CHECK: return
func.func @zero_fill_folded_into_zero_accumulators(%a: memref<?x4xf32>, %b: memref<4x8xf32>, %c: memref<?x8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x8xf32>)
  linalg.matmul {attn.register_tile = array<i64: 8, 2, 1>} ins(%a, %b : memref<?x4xf32>, memref<4x8xf32>) outs(%c : memref<?x8xf32>)
  return
}

// -----

// f16 inputs: the broadcast row element and the loaded B vectors are
// extended to f32; the accumulators stay f32. M = 3: one 2-row tile, then
// one remainder row.
// CHECK-LABEL: func.func @matmul_f16_inputs_extended_to_f32
// CHECK-SAME: (%[[A:[^:]*]]: memref<3x8xf16>, %[[B:[^:]*]]: memref<8x16xf16>, %[[C:[^:]*]]: memref<3x16xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: scf.for %[[ROW:[a-z0-9_]+]] = %[[C0]] to %[[C2]] step %[[C2]] {
// CHECK: %[[ACC0:.*]] = vector.load %[[C]][%[[ROW]], %[[C0]]] : memref<3x16xf32>, vector<16xf32>
// CHECK: scf.for %[[K:[a-z0-9_]+]] = {{.*}} -> (vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT: %[[B_F16:.*]] = vector.load %[[B]][%[[K]], %[[C0]]] : memref<8x16xf16>, vector<16xf16>
// CHECK-NEXT: %[[B_F32:.*]] = arith.extf %[[B_F16]] : vector<16xf16> to vector<16xf32>
// CHECK-NEXT: %[[A_F16:.*]] = memref.load %[[A]][%[[ROW]], %[[K]]] : memref<3x8xf16>
// CHECK-NEXT: %[[A_F32:.*]] = arith.extf %[[A_F16]] : f16 to f32
// CHECK-NEXT: %[[A_SPLAT:.*]] = vector.broadcast %[[A_F32]] : f32 to vector<16xf32>
// CHECK-NEXT: vector.fma %[[A_SPLAT]], %[[B_F32]], %{{.*}} : vector<16xf32>
// CHECK: scf.for %{{.*}} = %[[C2]] to %[[C3]] step
// CHECK-NOT: linalg.matmul
func.func @matmul_f16_inputs_extended_to_f32(%a: memref<3x8xf16>, %b: memref<8x16xf16>, %c: memref<3x16xf32>) {
  linalg.matmul ins(%a, %b : memref<3x8xf16>, memref<8x16xf16>) outs(%c : memref<3x16xf32>)
  return
}

// -----

// The P·V contraction of attn-tile-flash: A read transposed (A[k, m]), bf16
// B extended in the body, register tile [8 lanes, 4 rows, 2 vectors] from the
// attribute instead of the options.
#pv_p = affine_map<(d0, d1, d2) -> (d2, d0)>
#pv_v = affine_map<(d0, d1, d2) -> (d2, d1)>
#pv_acc = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @transposed_lhs_contraction_register_tile_from_attribute
// CHECK-SAME: (%[[P:[^:]*]]: memref<?x4xf32>, %[[V:[^:]*]]: memref<?x16xbf16>, %[[ACC:[^:]*]]: memref<4x16xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: %[[KV:.*]] = memref.dim %[[P]], %[[C0]] : memref<?x4xf32>
// CHECK: scf.for %[[ROW:[a-z0-9_]+]] = %[[C0]] to %[[C4]] step %[[C4]] {
// CHECK-COUNT-8: vector.load %[[ACC]]{{.*}} : memref<4x16xf32>, vector<8xf32>
// CHECK-NEXT: %{{.*}}:8 = scf.for %[[K:[a-z0-9_]+]] = %[[C0]] to %[[KV]] step
// CHECK-NEXT: %[[V0:.*]] = vector.load %[[V]][%[[K]], %[[C0]]] : memref<?x16xbf16>, vector<8xbf16>
// CHECK-NEXT: %[[V0_F32:.*]] = arith.extf %[[V0]] : vector<8xbf16> to vector<8xf32>
// CHECK-NEXT: %[[V1:.*]] = vector.load %[[V]][%[[K]], %[[C8]]] : memref<?x16xbf16>, vector<8xbf16>
// CHECK-NEXT: %[[V1_F32:.*]] = arith.extf %[[V1]] : vector<8xbf16> to vector<8xf32>
// CHECK-NEXT: %[[P0:.*]] = memref.load %[[P]][%[[K]], %[[ROW]]] : memref<?x4xf32>
// CHECK-NEXT: %[[P0_SPLAT:.*]] = vector.broadcast %[[P0]] : f32 to vector<8xf32>
// CHECK-NEXT: vector.fma %[[P0_SPLAT]], %[[V0_F32]], %{{.*}} : vector<8xf32>
// CHECK-NEXT: vector.fma %[[P0_SPLAT]], %[[V1_F32]], %{{.*}} : vector<8xf32>
// CHECK-COUNT-6: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-8: vector.store %{{.*}}, %[[ACC]]{{.*}} : memref<4x16xf32>, vector<8xf32>
// CHECK-NOT: linalg.generic
func.func @transposed_lhs_contraction_register_tile_from_attribute(%p: memref<?x4xf32>, %v: memref<?x16xbf16>, %acc: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#pv_p, #pv_v, #pv_acc], iterator_types = ["parallel", "parallel", "reduction"]} ins(%p, %v : memref<?x4xf32>, memref<?x16xbf16>) outs(%acc : memref<4x16xf32>) attrs = {attn.register_tile = array<i64: 8, 4, 2>} {
  ^bb0(%in: f32, %in_v: bf16, %out: f32):
    %v32 = arith.extf %in_v : bf16 to f32
    %product = arith.mulf %in, %v32 : f32
    %sum = arith.addf %out, %product : f32
    linalg.yield %sum : f32
  }
  return
}

// -----

// Column max over a [?, 32] tile (the softmax's new max): the reduction dim
// becomes the outer scf.for, the 32 parallel columns two 16-lane vectors
// loaded, combined and stored back at every row.
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @column_max_reduction_over_dynamic_rows
// CHECK-SAME: (%[[S:[^:]*]]: memref<?x32xf32>, %[[MAX:[^:]*]]: memref<32xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[ROWS:.*]] = memref.dim %[[S]], %[[C0]] : memref<?x32xf32>
// CHECK-NEXT: scf.for %[[ROW:[a-z0-9_]+]] = %[[C0]] to %[[ROWS]] step %[[C1]] {
// CHECK-NEXT: scf.for %[[COL:[a-z0-9_]+]] = %[[C0]] to %[[C32]] step %[[C16]] {
// CHECK-NEXT: %[[SCORES:.*]] = vector.load %[[S]][%[[ROW]], %[[COL]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[OLD:.*]] = vector.load %[[MAX]][%[[COL]]] : memref<32xf32>, vector<16xf32>
// CHECK-NEXT: %[[NEW:.*]] = arith.maximumf %[[SCORES]], %[[OLD]] : vector<16xf32>
// CHECK-NEXT: vector.store %[[NEW]], %[[MAX]][%[[COL]]] : memref<32xf32>, vector<16xf32>
// CHECK-NOT: linalg.generic
func.func @column_max_reduction_over_dynamic_rows(%scores: memref<?x32xf32>, %max: memref<32xf32>) {
  linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]} ins(%scores : memref<?x32xf32>) outs(%max : memref<32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %out : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// An operand indexed by the outer dim only is loaded once per vector as a
// scalar and broadcast.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @elementwise_row_operand_broadcast
// CHECK-SAME: (%[[X:[^:]*]]: memref<4x32xf32>, %[[SHIFT:[^:]*]]: memref<4xf32>, %[[OUT:[^:]*]]: memref<4x32xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: scf.for %[[ROW:[a-z0-9_]+]] = %[[C0]] to %[[C4]] step
// CHECK-NEXT: scf.for %[[COL:[a-z0-9_]+]] = %[[C0]] to %[[C32]] step %[[C16]] {
// CHECK-NEXT: %[[X_VEC:.*]] = vector.load %[[X]][%[[ROW]], %[[COL]]] : memref<4x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[S:.*]] = memref.load %[[SHIFT]][%[[ROW]]] : memref<4xf32>
// CHECK-NEXT: %[[S_SPLAT:.*]] = vector.broadcast %[[S]] : f32 to vector<16xf32>
// CHECK-NEXT: %[[DIFF:.*]] = arith.subf %[[X_VEC]], %[[S_SPLAT]] : vector<16xf32>
// CHECK-NEXT: vector.store %[[DIFF]], %[[OUT]][%[[ROW]], %[[COL]]] : memref<4x32xf32>, vector<16xf32>
// CHECK-NOT: linalg.generic
func.func @elementwise_row_operand_broadcast(%x: memref<4x32xf32>, %shift: memref<4xf32>, %out: memref<4x32xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %shift : memref<4x32xf32>, memref<4xf32>) outs(%out : memref<4x32xf32>) {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %0 = arith.subf %in, %s : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// A scalar exp2 in a vectorized body becomes a vector exp2 and then the
// polynomial.
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @exp2_in_vector_body_becomes_polynomial
// CHECK: scf.for
// CHECK: %[[MAX:.*]] = vector.load %{{.*}} : memref<16xf32>, vector<16xf32>
// CHECK-NEXT: %[[SCORES:.*]] = vector.load %{{.*}} : memref<?x16xf32>, vector<16xf32>
// CHECK-NEXT: %[[DIFF:.*]] = arith.subf %[[SCORES]], %[[MAX]] : vector<16xf32>
// CHECK-NEXT: arith.maximumf %[[DIFF]], %{{.*}} : vector<16xf32>
// CHECK: math.roundeven
// CHECK-NOT: math.exp2
func.func @exp2_in_vector_body_becomes_polynomial(%scores: memref<?x16xf32>, %max: memref<16xf32>) {
  linalg.generic {indexing_maps = [#col, #id], iterator_types = ["parallel", "parallel"]} ins(%max : memref<16xf32>) outs(%scores : memref<?x16xf32>) {
  ^bb0(%m: f32, %s: f32):
    %0 = arith.subf %s, %m : f32
    %1 = math.exp2 %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// linalg.fill and linalg.copy of rank 1: vector stores of the splat value,
// vector load + store.
// CHECK-LABEL: func.func @fill_and_copy_rank_one
// CHECK-SAME: (%[[SRC:[^:]*]]: memref<16xf32>, %[[DST:[^:]*]]: memref<16xf32>)
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: scf.for %[[I:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: vector.store %[[NEG_INF]], %[[SRC]][%[[I]]] : memref<16xf32>, vector<16xf32>
// CHECK: scf.for %[[J:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: %[[COPIED:.*]] = vector.load %[[SRC]][%[[J]]] : memref<16xf32>, vector<16xf32>
// CHECK-NEXT: vector.store %[[COPIED]], %[[DST]][%[[J]]] : memref<16xf32>, vector<16xf32>
// CHECK-NOT: linalg.
func.func @fill_and_copy_rank_one(%src: memref<16xf32>, %dst: memref<16xf32>) {
  %neg_inf = arith.constant 0xFF800000 : f32
  linalg.fill ins(%neg_inf : f32) outs(%src : memref<16xf32>)
  linalg.copy ins(%src : memref<16xf32>) outs(%dst : memref<16xf32>)
  return
}

// -----

// The causal mask of a Partial tile: linalg.index of the innermost dim
// becomes vector.step + the vector iv, the outer one the scalar loop iv.
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @causal_mask_innermost_index_becomes_vector_step
// CHECK-SAME: (%[[S:[^:]*]]: memref<?x16xf32, strided<[16, 1]>>, %[[QUERY_BEGIN:[^:]*]]: index, %[[KEY_BEGIN:[^:]*]]: index)
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: scf.for %[[KEY_ROW:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: scf.for %[[QUERY_COL:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: %[[SCORES:.*]] = vector.load %[[S]][%[[KEY_ROW]], %[[QUERY_COL]]]
// CHECK-NEXT: %[[STEP:.*]] = vector.step : vector<16xindex>
// CHECK-NEXT: %[[COL_SPLAT:.*]] = vector.broadcast %[[QUERY_COL]] : index to vector<16xindex>
// CHECK-NEXT: %[[COLS:.*]] = arith.addi %[[STEP]], %[[COL_SPLAT]] : vector<16xindex>
// CHECK-NEXT: %[[BEGIN_SPLAT:.*]] = vector.broadcast %[[QUERY_BEGIN]] : index to vector<16xindex>
// CHECK-NEXT: %[[ROWS:.*]] = arith.addi %[[BEGIN_SPLAT]], %[[COLS]] : vector<16xindex>
// CHECK-NEXT: %[[KEY:.*]] = arith.addi %[[KEY_BEGIN]], %[[KEY_ROW]] : index
// CHECK-NEXT: %[[KEY_SPLAT:.*]] = vector.broadcast %[[KEY]] : index to vector<16xindex>
// CHECK-NEXT: %[[VISIBLE:.*]] = arith.cmpi sle, %[[KEY_SPLAT]], %[[ROWS]] : vector<16xindex>
// CHECK-NEXT: %[[KEPT:.*]] = arith.select %[[VISIBLE]], %[[SCORES]], %[[NEG_INF]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT: vector.store %[[KEPT]], %[[S]][%[[KEY_ROW]], %[[QUERY_COL]]]
// CHECK-NOT: linalg.index
func.func @causal_mask_innermost_index_becomes_vector_step(%scores: memref<?x16xf32, strided<[16, 1]>>, %query_begin: index, %key_begin: index) {
  %neg_inf = arith.constant 0xFF800000 : f32
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]} outs(%scores : memref<?x16xf32, strided<[16, 1]>>) {
  ^bb0(%score: f32):
    %i = linalg.index 1 : index
    %row = arith.addi %query_begin, %i : index
    %j = linalg.index 0 : index
    %key = arith.addi %key_begin, %j : index
    %visible = arith.cmpi sle, %key, %row : index
    %kept = arith.select %visible, %score, %neg_inf : f32
    linalg.yield %kept : f32
  }
  return
}

// -----

// math.exp2 on a 1-D f32 vector: clamp to [-127, 128], k = roundeven(x),
// f = x - k in [-0.5, 0.5], degree-7 polynomial in f (Horner, math.fma),
// 2^k from the exponent bits as 2 * 2^(k-1) ((k + 126) << 23, so that k = 128
// from x in [127.5, 128) stays finite), and exact 0 for x < -126.
// Scalars, f64 and 2-D vectors are left alone.
// CHECK-LABEL: func.func @exp2_f32_vector_becomes_polynomial
// CHECK-SAME: (%[[X:[^:]*]]: vector<16xf32>, %[[SCALAR:[^:]*]]: f32, %[[WIDE:[^:]*]]: vector<4xf64>, %[[MATRIX:[^:]*]]: vector<2x8xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[TINY:.*]] = arith.constant dense<-1.260000e+02> : vector<16xf32>
// CHECK-DAG: %[[MANTISSA_BITS:.*]] = arith.constant dense<23> : vector<16xi32>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<126> : vector<16xi32>
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[LN2:.*]] = arith.constant dense<0.693147182> : vector<16xf32>
// CHECK-DAG: %[[COEF2:.*]] = arith.constant dense<0.240226507> : vector<16xf32>
// CHECK-DAG: %[[COEF3:.*]] = arith.constant dense<0.0555041097> : vector<16xf32>
// CHECK-DAG: %[[COEF4:.*]] = arith.constant dense<0.00961812865> : vector<16xf32>
// CHECK-DAG: %[[COEF5:.*]] = arith.constant dense<0.00133335579> : vector<16xf32>
// CHECK-DAG: %[[COEF6:.*]] = arith.constant dense<1.54035297E-4> : vector<16xf32>
// CHECK-DAG: %[[COEF7:.*]] = arith.constant dense<1.52527336E-5> : vector<16xf32>
// CHECK-DAG: %[[HIGH:.*]] = arith.constant dense<1.280000e+02> : vector<16xf32>
// CHECK-DAG: %[[LOW:.*]] = arith.constant dense<-1.270000e+02> : vector<16xf32>
// CHECK: %[[ABOVE_LOW:.*]] = arith.maximumf %[[X]], %[[LOW]] : vector<16xf32>
// CHECK-NEXT: %[[CLAMPED:.*]] = arith.minimumf %[[ABOVE_LOW]], %[[HIGH]] : vector<16xf32>
// CHECK-NEXT: %[[K:.*]] = math.roundeven %[[CLAMPED]] : vector<16xf32>
// CHECK-NEXT: %[[F:.*]] = arith.subf %[[CLAMPED]], %[[K]] : vector<16xf32>
// CHECK-NEXT: %[[P6:.*]] = math.fma %[[COEF7]], %[[F]], %[[COEF6]] : vector<16xf32>
// CHECK-NEXT: %[[P5:.*]] = math.fma %[[P6]], %[[F]], %[[COEF5]] : vector<16xf32>
// CHECK-NEXT: %[[P4:.*]] = math.fma %[[P5]], %[[F]], %[[COEF4]] : vector<16xf32>
// CHECK-NEXT: %[[P3:.*]] = math.fma %[[P4]], %[[F]], %[[COEF3]] : vector<16xf32>
// CHECK-NEXT: %[[P2:.*]] = math.fma %[[P3]], %[[F]], %[[COEF2]] : vector<16xf32>
// CHECK-NEXT: %[[P1:.*]] = math.fma %[[P2]], %[[F]], %[[LN2]] : vector<16xf32>
// CHECK-NEXT: %[[P0:.*]] = math.fma %[[P1]], %[[F]], %[[ONE]] : vector<16xf32>
// CHECK-NEXT: %[[K_INT:.*]] = arith.fptosi %[[K]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT: %[[EXPONENT:.*]] = arith.addi %[[K_INT]], %[[BIAS]] : vector<16xi32>
// CHECK-NEXT: %[[BITS:.*]] = arith.shli %[[EXPONENT]], %[[MANTISSA_BITS]] : vector<16xi32>
// CHECK-NEXT: %[[POW2K:.*]] = arith.bitcast %[[BITS]] : vector<16xi32> to vector<16xf32>
// CHECK-NEXT: %[[P0_TWICE:.*]] = arith.mulf %[[P0]], %[[TWO]] : vector<16xf32>
// CHECK-NEXT: %[[APPROX:.*]] = arith.mulf %[[P0_TWICE]], %[[POW2K]] : vector<16xf32>
// CHECK-NEXT: %[[IS_TINY:.*]] = arith.cmpf olt, %[[X]], %[[TINY]] : vector<16xf32>
// CHECK-NEXT: %[[RESULT:.*]] = arith.select %[[IS_TINY]], %[[ZERO]], %[[APPROX]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT: %[[SCALAR_EXP:.*]] = math.exp2 %[[SCALAR]] : f32
// CHECK-NEXT: %[[WIDE_EXP:.*]] = math.exp2 %[[WIDE]] : vector<4xf64>
// CHECK-NEXT: %[[MATRIX_EXP:.*]] = math.exp2 %[[MATRIX]] : vector<2x8xf32>
// CHECK-NEXT: return %[[RESULT]], %[[SCALAR_EXP]], %[[WIDE_EXP]], %[[MATRIX_EXP]]
func.func @exp2_f32_vector_becomes_polynomial(%x: vector<16xf32>, %scalar: f32, %wide: vector<4xf64>, %matrix: vector<2x8xf32>) -> (vector<16xf32>, f32, vector<4xf64>, vector<2x8xf32>) {
  %0 = math.exp2 %x : vector<16xf32>
  %1 = math.exp2 %scalar : f32
  %2 = math.exp2 %wide : vector<4xf64>
  %3 = math.exp2 %matrix : vector<2x8xf32>
  return %0, %1, %2, %3 : vector<16xf32>, f32, vector<4xf64>, vector<2x8xf32>
}

// -----

// Ops left for convert-linalg-to-loops: a dynamic innermost dim, a
// transposing copy whose innermost dim is dynamic, and a product along the
// innermost dim (only sums and maxima there get vector bodies), and a
// contraction of f64 inputs into f32 (the micro-kernels widen inputs to
// f32, never narrow them).
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @ops_that_do_not_qualify_left_alone
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<4x?xf32>) outs(%{{.*}} : memref<4x?xf32>)
// CHECK: arith.negf %{{.*}} : f32
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<?x16xf32>) outs(%{{.*}} : memref<16x?xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : memref<4x32xf32>) outs(%{{.*}} : memref<4xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x32xf64>, memref<32x16xf64>) outs(%{{.*}} : memref<4x16xf32>)
// CHECK-NOT: vector.
func.func @ops_that_do_not_qualify_left_alone(%dyn_in: memref<4x?xf32>, %dyn_out: memref<4x?xf32>, %q: memref<?x16xf32>, %qt: memref<16x?xf32>, %s: memref<4x32xf32>, %sum: memref<4xf32>, %a64: memref<4x32xf64>, %b64: memref<32x16xf64>, %c32: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%dyn_in : memref<4x?xf32>) outs(%dyn_out : memref<4x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%q : memref<?x16xf32>) outs(%qt : memref<16x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%s : memref<4x32xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %out : f32
    linalg.yield %0 : f32
  }
  linalg.matmul ins(%a64, %b64 : memref<4x32xf64>, memref<32x16xf64>) outs(%c32 : memref<4x16xf32>)
  return
}

// -----

// Vectorized dims that are not a multiple of 16 lanes end in a masked
// vector: a contraction with N = 24 (a full vector, then 8 lanes: masked
// B loads and C loads / stores), and a fill 8 wide (a masked store per row).
// CHECK-LABEL: func.func @partial_last_vectors
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x8xf32>, %[[B:[^:]*]]: memref<8x24xf32>, %[[C:[^:]*]]: memref<?x24xf32>, %[[NARROW:[^:]*]]: memref<4x8xf32>)
// CHECK: %[[TAIL:.*]] = vector.constant_mask [8] : vector<16xi1>
// CHECK: vector.load %[[C]]
// CHECK: vector.maskedload %[[C]][%{{.*}}, %{{.*}}], %[[TAIL]]
// CHECK: scf.for
// CHECK: vector.load %[[B]]
// CHECK: vector.maskedload %[[B]][%{{.*}}, %{{.*}}], %[[TAIL]]
// CHECK: vector.store %{{.*}}, %[[C]]
// CHECK: vector.maskedstore %[[C]][%{{.*}}, %{{.*}}], %[[TAIL]]
// CHECK: %[[FILL_MASK:.*]] = vector.constant_mask [8] : vector<16xi1>
// CHECK: vector.maskedstore %[[NARROW]][%{{.*}}, %{{.*}}], %[[FILL_MASK]]
// CHECK-NOT: linalg.
func.func @partial_last_vectors(%a: memref<?x8xf32>, %b24: memref<8x24xf32>, %c24: memref<?x24xf32>, %narrow: memref<4x8xf32>) {
  linalg.matmul ins(%a, %b24 : memref<?x8xf32>, memref<8x24xf32>) outs(%c24 : memref<?x24xf32>)
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%narrow : memref<4x8xf32>)
  return
}

// -----

// Sums and maxima along the innermost dim (the row form's softmax): a
// vector accumulator over the row (neutral start: 0 / -inf), one horizontal
// reduction (reassociated for the sum), combined with the output.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @inner_sum_and_max
// CHECK-SAME: (%[[S:[^:]*]]: memref<4x32xf32>, %[[SUM:[^:]*]]: memref<4xf32>, %[[MAX:[^:]*]]: memref<4xf32>)
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[NEG_INF:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[ACC:.*]] = scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[PART:.*]] = %[[ZEROS]]) -> (vector<16xf32>) {
// CHECK-NEXT: %[[CHUNK:.*]] = vector.load %[[S]][%[[I]], %[[J]]] : memref<4x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[NEXT:.*]] = arith.addf %[[PART]], %[[CHUNK]] : vector<16xf32>
// CHECK-NEXT: scf.yield %[[NEXT]]
// CHECK: %[[TOTAL:.*]] = vector.reduction <add>, %[[ACC]] fastmath<reassoc> : vector<16xf32> into f32
// CHECK-NEXT: %[[OLD:.*]] = memref.load %[[SUM]][%[[I]]] : memref<4xf32>
// CHECK-NEXT: %[[NEW:.*]] = arith.addf %[[OLD]], %[[TOTAL]] : f32
// CHECK-NEXT: memref.store %[[NEW]], %[[SUM]][%[[I]]] : memref<4xf32>
// CHECK: iter_args(%{{.*}} = %[[NEG_INF]])
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: %[[TOP:.*]] = vector.reduction <maximumf>, %{{.*}} : vector<16xf32> into f32
// CHECK-NEXT: %[[OLD_MAX:.*]] = memref.load %[[MAX]]
// CHECK-NEXT: arith.maximumf %[[OLD_MAX]], %[[TOP]] : f32
// CHECK-NOT: linalg.generic
func.func @inner_sum_and_max(%s: memref<4x32xf32>, %sum: memref<4xf32>, %max: memref<4xf32>) {
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%s : memref<4x32xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%s : memref<4x32xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %out, %in : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Dot products C[m, n] = sum_k A[m, k] B[n, k] with k contiguous in both
// (the row form's Q K^T), after a zero fill: groups of 2 rows of A (the
// tile's vectors) x 2 rows of B (its rows), one accumulator each, 16-wide
// steps over k and a masked load for the last 4 of k = 20, then one
// reassociated horizontal sum per accumulator stored to C (the fill is
// folded); the remainders of m and n one at a time.
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @dot_contraction
// CHECK-SAME: (%[[A:[^:]*]]: memref<3x20xf32>, %[[B:[^:]*]]: memref<?x20xf32>, %[[C:[^:]*]]: memref<3x?xf32>)
// CHECK-NOT: linalg.fill
// CHECK: scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %[[TWO:.*]] {
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[M1:.*]] = arith.addi %[[M]], %{{.*}} : index
// CHECK: %[[N1:.*]] = arith.addi %[[N]], %{{.*}} : index
// CHECK: %{{.*}}:4 = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: vector.load %[[A]][%[[M]], %[[K]]] : memref<3x20xf32>, vector<16xf32>
// CHECK: vector.load %[[A]][%[[M1]], %[[K]]] : memref<3x20xf32>, vector<16xf32>
// CHECK: vector.load %[[B]][%[[N]], %[[K]]] : memref<?x20xf32>, vector<16xf32>
// CHECK-COUNT-2: vector.fma
// CHECK: vector.load %[[B]][%[[N1]], %[[K]]]
// CHECK-COUNT-2: vector.fma
// CHECK: %[[TAIL:.*]] = vector.constant_mask [4] : vector<16xi1>
// CHECK: vector.maskedload %[[A]][%[[M]], %{{.*}}], %[[TAIL]]
// CHECK: vector.reduction <add>, %{{.*}} fastmath<reassoc> : vector<16xf32> into f32
// CHECK-NEXT: memref.store %{{.*}}, %[[C]][%[[M]], %[[N]]] : memref<3x?xf32>
// CHECK-COUNT-3: vector.reduction <add>
// The remainder keys (n) of a row pair, then the remainder row (m = 2).
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: linalg.generic
func.func @dot_contraction(%a: memref<3x20xf32>, %b: memref<?x20xf32>, %c: memref<3x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<3x?xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<3x20xf32>, memref<?x20xf32>) outs(%c : memref<3x?xf32>) attrs = {attn.register_tile = array<i64: 16, 2, 2>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A broadcast operand used again after a vector op used it keeps its scalar
// form (regression: the second use once broadcast an erased block argument).
// CHECK-LABEL: func.func @broadcast_operand_used_twice
// CHECK-SAME: (%[[ROWS:[^:]*]]: memref<4x16xf32>, %[[SCALES:[^:]*]]: memref<4xf32>, %[[OUT:[^:]*]]: memref<4x16xf32>)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[ROW:.*]] = vector.load %[[ROWS]][%[[I]], %{{.*}}] : memref<4x16xf32>, vector<16xf32>
// CHECK: %[[SCALE:.*]] = memref.load %[[SCALES]][%[[I]]] : memref<4xf32>
// CHECK: %[[SPLAT:.*]] = vector.broadcast %[[SCALE]] : f32 to vector<16xf32>
// CHECK: %[[DIFF:.*]] = arith.subf %[[ROW]], %[[SPLAT]] : vector<16xf32>
// CHECK: %[[PRODUCT:.*]] = arith.mulf %[[DIFF]], %[[SPLAT]] : vector<16xf32>
// CHECK: vector.store %[[PRODUCT]], %[[OUT]][%[[I]], %{{.*}}] : memref<4x16xf32>, vector<16xf32>
// CHECK-NOT: linalg.generic
func.func @broadcast_operand_used_twice(%rows: memref<4x16xf32>, %scales: memref<4xf32>, %out: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%rows, %scales : memref<4x16xf32>, memref<4xf32>) outs(%out : memref<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    %r = arith.mulf %d, %b : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A large contraction outside any parallel loop (a multi-head projection)
// runs its row groups as an scf.parallel (OpenMP threads in the pipeline),
// each iteration covering every column chunk; remainder rows stay serial.
// CHECK-LABEL: func.func @large_top_level_matmul_parallel_rows
// CHECK: scf.parallel (%[[ROW:.*]]) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK-COUNT-2: vector.fma
// CHECK: scf.for
// CHECK-NOT: linalg.matmul
func.func @large_top_level_matmul_parallel_rows(%a: memref<1024x64xf32>, %b: memref<64x64xf32>, %c: memref<1024x64xf32>) {
  linalg.matmul ins(%a, %b : memref<1024x64xf32>, memref<64x64xf32>) outs(%c : memref<1024x64xf32>)
  return
}

// -----

// The same contraction inside a parallel loop (a flash work item) stays
// sequential.
// CHECK-LABEL: func.func @large_matmul_inside_forall_stays_serial
// CHECK: scf.forall
// CHECK-NOT: scf.parallel
// CHECK: vector.fma
func.func @large_matmul_inside_forall_stays_serial(%a: memref<1024x64xf32>, %b: memref<64x64xf32>, %c: memref<1024x64xf32>) {
  scf.forall (%i) in (2) {
    linalg.matmul ins(%a, %b : memref<1024x64xf32>, memref<64x64xf32>) outs(%c : memref<1024x64xf32>)
  }
  return
}

// -----

// i1 memrefs hold one byte per element: no vector access (a vector<16xi1>
// would be stored as bits), the fill is left for convert-linalg-to-loops.
// CHECK-LABEL: func.func @i1_fill_left_alone
// CHECK: linalg.fill
// CHECK-NOT: vector.store
func.func @i1_fill_left_alone(%m: memref<4x32xi1>) {
  %true = arith.constant true
  linalg.fill ins(%true : i1) outs(%m : memref<4x32xi1>)
  return
}

// -----

// An input read along another dim than the innermost loop (the column
// form's mask tile: scores [key, query], mask [query, key]) is loaded in
// 16 x 16 blocks along its contiguous dim and transposed in registers; the
// key rows past the last whole block of 16 gather it, one scalar load per
// lane.
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @transposed_input_in_registers
// CHECK-SAME: (%[[M:[^:]*]]: memref<32x?xf32>, %[[S:[^:]*]]: memref<?x32xf32>)
// CHECK: %[[ROWS:.*]] = memref.dim %[[M]], %{{.*}} : memref<32x?xf32>
// CHECK-NEXT: %[[BLOCKS:.*]] = arith.divui %[[ROWS]], %[[C16:.*]] : index
// CHECK-NEXT: %[[BLOCKED:.*]] = arith.muli %[[BLOCKS]], %[[C16]] : index
// CHECK-NEXT: scf.for %[[J:.*]] = %{{.*}} to %[[BLOCKED]] step %[[C16]] {
// CHECK-NEXT: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C16]] {
// CHECK-NEXT: %[[R0:.*]] = vector.load %[[M]][%[[I]], %[[J]]] : memref<32x?xf32>, vector<16xf32>
// CHECK-NEXT: %{{.*}} = vector.insert %[[R0]], %{{.*}} [0] : vector<16xf32> into vector<16x16xf32>
// CHECK-NEXT: %[[I1:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK-NEXT: %[[R1:.*]] = vector.load %[[M]][%[[I1]], %[[J]]] : memref<32x?xf32>, vector<16xf32>
// CHECK-NEXT: %{{.*}} = vector.insert %[[R1]], %{{.*}} [1] : vector<16xf32> into vector<16x16xf32>
// CHECK-COUNT-14: vector.load %[[M]]
// CHECK: %[[T:.*]] = vector.transpose %{{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK-NEXT: %[[COLUMN0:.*]] = vector.extract %[[T]][0] : vector<16xf32> from vector<16x16xf32>
// CHECK-NEXT: %[[COLUMN1:.*]] = vector.extract %[[T]][1] : vector<16xf32> from vector<16x16xf32>
// CHECK-COUNT-14: vector.extract %[[T]]
// CHECK-NEXT: %[[ROW0:.*]] = vector.load %[[S]][%[[J]], %[[I]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[SUM0:.*]] = arith.addf %[[ROW0]], %[[COLUMN0]] : vector<16xf32>
// CHECK-NEXT: vector.store %[[SUM0]], %[[S]][%[[J]], %[[I]]]
// CHECK-NEXT: %[[J1:.*]] = arith.addi %[[J]], %{{.*}} : index
// CHECK-NEXT: %[[ROW1:.*]] = vector.load %[[S]][%[[J1]], %[[I]]] : memref<?x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[SUM1:.*]] = arith.addf %[[ROW1]], %[[COLUMN1]] : vector<16xf32>
// CHECK-NEXT: vector.store %[[SUM1]], %[[S]][%[[J1]], %[[I]]]
// CHECK-COUNT-14: vector.store %{{.*}}, %[[S]]
// CHECK: scf.for %[[JT:.*]] = %[[BLOCKED]] to %[[ROWS]] step %{{.*}} {
// CHECK-NEXT: scf.for %[[IT:.*]] = %{{.*}} to %{{.*}} step %[[C16]] {
// CHECK-NEXT: %[[L0:.*]] = memref.load %[[M]][%[[IT]], %[[JT]]] : memref<32x?xf32>
// CHECK-COUNT-15: memref.load %[[M]]
// CHECK: %[[GATHERED:.*]] = vector.from_elements %[[L0]], {{.*}} : vector<16xf32>
// CHECK-NEXT: %[[ROWT:.*]] = vector.load %[[S]][%[[JT]], %[[IT]]]
// CHECK-NEXT: arith.addf %[[ROWT]], %[[GATHERED]] : vector<16xf32>
func.func @transposed_input_in_registers(%m: memref<32x?xf32>, %s: memref<?x32xf32>) {
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%m : memref<32x?xf32>) outs(%s : memref<?x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %out, %in : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// An i1 mask tile: an i1 memref holds one byte per element, so its rows
// are loaded as bytes through the buffer's aligned pointer (a vector of i1
// in memory would be bits), transposed as one byte shuffle and compared to
// zero.
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @bool_transposed_input_loaded_as_bytes
// CHECK-SAME: (%[[B:[^:]*]]: memref<16x?xi1, strided<[?, 1], offset: ?>>, %[[S:[^:]*]]: memref<?x16xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant dense<0> : vector<16xi8>
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: %{{.*}}, %[[OFFSET:.*]], %{{.*}}:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %[[B]]
// CHECK-NEXT: %[[ALIGNED:.*]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-NEXT: %[[BASE:.*]] = arith.addi %[[ALIGNED]], %[[OFFSET]] : index
// CHECK-NEXT: %[[ROW_OFFSET:.*]] = arith.muli %[[I]], %[[STRIDES]]#0 : index
// CHECK-NEXT: %[[ROW:.*]] = arith.addi %[[BASE]], %[[ROW_OFFSET]] : index
// CHECK-NEXT: %[[AT:.*]] = arith.addi %[[ROW]], %[[J]] : index
// CHECK-NEXT: %[[AT64:.*]] = arith.index_cast %[[AT]] : index to i64
// CHECK-NEXT: %[[PTR:.*]] = llvm.inttoptr %[[AT64]] : i64 to !llvm.ptr
// CHECK-NEXT: %[[BYTES:.*]] = llvm.load %[[PTR]] {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK-NEXT: vector.insert %[[BYTES]], %{{.*}} [0] : vector<16xi8> into vector<16x16xi8>
// CHECK-COUNT-15: llvm.load
// CHECK: %[[FLAT:.*]] = vector.shape_cast %{{.*}} : vector<16x16xi8> to vector<256xi8>
// CHECK-NEXT: %[[SHUFFLED:.*]] = vector.shuffle %[[FLAT]], %[[FLAT]] [0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 1, 17,
// CHECK-NEXT: %[[T:.*]] = vector.shape_cast %[[SHUFFLED]] : vector<256xi8> to vector<16x16xi8>
// CHECK-NEXT: %[[COLUMN0:.*]] = vector.extract %[[T]][0] : vector<16xi8> from vector<16x16xi8>
// CHECK-NEXT: %[[KEEP0:.*]] = arith.cmpi ne, %[[COLUMN0]], %[[ZERO]] : vector<16xi8>
// CHECK-COUNT-15: arith.cmpi ne
// CHECK: %[[SCORES:.*]] = vector.load %[[S]][%[[J]], %[[I]]]
// CHECK-NEXT: arith.select %[[KEEP0]], %[[SCORES]], %{{.*}} : vector<16xi1>, vector<16xf32>
// The rows past the last whole block load single i1 elements.
// CHECK: memref.load %[[B]]
// CHECK-COUNT-15: memref.load %[[B]]
// CHECK: vector.from_elements {{.*}} : vector<16xi1>
func.func @bool_transposed_input_loaded_as_bytes(%b: memref<16x?xi1, strided<[?, 1], offset: ?>>, %s: memref<?x16xf32>) {
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%b : memref<16x?xi1, strided<[?, 1], offset: ?>>) outs(%s : memref<?x16xf32>) {
  ^bb0(%in: i1, %out: f32):
    %ninf = arith.constant 0xFF800000 : f32
    %0 = arith.select %in, %out, %ninf : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Elements that do not transpose in registers (f64), or an innermost
// extent that is not a multiple of the vector width, are gathered lane by
// lane; i1 inputs cannot be gathered past the last lane, so with 12
// query columns that op stays for convert-linalg-to-loops.
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @transposed_input_gathered
// CHECK-SAME: (%[[M:[^:]*]]: memref<16x?xf64>, %[[S:[^:]*]]: memref<?x16xf32>, %[[B:[^:]*]]: memref<12x?xi1>, %[[S12:[^:]*]]: memref<?x12xf32>)
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[L0:.*]] = memref.load %[[M]][%[[I]], %[[J]]] : memref<16x?xf64>
// CHECK: %[[I1:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK-NEXT: %[[L1:.*]] = memref.load %[[M]][%[[I1]], %[[J]]] : memref<16x?xf64>
// CHECK-COUNT-14: memref.load %[[M]]
// CHECK: %[[GATHERED:.*]] = vector.from_elements %[[L0]], %[[L1]], {{.*}} : vector<16xf64>
// CHECK: %[[ROW:.*]] = vector.load %[[S]][%[[J]], %[[I]]] : memref<?x16xf32>, vector<16xf32>
// CHECK: %[[NARROW:.*]] = arith.truncf %[[GATHERED]] : vector<16xf64> to vector<16xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[ROW]], %[[NARROW]] : vector<16xf32>
// CHECK: vector.store %[[SUM]], %[[S]][%[[J]], %[[I]]]
// CHECK: linalg.generic {{.*}} ins(%[[B]] : memref<12x?xi1>)
func.func @transposed_input_gathered(%m: memref<16x?xf64>, %s: memref<?x16xf32>, %b: memref<12x?xi1>, %s12: memref<?x12xf32>) {
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%m : memref<16x?xf64>) outs(%s : memref<?x16xf32>) {
  ^bb0(%in: f64, %out: f32):
    %t = arith.truncf %in : f64 to f32
    %0 = arith.addf %out, %t : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%b : memref<12x?xi1>) outs(%s12 : memref<?x12xf32>) {
  ^bb0(%in: i1, %out: f32):
    %ninf = arith.constant 0xFF800000 : f32
    %0 = arith.select %in, %out, %ninf : f32
    linalg.yield %0 : f32
  }
  return
}
