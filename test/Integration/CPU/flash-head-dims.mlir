// The flash path at the head dims its micro-kernels vectorize (64, 80, 128),
// with lengths that are multiples of no block (1, 65, 77, 129, 257, ...),
// causal diagonals crossing blocks, masks, GQA, f16/bf16, and hand-written
// schedules for AVX2-like (8 lanes), SSE-like (4 lanes) and wide register
// tiles; every case is checked against the float64 reference.
// RUN: attn-run %s --entry=d64_odd_lengths --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d128_gqa_causal --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d64_causal_top_left_long_queries --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d64_bool_mask --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d80_additive_mask_causal --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d64_f16_causal --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d128_bf16_gqa --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d64_decode_single_query --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=d64_odd_lengths --iterations=1 '--schedule=#attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 6, register_vectors = 2>' | FileCheck %s
// RUN: attn-run %s --entry=d64_f16_causal --iterations=1 '--schedule=#attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 6, register_vectors = 2>' | FileCheck %s
// RUN: attn-run %s --entry=d80_additive_mask_causal --iterations=1 '--schedule=#attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 6, register_vectors = 2>' | FileCheck %s
// RUN: attn-run %s --entry=d128_gqa_causal --iterations=1 '--schedule=#attn.schedule<block_q = 16, block_kv = 16, vector_width = 4, register_rows = 3, register_vectors = 3>' | FileCheck %s
// RUN: attn-run %s --entry=d64_bool_mask --iterations=1 '--schedule=#attn.schedule<block_q = 16, block_kv = 16, vector_width = 4, register_rows = 3, register_vectors = 3>' | FileCheck %s
// RUN: attn-run %s --entry=d64_causal_top_left_long_queries --iterations=1 '--schedule=#attn.schedule<block_q = 128, block_kv = 256, vector_width = 16, register_rows = 4, register_vectors = 5>' | FileCheck %s
// RUN: attn-run %s --entry=d128_bf16_gqa --iterations=1 '--schedule=#attn.schedule<block_q = 128, block_kv = 256, vector_width = 16, register_rows = 4, register_vectors = 5>' | FileCheck %s

// CHECK: check: PASS
// CHECK: rel_err=

func.func @d64_odd_lengths(%q: tensor<1x4x129x64xf32>, %k: tensor<1x4x257x64xf32>, %v: tensor<1x4x257x64xf32>) -> (tensor<1x4x129x64xf32>, tensor<1x4x129xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v : tensor<1x4x129x64xf32>, tensor<1x4x257x64xf32>, tensor<1x4x257x64xf32> -> tensor<1x4x129x64xf32>, tensor<1x4x129xf32>
  return %o, %lse : tensor<1x4x129x64xf32>, tensor<1x4x129xf32>
}

func.func @d128_gqa_causal(%q: tensor<1x8x200x128xf32>, %k: tensor<1x2x200x128xf32>, %v: tensor<1x2x200x128xf32>) -> (tensor<1x8x200x128xf32>, tensor<1x8x200xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x8x200x128xf32>, tensor<1x2x200x128xf32>, tensor<1x2x200x128xf32> -> tensor<1x8x200x128xf32>, tensor<1x8x200xf32>
  return %o, %lse : tensor<1x8x200x128xf32>, tensor<1x8x200xf32>
}

func.func @d64_causal_top_left_long_queries(%q: tensor<2x2x257x64xf32>, %k: tensor<2x2x129x64xf32>, %v: tensor<2x2x129x64xf32>) -> (tensor<2x2x257x64xf32>, tensor<2x2x257xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<2x2x257x64xf32>, tensor<2x2x129x64xf32>, tensor<2x2x129x64xf32> -> tensor<2x2x257x64xf32>, tensor<2x2x257xf32>
  return %o, %lse : tensor<2x2x257x64xf32>, tensor<2x2x257xf32>
}

func.func @d64_bool_mask(%q: tensor<1x2x65x64xf32>, %k: tensor<1x1x130x64xf32>, %v: tensor<1x1x130x64xf32>, %m: tensor<1x2x65x130xi1>) -> (tensor<1x2x65x64xf32>, tensor<1x2x65xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x2x65x130xi1>) : tensor<1x2x65x64xf32>, tensor<1x1x130x64xf32>, tensor<1x1x130x64xf32> -> tensor<1x2x65x64xf32>, tensor<1x2x65xf32>
  return %o, %lse : tensor<1x2x65x64xf32>, tensor<1x2x65xf32>
}

func.func @d80_additive_mask_causal(%q: tensor<1x2x100x80xf32>, %k: tensor<1x2x100x80xf32>, %v: tensor<1x2x100x48xf32>, %m: tensor<1x1x100x100xf32>) -> (tensor<1x2x100x48xf32>, tensor<1x2x100xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x100x100xf32>) {pattern = #attn.causal<bottom_right>} : tensor<1x2x100x80xf32>, tensor<1x2x100x80xf32>, tensor<1x2x100x48xf32> -> tensor<1x2x100x48xf32>, tensor<1x2x100xf32>
  return %o, %lse : tensor<1x2x100x48xf32>, tensor<1x2x100xf32>
}

func.func @d64_f16_causal(%q: tensor<1x4x129x64xf16>, %k: tensor<1x2x300x64xf16>, %v: tensor<1x2x300x64xf16>) -> (tensor<1x4x129x64xf16>, tensor<1x4x129xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x4x129x64xf16>, tensor<1x2x300x64xf16>, tensor<1x2x300x64xf16> -> tensor<1x4x129x64xf16>, tensor<1x4x129xf32>
  return %o, %lse : tensor<1x4x129x64xf16>, tensor<1x4x129xf32>
}

func.func @d128_bf16_gqa(%q: tensor<2x4x77x128xbf16>, %k: tensor<2x1x190x128xbf16>, %v: tensor<2x1x190x128xbf16>) -> (tensor<2x4x77x128xbf16>, tensor<2x4x77xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v : tensor<2x4x77x128xbf16>, tensor<2x1x190x128xbf16>, tensor<2x1x190x128xbf16> -> tensor<2x4x77x128xbf16>, tensor<2x4x77xf32>
  return %o, %lse : tensor<2x4x77x128xbf16>, tensor<2x4x77xf32>
}

func.func @d64_decode_single_query(%q: tensor<4x8x1x64xf32>, %k: tensor<4x2x333x64xf32>, %v: tensor<4x2x333x64xf32>) -> (tensor<4x8x1x64xf32>, tensor<4x8x1xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<4x8x1x64xf32>, tensor<4x2x333x64xf32>, tensor<4x2x333x64xf32> -> tensor<4x8x1x64xf32>, tensor<4x8x1xf32>
  return %o, %lse : tensor<4x8x1x64xf32>, tensor<4x8x1xf32>
}

