// RUN: attn-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the attn.sdpa and attn.multi_head verifiers
// (lib/Dialect/Attn/IR/AttnOps.cpp), plus the ODS-level type, attribute and
// causal-alignment errors.

//===----------------------------------------------------------------------===//
// attn.sdpa
//===----------------------------------------------------------------------===//

func.func @sdpa_query_rank_3(%q: tensor<4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'query' must have rank 4 ([B, Hq, Sq, D]), got rank 3}}
  %o = attn.sdpa %q, %k, %v : tensor<4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_key_rank_5(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16x1xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'key' must have rank 4 ([B, Hkv, Skv, D]), got rank 5}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16x1xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_value_rank_3(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x10x8xf32>) {
  // expected-error @+1 {{'value' must have rank 4 ([B, Hkv, Skv, Dv]), got rank 3}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_output_rank_3(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'output' must have rank 4 ([B, Hq, Sq, Dv]), got rank 3}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x8x8xf32>
  return
}

// -----

func.func @sdpa_key_element_type_differs(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf16>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'query', 'key' and 'value' must have one element type, got 'f32', 'f16' and 'f32'}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf16>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_value_element_type_differs(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xbf16>) {
  // expected-error @+1 {{'query', 'key' and 'value' must have one element type, got 'f32', 'f32' and 'bf16'}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xbf16> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_output_element_type_differs_from_value(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'output' element type 'f16' does not match 'value' element type 'f32'}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf16>
  return
}

// -----

func.func @sdpa_key_batch_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<3x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'query' batch 2 does not match 'key' batch 3}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<3x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_value_batch_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<3x2x10x8xf32>) {
  // expected-error @+1 {{'key' batch 2 does not match 'value' batch 3}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<3x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_value_head_count_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x4x10x8xf32>) {
  // expected-error @+1 {{'key' head count 2 does not match 'value' head count 4}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x4x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_value_length_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x12x8xf32>) {
  // expected-error @+1 {{'key' length 10 does not match 'value' length 12}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x12x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_key_head_dim_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x32xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'query' head dim 16 does not match 'key' head dim 32}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x32xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_zero_kv_heads(%q: tensor<2x4x8x16xf32>, %k: tensor<2x0x10x16xf32>, %v: tensor<2x0x10x8xf32>) {
  // expected-error @+1 {{'key' and 'value' head count must be positive, got 0}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x0x10x16xf32>, tensor<2x0x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_query_heads_not_multiple_of_kv_heads(%q: tensor<2x5x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'query' head count 5 is not a multiple of 'key' head count 2}}
  %o = attn.sdpa %q, %k, %v : tensor<2x5x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x5x8x8xf32>
  return
}

// -----

func.func @sdpa_output_batch_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'output' batch 1 does not match 'query' batch 2}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @sdpa_output_head_count_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'output' head count 2 does not match 'query' head count 4}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x2x8x8xf32>
  return
}

// -----

func.func @sdpa_output_length_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'output' length 10 does not match 'query' length 8}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x10x8xf32>
  return
}

// -----

func.func @sdpa_output_head_dim_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'output' head dim 16 does not match 'value' head dim 8}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x16xf32>
  return
}

// -----

func.func @sdpa_lse_rank_4(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'lse' must have rank 3 ([B, Hq, Sq]), got rank 4}}
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<2x4x8x1xf32>
  return
}

// -----

func.func @sdpa_lse_batch_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'lse' batch 1 does not match 'query' batch 2}}
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<1x4x8xf32>
  return
}

// -----

func.func @sdpa_lse_head_count_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'lse' head count 2 does not match 'query' head count 4}}
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<2x2x8xf32>
  return
}

// -----

func.func @sdpa_lse_length_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'lse' length 10 does not match 'query' length 8}}
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<2x4x10xf32>
  return
}

// -----

func.func @sdpa_mask_rank_2(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<8x10xi1>) {
  // expected-error @+1 {{'mask' must have rank 4 ([B|1, H|1, Sq, Skv]), got rank 2}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<8x10xi1>) : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_mask_batch_of_one_attention(%q: tensor<1x4x8x16xf32>, %k: tensor<1x2x10x16xf32>, %v: tensor<1x2x10x8xf32>, %m: tensor<2x1x8x10xi1>) {
  // expected-error @+1 {{'mask' dim 0 is 2; it must be 1 (the batch size)}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x8x10xi1>) : tensor<1x4x8x16xf32>, tensor<1x2x10x16xf32>, tensor<1x2x10x8xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @sdpa_mask_batch_not_broadcastable(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<3x1x8x10xi1>) {
  // expected-error @+1 {{'mask' dim 0 is 3; it must be 1 (broadcast) or the batch size, 2}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<3x1x8x10xi1>) : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

// Mask heads index query heads, not key/value heads.
func.func @sdpa_mask_heads_kv_count_not_query_count(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<2x2x8x10xi1>) {
  // expected-error @+1 {{'mask' dim 1 is 2; it must be 1 (broadcast) or the query head count, 4}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x2x8x10xi1>) : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

// Only the batch and head dims of the mask broadcast.
func.func @sdpa_mask_query_length_broadcast_rejected(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<2x4x1x10xf32>) {
  // expected-error @+1 {{'mask' query length dim 1 does not match query length 8}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x1x10xf32>) : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_mask_key_length_mismatch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<2x4x8x9xf32>) {
  // expected-error @+1 {{'mask' key length dim 9 does not match key length 10}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x8x9xf32>) : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_scale_inf(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'scale' must be finite, got inf}}
  %o = attn.sdpa %q, %k, %v {scale = 0x7F800000 : f32} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_scale_nan(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{'scale' must be finite, got nan}}
  %o = attn.sdpa %q, %k, %v {scale = 0x7FC00000 : f32} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_query_i32_element_type(%q: tensor<2x4x8x16xi32>, %k: tensor<2x2x10x16xi32>, %v: tensor<2x2x10x8xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x4x8x16xi32>'}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xi32>, tensor<2x2x10x16xi32>, tensor<2x2x10x8xi32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_lse_f16_element_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{result #1 must be ranked tensor of 32-bit float values, but got 'tensor<2x4x8xf16>'}}
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>, tensor<2x4x8xf16>
  return
}

// -----

func.func @sdpa_mask_i8_element_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>, %m: tensor<2x4x8x10xi8>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 1-bit signless integer or 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x4x8x10xi8>'}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x8x10xi8>) : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_scale_f64_attr(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{attribute 'scale' failed to satisfy constraint: 32-bit float attribute}}
  %o = attn.sdpa %q, %k, %v {scale = 0.5 : f64} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_pattern_not_a_mask_pattern(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+1 {{attribute 'pattern' failed to satisfy constraint: MaskPatternAttrInterface instance}}
  %o = attn.sdpa %q, %k, %v {pattern = unit} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_unknown_causal_alignment(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) {
  // expected-error @+2 {{expected ::mlir::attn::CausalAlignment to be one of: top_left, bottom_right}}
  // expected-error @+1 {{failed to parse Attn_CausalAttr parameter 'alignment' which is to be a `::mlir::attn::CausalAlignment`}}
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_right>} : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attn.multi_head
//===----------------------------------------------------------------------===//

func.func @multi_head_input_rank_2(%x: tensor<16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'input' must have rank 3 ([B, Sq, E]), got rank 2}}
  %y = attn.multi_head %x : tensor<16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_kv_rank_2(%x: tensor<2x16x64xf32>, %kv: tensor<16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'kv' must have rank 3 ([B, Skv, Ekv]), got rank 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<16x64xf32>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_weight_rank_3(%x: tensor<2x16x64xf32>, %wq: tensor<1x64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'query_weight' must have rank 2 ([E, Hq*D]), got rank 3}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<1x64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_key_weight_rank_1(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'key_weight' must have rank 2 ([Ekv, Hkv*D]), got rank 1}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_value_weight_rank_1(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'value_weight' must have rank 2 ([Ekv, Hkv*Dv]), got rank 1}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_weight_rank_3(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<1x64x64xf32>) {
  // expected-error @+1 {{'output_weight' must have rank 2 ([Hq*Dv, Eout]), got rank 3}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<1x64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_rank_4(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'output' must have rank 3 ([B, Sq, Eout]), got rank 4}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x4x16xf32>
  return
}

// -----

func.func @multi_head_kv_element_type(%x: tensor<2x16x64xf32>, %kv: tensor<2x16x64xf16>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'kv' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<2x16x64xf16>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_weight_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf16>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'query_weight' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf16>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_key_weight_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xbf16>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'key_weight' element type 'bf16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xbf16>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_value_weight_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf16>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'value_weight' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf16>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_weight_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf16>) {
  // expected-error @+1 {{'output_weight' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf16>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_bias_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<64xf16>) {
  // expected-error @+1 {{'query_bias' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) q_bias(%bq : tensor<64xf16>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_key_bias_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bk: tensor<64xf16>) {
  // expected-error @+1 {{'key_bias' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) k_bias(%bk : tensor<64xf16>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_value_bias_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bv: tensor<64xf16>) {
  // expected-error @+1 {{'value_bias' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) v_bias(%bv : tensor<64xf16>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_bias_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bo: tensor<64xf16>) {
  // expected-error @+1 {{'output_bias' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) o_bias(%bo : tensor<64xf16>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'output' element type 'f16' does not match 'input' element type 'f32'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf16>
  return
}

// -----

func.func @multi_head_num_heads_not_multiple_of_num_kv_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x48xf32>, %wv: tensor<64x48xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'num_heads' 4 is not a multiple of 'num_kv_heads' 3}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x48xf32>, tensor<64x48xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, num_kv_heads = 3 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_kv_batch_mismatch(%x: tensor<2x16x64xf32>, %kv: tensor<3x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'kv' batch 3 does not match 'input' batch 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<3x16x64xf32>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_input_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<32x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'input' width 64 does not match 'query_weight' input width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<32x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_kv_width_mismatch_key_weight(%x: tensor<2x16x64xf32>, %kv: tensor<2x16x48xf32>, %wq: tensor<64x64xf32>, %wk: tensor<32x64xf32>, %wv: tensor<32x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'kv' width 48 does not match 'key_weight' input width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<2x16x48xf32>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

// Without kv(), keys are projected from 'input', and the diagnostic says so.
func.func @multi_head_self_attention_key_weight_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<32x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'input' width 64 does not match 'key_weight' input width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_kv_width_mismatch_value_weight(%x: tensor<2x16x64xf32>, %kv: tensor<2x16x48xf32>, %wq: tensor<64x64xf32>, %wk: tensor<48x64xf32>, %wv: tensor<32x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'kv' width 48 does not match 'value_weight' input width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<2x16x48xf32>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<48x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_width_not_divisible_by_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x62xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'query_weight' output width 62 is not divisible by 4 heads}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x62xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_key_width_not_divisible_by_kv_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x33xf32>, %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'key_weight' output width 33 is not divisible by 2 heads}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x33xf32>, tensor<64x32xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_value_width_not_divisible_by_kv_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x33xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'value_weight' output width 33 is not divisible by 2 heads}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x33xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_and_key_head_dims_differ(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{query head dim 16 ('query_weight' width 64 / 4 heads) does not match key head dim 8 ('key_weight' width 32 / 4 heads)}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_weight_input_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'output_weight' input width 64 does not match 4 heads x 8 value head dim ('value_weight' width 32 / 4 heads)}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_bias_rank_2(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<1x64xf32>) {
  // expected-error @+1 {{'query_bias' must have rank 1 ([out_features]), got rank 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) q_bias(%bq : tensor<1x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_query_bias_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<32xf32>) {
  // expected-error @+1 {{'query_bias' width 32 does not match 'query_weight' output width 64}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) q_bias(%bq : tensor<32xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_key_bias_rank_2(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bk: tensor<1x64xf32>) {
  // expected-error @+1 {{'key_bias' must have rank 1 ([out_features]), got rank 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) k_bias(%bk : tensor<1x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_key_bias_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>, %bk: tensor<64xf32>) {
  // expected-error @+1 {{'key_bias' width 64 does not match 'key_weight' output width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x64xf32>) k_bias(%bk : tensor<64xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_value_bias_rank_0(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bv: tensor<f32>) {
  // expected-error @+1 {{'value_bias' must have rank 1 ([out_features]), got rank 0}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) v_bias(%bv : tensor<f32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_value_bias_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bv: tensor<16xf32>) {
  // expected-error @+1 {{'value_bias' width 16 does not match 'value_weight' output width 64}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) v_bias(%bv : tensor<16xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_bias_rank_2(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bo: tensor<64x1xf32>) {
  // expected-error @+1 {{'output_bias' must have rank 1 ([out_features]), got rank 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) o_bias(%bo : tensor<64x1xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_output_bias_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x32xf32>, %bo: tensor<64xf32>) {
  // expected-error @+1 {{'output_bias' width 64 does not match 'output_weight' output width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>) o_bias(%bo : tensor<64xf32>) {num_heads = 4 : i64} -> tensor<2x16x32xf32>
  return
}

// -----

func.func @multi_head_output_batch_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'output' batch 1 does not match 'input' batch 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<1x16x64xf32>
  return
}

// -----

func.func @multi_head_output_length_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'output' length 8 does not match 'input' length 16}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x8x64xf32>
  return
}

// -----

func.func @multi_head_output_width_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x32xf32>) {
  // expected-error @+1 {{'output' width 64 does not match 'output_weight' output width 32}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_mask_rank_3(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x16x16xi1>) {
  // expected-error @+1 {{'mask' must have rank 4 ([B|1, H|1, Sq, Skv]), got rank 3}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<2x16x16xi1>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_mask_batch_not_broadcastable(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<4x1x16x16xi1>) {
  // expected-error @+1 {{'mask' dim 0 is 4; it must be 1 (broadcast) or the batch size, 2}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<4x1x16x16xi1>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_mask_heads_kv_count_not_query_count(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x2x16x16xi1>) {
  // expected-error @+1 {{'mask' dim 1 is 2; it must be 1 (broadcast) or the query head count, 4}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x64xf32>) mask(%m : tensor<2x2x16x16xi1>) {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_mask_query_length_mismatch(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x4x8x16xi1>) {
  // expected-error @+1 {{'mask' query length dim 8 does not match query length 16}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<2x4x8x16xi1>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_cross_attention_mask_key_length_mismatch(%x: tensor<2x16x64xf32>, %kv: tensor<2x24x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x4x16x16xi1>) {
  // expected-error @+1 {{'mask' key length dim 16 does not match key length 24}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<2x24x64xf32>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<2x4x16x16xi1>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_scale_inf(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'scale' must be finite, got -inf}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, scale = 0xFF800000 : f32} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_zero_num_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{attribute 'num_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 0 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_negative_num_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{attribute 'num_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = -4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_zero_num_kv_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{attribute 'num_kv_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, num_kv_heads = 0 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_missing_num_heads(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{requires attribute 'num_heads'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>)  -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_input_i32_element_type(%x: tensor<2x16x64xi32>, %wq: tensor<64x64xi32>, %wk: tensor<64x64xi32>, %wv: tensor<64x64xi32>, %wo: tensor<64x64xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x16x64xi32>'}}
  %y = attn.multi_head %x : tensor<2x16x64xi32> weights(%wq, %wk, %wv, %wo : tensor<64x64xi32>, tensor<64x64xi32>, tensor<64x64xi32>, tensor<64x64xi32>) {num_heads = 4 : i64} -> tensor<2x16x64xi32>
  return
}

// -----

func.func @multi_head_mask_i32_element_type(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x4x16x16xi32>) {
  // expected-error @+1 {{operand #5 must be ranked tensor of 1-bit signless integer or 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x4x16x16xi32>'}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<2x4x16x16xi32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @multi_head_unknown_causal_alignment(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+2 {{expected ::mlir::attn::CausalAlignment to be one of: top_left, bottom_right}}
  // expected-error @+1 {{failed to parse Attn_CausalAttr parameter 'alignment' which is to be a `::mlir::attn::CausalAlignment`}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64, pattern = #attn.causal<diagonal>} -> tensor<2x16x64xf32>
  return
}

// -----

func.func @sdpa_zero_value_heads_dynamic_key_heads(%q: tensor<2x4x8x16xf32>, %k: tensor<2x?x10x16xf32>, %v: tensor<2x0x10x8xf32>) {
  // expected-error @+1 {{'key' and 'value' head count must be positive, got 0}}
  %o = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x?x10x16xf32>, tensor<2x0x10x8xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @sdpa_scale_negative_infinity(%q: tensor<1x1x4x8xf32>) {
  // expected-error @+1 {{'scale' must be finite, got -inf}}
  %o = attn.sdpa %q, %q, %q {scale = 0xFF800000 : f32} : tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x4x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// #attn.schedule
//===----------------------------------------------------------------------===//

// -----

func.func @schedule_vector_width_not_an_x86_width(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'vector_width' must be 4, 8 or 16 f32 lanes, got 5}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 20, block_kv = 16, vector_width = 5, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_block_q_not_multiple_of_vector_width(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'block_q' must be a positive multiple of 'vector_width' 16 or less than it, got 24}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 24, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_zero_block_q(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'block_q' must be a positive multiple of 'vector_width' 8 or less than it, got 0}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 0, block_kv = 16, vector_width = 8, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_negative_block_q_multiple_of_width(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'block_q' must be a positive multiple of 'vector_width' 4 or less than it, got -8}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = -8, block_kv = 16, vector_width = 4, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_zero_block_kv(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'block_kv' must be positive, got 0}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 16, block_kv = 0, vector_width = 16, register_rows = 6, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_zero_register_rows(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'register_rows' and 'register_vectors' must lie in [1, 32], got 0 and 4}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 0, register_vectors = 4>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_negative_register_vectors(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'register_rows' and 'register_vectors' must lie in [1, 32], got 6 and -1}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = -1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

// 8 x 4 accumulators + 4 loaded vectors + 1 broadcast = 37 registers.
func.func @schedule_register_tile_over_32_registers(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{register tile 8x4 needs 37 vector registers, more than any x86 target has (32)}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 8, register_vectors = 4>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

// 31 x 1 + 1 + 1 = 33: one register too many.
func.func @schedule_register_tile_one_over_32_registers(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{register tile 31x1 needs 33 vector registers, more than any x86 target has (32)}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 16, block_kv = 16, vector_width = 16, register_rows = 31, register_vectors = 1>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_block_q_over_4096(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'block_q' and 'block_kv' must be at most 4096, got 8192 and 64}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 8192, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_block_kv_over_4096(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'block_q' and 'block_kv' must be at most 4096, got 64 and 4097}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 64, block_kv = 4097, vector_width = 16, register_rows = 6, register_vectors = 4>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @schedule_missing_register_vectors(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{expected ','}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

//===----------------------------------------------------------------------===//
// #attn.cpu_target
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{'vector_bits' must be 128, 256 or 512, got 100}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 100, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
}

// -----

// expected-error @+1 {{'vector_bits' must be 128, 256 or 512, got 1024}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 1024, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
}

// -----

// expected-error @+1 {{'vector_registers' must be 16 or 32, got 8}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 8, cores = 2, l1_kb = 32, l2_kb = 1024>} {
}

// -----

// expected-error @+1 {{'cores' must be positive, got 0}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 0, l1_kb = 32, l2_kb = 1024>} {
}

// -----

// expected-error @+1 {{'l1_kb' must be positive, got -32}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = -32, l2_kb = 1024>} {
}

// -----

// expected-error @+1 {{'l2_kb' must be positive, got 0}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 0>} {
}

// -----

// expected-error @+1 {{'kv_splits' must lie in [1, 256], got 0}}
func.func private @schedule_kv_splits_zero() attributes {s = #attn.schedule<block_q = 1, block_kv = 64, vector_width = 16, register_rows = 8, register_vectors = 1, kv_splits = 0>}

// -----

// expected-error @+1 {{'kv_splits' 2 needs the row form (block_q below vector_width 16), got block_q 16}}
func.func private @schedule_kv_splits_column_form() attributes {s = #attn.schedule<block_q = 16, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 1, kv_splits = 2>}

// -----

// expected-error @+1 {{'l1_kb' must be at most 16777216, got 9223372036854775807}}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 9223372036854775807, l2_kb = 1024>} {
}

// -----

// An overflowing register tile is rejected, not wrapped around.
func.func @schedule_register_rows_overflow(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{'register_rows' and 'register_vectors' must lie in [1, 32], got 4611686018427387904 and 4}}
  %o = attn.sdpa %q, %q, %q {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 4611686018427387904, register_vectors = 4>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @key_lengths_rank(%q: tensor<2x1x4x8xf32>, %len: tensor<2x1xi32>) {
  // expected-error @+1 {{'key_lengths' must have rank 1 ([B]), got rank 2}}
  %o = attn.sdpa %q, %q, %q key_lengths(%len : tensor<2x1xi32>) : tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32> -> tensor<2x1x4x8xf32>
  return
}

// -----

func.func @key_lengths_batch_mismatch(%q: tensor<2x1x4x8xf32>, %len: tensor<3xi32>) {
  // expected-error @+1 {{'key_lengths' batch 3 does not match 'query' batch 2}}
  %o = attn.sdpa %q, %q, %q key_lengths(%len : tensor<3xi32>) : tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32> -> tensor<2x1x4x8xf32>
  return
}

// -----

func.func @key_lengths_element_type(%q: tensor<2x1x4x8xf32>, %len: tensor<2xi64>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 32-bit signless integer values}}
  %o = attn.sdpa %q, %q, %q key_lengths(%len : tensor<2xi64>) : tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32>, tensor<2x1x4x8xf32> -> tensor<2x1x4x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// #attn.gpu_schedule and #attn.gpu_target
//===----------------------------------------------------------------------===//

// -----

func.func @gpu_schedule_kernel(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'kernel' must be "wgmma", "mma" or "simt", got "tcgen05"}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "tcgen05", block_q = 64, block_kv = 64>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_wgmma_block_q(%q: tensor<1x1x16x64xbf16>) {
  // expected-error @+1 {{'block_q' of the wgmma kernel must be 64 or 128 (a warpgroup per 64 rows), got 32}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 32, block_kv = 64>} : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16> -> tensor<1x1x16x64xbf16>
  return
}

// -----

func.func @gpu_schedule_wgmma_block_kv(%q: tensor<1x1x16x64xbf16>) {
  // expected-error @+1 {{'block_kv' of the wgmma kernel must be 64, 128, 192 or 256, got 96}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 96>} : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16> -> tensor<1x1x16x64xbf16>
  return
}

// -----

func.func @gpu_schedule_wgmma_warp_rows(%q: tensor<1x1x16x64xbf16>) {
  // expected-error @+1 {{'warp_rows' of the wgmma kernel must be 16, got 32}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64, warp_rows = 32>} : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16> -> tensor<1x1x16x64xbf16>
  return
}

// -----

func.func @gpu_schedule_wgmma_kv_splits(%q: tensor<1x1x16x64xbf16>) {
  // expected-error @+1 {{'kv_splits' must lie in [1, 64], got 0}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64, kv_splits = 0>} : tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16>, tensor<1x1x16x64xbf16> -> tensor<1x1x16x64xbf16>
  return
}

// -----

func.func @gpu_schedule_mma_block_q(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'block_q' of the mma kernel must be a multiple of 16 (rows per warp) in [16, 512], got 24}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 24, block_kv = 64>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_mma_block_q_over_512(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'block_q' of the mma kernel must be a multiple of 16 (rows per warp) in [16, 512], got 528}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 528, block_kv = 64>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_mma_block_kv(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'block_kv' of the mma kernel must be a multiple of 16 in [16, 256], got 0}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 0>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_simt_block_q(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'block_q' of the simt kernel (threads per block) must lie in [1, 1024], got 2048}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 2048, block_kv = 64>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_simt_block_kv(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'block_kv' of the simt kernel must lie in [1, 1024], got -1}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 64, block_kv = -1>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_warp_rows(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'warp_rows' of the mma kernel must be 16 or 32, got 24}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 48, block_kv = 64, warp_rows = 24>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_block_q_not_multiple_of_warp_rows(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'block_q' of the mma kernel must be a multiple of 'warp_rows' (32), got 48}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 48, block_kv = 64, warp_rows = 32>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_simt_warp_rows(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'warp_rows' and 'kv_splits' apply to the tensor-core kernels only}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 64, block_kv = 64, warp_rows = 32>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

func.func @gpu_schedule_kv_splits(%q: tensor<1x1x16x16xbf16>) {
  // expected-error @+1 {{'kv_splits' must lie in [1, 64], got 0}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64, kv_splits = 0>} : tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16>, tensor<1x1x16x16xbf16> -> tensor<1x1x16x16xbf16>
  return
}

// -----

// expected-error @+1 {{'sm' must be a compute capability times 10 in [75, 200] (e.g. 80, 90), got 9}}
module attributes {attn.gpu_target = #attn.gpu_target<sm = 9, shared_kb = 48, sms = 132>} {
}

// -----

// expected-error @+1 {{'shared_kb' must lie in [1, 227] (what a block may use on sm_90), got 0}}
module attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 0, sms = 132>} {
}

// -----

// expected-error @+1 {{'shared_kb' must lie in [1, 163] (what a block may use on sm_80), got 200}}
module attributes {attn.gpu_target = #attn.gpu_target<sm = 80, shared_kb = 200, sms = 108>} {
}

// -----

// expected-error @+1 {{'sms' must be positive, got 0}}
module attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 48, sms = 0>} {
}

// -----

func.func @strided_zero(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{strided pattern 'stride' must lie in [1, 2^31 - 1], got 0}}
  %o = attn.sdpa %q, %q, %q {pattern = #attn.strided<top_left, stride = 0>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @strided_huge(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{strided pattern 'stride' must lie in [1, 2^31 - 1], got 2147483648}}
  %o = attn.sdpa %q, %q, %q {pattern = #attn.strided<bottom_right, stride = 2147483648>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @sliding_window_negative(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{sliding window 'left' and 'right' must lie in [0, 2^31 - 1], got -1 and 0}}
  %o = attn.sdpa %q, %q, %q {pattern = #attn.sliding_window<bottom_right, left = -1, right = 0>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @sliding_window_alignment(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+2 {{expected ::mlir::attn::CausalAlignment to be one of: top_left, bottom_right}}
  // expected-error @+1 {{failed to parse Attn_SlidingWindowAttr parameter 'alignment' which is to be a `::mlir::attn::CausalAlignment`}}
  %o = attn.sdpa %q, %q, %q {pattern = #attn.sliding_window<left = 4, right = 0>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

func.func @sliding_window_huge(%q: tensor<1x1x16x16xf32>) {
  // expected-error @+1 {{sliding window 'left' and 'right' must lie in [0, 2^31 - 1], got 0 and 9223372036854775807}}
  %o = attn.sdpa %q, %q, %q {pattern = #attn.sliding_window<top_left, left = 0, right = 9223372036854775807>} : tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return
}

// -----

// The dialect's discardable attributes hold what their readers expect (a
// wrong kind used to be ignored, the host target used instead).
// expected-error @+1 {{'attn.target' must be a #attn.cpu_target<...>, got 42 : i64}}
module attributes {attn.target = 42 : i64} {
}

// -----

// expected-error @+1 {{'attn.target' must be a #attn.cpu_target<...>, got #attn.gpu_target<sm = 80, shared_kb = 48, sms = 108>}}
module attributes {attn.target = #attn.gpu_target<sm = 80, shared_kb = 48, sms = 108>} {
}

// -----

// expected-error @+1 {{'attn.gpu_target' must be a #attn.gpu_target<sm, shared_kb, sms>, got "sm_80"}}
module attributes {attn.gpu_target = "sm_80"} {
}

// -----

func.func @register_tile(%a: memref<4x8xf32>, %b: memref<8x32xf32>, %c: memref<4x32xf32>) {
  // expected-error @+1 {{'attn.register_tile' must be array<i64: vector_width, rows, vectors>, got [16, 6, 4]}}
  linalg.matmul {attn.register_tile = [16, 6, 4]} ins(%a, %b : memref<4x8xf32>, memref<8x32xf32>) outs(%c : memref<4x32xf32>)
  return
}

// -----

// expected-error @+1 {{unknown attn dialect attribute 'attn.gpu_taget' (known: attn.target, attn.gpu_target, attn.register_tile, attn.accumulator_registers)}}
module attributes {attn.gpu_taget = #attn.gpu_target<sm = 80, shared_kb = 48, sms = 108>} {
}

// -----

func.func @target_on_a_function() attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 4, l1_kb = 32, l2_kb = 1024>} {
  // expected-error @-1 {{'attn.target' belongs on a builtin.module (the passes read it there), not on 'func.func'}}
  return
}

// -----

// expected-error @+1 {{'attn.register_tile' belongs on a linalg op (attn-vectorize-cpu reads it there), not on 'builtin.module'}}
module attributes {attn.register_tile = array<i64: 8, 2, 1>} {
}

// -----

// expected-error @+1 {{'attn.accumulator_registers' belongs on the gpu.dynamic_shared_memory op of a tensor-core kernel (attn-lower-to-nvvm reads it there), not on 'builtin.module'}}
module attributes {attn.accumulator_registers = 96 : i64} {
}

// -----

func.func @accumulator_registers_negative() {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%a = %c1, %b = %c1, %c = %c1) {
    // expected-error @+1 {{'attn.accumulator_registers' must be a non-negative integer, got -1 : i64}}
    %shared = gpu.dynamic_shared_memory {attn.accumulator_registers = -1 : i64} : memref<?xi8, #gpu.address_space<workgroup>>
    gpu.terminator
  }
  return
}

// -----

// expected-error @+1 {{'attn.gpu_taget' on argument #0: the attn dialect defines no attribute there}}
func.func @argument_attribute(%a: tensor<4xf32> {attn.gpu_taget = 1 : i64}) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{'attn.bogus' on result #0: the attn dialect defines no attribute there}}
func.func @result_attribute(%a: tensor<4xf32>) -> (tensor<4xf32> {attn.bogus}) {
  return %a : tensor<4xf32>
}
