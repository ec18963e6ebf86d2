// RUN: attn-opt %s -attn-decompose-multi-head -split-input-file | FileCheck %s

// attn.multi_head becomes Q/K/V projections (linalg.matmul accumulating in
// f32, then one elementwise op adding the bias and rounding to the input
// element type), the head split [B, S, H*D] -> [B, H, S, D], one attn.sdpa
// carrying mask, scale and pattern, the head merge and the output projection.

// CHECK-LABEL: func.func @self_attention_mha
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x16x64xf32>, %[[WQ:[^:]*]]: tensor<64x64xf32>, %[[WK:[^:]*]]: tensor<64x64xf32>, %[[WV:[^:]*]]: tensor<64x64xf32>, %[[WO:[^:]*]]: tensor<64x32xf32>)

// Query projection: [B*Sq, E] x [E, Hq*D] into an f32 zero-filled accumulator.
// CHECK: %[[X_FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x16x64xf32> into tensor<32x64xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[Q_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<32x64xf32>) -> tensor<32x64xf32>
// CHECK: %[[Q_MM:.*]] = linalg.matmul ins(%[[X_FLAT]], %[[WQ]] : tensor<32x64xf32>, tensor<64x64xf32>) outs(%[[Q_INIT]] : tensor<32x64xf32>) -> tensor<32x64xf32>
// No bias and f32 input: no elementwise op, the product is the projection.
// CHECK: %[[Q_PROJ:.*]] = tensor.expand_shape %[[Q_MM]] {{\[\[}}0, 1], [2]] output_shape [2, 16, 64] : tensor<32x64xf32> into tensor<2x16x64xf32>
// Head split: [B, Sq, Hq*D] -> [B, Sq, Hq, D] -> [B, Hq, Sq, D].
// CHECK: %[[Q_SPLIT:.*]] = tensor.expand_shape %[[Q_PROJ]] {{\[}}[0], [1], [2, 3]] output_shape [2, 16, 4, 16] : tensor<2x16x64xf32> into tensor<2x16x4x16xf32>
// CHECK: %[[Q_HEADS:.*]] = linalg.transpose ins(%[[Q_SPLIT]] : tensor<2x16x4x16xf32>) outs(%{{.*}} : tensor<2x4x16x16xf32>) permutation = [0, 2, 1, 3]

// Key and value are projected from the input (self-attention).
// CHECK: %[[K_SRC:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x16x64xf32> into tensor<32x64xf32>
// CHECK: %[[K_MM:.*]] = linalg.matmul ins(%[[K_SRC]], %[[WK]] : tensor<32x64xf32>, tensor<64x64xf32>)
// CHECK: %[[K_PROJ:.*]] = tensor.expand_shape %[[K_MM]] {{\[\[}}0, 1], [2]] output_shape [2, 16, 64]
// CHECK: %[[K_SPLIT:.*]] = tensor.expand_shape %[[K_PROJ]] {{\[}}[0], [1], [2, 3]] output_shape [2, 16, 4, 16]
// CHECK: %[[K_HEADS:.*]] = linalg.transpose ins(%[[K_SPLIT]] : tensor<2x16x4x16xf32>) outs(%{{.*}} : tensor<2x4x16x16xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[V_SRC:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x16x64xf32> into tensor<32x64xf32>
// CHECK: %[[V_MM:.*]] = linalg.matmul ins(%[[V_SRC]], %[[WV]] : tensor<32x64xf32>, tensor<64x64xf32>)
// CHECK: %[[V_PROJ:.*]] = tensor.expand_shape %[[V_MM]] {{\[\[}}0, 1], [2]] output_shape [2, 16, 64]
// CHECK: %[[V_SPLIT:.*]] = tensor.expand_shape %[[V_PROJ]] {{\[}}[0], [1], [2, 3]] output_shape [2, 16, 4, 16]
// CHECK: %[[V_HEADS:.*]] = linalg.transpose ins(%[[V_SPLIT]] : tensor<2x16x4x16xf32>) outs(%{{.*}} : tensor<2x4x16x16xf32>) permutation = [0, 2, 1, 3]

// No mask, scale or pattern on the multi_head, none on the sdpa.
// CHECK: %[[ATTN:.*]] = attn.sdpa %[[Q_HEADS]], %[[K_HEADS]], %[[V_HEADS]] : tensor<2x4x16x16xf32>, tensor<2x4x16x16xf32>, tensor<2x4x16x16xf32> -> tensor<2x4x16x16xf32>{{$}}

// Head merge: [B, Hq, Sq, Dv] -> [B, Sq, Hq, Dv] -> [B, Sq, Hq*Dv].
// CHECK: %[[ATTN_T:.*]] = linalg.transpose ins(%[[ATTN]] : tensor<2x4x16x16xf32>) outs(%{{.*}} : tensor<2x16x4x16xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[MERGED:.*]] = tensor.collapse_shape %[[ATTN_T]] {{\[}}[0], [1], [2, 3]] : tensor<2x16x4x16xf32> into tensor<2x16x64xf32>

// Output projection to Eout = 32.
// CHECK: %[[MERGED_FLAT:.*]] = tensor.collapse_shape %[[MERGED]] {{\[\[}}0, 1], [2]] : tensor<2x16x64xf32> into tensor<32x64xf32>
// CHECK: %[[O_MM:.*]] = linalg.matmul ins(%[[MERGED_FLAT]], %[[WO]] : tensor<32x64xf32>, tensor<64x32xf32>) outs(%{{.*}} : tensor<32x32xf32>)
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[O_MM]] {{\[\[}}0, 1], [2]] output_shape [2, 16, 32] : tensor<32x32xf32> into tensor<2x16x32xf32>
// CHECK: return %[[OUT]] : tensor<2x16x32xf32>
// CHECK-NOT: attn.multi_head
func.func @self_attention_mha(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x32xf32>) -> tensor<2x16x32xf32> {
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>) {num_heads = 4 : i64} -> tensor<2x16x32xf32>
  return %y : tensor<2x16x32xf32>
}

// -----

// Cross-attention, 4 query heads over 2 key/value heads, D = 8, Dv = 4, a
// bias on every projection, a broadcast i1 mask, a causal pattern and a scale.

// CHECK-DAG: #[[$IDENTITY:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$BIAS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @cross_attention_gqa_biases_mask_pattern_scale
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x32xf32>, %[[KV:[^:]*]]: tensor<1x12x24xf32>, %[[WQ:[^:]*]]: tensor<32x32xf32>, %[[WK:[^:]*]]: tensor<24x16xf32>, %[[WV:[^:]*]]: tensor<24x8xf32>, %[[WO:[^:]*]]: tensor<16x32xf32>, %[[BQ:[^:]*]]: tensor<32xf32>, %[[BK:[^:]*]]: tensor<16xf32>, %[[BV:[^:]*]]: tensor<8xf32>, %[[BO:[^:]*]]: tensor<32xf32>, %[[MASK:[^:]*]]: tensor<1x1x4x12xi1>)

// Query from the input, bias broadcast along rows.
// CHECK: %[[X_FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<1x4x32xf32> into tensor<4x32xf32>
// CHECK: %[[Q_MM:.*]] = linalg.matmul ins(%[[X_FLAT]], %[[WQ]] : tensor<4x32xf32>, tensor<32x32xf32>) outs(%{{.*}} : tensor<4x32xf32>)
// CHECK: %[[Q_BIASED:.*]] = linalg.generic {indexing_maps = [#[[$IDENTITY]], #[[$BIAS]], #[[$IDENTITY]]], iterator_types = ["parallel", "parallel"]} ins(%[[Q_MM]], %[[BQ]] : tensor<4x32xf32>, tensor<32xf32>) outs(%{{.*}} : tensor<4x32xf32>)
// CHECK-NEXT: ^bb0(%[[Q_ACC:.*]]: f32, %[[Q_B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[Q_SUM:.*]] = arith.addf %[[Q_ACC]], %[[Q_B]] : f32
// CHECK-NEXT: linalg.yield %[[Q_SUM]] : f32
// CHECK: %[[Q_PROJ:.*]] = tensor.expand_shape %[[Q_BIASED]] {{\[\[}}0, 1], [2]] output_shape [1, 4, 32]
// CHECK: %[[Q_SPLIT:.*]] = tensor.expand_shape %[[Q_PROJ]] {{\[}}[0], [1], [2, 3]] output_shape [1, 4, 4, 8] : tensor<1x4x32xf32> into tensor<1x4x4x8xf32>
// CHECK: %[[Q_HEADS:.*]] = linalg.transpose ins(%[[Q_SPLIT]] : tensor<1x4x4x8xf32>) outs(%{{.*}} : tensor<1x4x4x8xf32>) permutation = [0, 2, 1, 3]

// Key and value from kv, split into 2 heads.
// CHECK: %[[K_SRC:.*]] = tensor.collapse_shape %[[KV]] {{\[\[}}0, 1], [2]] : tensor<1x12x24xf32> into tensor<12x24xf32>
// CHECK: %[[K_MM:.*]] = linalg.matmul ins(%[[K_SRC]], %[[WK]] : tensor<12x24xf32>, tensor<24x16xf32>) outs(%{{.*}} : tensor<12x16xf32>)
// CHECK: %[[K_BIASED:.*]] = linalg.generic {indexing_maps = [#[[$IDENTITY]], #[[$BIAS]], #[[$IDENTITY]]], {{.*}}} ins(%[[K_MM]], %[[BK]] : tensor<12x16xf32>, tensor<16xf32>)
// CHECK: arith.addf
// CHECK: %[[K_PROJ:.*]] = tensor.expand_shape %[[K_BIASED]] {{\[\[}}0, 1], [2]] output_shape [1, 12, 16]
// CHECK: %[[K_SPLIT:.*]] = tensor.expand_shape %[[K_PROJ]] {{\[}}[0], [1], [2, 3]] output_shape [1, 12, 2, 8] : tensor<1x12x16xf32> into tensor<1x12x2x8xf32>
// CHECK: %[[K_HEADS:.*]] = linalg.transpose ins(%[[K_SPLIT]] : tensor<1x12x2x8xf32>) outs(%{{.*}} : tensor<1x2x12x8xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[V_SRC:.*]] = tensor.collapse_shape %[[KV]] {{\[\[}}0, 1], [2]] : tensor<1x12x24xf32> into tensor<12x24xf32>
// CHECK: %[[V_MM:.*]] = linalg.matmul ins(%[[V_SRC]], %[[WV]] : tensor<12x24xf32>, tensor<24x8xf32>) outs(%{{.*}} : tensor<12x8xf32>)
// CHECK: %[[V_BIASED:.*]] = linalg.generic {indexing_maps = [#[[$IDENTITY]], #[[$BIAS]], #[[$IDENTITY]]], {{.*}}} ins(%[[V_MM]], %[[BV]] : tensor<12x8xf32>, tensor<8xf32>)
// CHECK: arith.addf
// CHECK: %[[V_PROJ:.*]] = tensor.expand_shape %[[V_BIASED]] {{\[\[}}0, 1], [2]] output_shape [1, 12, 8]
// CHECK: %[[V_SPLIT:.*]] = tensor.expand_shape %[[V_PROJ]] {{\[}}[0], [1], [2, 3]] output_shape [1, 12, 2, 4] : tensor<1x12x8xf32> into tensor<1x12x2x4xf32>
// CHECK: %[[V_HEADS:.*]] = linalg.transpose ins(%[[V_SPLIT]] : tensor<1x12x2x4xf32>) outs(%{{.*}} : tensor<1x2x12x4xf32>) permutation = [0, 2, 1, 3]

// Mask, pattern and scale carried over unchanged.
// CHECK: %[[ATTN:.*]] = attn.sdpa %[[Q_HEADS]], %[[K_HEADS]], %[[V_HEADS]] mask(%[[MASK]] : tensor<1x1x4x12xi1>) {pattern = #attn.causal<bottom_right>, scale = 2.500000e-01 : f32} : tensor<1x4x4x8xf32>, tensor<1x2x12x8xf32>, tensor<1x2x12x4xf32> -> tensor<1x4x4x4xf32>{{$}}

// CHECK: %[[ATTN_T:.*]] = linalg.transpose ins(%[[ATTN]] : tensor<1x4x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[MERGED:.*]] = tensor.collapse_shape %[[ATTN_T]] {{\[}}[0], [1], [2, 3]] : tensor<1x4x4x4xf32> into tensor<1x4x16xf32>
// CHECK: %[[MERGED_FLAT:.*]] = tensor.collapse_shape %[[MERGED]] {{\[\[}}0, 1], [2]] : tensor<1x4x16xf32> into tensor<4x16xf32>
// CHECK: %[[O_MM:.*]] = linalg.matmul ins(%[[MERGED_FLAT]], %[[WO]] : tensor<4x16xf32>, tensor<16x32xf32>) outs(%{{.*}} : tensor<4x32xf32>)
// CHECK: %[[O_BIASED:.*]] = linalg.generic {indexing_maps = [#[[$IDENTITY]], #[[$BIAS]], #[[$IDENTITY]]], {{.*}}} ins(%[[O_MM]], %[[BO]] : tensor<4x32xf32>, tensor<32xf32>)
// CHECK: arith.addf
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[O_BIASED]] {{\[\[}}0, 1], [2]] output_shape [1, 4, 32] : tensor<4x32xf32> into tensor<1x4x32xf32>
// CHECK: return %[[OUT]] : tensor<1x4x32xf32>
// CHECK-NOT: attn.multi_head
func.func @cross_attention_gqa_biases_mask_pattern_scale(%x: tensor<1x4x32xf32>, %kv: tensor<1x12x24xf32>, %wq: tensor<32x32xf32>, %wk: tensor<24x16xf32>, %wv: tensor<24x8xf32>, %wo: tensor<16x32xf32>, %bq: tensor<32xf32>, %bk: tensor<16xf32>, %bv: tensor<8xf32>, %bo: tensor<32xf32>, %m: tensor<1x1x4x12xi1>) -> tensor<1x4x32xf32> {
  %y = attn.multi_head %x : tensor<1x4x32xf32> kv(%kv : tensor<1x12x24xf32>) weights(%wq, %wk, %wv, %wo : tensor<32x32xf32>, tensor<24x16xf32>, tensor<24x8xf32>, tensor<16x32xf32>) q_bias(%bq : tensor<32xf32>) k_bias(%bk : tensor<16xf32>) v_bias(%bv : tensor<8xf32>) o_bias(%bo : tensor<32xf32>) mask(%m : tensor<1x1x4x12xi1>) {num_heads = 4 : i64, num_kv_heads = 2 : i64, pattern = #attn.causal<bottom_right>, scale = 0.25 : f32} -> tensor<1x4x32xf32>
  return %y : tensor<1x4x32xf32>
}

// -----

// f16: the projections accumulate in f32 and are truncated back to f16; an
// f16 bias is extended to f32 before the add.

// CHECK-LABEL: func.func @f16_projections_accumulate_in_f32
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x8x32xf16>, %[[WQ:[^:]*]]: tensor<32x32xf16>, %[[WK:[^:]*]]: tensor<32x32xf16>, %[[WV:[^:]*]]: tensor<32x32xf16>, %[[WO:[^:]*]]: tensor<32x32xf16>, %[[BQ:[^:]*]]: tensor<32xf16>)
// CHECK: %[[X_FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x8x32xf16> into tensor<16x32xf16>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[Q_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<16x32xf32>) -> tensor<16x32xf32>
// CHECK: %[[Q_MM:.*]] = linalg.matmul ins(%[[X_FLAT]], %[[WQ]] : tensor<16x32xf16>, tensor<32x32xf16>) outs(%[[Q_INIT]] : tensor<16x32xf32>) -> tensor<16x32xf32>
// CHECK: %[[Q_ROUNDED:.*]] = linalg.generic {{.*}} ins(%[[Q_MM]], %[[BQ]] : tensor<16x32xf32>, tensor<32xf16>) outs(%{{.*}} : tensor<16x32xf16>)
// CHECK-NEXT: ^bb0(%[[Q_ACC:.*]]: f32, %[[Q_B:.*]]: f16, %{{.*}}: f16):
// CHECK-NEXT: %[[Q_B32:.*]] = arith.extf %[[Q_B]] : f16 to f32
// CHECK-NEXT: %[[Q_SUM:.*]] = arith.addf %[[Q_ACC]], %[[Q_B32]] : f32
// CHECK-NEXT: %[[Q_TRUNC:.*]] = arith.truncf %[[Q_SUM]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[Q_TRUNC]] : f16
// CHECK-NEXT: } -> tensor<16x32xf16>
// CHECK: %[[Q_SPLIT:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [2, 8, 2, 16] : tensor<2x8x32xf16> into tensor<2x8x2x16xf16>
// CHECK: %[[Q_HEADS:.*]] = linalg.transpose ins(%[[Q_SPLIT]] : tensor<2x8x2x16xf16>) outs(%{{.*}} : tensor<2x2x8x16xf16>) permutation = [0, 2, 1, 3]

// Without a bias, only the truncation.
// CHECK: %[[K_MM:.*]] = linalg.matmul ins(%{{.*}}, %[[WK]] : tensor<16x32xf16>, tensor<32x32xf16>) outs(%{{.*}} : tensor<16x32xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[K_MM]] : tensor<16x32xf32>) outs(%{{.*}} : tensor<16x32xf16>)
// CHECK-NEXT: ^bb0(%[[K_ACC:.*]]: f32, %{{.*}}: f16):
// CHECK-NEXT: %[[K_TRUNC:.*]] = arith.truncf %[[K_ACC]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[K_TRUNC]] : f16
// CHECK: %[[K_HEADS:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x8x2x16xf16>) outs(%{{.*}} : tensor<2x2x8x16xf16>)
// CHECK: %[[V_MM:.*]] = linalg.matmul ins(%{{.*}}, %[[WV]] : tensor<16x32xf16>, tensor<32x32xf16>) outs(%{{.*}} : tensor<16x32xf32>)
// CHECK: arith.truncf
// CHECK: %[[V_HEADS:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x8x2x16xf16>) outs(%{{.*}} : tensor<2x2x8x16xf16>)

// The attention itself stays in f16.
// CHECK: %[[ATTN:.*]] = attn.sdpa %[[Q_HEADS]], %[[K_HEADS]], %[[V_HEADS]] {pattern = #attn.causal<top_left>} : tensor<2x2x8x16xf16>, tensor<2x2x8x16xf16>, tensor<2x2x8x16xf16> -> tensor<2x2x8x16xf16>
// CHECK: %[[ATTN_T:.*]] = linalg.transpose ins(%[[ATTN]] : tensor<2x2x8x16xf16>) outs(%{{.*}} : tensor<2x8x2x16xf16>)
// CHECK: %[[MERGED:.*]] = tensor.collapse_shape %[[ATTN_T]] {{\[}}[0], [1], [2, 3]] : tensor<2x8x2x16xf16> into tensor<2x8x32xf16>
// CHECK: %[[MERGED_FLAT:.*]] = tensor.collapse_shape %[[MERGED]]
// CHECK: %[[O_MM:.*]] = linalg.matmul ins(%[[MERGED_FLAT]], %[[WO]] : tensor<16x32xf16>, tensor<32x32xf16>) outs(%{{.*}} : tensor<16x32xf32>)
// CHECK: %[[O_ROUNDED:.*]] = linalg.generic {{.*}} ins(%[[O_MM]] : tensor<16x32xf32>) outs(%{{.*}} : tensor<16x32xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[OUT:.*]] = tensor.expand_shape %[[O_ROUNDED]] {{\[\[}}0, 1], [2]] output_shape [2, 8, 32] : tensor<16x32xf16> into tensor<2x8x32xf16>
// CHECK: return %[[OUT]] : tensor<2x8x32xf16>
func.func @f16_projections_accumulate_in_f32(%x: tensor<2x8x32xf16>, %wq: tensor<32x32xf16>, %wk: tensor<32x32xf16>, %wv: tensor<32x32xf16>, %wo: tensor<32x32xf16>, %bq: tensor<32xf16>) -> tensor<2x8x32xf16> {
  %y = attn.multi_head %x : tensor<2x8x32xf16> weights(%wq, %wk, %wv, %wo : tensor<32x32xf16>, tensor<32x32xf16>, tensor<32x32xf16>, tensor<32x32xf16>) q_bias(%bq : tensor<32xf16>) {num_heads = 2 : i64, pattern = #attn.causal<top_left>} -> tensor<2x8x32xf16>
  return %y : tensor<2x8x32xf16>
}
