// Strided attention, #attn.strided<alignment, stride>: query i sees keys
// j <= i + o with (i + o - j) % stride == 0 (scattered keys, no row range).
// Checked against attn-run's float64 reference (its own predicate) with the
// flash schedule, the reference lowering and a hand schedule of tiny
// blocks (a one-key block is Full when its pair is seen), on sizes that
// are not multiples of any block, both alignments, GQA, key lengths, lse,
// f16 and bf16; stride 1 is causal.
// RUN: attn-run %s --entry=strided_br_gqa --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=strided_br_gqa --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=strided_br_gqa --iterations=1 --schedule='#attn.schedule<block_q = 4, block_kv = 1, vector_width = 4, register_rows = 2, register_vectors = 1>' | FileCheck %s
// RUN: attn-run %s --entry=strided_tl_lengths_f16 --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=strided_tl_lengths_f16 --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=stride_one_bf16 --iterations=1 | FileCheck %s
// RUN: attn-opt %s -attn-derive-schedule -attn-tile-flash | FileCheck %s --check-prefix=TILES

// CHECK: check: PASS
// CHECK: rel_err=

// The partial tiles test each key: its distance from the diagonal must be
// >= 0 and a multiple of the stride; key blocks past the diagonal are not
// visited (the loop ends at the causal bound).
// TILES-LABEL: func.func @strided_br_gqa
// TILES: arith.remsi
// TILES-LABEL: func.func @stride_one_bf16
// TILES-NOT: arith.remsi
// TILES: return

func.func @strided_br_gqa(%q: tensor<2x4x37x32xf32>, %k: tensor<2x2x53x32xf32>, %v: tensor<2x2x53x24xf32>) -> (tensor<2x4x37x24xf32>, tensor<2x4x37xf32>) {
  %o, %l = attn.sdpa %q, %k, %v {pattern = #attn.strided<bottom_right, stride = 3>} : tensor<2x4x37x32xf32>, tensor<2x2x53x32xf32>, tensor<2x2x53x24xf32> -> tensor<2x4x37x24xf32>, tensor<2x4x37xf32>
  return %o, %l : tensor<2x4x37x24xf32>, tensor<2x4x37xf32>
}

func.func @strided_tl_lengths_f16(%q: tensor<2x2x70x16xf16>, %k: tensor<2x2x129x16xf16>, %v: tensor<2x2x129x16xf16>, %len: tensor<2xi32>) -> (tensor<2x2x70x16xf16>, tensor<2x2x70xf32>) {
  %o, %l = attn.sdpa %q, %k, %v key_lengths(%len : tensor<2xi32>) {pattern = #attn.strided<top_left, stride = 7>} : tensor<2x2x70x16xf16>, tensor<2x2x129x16xf16>, tensor<2x2x129x16xf16> -> tensor<2x2x70x16xf16>, tensor<2x2x70xf32>
  return %o, %l : tensor<2x2x70x16xf16>, tensor<2x2x70xf32>
}

func.func @stride_one_bf16(%q: tensor<1x2x33x64xbf16>, %k: tensor<1x2x33x64xbf16>, %v: tensor<1x2x33x64xbf16>) -> tensor<1x2x33x64xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.strided<top_left, stride = 1>} : tensor<1x2x33x64xbf16>, tensor<1x2x33x64xbf16>, tensor<1x2x33x64xbf16> -> tensor<1x2x33x64xbf16>
  return %o : tensor<1x2x33x64xbf16>
}
