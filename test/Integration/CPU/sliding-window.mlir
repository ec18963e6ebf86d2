// Sliding-window (local) attention, #attn.sliding_window<alignment, left,
// right>: query i sees keys i + o - left <= j <= i + o + right. The flash
// path visits only the key blocks inside the window (and masks the partial
// ones); checked against attn-run's float64 reference (its own predicate)
// with the flash schedule and with the reference lowering, on sizes that
// are not multiples of any block, windows narrower and wider than a block,
// both alignments, right > 0, GQA, padding (rows whose window is all
// padding: output 0, lse -inf) and bf16.
// RUN: attn-run %s --entry=causal_local_br --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=causal_local_br --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=two_sided_tl_gqa --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=two_sided_tl_gqa --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=narrow_window_padding_bf16 --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=narrow_window_padding_bf16 --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=decode_window --iterations=1 | FileCheck %s
// RUN: attn-opt %s -attn-derive-schedule -attn-tile-flash | FileCheck %s --check-prefix=TILES

// CHECK: check: PASS
// CHECK: rel_err=

// The key loop starts at the window's first key for the block (clamped to
// 0), not at 0.
// TILES-LABEL: func.func @causal_local_br
// TILES: arith.maxsi
// TILES: scf.for %{{.*}} = %[[BEGIN:.*]] to %{{.*}} step
func.func @causal_local_br(%q: tensor<2x2x257x64xf32>, %k: tensor<2x2x300x64xf32>, %v: tensor<2x2x300x64xf32>) -> (tensor<2x2x257x64xf32>, tensor<2x2x257xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.sliding_window<bottom_right, left = 100, right = 0>} : tensor<2x2x257x64xf32>, tensor<2x2x300x64xf32>, tensor<2x2x300x64xf32> -> tensor<2x2x257x64xf32>, tensor<2x2x257xf32>
  return %o, %lse : tensor<2x2x257x64xf32>, tensor<2x2x257xf32>
}

func.func @two_sided_tl_gqa(%q: tensor<1x4x129x32xf32>, %k: tensor<1x2x129x32xf32>, %v: tensor<1x2x129x48xf32>) -> tensor<1x4x129x48xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.sliding_window<top_left, left = 7, right = 33>} : tensor<1x4x129x32xf32>, tensor<1x2x129x32xf32>, tensor<1x2x129x48xf32> -> tensor<1x4x129x48xf32>
  return %o : tensor<1x4x129x48xf32>
}

func.func @narrow_window_padding_bf16(%q: tensor<3x2x65x64xbf16>, %k: tensor<3x2x200x64xbf16>, %v: tensor<3x2x200x64xbf16>, %len: tensor<3xi32>) -> (tensor<3x2x65x64xbf16>, tensor<3x2x65xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v key_lengths(%len : tensor<3xi32>) {pattern = #attn.sliding_window<bottom_right, left = 3, right = 0>} : tensor<3x2x65x64xbf16>, tensor<3x2x200x64xbf16>, tensor<3x2x200x64xbf16> -> tensor<3x2x65x64xbf16>, tensor<3x2x65xf32>
  return %o, %lse : tensor<3x2x65x64xbf16>, tensor<3x2x65xf32>
}

func.func @decode_window(%q: tensor<4x8x1x64xf32>, %k: tensor<4x8x1000x64xf32>, %v: tensor<4x8x1000x64xf32>) -> tensor<4x8x1x64xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.sliding_window<bottom_right, left = 127, right = 0>} : tensor<4x8x1x64xf32>, tensor<4x8x1000x64xf32>, tensor<4x8x1000x64xf32> -> tensor<4x8x1x64xf32>
  return %o : tensor<4x8x1x64xf32>
}
