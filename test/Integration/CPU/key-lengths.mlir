// Per-batch key-length padding (key_lengths): keys j >= key_lengths[b] are
// masked. The flash path clips its key loop at the length (Empty tiles past
// it are never visited); lengths are random in [0, Skv], including 0 (every
// key padding: output 0, lse -inf) and Skv. Checked against the float64
// reference, with the flash schedule and with the reference lowering;
// attn-run fills the key and value rows past each length with NaN, which
// must not reach the output (the reference lowering once let 0 * NaN in).
// RUN: attn-run %s --entry=padding_d64 --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=padding_d64 --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=padding_gqa_causal_f16 --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=padding_gqa_causal_f16 --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=padding_with_mask_odd_dims --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=padding_with_mask_odd_dims --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=padding_decode --iterations=1 | FileCheck %s

// CHECK: check: PASS
// CHECK: rel_err=

func.func @padding_d64(%q: tensor<8x2x65x64xf32>, %k: tensor<8x2x300x64xf32>, %v: tensor<8x2x300x64xf32>, %len: tensor<8xi32>) -> (tensor<8x2x65x64xf32>, tensor<8x2x65xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v key_lengths(%len : tensor<8xi32>) : tensor<8x2x65x64xf32>, tensor<8x2x300x64xf32>, tensor<8x2x300x64xf32> -> tensor<8x2x65x64xf32>, tensor<8x2x65xf32>
  return %o, %lse : tensor<8x2x65x64xf32>, tensor<8x2x65xf32>
}

func.func @padding_gqa_causal_f16(%q: tensor<6x4x33x64xf16>, %k: tensor<6x2x129x64xf16>, %v: tensor<6x2x129x64xf16>, %len: tensor<6xi32>) -> (tensor<6x4x33x64xf16>, tensor<6x4x33xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v key_lengths(%len : tensor<6xi32>) {pattern = #attn.causal<bottom_right>} : tensor<6x4x33x64xf16>, tensor<6x2x129x64xf16>, tensor<6x2x129x64xf16> -> tensor<6x4x33x64xf16>, tensor<6x4x33xf32>
  return %o, %lse : tensor<6x4x33x64xf16>, tensor<6x4x33xf32>
}

func.func @padding_with_mask_odd_dims(%q: tensor<5x2x7x24xf32>, %k: tensor<5x1x31x24xf32>, %v: tensor<5x1x31x40xf32>, %m: tensor<5x1x7x31xi1>, %len: tensor<5xi32>) -> (tensor<5x2x7x40xf32>, tensor<5x2x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<5x1x7x31xi1>) key_lengths(%len : tensor<5xi32>) : tensor<5x2x7x24xf32>, tensor<5x1x31x24xf32>, tensor<5x1x31x40xf32> -> tensor<5x2x7x40xf32>, tensor<5x2x7xf32>
  return %o, %lse : tensor<5x2x7x40xf32>, tensor<5x2x7xf32>
}

func.func @padding_decode(%q: tensor<8x8x1x64xf32>, %k: tensor<8x2x513x64xf32>, %v: tensor<8x2x513x64xf32>, %len: tensor<8xi32>) -> tensor<8x8x1x64xf32> {
  %o = attn.sdpa %q, %k, %v key_lengths(%len : tensor<8xi32>) {pattern = #attn.causal<bottom_right>} : tensor<8x8x1x64xf32>, tensor<8x2x513x64xf32>, tensor<8x2x513x64xf32> -> tensor<8x8x1x64xf32>
  return %o : tensor<8x8x1x64xf32>
}
