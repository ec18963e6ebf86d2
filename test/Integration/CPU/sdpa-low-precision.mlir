// attn.sdpa with f16 and bf16 inputs (f32 accumulation), checked against the
// float64 reference with the element type's tolerance (f16 5e-3, bf16 2e-2).
// RUN: attn-run %s --entry=f16_gqa_causal --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=f16_bool_mask --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=f16_additive_mask --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=bf16_mha --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=bf16_causal_top_left --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=bf16_bool_mask_fully_masked --iterations=1 | FileCheck %s

// CHECK: check: PASS (tolerance {{.*}}e-0{{2|3}})

func.func @f16_gqa_causal(%q: tensor<2x4x33x64xf16>, %k: tensor<2x2x129x64xf16>, %v: tensor<2x2x129x64xf16>) -> (tensor<2x4x33x64xf16>, tensor<2x4x33xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x33x64xf16>, tensor<2x2x129x64xf16>, tensor<2x2x129x64xf16> -> tensor<2x4x33x64xf16>, tensor<2x4x33xf32>
  return %o, %lse : tensor<2x4x33x64xf16>, tensor<2x4x33xf32>
}

func.func @f16_bool_mask(%q: tensor<1x2x7x32xf16>, %k: tensor<1x2x65x32xf16>, %v: tensor<1x2x65x16xf16>, %m: tensor<1x2x7x65xi1>) -> (tensor<1x2x7x16xf16>) {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x2x7x65xi1>) : tensor<1x2x7x32xf16>, tensor<1x2x65x32xf16>, tensor<1x2x65x16xf16> -> tensor<1x2x7x16xf16>
  return %o : tensor<1x2x7x16xf16>
}

func.func @f16_additive_mask(%q: tensor<1x2x9x16xf16>, %k: tensor<1x1x17x16xf16>, %v: tensor<1x1x17x16xf16>, %m: tensor<1x1x9x17xf16>) -> (tensor<1x2x9x16xf16>, tensor<1x2x9xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x9x17xf16>) : tensor<1x2x9x16xf16>, tensor<1x1x17x16xf16>, tensor<1x1x17x16xf16> -> tensor<1x2x9x16xf16>, tensor<1x2x9xf32>
  return %o, %lse : tensor<1x2x9x16xf16>, tensor<1x2x9xf32>
}

func.func @bf16_mha(%q: tensor<2x3x7x64xbf16>, %k: tensor<2x3x129x64xbf16>, %v: tensor<2x3x129x64xbf16>) -> (tensor<2x3x7x64xbf16>, tensor<2x3x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x3x7x64xbf16>, tensor<2x3x129x64xbf16>, tensor<2x3x129x64xbf16> -> tensor<2x3x7x64xbf16>, tensor<2x3x7xf32>
  return %o, %lse : tensor<2x3x7x64xbf16>, tensor<2x3x7xf32>
}

func.func @bf16_causal_top_left(%q: tensor<1x4x129x32xbf16>, %k: tensor<1x1x129x32xbf16>, %v: tensor<1x1x129x32xbf16>) -> (tensor<1x4x129x32xbf16>) {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x4x129x32xbf16>, tensor<1x1x129x32xbf16>, tensor<1x1x129x32xbf16> -> tensor<1x4x129x32xbf16>
  return %o : tensor<1x4x129x32xbf16>
}

func.func @bf16_bool_mask_fully_masked(%q: tensor<1x2x7x16xbf16>, %k: tensor<1x2x7x16xbf16>, %v: tensor<1x2x7x16xbf16>, %m: tensor<1x1x7x7xi1>) -> (tensor<1x2x7x16xbf16>, tensor<1x2x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x7x7xi1>) : tensor<1x2x7x16xbf16>, tensor<1x2x7x16xbf16>, tensor<1x2x7x16xbf16> -> tensor<1x2x7x16xbf16>, tensor<1x2x7xf32>
  return %o, %lse : tensor<1x2x7x16xbf16>, tensor<1x2x7xf32>
}

