// RUN: attn-opt %s | attn-opt | FileCheck %s
// RUN: attn-opt %s --mlir-print-op-generic | attn-opt | FileCheck %s

// Round trip of attn.sdpa and attn.multi_head through the custom and the
// generic form: every optional operand group, attribute and result.

//===----------------------------------------------------------------------===//
// attn.sdpa
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @sdpa_mha
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x8x16xf32>, %[[K:.*]]: tensor<2x4x8x16xf32>, %[[V:.*]]: tensor<2x4x8x16xf32>)
// CHECK: %[[OUT:.*]] = attn.sdpa %[[Q]], %[[K]], %[[V]] : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>{{$}}
// CHECK: return %[[OUT]]
func.func @sdpa_mha(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// CHECK-LABEL: func.func @sdpa_strided
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.strided<top_left, stride = 4>} : tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32> -> tensor<1x2x9x16xf32>
func.func @sdpa_strided(%q: tensor<1x2x9x16xf32>) -> tensor<1x2x9x16xf32> {
  %o = attn.sdpa %q, %q, %q {pattern = #attn.strided<top_left, stride = 4>} : tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32> -> tensor<1x2x9x16xf32>
  return %o : tensor<1x2x9x16xf32>
}

// CHECK-LABEL: func.func @sdpa_gqa_bottom_right_causal
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.causal<bottom_right>} : tensor<1x8x4x32xf32>, tensor<1x2x12x32xf32>, tensor<1x2x12x32xf32> -> tensor<1x8x4x32xf32>
func.func @sdpa_gqa_bottom_right_causal(%q: tensor<1x8x4x32xf32>, %k: tensor<1x2x12x32xf32>, %v: tensor<1x2x12x32xf32>) -> tensor<1x8x4x32xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x8x4x32xf32>, tensor<1x2x12x32xf32>, tensor<1x2x12x32xf32> -> tensor<1x8x4x32xf32>
  return %o : tensor<1x8x4x32xf32>
}

// CHECK-LABEL: func.func @sdpa_mqa_top_left_causal
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.causal<top_left>} : tensor<1x8x16x32xf32>, tensor<1x1x16x32xf32>, tensor<1x1x16x32xf32> -> tensor<1x8x16x32xf32>
func.func @sdpa_mqa_top_left_causal(%q: tensor<1x8x16x32xf32>, %k: tensor<1x1x16x32xf32>, %v: tensor<1x1x16x32xf32>) -> tensor<1x8x16x32xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x8x16x32xf32>, tensor<1x1x16x32xf32>, tensor<1x1x16x32xf32> -> tensor<1x8x16x32xf32>
  return %o : tensor<1x8x16x32xf32>
}

// CHECK-LABEL: func.func @sdpa_value_dim_differs_from_head_dim
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x24xf32> -> tensor<2x4x8x24xf32>
func.func @sdpa_value_dim_differs_from_head_dim(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x10x16xf32>, %v: tensor<2x4x10x24xf32>) -> tensor<2x4x8x24xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x24xf32> -> tensor<2x4x8x24xf32>
  return %o : tensor<2x4x8x24xf32>
}

// CHECK-LABEL: func.func @sdpa_f16
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2x8x64xf16>, tensor<1x2x8x64xf16>, tensor<1x2x8x64xf16> -> tensor<1x2x8x64xf16>
func.func @sdpa_f16(%q: tensor<1x2x8x64xf16>, %k: tensor<1x2x8x64xf16>, %v: tensor<1x2x8x64xf16>) -> tensor<1x2x8x64xf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x8x64xf16>, tensor<1x2x8x64xf16>, tensor<1x2x8x64xf16> -> tensor<1x2x8x64xf16>
  return %o : tensor<1x2x8x64xf16>
}

// CHECK-LABEL: func.func @sdpa_bf16_with_lse
// CHECK: %[[OUT:.*]], %[[LSE:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16> -> tensor<1x2x8x64xbf16>, tensor<1x2x8xf32>
// CHECK: return %[[OUT]], %[[LSE]]
func.func @sdpa_bf16_with_lse(%q: tensor<1x2x8x64xbf16>, %k: tensor<1x2x8x64xbf16>, %v: tensor<1x2x8x64xbf16>) -> (tensor<1x2x8x64xbf16>, tensor<1x2x8xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v : tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16> -> tensor<1x2x8x64xbf16>, tensor<1x2x8xf32>
  return %o, %lse : tensor<1x2x8x64xbf16>, tensor<1x2x8xf32>
}

// CHECK-LABEL: func.func @sdpa_i1_mask_full_shape
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<2x4x7x9xi1>
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[MASK]] : tensor<2x4x7x9xi1>) : tensor<2x4x7x16xf32>, tensor<2x4x9x16xf32>, tensor<2x4x9x16xf32> -> tensor<2x4x7x16xf32>
func.func @sdpa_i1_mask_full_shape(%q: tensor<2x4x7x16xf32>, %k: tensor<2x4x9x16xf32>, %v: tensor<2x4x9x16xf32>, %m: tensor<2x4x7x9xi1>) -> tensor<2x4x7x16xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x7x9xi1>) : tensor<2x4x7x16xf32>, tensor<2x4x9x16xf32>, tensor<2x4x9x16xf32> -> tensor<2x4x7x16xf32>
  return %o : tensor<2x4x7x16xf32>
}

// CHECK-LABEL: func.func @sdpa_additive_f32_mask_broadcast_batch_and_heads
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<1x1x7x9xf32>
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%[[MASK]] : tensor<1x1x7x9xf32>) : tensor<2x4x7x16xf16>, tensor<2x2x9x16xf16>, tensor<2x2x9x16xf16> -> tensor<2x4x7x16xf16>
func.func @sdpa_additive_f32_mask_broadcast_batch_and_heads(%q: tensor<2x4x7x16xf16>, %k: tensor<2x2x9x16xf16>, %v: tensor<2x2x9x16xf16>, %m: tensor<1x1x7x9xf32>) -> tensor<2x4x7x16xf16> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x7x9xf32>) : tensor<2x4x7x16xf16>, tensor<2x2x9x16xf16>, tensor<2x2x9x16xf16> -> tensor<2x4x7x16xf16>
  return %o : tensor<2x4x7x16xf16>
}

// CHECK-LABEL: func.func @sdpa_additive_bf16_mask_broadcast_heads
// CHECK: mask(%{{.*}} : tensor<2x1x7x9xbf16>)
func.func @sdpa_additive_bf16_mask_broadcast_heads(%q: tensor<2x4x7x16xbf16>, %k: tensor<2x4x9x16xbf16>, %v: tensor<2x4x9x16xbf16>, %m: tensor<2x1x7x9xbf16>) -> tensor<2x4x7x16xbf16> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x7x9xbf16>) : tensor<2x4x7x16xbf16>, tensor<2x4x9x16xbf16>, tensor<2x4x9x16xbf16> -> tensor<2x4x7x16xbf16>
  return %o : tensor<2x4x7x16xbf16>
}

// CHECK-LABEL: func.func @sdpa_scale
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {scale = 1.250000e-01 : f32} :
func.func @sdpa_scale(%q: tensor<1x2x8x64xf32>, %k: tensor<1x2x8x64xf32>, %v: tensor<1x2x8x64xf32>) -> tensor<1x2x8x64xf32> {
  %o = attn.sdpa %q, %k, %v {scale = 0.125 : f32} : tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32> -> tensor<1x2x8x64xf32>
  return %o : tensor<1x2x8x64xf32>
}

// CHECK-LABEL: func.func @sdpa_mask_pattern_scale_and_lse
// CHECK: %[[OUT:.*]], %[[LSE:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<2x1x7x9xi1>) {pattern = #attn.causal<bottom_right>, scale = 2.500000e-01 : f32} : tensor<2x4x7x16xf32>, tensor<2x2x9x16xf32>, tensor<2x2x9x8xf32> -> tensor<2x4x7x8xf32>, tensor<2x4x7xf32>
// CHECK: return %[[OUT]], %[[LSE]]
func.func @sdpa_mask_pattern_scale_and_lse(%q: tensor<2x4x7x16xf32>, %k: tensor<2x2x9x16xf32>, %v: tensor<2x2x9x8xf32>, %m: tensor<2x1x7x9xi1>) -> (tensor<2x4x7x8xf32>, tensor<2x4x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x7x9xi1>) {pattern = #attn.causal<bottom_right>, scale = 0.25 : f32} : tensor<2x4x7x16xf32>, tensor<2x2x9x16xf32>, tensor<2x2x9x8xf32> -> tensor<2x4x7x8xf32>, tensor<2x4x7xf32>
  return %o, %lse : tensor<2x4x7x8xf32>, tensor<2x4x7xf32>
}

// CHECK-LABEL: func.func @sdpa_dynamic_dims
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<?x1x?x?xi1>) {pattern = #attn.causal<top_left>} : tensor<?x8x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x64xf32> -> tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
func.func @sdpa_dynamic_dims(%q: tensor<?x8x?x64xf32>, %k: tensor<?x2x?x64xf32>, %v: tensor<?x2x?x64xf32>, %m: tensor<?x1x?x?xi1>) -> (tensor<?x8x?x64xf32>, tensor<?x8x?xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<?x1x?x?xi1>) {pattern = #attn.causal<top_left>} : tensor<?x8x?x64xf32>, tensor<?x2x?x64xf32>, tensor<?x2x?x64xf32> -> tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
  return %o, %lse : tensor<?x8x?x64xf32>, tensor<?x8x?xf32>
}

// CHECK-LABEL: func.func @sdpa_all_dims_dynamic
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32> -> tensor<?x?x?x?xf32>
func.func @sdpa_all_dims_dynamic(%q: tensor<?x?x?x?xf32>, %k: tensor<?x?x?x?xf32>, %v: tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32> -> tensor<?x?x?x?xf32>
  return %o : tensor<?x?x?x?xf32>
}

//===----------------------------------------------------------------------===//
// attn.multi_head
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @multi_head_self_attention
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x16x64xf32>, %[[WQ:[^:]*]]: tensor<64x64xf32>, %[[WK:[^:]*]]: tensor<64x64xf32>, %[[WV:[^:]*]]: tensor<64x64xf32>, %[[WO:[^:]*]]: tensor<64x64xf32>)
// CHECK: %[[Y:.*]] = attn.multi_head %[[X]] : tensor<2x16x64xf32> weights(%[[WQ]], %[[WK]], %[[WV]], %[[WO]] : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
// CHECK: return %[[Y]]
func.func @multi_head_self_attention(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x16x64xf32> {
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// CHECK-LABEL: func.func @multi_head_gqa_self_attention
// CHECK: attn.multi_head %{{.*}} : tensor<2x16x64xf32> weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xf32>
func.func @multi_head_gqa_self_attention(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>) -> tensor<2x16x64xf32> {
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// CHECK-LABEL: func.func @multi_head_cross_attention_kv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x8x64xf16>, %[[KV:[^:]*]]: tensor<2x24x48xf16>
// CHECK: attn.multi_head %[[X]] : tensor<2x8x64xf16> kv(%[[KV]] : tensor<2x24x48xf16>) weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf16>, tensor<48x16xf16>, tensor<48x8xf16>, tensor<32x40xf16>) {num_heads = 8 : i64, num_kv_heads = 2 : i64} -> tensor<2x8x40xf16>
func.func @multi_head_cross_attention_kv(%x: tensor<2x8x64xf16>, %kv: tensor<2x24x48xf16>, %wq: tensor<64x64xf16>, %wk: tensor<48x16xf16>, %wv: tensor<48x8xf16>, %wo: tensor<32x40xf16>) -> tensor<2x8x40xf16> {
  %y = attn.multi_head %x : tensor<2x8x64xf16> kv(%kv : tensor<2x24x48xf16>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf16>, tensor<48x16xf16>, tensor<48x8xf16>, tensor<32x40xf16>) {num_heads = 8 : i64, num_kv_heads = 2 : i64} -> tensor<2x8x40xf16>
  return %y : tensor<2x8x40xf16>
}

// CHECK-LABEL: func.func @multi_head_all_biases
// CHECK-SAME: %[[BQ:[^:]*]]: tensor<64xbf16>, %[[BK:[^:]*]]: tensor<32xbf16>, %[[BV:[^:]*]]: tensor<32xbf16>, %[[BO:[^:]*]]: tensor<64xbf16>
// CHECK: attn.multi_head %{{.*}} : tensor<2x16x64xbf16> weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xbf16>, tensor<64x32xbf16>, tensor<64x32xbf16>, tensor<64x64xbf16>) q_bias(%[[BQ]] : tensor<64xbf16>) k_bias(%[[BK]] : tensor<32xbf16>) v_bias(%[[BV]] : tensor<32xbf16>) o_bias(%[[BO]] : tensor<64xbf16>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xbf16>
func.func @multi_head_all_biases(%x: tensor<2x16x64xbf16>, %wq: tensor<64x64xbf16>, %wk: tensor<64x32xbf16>, %wv: tensor<64x32xbf16>, %wo: tensor<64x64xbf16>, %bq: tensor<64xbf16>, %bk: tensor<32xbf16>, %bv: tensor<32xbf16>, %bo: tensor<64xbf16>) -> tensor<2x16x64xbf16> {
  %y = attn.multi_head %x : tensor<2x16x64xbf16> weights(%wq, %wk, %wv, %wo : tensor<64x64xbf16>, tensor<64x32xbf16>, tensor<64x32xbf16>, tensor<64x64xbf16>) q_bias(%bq : tensor<64xbf16>) k_bias(%bk : tensor<32xbf16>) v_bias(%bv : tensor<32xbf16>) o_bias(%bo : tensor<64xbf16>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xbf16>
  return %y : tensor<2x16x64xbf16>
}

// CHECK-LABEL: func.func @multi_head_only_output_bias
// CHECK: attn.multi_head %{{.*}} : tensor<2x16x64xf32> weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) o_bias(%{{.*}} : tensor<64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
func.func @multi_head_only_output_bias(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bo: tensor<64xf32>) -> tensor<2x16x64xf32> {
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) o_bias(%bo : tensor<64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// CHECK-LABEL: func.func @multi_head_mask_pattern_scale
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<2x1x16x16xi1>
// CHECK: attn.multi_head %{{.*}} : tensor<2x16x64xf32> weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%[[MASK]] : tensor<2x1x16x16xi1>) {num_heads = 4 : i64, pattern = #attn.causal<top_left>, scale = 5.000000e-01 : f32} -> tensor<2x16x64xf32>
func.func @multi_head_mask_pattern_scale(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x1x16x16xi1>) -> tensor<2x16x64xf32> {
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<2x1x16x16xi1>) {num_heads = 4 : i64, pattern = #attn.causal<top_left>, scale = 0.5 : f32} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// CHECK-LABEL: func.func @multi_head_cross_attention_biases_additive_mask_bottom_right
// CHECK: attn.multi_head %{{.*}} : tensor<1x4x32xf32> kv(%{{.*}} : tensor<1x12x24xf32>) weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x32xf32>, tensor<24x16xf32>, tensor<24x16xf32>, tensor<32x32xf32>) q_bias(%{{.*}} : tensor<32xf32>) k_bias(%{{.*}} : tensor<16xf32>) v_bias(%{{.*}} : tensor<16xf32>) o_bias(%{{.*}} : tensor<32xf32>) mask(%{{.*}} : tensor<1x1x4x12xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64, pattern = #attn.causal<bottom_right>} -> tensor<1x4x32xf32>
func.func @multi_head_cross_attention_biases_additive_mask_bottom_right(%x: tensor<1x4x32xf32>, %kv: tensor<1x12x24xf32>, %wq: tensor<32x32xf32>, %wk: tensor<24x16xf32>, %wv: tensor<24x16xf32>, %wo: tensor<32x32xf32>, %bq: tensor<32xf32>, %bk: tensor<16xf32>, %bv: tensor<16xf32>, %bo: tensor<32xf32>, %m: tensor<1x1x4x12xf32>) -> tensor<1x4x32xf32> {
  %y = attn.multi_head %x : tensor<1x4x32xf32> kv(%kv : tensor<1x12x24xf32>) weights(%wq, %wk, %wv, %wo : tensor<32x32xf32>, tensor<24x16xf32>, tensor<24x16xf32>, tensor<32x32xf32>) q_bias(%bq : tensor<32xf32>) k_bias(%bk : tensor<16xf32>) v_bias(%bv : tensor<16xf32>) o_bias(%bo : tensor<32xf32>) mask(%m : tensor<1x1x4x12xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64, pattern = #attn.causal<bottom_right>} -> tensor<1x4x32xf32>
  return %y : tensor<1x4x32xf32>
}

// CHECK-LABEL: func.func @multi_head_dynamic_batch_and_length
// CHECK: attn.multi_head %{{.*}} : tensor<?x?x64xf32> weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<?x?x64xf32>
func.func @multi_head_dynamic_batch_and_length(%x: tensor<?x?x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.multi_head %x : tensor<?x?x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

//===----------------------------------------------------------------------===//
// #attn.schedule and #attn.cpu_target
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @sdpa_schedule
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.causal<bottom_right>, schedule = #attn.schedule<block_q = 64, block_kv = 96, vector_width = 16, register_rows = 6, register_vectors = 4>} : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
func.func @sdpa_schedule(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>, schedule = #attn.schedule<block_q = 64, block_kv = 96, vector_width = 16, register_rows = 6, register_vectors = 4>} : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
  return %o : tensor<2x4x128x64xf32>
}

// The limits the verifier accepts: 4 lanes, a 30x1 tile using all 32
// registers, blocks of 4096.
// CHECK-LABEL: func.func @sdpa_schedule_at_verifier_limits
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {schedule = #attn.schedule<block_q = 4096, block_kv = 4096, vector_width = 4, register_rows = 30, register_vectors = 1>} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
func.func @sdpa_schedule_at_verifier_limits(%q: tensor<1x1x8x16xf32>) -> tensor<1x1x8x16xf32> {
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 4096, block_kv = 4096, vector_width = 4, register_rows = 30, register_vectors = 1>} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  return %o : tensor<1x1x8x16xf32>
}

// CHECK-LABEL: module @avx2_target attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 8, l1_kb = 48, l2_kb = 2048>}
module @avx2_target attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 8, l1_kb = 48, l2_kb = 2048>} {
}

// #attn.gpu_schedule on the op and #attn.gpu_target on a module, at the
// verifier's limits.
// CHECK-LABEL: func.func @sdpa_gpu_schedules
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 128, block_kv = 64, warp_rows = 32>}
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64, kv_splits = 8>}
// The default warp_rows (16) is not printed.
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>}
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 512, block_kv = 16>}
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 1, block_kv = 1024>}
func.func @sdpa_gpu_schedules(%q: tensor<1x1x8x16xbf16>) -> (tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>) {
  %w = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 128, block_kv = 64, warp_rows = 32>} : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x8x16xbf16>
  %s = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64, kv_splits = 8>} : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x8x16xbf16>
  %d = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64, warp_rows = 16>} : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x8x16xbf16>
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 512, block_kv = 16>} : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x8x16xbf16>
  %o2 = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 1, block_kv = 1024>} : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x8x16xbf16>
  return %o, %o2 : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>
}

// CHECK-LABEL: module @h100 attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 227, sms = 132>}
module @h100 attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 227, sms = 132>} {
}

// CHECK-LABEL: func.func @sdpa_sliding_window
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.sliding_window<bottom_right, left = 4096, right = 0>}
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.sliding_window<top_left, left = 0, right = 7>}
func.func @sdpa_sliding_window(%q: tensor<1x1x8x16xf32>) -> (tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>) {
  %o = attn.sdpa %q, %q, %q {pattern = #attn.sliding_window<bottom_right, left = 4096, right = 0>} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  %o2 = attn.sdpa %q, %q, %q {pattern = #attn.sliding_window<top_left, left = 0, right = 7>} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  return %o, %o2 : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>
}

// CHECK-LABEL: func.func @sdpa_key_lengths_with_mask_and_pattern
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<2x1x8x10xi1>) key_lengths(%{{.*}} : tensor<2xi32>) {pattern = #attn.causal<bottom_right>} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<2x4x8xf32>
func.func @sdpa_key_lengths_with_mask_and_pattern(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<2x1x8x10xi1>, %len: tensor<2xi32>) -> (tensor<2x4x8x8xf32>, tensor<2x4x8xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x8x10xi1>) key_lengths(%len : tensor<2xi32>) {pattern = #attn.causal<bottom_right>} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<2x4x8xf32>
  return %o, %lse : tensor<2x4x8x8xf32>, tensor<2x4x8xf32>
}
