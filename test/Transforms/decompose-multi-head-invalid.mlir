// RUN: attn-opt %s -attn-decompose-multi-head -split-input-file -verify-diagnostics

// attn-decompose-multi-head needs every dimension of every operand and of the
// result; it reports the first attn.multi_head it cannot decompose and fails.

func.func @dynamic_batch_and_length(%x: tensor<?x?x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<?x?x64xf32> {
  // expected-error @+1 {{'attn.multi_head' op has dynamic shapes, which attn-decompose-multi-head does not support; give every dimension a size}}
  %y = attn.multi_head %x : tensor<?x?x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

func.func @dynamic_kv_length(%x: tensor<2x16x64xf32>, %kv: tensor<2x?x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x16x64xf32> {
  // expected-error @+1 {{'attn.multi_head' op has dynamic shapes, which attn-decompose-multi-head does not support; give every dimension a size}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> kv(%kv : tensor<2x?x64xf32>) weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// -----

func.func @dynamic_weight_width(%x: tensor<2x16x64xf32>, %wq: tensor<64x?xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x16x64xf32> {
  // expected-error @+1 {{'attn.multi_head' op has dynamic shapes, which attn-decompose-multi-head does not support; give every dimension a size}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x?xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// -----

func.func @dynamic_mask(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<?x1x16x16xi1>) -> tensor<2x16x64xf32> {
  // expected-error @+1 {{'attn.multi_head' op has dynamic shapes, which attn-decompose-multi-head does not support; give every dimension a size}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) mask(%m : tensor<?x1x16x16xi1>) {num_heads = 4 : i64} -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// -----

func.func @dynamic_result_only(%x: tensor<2x16x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x?x64xf32> {
  // expected-error @+1 {{'attn.multi_head' op has dynamic shapes, which attn-decompose-multi-head does not support; give every dimension a size}}
  %y = attn.multi_head %x : tensor<2x16x64xf32> weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {num_heads = 4 : i64} -> tensor<2x?x64xf32>
  return %y : tensor<2x?x64xf32>
}
