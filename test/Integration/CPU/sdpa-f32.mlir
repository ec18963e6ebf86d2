// attn.sdpa in f32 through attn-lower-to-llvm (flash schedule on OpenMP
// threads by default), checked by attn-run against
// its float64 reference on fresh random inputs (sizes 1, 7, 129, non-powers
// of two; GQA/MQA; Sq != Skv; both causal alignments; masks; lse).
// RUN: attn-run %s --entry=mha_odd_sizes --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=single_query_long_keys --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=single_key --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=gqa_sq_ne_skv --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=mqa --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=head_dim_ne_value_dim --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=explicit_scale --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=causal_top_left_sq_lt_skv --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=causal_top_left_sq_gt_skv --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=causal_bottom_right_sq_lt_skv --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=causal_bottom_right_fully_masked_rows --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=bool_mask_broadcast --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=bool_mask_per_batch_and_head --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=additive_mask_per_head --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=additive_mask_with_causal --iterations=1 | FileCheck %s
// The reference lowering (the oracle) and the serial flash path:
// RUN: attn-run %s --entry=mha_odd_sizes --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=single_query_long_keys --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=single_key --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=gqa_sq_ne_skv --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=mqa --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=head_dim_ne_value_dim --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=explicit_scale --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=causal_top_left_sq_lt_skv --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=causal_top_left_sq_gt_skv --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=causal_bottom_right_sq_lt_skv --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=causal_bottom_right_fully_masked_rows --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=bool_mask_broadcast --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=bool_mask_per_batch_and_head --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=additive_mask_per_head --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=additive_mask_with_causal --iterations=1 --reference | FileCheck %s
// RUN: attn-run %s --entry=mha_odd_sizes --iterations=1 --serial | FileCheck %s
// RUN: attn-run %s --entry=single_query_long_keys --iterations=1 --serial | FileCheck %s
// RUN: attn-run %s --entry=single_key --iterations=1 --serial | FileCheck %s
// RUN: attn-run %s --entry=gqa_sq_ne_skv --iterations=1 --serial | FileCheck %s

// CHECK: check: PASS
// CHECK: rel_err=

func.func @mha_odd_sizes(%q: tensor<2x3x7x16xf32>, %k: tensor<2x3x7x16xf32>, %v: tensor<2x3x7x16xf32>) -> (tensor<2x3x7x16xf32>) {
  %o = attn.sdpa %q, %k, %v : tensor<2x3x7x16xf32>, tensor<2x3x7x16xf32>, tensor<2x3x7x16xf32> -> tensor<2x3x7x16xf32>
  return %o : tensor<2x3x7x16xf32>
}

func.func @single_query_long_keys(%q: tensor<1x2x1x64xf32>, %k: tensor<1x2x129x64xf32>, %v: tensor<1x2x129x64xf32>) -> (tensor<1x2x1x64xf32>) {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x1x64xf32>, tensor<1x2x129x64xf32>, tensor<1x2x129x64xf32> -> tensor<1x2x1x64xf32>
  return %o : tensor<1x2x1x64xf32>
}

func.func @single_key(%q: tensor<1x2x7x8xf32>, %k: tensor<1x2x1x8xf32>, %v: tensor<1x2x1x8xf32>) -> (tensor<1x2x7x8xf32>) {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x7x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x8xf32> -> tensor<1x2x7x8xf32>
  return %o : tensor<1x2x7x8xf32>
}

func.func @gqa_sq_ne_skv(%q: tensor<2x8x33x32xf32>, %k: tensor<2x2x65x32xf32>, %v: tensor<2x2x65x32xf32>) -> (tensor<2x8x33x32xf32>) {
  %o = attn.sdpa %q, %k, %v : tensor<2x8x33x32xf32>, tensor<2x2x65x32xf32>, tensor<2x2x65x32xf32> -> tensor<2x8x33x32xf32>
  return %o : tensor<2x8x33x32xf32>
}

func.func @mqa(%q: tensor<1x4x17x16xf32>, %k: tensor<1x1x129x16xf32>, %v: tensor<1x1x129x16xf32>) -> (tensor<1x4x17x16xf32>) {
  %o = attn.sdpa %q, %k, %v : tensor<1x4x17x16xf32>, tensor<1x1x129x16xf32>, tensor<1x1x129x16xf32> -> tensor<1x4x17x16xf32>
  return %o : tensor<1x4x17x16xf32>
}

func.func @head_dim_ne_value_dim(%q: tensor<1x2x9x24xf32>, %k: tensor<1x2x13x24xf32>, %v: tensor<1x2x13x40xf32>) -> (tensor<1x2x9x40xf32>, tensor<1x2x9xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v : tensor<1x2x9x24xf32>, tensor<1x2x13x24xf32>, tensor<1x2x13x40xf32> -> tensor<1x2x9x40xf32>, tensor<1x2x9xf32>
  return %o, %lse : tensor<1x2x9x40xf32>, tensor<1x2x9xf32>
}

func.func @explicit_scale(%q: tensor<1x2x5x12xf32>, %k: tensor<1x1x7x12xf32>, %v: tensor<1x1x7x12xf32>) -> (tensor<1x2x5x12xf32>) {
  %o = attn.sdpa %q, %k, %v {scale = 0.3 : f32} : tensor<1x2x5x12xf32>, tensor<1x1x7x12xf32>, tensor<1x1x7x12xf32> -> tensor<1x2x5x12xf32>
  return %o : tensor<1x2x5x12xf32>
}

func.func @causal_top_left_sq_lt_skv(%q: tensor<1x2x7x16xf32>, %k: tensor<1x2x129x16xf32>, %v: tensor<1x2x129x16xf32>) -> (tensor<1x2x7x16xf32>, tensor<1x2x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x2x7x16xf32>, tensor<1x2x129x16xf32>, tensor<1x2x129x16xf32> -> tensor<1x2x7x16xf32>, tensor<1x2x7xf32>
  return %o, %lse : tensor<1x2x7x16xf32>, tensor<1x2x7xf32>
}

func.func @causal_top_left_sq_gt_skv(%q: tensor<1x2x129x16xf32>, %k: tensor<1x2x7x16xf32>, %v: tensor<1x2x7x16xf32>) -> (tensor<1x2x129x16xf32>, tensor<1x2x129xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x2x129x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32> -> tensor<1x2x129x16xf32>, tensor<1x2x129xf32>
  return %o, %lse : tensor<1x2x129x16xf32>, tensor<1x2x129xf32>
}

func.func @causal_bottom_right_sq_lt_skv(%q: tensor<1x4x7x16xf32>, %k: tensor<1x2x129x16xf32>, %v: tensor<1x2x129x16xf32>) -> (tensor<1x4x7x16xf32>, tensor<1x4x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x4x7x16xf32>, tensor<1x2x129x16xf32>, tensor<1x2x129x16xf32> -> tensor<1x4x7x16xf32>, tensor<1x4x7xf32>
  return %o, %lse : tensor<1x4x7x16xf32>, tensor<1x4x7xf32>
}

func.func @causal_bottom_right_fully_masked_rows(%q: tensor<1x2x129x16xf32>, %k: tensor<1x2x7x16xf32>, %v: tensor<1x2x7x16xf32>) -> (tensor<1x2x129x16xf32>, tensor<1x2x129xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x2x129x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32> -> tensor<1x2x129x16xf32>, tensor<1x2x129xf32>
  return %o, %lse : tensor<1x2x129x16xf32>, tensor<1x2x129xf32>
}

func.func @bool_mask_broadcast(%q: tensor<2x4x7x16xf32>, %k: tensor<2x2x129x16xf32>, %v: tensor<2x2x129x8xf32>, %m: tensor<1x1x7x129xi1>) -> (tensor<2x4x7x8xf32>, tensor<2x4x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x7x129xi1>) : tensor<2x4x7x16xf32>, tensor<2x2x129x16xf32>, tensor<2x2x129x8xf32> -> tensor<2x4x7x8xf32>, tensor<2x4x7xf32>
  return %o, %lse : tensor<2x4x7x8xf32>, tensor<2x4x7xf32>
}

func.func @bool_mask_per_batch_and_head(%q: tensor<2x4x9x16xf32>, %k: tensor<2x2x31x16xf32>, %v: tensor<2x2x31x16xf32>, %m: tensor<2x4x9x31xi1>) -> (tensor<2x4x9x16xf32>, tensor<2x4x9xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<2x4x9x31xi1>) : tensor<2x4x9x16xf32>, tensor<2x2x31x16xf32>, tensor<2x2x31x16xf32> -> tensor<2x4x9x16xf32>, tensor<2x4x9xf32>
  return %o, %lse : tensor<2x4x9x16xf32>, tensor<2x4x9xf32>
}

func.func @additive_mask_per_head(%q: tensor<1x4x7x16xf32>, %k: tensor<1x4x33x16xf32>, %v: tensor<1x4x33x16xf32>, %m: tensor<1x4x7x33xf32>) -> (tensor<1x4x7x16xf32>, tensor<1x4x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x4x7x33xf32>) : tensor<1x4x7x16xf32>, tensor<1x4x33x16xf32>, tensor<1x4x33x16xf32> -> tensor<1x4x7x16xf32>, tensor<1x4x7xf32>
  return %o, %lse : tensor<1x4x7x16xf32>, tensor<1x4x7xf32>
}

func.func @additive_mask_with_causal(%q: tensor<2x2x33x16xf32>, %k: tensor<2x1x33x16xf32>, %v: tensor<2x1x33x16xf32>, %m: tensor<2x1x33x33xf32>) -> (tensor<2x2x33x16xf32>, tensor<2x2x33xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<2x1x33x33xf32>) {pattern = #attn.causal<bottom_right>} : tensor<2x2x33x16xf32>, tensor<2x1x33x16xf32>, tensor<2x1x33x16xf32> -> tensor<2x2x33x16xf32>, tensor<2x2x33xf32>
  return %o, %lse : tensor<2x2x33x16xf32>, tensor<2x2x33xf32>
}


// Degenerate shapes: empty query, key, batch and head dims.
// RUN: attn-run %s --entry=empty_queries --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=empty_keys_gives_zeros --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=empty_batch --iterations=1 | FileCheck %s
// RUN: attn-run %s --entry=zero_head_dim --iterations=1 | FileCheck %s
func.func @empty_queries(%q: tensor<1x2x0x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x8xf32>) -> tensor<1x2x0x8xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x2x0x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32> -> tensor<1x2x0x8xf32>
  return %o : tensor<1x2x0x8xf32>
}

func.func @empty_keys_gives_zeros(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x0x8xf32>, %v: tensor<1x2x0x8xf32>) -> (tensor<1x2x3x8xf32>, tensor<1x2x3xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v : tensor<1x2x3x8xf32>, tensor<1x2x0x8xf32>, tensor<1x2x0x8xf32> -> tensor<1x2x3x8xf32>, tensor<1x2x3xf32>
  return %o, %lse : tensor<1x2x3x8xf32>, tensor<1x2x3xf32>
}

func.func @empty_batch(%q: tensor<0x2x3x8xf32>, %k: tensor<0x2x4x8xf32>, %v: tensor<0x2x4x8xf32>) -> tensor<0x2x3x8xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<0x2x3x8xf32>, tensor<0x2x4x8xf32>, tensor<0x2x4x8xf32> -> tensor<0x2x3x8xf32>
  return %o : tensor<0x2x3x8xf32>
}

func.func @zero_head_dim(%q: tensor<1x2x3x0xf32>, %k: tensor<1x2x4x0xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x3x8xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x2x3x0xf32>, tensor<1x2x4x0xf32>, tensor<1x2x4x8xf32> -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}
