// attn.multi_head through attn-decompose-multi-head and the CPU pipeline,
// checked by attn-run against its float64 reference (projections rounded to
// the input element type, as the op's contract says).
// RUN: attn-run %s --entry=self_attention --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=cross_attention_gqa_biases_mask --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=causal_f16 --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=mqa_bf16_value_dim_differs --iterations=1 | FileCheck %s
// Query/key head dim 0 (scores all 0, the default scale 1 as on attn.sdpa):
// RUN: attn-run %s --entry=zero_head_dim --iterations=1 | FileCheck %s

// CHECK: check: PASS
// CHECK: rel_err=

func.func @self_attention(%x: tensor<2x7x24xf32>, %wq: tensor<24x24xf32>, %wk: tensor<24x24xf32>, %wv: tensor<24x24xf32>, %wo: tensor<24x24xf32>) -> tensor<2x7x24xf32> {
  %y = attn.multi_head %x : tensor<2x7x24xf32>
      weights(%wq, %wk, %wv, %wo : tensor<24x24xf32>, tensor<24x24xf32>, tensor<24x24xf32>, tensor<24x24xf32>)
      {num_heads = 3 : i64} -> tensor<2x7x24xf32>
  return %y : tensor<2x7x24xf32>
}

func.func @cross_attention_gqa_biases_mask(%x: tensor<2x9x32xf32>, %kv: tensor<2x129x20xf32>,
    %wq: tensor<32x32xf32>, %wk: tensor<20x16xf32>, %wv: tensor<20x16xf32>, %wo: tensor<32x12xf32>,
    %bq: tensor<32xf32>, %bk: tensor<16xf32>, %bv: tensor<16xf32>, %bo: tensor<12xf32>,
    %m: tensor<2x1x9x129xi1>) -> tensor<2x9x12xf32> {
  %y = attn.multi_head %x : tensor<2x9x32xf32> kv(%kv : tensor<2x129x20xf32>)
      weights(%wq, %wk, %wv, %wo : tensor<32x32xf32>, tensor<20x16xf32>, tensor<20x16xf32>, tensor<32x12xf32>)
      q_bias(%bq : tensor<32xf32>) k_bias(%bk : tensor<16xf32>) v_bias(%bv : tensor<16xf32>) o_bias(%bo : tensor<12xf32>)
      mask(%m : tensor<2x1x9x129xi1>)
      {num_heads = 4 : i64, num_kv_heads = 2 : i64} -> tensor<2x9x12xf32>
  return %y : tensor<2x9x12xf32>
}

func.func @causal_f16(%x: tensor<1x33x64xf16>, %wq: tensor<64x64xf16>, %wk: tensor<64x64xf16>, %wv: tensor<64x64xf16>, %wo: tensor<64x64xf16>) -> tensor<1x33x64xf16> {
  %y = attn.multi_head %x : tensor<1x33x64xf16>
      weights(%wq, %wk, %wv, %wo : tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>)
      {num_heads = 4 : i64, pattern = #attn.causal<top_left>, scale = 0.2 : f32} -> tensor<1x33x64xf16>
  return %y : tensor<1x33x64xf16>
}

func.func @mqa_bf16_value_dim_differs(%x: tensor<1x7x16xbf16>, %wq: tensor<16x32xbf16>, %wk: tensor<16x8xbf16>, %wv: tensor<16x12xbf16>, %wo: tensor<48x16xbf16>) -> tensor<1x7x16xbf16> {
  %y = attn.multi_head %x : tensor<1x7x16xbf16>
      weights(%wq, %wk, %wv, %wo : tensor<16x32xbf16>, tensor<16x8xbf16>, tensor<16x12xbf16>, tensor<48x16xbf16>)
      {num_heads = 4 : i64, num_kv_heads = 1 : i64, pattern = #attn.causal<bottom_right>} -> tensor<1x7x16xbf16>
  return %y : tensor<1x7x16xbf16>
}

func.func @zero_head_dim(%x: tensor<1x4x8xf32>, %wq: tensor<8x0xf32>, %wk: tensor<8x0xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %y = attn.multi_head %x : tensor<1x4x8xf32>
      weights(%wq, %wk, %wv, %wo : tensor<8x0xf32>, tensor<8x0xf32>, tensor<8x8xf32>, tensor<8x8xf32>)
      {num_heads = 2 : i64} -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
