// RUN: attn-opt %s -convert-attn-to-linalg -split-input-file | FileCheck %s

// The reference lowering of attn.sdpa: query viewed as [B, Hkv, G, Sq, D],
// f32 scores, scale, additive mask, -inf where a boolean mask or the causal
// pattern hides a key, row max, exp guarded for fully masked rows, row sum,
// P.V, division guarded by sum == 0, rounding to V's element type, and the
// optional log-sum-exp; then the [B, Hkv, G, ...] results are collapsed back.

// Loop dims of the two contractions are (b, h, g, i, x, y); of the
// score-shaped ops (b, h, g, i, j).
// CHECK-DAG: #[[$QK_Q:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d5)>
// CHECK-DAG: #[[$QK_K:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
// CHECK-DAG: #[[$QK_S:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$PV_V:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d5, d4)>
// CHECK-DAG: #[[$SCORE:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$LSE_MAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @gqa_bottom_right_causal_with_lse
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x3x16xf32>, %[[K:[^:]*]]: tensor<2x2x5x16xf32>, %[[V:[^:]*]]: tensor<2x2x5x8xf32>)

// 4 query heads over 2 key/value heads: G = 2.
// CHECK: %[[Q5:.*]] = tensor.expand_shape %[[Q]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 3, 16] : tensor<2x4x3x16xf32> into tensor<2x2x2x3x16xf32>

// Scores: sum over d of q[b,h,g,i,d] * k[b,h,j,d], into zeros.
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[S_INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x2x2x3x5xf32>)
// CHECK: %[[QK:.*]] = linalg.generic {indexing_maps = [#[[$QK_Q]], #[[$QK_K]], #[[$QK_S]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[Q5]], %[[K]] : tensor<2x2x2x3x16xf32>, tensor<2x2x5x16xf32>) outs(%[[S_INIT]] : tensor<2x2x2x3x5xf32>)
// CHECK-NEXT: ^bb0(%[[QE:.*]]: f32, %[[KE:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[PROD:.*]] = arith.mulf %[[QE]], %[[KE]] : f32
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[ACC]], %[[PROD]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]] : f32

// Scale (default 1/sqrt(16)), then bottom-right causal: key j is visible to
// query i when j + Sq <= i + Skv.
// CHECK: %[[MASKED:.*]] = linalg.generic {indexing_maps = [#[[$SCORE]], #[[$SCORE]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[QK]] : tensor<2x2x2x3x5xf32>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK-NEXT: %[[I:.*]] = linalg.index 3 : index
// CHECK-NEXT: %[[J:.*]] = linalg.index 4 : index
// CHECK-NEXT: %[[SQ:.*]] = arith.constant 3 : index
// CHECK-NEXT: %[[SKV:.*]] = arith.constant 5 : index
// CHECK-NEXT: %[[J_SHIFTED:.*]] = arith.addi %[[J]], %[[SQ]] : index
// CHECK-NEXT: %[[I_SHIFTED:.*]] = arith.addi %[[I]], %[[SKV]] : index
// CHECK-NEXT: %[[VISIBLE:.*]] = arith.cmpi sle, %[[J_SHIFTED]], %[[I_SHIFTED]] : index
// CHECK-NEXT: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[VISIBLE]], %[[SCALED]], %[[NEG_INF]] : f32
// CHECK-NEXT: linalg.yield %[[SEL]] : f32

// Row max from -inf.
// CHECK: %[[MAX_INIT_VALUE:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX_INIT:.*]] = linalg.fill ins(%[[MAX_INIT_VALUE]] : f32) outs(%{{.*}} : tensor<2x2x2x3xf32>)
// CHECK: %[[ROW_MAX:.*]] = linalg.generic {indexing_maps = [#[[$SCORE]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[MASKED]] : tensor<2x2x2x3x5xf32>) outs(%[[MAX_INIT]] : tensor<2x2x2x3xf32>)
// CHECK-NEXT: ^bb0(%[[MS:.*]]: f32, %[[MACC:.*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[MS]], %[[MACC]] : f32
// CHECK-NEXT: linalg.yield %[[M]] : f32

// p = exp(s - max), 0 when the whole row is masked (max == -inf).
// CHECK: %[[PROBS:.*]] = linalg.generic {indexing_maps = [#[[$SCORE]], #[[$ROW]], #[[$SCORE]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[MASKED]], %[[ROW_MAX]] : tensor<2x2x2x3x5xf32>, tensor<2x2x2x3xf32>)
// CHECK-NEXT: ^bb0(%[[PS:.*]]: f32, %[[PMAX:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[P_NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[ROW_MASKED:.*]] = arith.cmpf oeq, %[[PMAX]], %[[P_NEG_INF]] : f32
// CHECK-NEXT: %[[SHIFTED:.*]] = arith.subf %[[PS]], %[[PMAX]] : f32
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[SHIFTED]] : f32
// CHECK-NEXT: %[[P_ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[P:.*]] = arith.select %[[ROW_MASKED]], %[[P_ZERO]], %[[EXP]] : f32
// CHECK-NEXT: linalg.yield %[[P]] : f32

// Row sum from 0.
// CHECK: %[[ROW_SUM:.*]] = linalg.generic {indexing_maps = [#[[$SCORE]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[PROBS]] : tensor<2x2x2x3x5xf32>)
// CHECK-NEXT: ^bb0(%[[SP:.*]]: f32, %[[SACC:.*]]: f32):
// CHECK-NEXT: %[[RS:.*]] = arith.addf %[[SP]], %[[SACC]] : f32
// CHECK-NEXT: linalg.yield %[[RS]] : f32

// P.V: sum over j of p[b,h,g,i,j] * v[b,h,j,e].
// CHECK: %[[PV:.*]] = linalg.generic {indexing_maps = [#[[$QK_Q]], #[[$PV_V]], #[[$QK_S]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[PROBS]], %[[V]] : tensor<2x2x2x3x5xf32>, tensor<2x2x5x8xf32>) outs(%{{.*}} : tensor<2x2x2x3x8xf32>)
// CHECK-NEXT: ^bb0(%[[PE:.*]]: f32, %[[VE:.*]]: f32, %[[PVACC:.*]]: f32):
// CHECK-NEXT: %[[PVPROD:.*]] = arith.mulf %[[PE]], %[[VE]] : f32
// CHECK-NEXT: %[[PVSUM:.*]] = arith.addf %[[PVACC]], %[[PVPROD]] : f32
// CHECK-NEXT: linalg.yield %[[PVSUM]] : f32

// acc / sum, 0 when sum == 0; f32 output: no truncation.
// CHECK: %[[NORM:.*]] = linalg.generic {indexing_maps = [#[[$SCORE]], #[[$ROW]], #[[$SCORE]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PV]], %[[ROW_SUM]] : tensor<2x2x2x3x8xf32>, tensor<2x2x2x3xf32>) outs(%{{.*}} : tensor<2x2x2x3x8xf32>)
// CHECK-NEXT: ^bb0(%[[NACC:.*]]: f32, %[[NSUM:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[N_ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[EMPTY_ROW:.*]] = arith.cmpf oeq, %[[NSUM]], %[[N_ZERO]] : f32
// CHECK-NEXT: %[[QUOT:.*]] = arith.divf %[[NACC]], %[[NSUM]] : f32
// CHECK-NEXT: %[[OUT_E:.*]] = arith.select %[[EMPTY_ROW]], %[[N_ZERO]], %[[QUOT]] : f32
// CHECK-NEXT: linalg.yield %[[OUT_E]] : f32
// CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[NORM]] {{\[}}[0], [1, 2], [3], [4]] : tensor<2x2x2x3x8xf32> into tensor<2x4x3x8xf32>

// lse = max + log(sum), -inf when sum == 0.
// CHECK: %[[LSE5:.*]] = linalg.generic {indexing_maps = [#[[$LSE_MAP]], #[[$LSE_MAP]], #[[$LSE_MAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[ROW_MAX]], %[[ROW_SUM]] : tensor<2x2x2x3xf32>, tensor<2x2x2x3xf32>) outs(%{{.*}} : tensor<2x2x2x3xf32>)
// CHECK-NEXT: ^bb0(%[[LMAX:.*]]: f32, %[[LSUM:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[L_ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[L_EMPTY:.*]] = arith.cmpf oeq, %[[LSUM]], %[[L_ZERO]] : f32
// CHECK-NEXT: %[[LOG:.*]] = math.log %[[LSUM]] : f32
// CHECK-NEXT: %[[LV:.*]] = arith.addf %[[LMAX]], %[[LOG]] : f32
// CHECK-NEXT: %[[L_NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[L:.*]] = arith.select %[[L_EMPTY]], %[[L_NEG_INF]], %[[LV]] : f32
// CHECK-NEXT: linalg.yield %[[L]] : f32
// CHECK: %[[LSE_OUT:.*]] = tensor.collapse_shape %[[LSE5]] {{\[}}[0], [1, 2], [3]] : tensor<2x2x2x3xf32> into tensor<2x4x3xf32>
// CHECK: return %[[OUT]], %[[LSE_OUT]] : tensor<2x4x3x8xf32>, tensor<2x4x3xf32>
// CHECK-NOT: attn.sdpa
func.func @gqa_bottom_right_causal_with_lse(%q: tensor<2x4x3x16xf32>, %k: tensor<2x2x5x16xf32>, %v: tensor<2x2x5x8xf32>) -> (tensor<2x4x3x8xf32>, tensor<2x4x3xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x3x16xf32>, tensor<2x2x5x16xf32>, tensor<2x2x5x8xf32> -> tensor<2x4x3x8xf32>, tensor<2x4x3xf32>
  return %o, %lse : tensor<2x4x3x8xf32>, tensor<2x4x3xf32>
}

// -----

// MHA (G = 1), no mask and no pattern: the scaled score is yielded as is.

// CHECK-LABEL: func.func @mha_no_mask_default_scale
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 1, 8, 64] : tensor<1x2x8x64xf32> into tensor<1x2x1x8x64xf32>
// CHECK: %[[QK:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x1x8x8xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[QK]] : tensor<1x2x1x8x8xf32>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 1.250000e-01 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK-NEXT: linalg.yield %[[SCALED]] : f32
// CHECK-NOT: math.log
// CHECK: %[[OUT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x1x8x64xf32> into tensor<1x2x8x64xf32>
// CHECK-NEXT: return %[[OUT]] : tensor<1x2x8x64xf32>
func.func @mha_no_mask_default_scale(%q: tensor<1x2x8x64xf32>, %k: tensor<1x2x8x64xf32>, %v: tensor<1x2x8x64xf32>) -> tensor<1x2x8x64xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32> -> tensor<1x2x8x64xf32>
  return %o : tensor<1x2x8x64xf32>
}

// -----

// MQA (Hkv = 1, G = Hq = 4) with top-left causal: key j is visible to query i
// when j <= i.

// CHECK-LABEL: func.func @mqa_top_left_causal
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 4, 6, 16] : tensor<1x4x6x16xf32> into tensor<1x1x4x6x16xf32>
// CHECK: %[[QK:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x4x6x6xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[QK]] : tensor<1x1x4x6x6xf32>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK-NEXT: %[[I:.*]] = linalg.index 3 : index
// CHECK-NEXT: %[[J:.*]] = linalg.index 4 : index
// CHECK-NOT: arith.addi
// CHECK: %[[VISIBLE:.*]] = arith.cmpi sle, %[[J]], %[[I]] : index
// CHECK-NEXT: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[VISIBLE]], %[[SCALED]], %[[NEG_INF]] : f32
// CHECK-NEXT: linalg.yield %[[SEL]] : f32
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x1x4x6x16xf32> into tensor<1x4x6x16xf32>
func.func @mqa_top_left_causal(%q: tensor<1x4x6x16xf32>, %k: tensor<1x1x6x16xf32>, %v: tensor<1x1x6x16xf32>) -> tensor<1x4x6x16xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x4x6x16xf32>, tensor<1x1x6x16xf32>, tensor<1x1x6x16xf32> -> tensor<1x4x6x16xf32>
  return %o : tensor<1x4x6x16xf32>
}

// -----

// A [1, 1, Sq, Skv] i1 mask is read through constant-0 batch and head
// indices; combined with the causal pattern by arith.andi.

// CHECK-DAG: #[[$SCORE:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, 0, d3, d4)>
// CHECK-LABEL: func.func @i1_mask_broadcast_batch_and_heads_with_causal
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<1x1x3x5xi1>
// CHECK-NOT: tensor.expand_shape %[[MASK]]
// CHECK: linalg.generic {indexing_maps = [#[[$SCORE]], #[[$MASK_MAP]], #[[$SCORE]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}}, %[[MASK]] : tensor<2x2x2x3x5xf32>, tensor<1x1x3x5xi1>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %[[KEEP:.*]]: i1, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK: %[[VISIBLE:.*]] = arith.cmpi sle
// CHECK-NEXT: %[[BOTH:.*]] = arith.andi %[[KEEP]], %[[VISIBLE]] : i1
// CHECK-NEXT: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[BOTH]], %[[SCALED]], %[[NEG_INF]] : f32
// CHECK-NEXT: linalg.yield %[[SEL]] : f32
func.func @i1_mask_broadcast_batch_and_heads_with_causal(%q: tensor<2x4x3x16xf32>, %k: tensor<2x2x5x16xf32>, %v: tensor<2x2x5x8xf32>, %m: tensor<1x1x3x5xi1>) -> tensor<2x4x3x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x3x5xi1>) {pattern = #attn.causal<top_left>, scale = 0.5 : f32} : tensor<2x4x3x16xf32>, tensor<2x2x5x16xf32>, tensor<2x2x5x8xf32> -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

// A [B, 1, Sq, Skv] i1 mask keeps the batch index; alone, it selects directly.

// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d3, d4)>
// CHECK-LABEL: func.func @i1_mask_per_batch_broadcast_heads
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<2x1x3x5xi1>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$MASK_MAP]], #{{.*}}], {{.*}}} ins(%{{.*}}, %[[MASK]] : tensor<2x2x2x3x5xf32>, tensor<2x1x3x5xi1>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %[[KEEP:.*]]: i1, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK-NEXT: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[KEEP]], %[[SCALED]], %[[NEG_INF]] : f32
// CHECK-NEXT: linalg.yield %[[SEL]] : f32
func.func @i1_mask_per_batch_broadcast_heads(%q: tensor<2x4x3x16xf32>, %k: tensor<2x2x5x16xf32>, %v: tensor<2x2x5x8xf32>, %m: tensor<2x1x3x5xi1>) -> tensor<2x4x3x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x3x5xi1>) : tensor<2x4x3x16xf32>, tensor<2x2x5x16xf32>, tensor<2x2x5x8xf32> -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

// A per-head additive f32 mask is split like the query, [B, Hkv, G, Sq, Skv],
// and added after the scale (saturated); no -inf select.

// CHECK-DAG: #[[$SCORE:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @additive_f32_mask_per_head
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<2x4x3x5xf32>
// CHECK: %[[MASK5:.*]] = tensor.expand_shape %[[MASK]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 3, 5] : tensor<2x4x3x5xf32> into tensor<2x2x2x3x5xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$SCORE]], #[[$SCORE]], #[[$SCORE]]], {{.*}}} ins(%{{.*}}, %[[MASK5]] : tensor<2x2x2x3x5xf32>, tensor<2x2x2x3x5xf32>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %[[BIAS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// Finite values saturate at +-FLT_MAX / log2(e), as in the flash kernels'
// log2 domain; infinities stay.
// CHECK-NEXT: %[[LOW:.*]] = arith.constant -2.35865744E+38 : f32
// CHECK-NEXT: %[[ATLEAST:.*]] = arith.maximumf %[[BIAS]], %[[LOW]] : f32
// CHECK-NEXT: %[[HIGH:.*]] = arith.constant 2.35865744E+38 : f32
// CHECK-NEXT: %[[CLAMPED:.*]] = arith.minimumf %[[ATLEAST]], %[[HIGH]] : f32
// CHECK-NEXT: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[ISNEG:.*]] = arith.cmpf oeq, %[[BIAS]], %[[NEGINF]] : f32
// CHECK-NEXT: %[[KEPT:.*]] = arith.select %[[ISNEG]], %[[NEGINF]], %[[CLAMPED]] : f32
// CHECK-NEXT: %[[POSINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK-NEXT: %[[ISPOS:.*]] = arith.cmpf oeq, %[[BIAS]], %[[POSINF]] : f32
// CHECK-NEXT: %[[SATURATED:.*]] = arith.select %[[ISPOS]], %[[POSINF]], %[[KEPT]] : f32
// CHECK-NEXT: %[[BIASED:.*]] = arith.addf %[[SCALED]], %[[SATURATED]] : f32
// CHECK-NEXT: linalg.yield %[[BIASED]] : f32
func.func @additive_f32_mask_per_head(%q: tensor<2x4x3x16xf32>, %k: tensor<2x2x5x16xf32>, %v: tensor<2x2x5x8xf32>, %m: tensor<2x4x3x5xf32>) -> tensor<2x4x3x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x3x5xf32>) : tensor<2x4x3x16xf32>, tensor<2x2x5x16xf32>, tensor<2x2x5x8xf32> -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

// f16: operands are extended to f32 in both contractions, an f16 additive
// mask too; the output is truncated back to f16. The [1, Hq, Sq, Skv] mask
// is split per head and read with a constant-0 batch index.

// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @f16_additive_f16_mask_broadcast_batch
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<2x4x3x16xf16>, %[[K:[^:]*]]: tensor<2x2x5x16xf16>, %[[V:[^:]*]]: tensor<2x2x5x8xf16>, %[[MASK:[^:]*]]: tensor<1x4x3x5xf16>)
// CHECK: %[[Q5:.*]] = tensor.expand_shape %[[Q]] {{.*}} into tensor<2x2x2x3x16xf16>
// CHECK: %[[QK:.*]] = linalg.generic {{.*}} ins(%[[Q5]], %[[K]] : tensor<2x2x2x3x16xf16>, tensor<2x2x5x16xf16>) outs(%{{.*}} : tensor<2x2x2x3x5xf32>)
// CHECK-NEXT: ^bb0(%[[QE:.*]]: f16, %[[KE:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[QE32:.*]] = arith.extf %[[QE]] : f16 to f32
// CHECK-NEXT: %[[KE32:.*]] = arith.extf %[[KE]] : f16 to f32
// CHECK-NEXT: %[[PROD:.*]] = arith.mulf %[[QE32]], %[[KE32]] : f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[PROD]] : f32
// CHECK: %[[MASK5:.*]] = tensor.expand_shape %[[MASK]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 5] : tensor<1x4x3x5xf16> into tensor<1x2x2x3x5xf16>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$MASK_MAP]], #{{.*}}], {{.*}}} ins(%[[QK]], %[[MASK5]] : tensor<2x2x2x3x5xf32>, tensor<1x2x2x3x5xf16>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %[[BIAS:.*]]: f16, %{{.*}}: f32):
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK-NEXT: %[[BIAS32:.*]] = arith.extf %[[BIAS]] : f16 to f32
// CHECK: arith.constant 0x7F800000 : f32
// CHECK-NEXT: arith.cmpf oeq, %[[BIAS32]]
// CHECK-NEXT: %[[SATURATED:.*]] = arith.select
// CHECK-NEXT: %[[BIASED:.*]] = arith.addf %[[SCALED]], %[[SATURATED]] : f32
// CHECK-NEXT: linalg.yield %[[BIASED]] : f32
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[V]] : tensor<2x2x2x3x5xf32>, tensor<2x2x5x8xf16>) outs(%{{.*}} : tensor<2x2x2x3x8xf32>)
// CHECK-NEXT: ^bb0(%[[PE:.*]]: f32, %[[VE:.*]]: f16, %[[PVACC:.*]]: f32):
// CHECK-NEXT: %[[VE32:.*]] = arith.extf %[[VE]] : f16 to f32
// CHECK-NEXT: %[[PVPROD:.*]] = arith.mulf %[[PE]], %[[VE32]] : f32
// CHECK: %[[NORM:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x2x2x3x8xf16>)
// CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f16):
// CHECK: %[[QUOT:.*]] = arith.select
// CHECK-NEXT: %[[TRUNC:.*]] = arith.truncf %[[QUOT]] : f32 to f16
// CHECK-NEXT: linalg.yield %[[TRUNC]] : f16
// CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[NORM]] {{\[}}[0], [1, 2], [3], [4]] : tensor<2x2x2x3x8xf16> into tensor<2x4x3x8xf16>
// CHECK: return %[[OUT]]
func.func @f16_additive_f16_mask_broadcast_batch(%q: tensor<2x4x3x16xf16>, %k: tensor<2x2x5x16xf16>, %v: tensor<2x2x5x8xf16>, %m: tensor<1x4x3x5xf16>) -> tensor<2x4x3x8xf16> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x4x3x5xf16>) : tensor<2x4x3x16xf16>, tensor<2x2x5x16xf16>, tensor<2x2x5x8xf16> -> tensor<2x4x3x8xf16>
  return %o : tensor<2x4x3x8xf16>
}

// -----

// bf16 with an explicit scale and lse: the output is truncated to bf16, the
// lse stays f32.

// CHECK-LABEL: func.func @bf16_scale_with_lse
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: %[[NORM:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x1x3x16xbf16>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[NORM]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x1x3x16xbf16> into tensor<1x2x3x16xbf16>
// CHECK: %[[LSE5:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x1x3xf32>)
// CHECK: math.log %{{.*}} : f32
// CHECK: %[[LSE:.*]] = tensor.collapse_shape %[[LSE5]] {{\[}}[0], [1, 2], [3]] : tensor<1x2x1x3xf32> into tensor<1x2x3xf32>
// CHECK: return %[[OUT]], %[[LSE]] : tensor<1x2x3x16xbf16>, tensor<1x2x3xf32>
func.func @bf16_scale_with_lse(%q: tensor<1x2x3x16xbf16>, %k: tensor<1x2x5x16xbf16>, %v: tensor<1x2x5x16xbf16>) -> (tensor<1x2x3x16xbf16>, tensor<1x2x3xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {scale = 2.0 : f32} : tensor<1x2x3x16xbf16>, tensor<1x2x5x16xbf16>, tensor<1x2x5x16xbf16> -> tensor<1x2x3x16xbf16>, tensor<1x2x3xf32>
  return %o, %lse : tensor<1x2x3x16xbf16>, tensor<1x2x3xf32>
}

// -----

// One query head and a [1, 1, Sq, Skv] mask: the heads dim is not broadcast
// (Hq = 1), so the mask is split like the query and read per head.

// CHECK-DAG: #[[$MASK_MAP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @single_head_unit_mask
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<1x1x3x5xi1>
// CHECK: %[[MASK5:.*]] = tensor.expand_shape %[[MASK]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 1, 3, 5] : tensor<1x1x3x5xi1> into tensor<1x1x1x3x5xi1>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$MASK_MAP]], #{{.*}}], {{.*}}} ins(%{{.*}}, %[[MASK5]] : tensor<1x1x1x3x5xf32>, tensor<1x1x1x3x5xi1>)
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
func.func @single_head_unit_mask(%q: tensor<1x1x3x16xf32>, %k: tensor<1x1x5x16xf32>, %v: tensor<1x1x5x16xf32>, %m: tensor<1x1x3x5xi1>) -> tensor<1x1x3x16xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x3x5xi1>) : tensor<1x1x3x16xf32>, tensor<1x1x5x16xf32>, tensor<1x1x5x16xf32> -> tensor<1x1x3x16xf32>
  return %o : tensor<1x1x3x16xf32>
}
