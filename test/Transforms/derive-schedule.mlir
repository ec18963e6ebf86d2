// RUN: attn-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(func.func(attn-derive-schedule{explain=true}))" | FileCheck %s
// RUN: attn-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(attn-derive-schedule{vector-bits=512 vector-registers=32 l1-kb=64}))" | FileCheck %s --check-prefix=OVERRIDE
// RUN: attn-opt %s -split-input-file -attn-derive-schedule="vector-bits=256 vector-registers=16 cores=1 l1-kb=64 l2-kb=512" | FileCheck %s --check-prefix=OPTIONS

// attn-derive-schedule writes #attn.schedule on every statically shaped
// attn.sdpa from the target (pass options over the module's attn.target over
// the host) and the op's shapes; with explain=true it says why as a remark.
//
// Every case pins its target with a module attn.target (or, for the OPTIONS
// run, with every option), so the result does not depend on the machine.
// The first two runs schedule each function (the module's attn.target is
// found from the nested pass too); the MODULE run checks the plain
// module-level invocation reads it as well.
// RUN: attn-opt %s -split-input-file -attn-derive-schedule | FileCheck %s --check-prefix=MODULE
// MODULE-LABEL: func.func @sse_mha_four_lanes
// MODULE: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 4, register_rows = 6, register_vectors = 2>}
//
// Cost model, W = vector_bits / 32 lanes, R registers:
//   block_q  = min(64, Sq rounded up to W), halved (not below W) while
//              B * Hq * ceil(Sq / block_q) < 4 * cores
//   register_vectors = min(R == 32 ? 4 : 2, block_q / W)
//   register_rows    = min(8, (R - register_vectors - 1) / register_vectors)
//   block_kv = clamp(L1 / 2 / (4 * block_q), 16, 256), multiple of 16

//===----------------------------------------------------------------------===//
// Vector ISA: AVX-512, AVX2, SSE
//===----------------------------------------------------------------------===//

// AVX-512: 16 lanes, 32 registers hold a 6x4 tile (24 accumulators + 4
// loaded vectors + 1 broadcast = 29).
// CHECK-LABEL: func.func @avx512_mha_six_by_four_register_tile
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4>}
// The options (512-bit, 32 registers, 64 KiB L1) replace the module's
// vector width and L1 only; the whole option set replaces everything.
// OVERRIDE-LABEL: func.func @avx512_mha_six_by_four_register_tile
// OVERRIDE: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 128, vector_width = 16, register_rows = 6, register_vectors = 4>}
// OPTIONS-LABEL: func.func @avx512_mha_six_by_four_register_tile
// OPTIONS: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 128, vector_width = 8, register_rows = 6, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @avx512_mha_six_by_four_register_tile(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{schedule #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4> for #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>: 16 f32 lanes; register tile 6x4 uses 29 of 32 registers; block_q 64 gives 16 parallel work items for 2 cores; block_kv 64 keeps the 16 KiB score tile within half of the 32 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

// -----

// AVX2: 8 lanes, 16 registers hold a 6x2 tile (12 + 2 + 1 = 15).
// CHECK-LABEL: func.func @avx2_mha_six_by_two_register_tile
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 8, register_rows = 6, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @avx2_mha_six_by_two_register_tile(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{schedule #attn.schedule<block_q = 64, block_kv = 64, vector_width = 8, register_rows = 6, register_vectors = 2> for #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>: 8 f32 lanes; register tile 6x2 uses 15 of 16 registers; block_q 64 gives 16 parallel work items for 2 cores; block_kv 64 keeps the 16 KiB score tile within half of the 32 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

// -----

// SSE: 4 lanes, same 16-register tile as AVX2.
// CHECK-LABEL: func.func @sse_mha_four_lanes
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 4, register_rows = 6, register_vectors = 2>}
// Options override the module attribute field by field: vector bits,
// registers and L1 from the options, cores and L2 from the module.
// OVERRIDE-LABEL: func.func @sse_mha_four_lanes
// OVERRIDE: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 128, vector_width = 16, register_rows = 6, register_vectors = 4>}
// OPTIONS-LABEL: func.func @sse_mha_four_lanes
// OPTIONS: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 128, vector_width = 8, register_rows = 6, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 128, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @sse_mha_four_lanes(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{schedule #attn.schedule<block_q = 64, block_kv = 64, vector_width = 4, register_rows = 6, register_vectors = 2> for #attn.cpu_target<vector_bits = 128, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>: 4 f32 lanes; register tile 6x2 uses 15 of 16 registers}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

//===----------------------------------------------------------------------===//
// block_q: sequence length and parallel work
//===----------------------------------------------------------------------===//

// -----

// Sq = 7 is narrower than 16 lanes: block_q 7, attn-tile-flash's row form
// (keys innermost); its Q K^T dot products hold 4 query rows x 4 keys (a
// power of two: 6 keys were slower); the
// 7-row score tile would let block_kv reach 256, the 128 keys cap it.
// CHECK-LABEL: func.func @avx512_short_sequence_row_form
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 7, block_kv = 128, vector_width = 16, register_rows = 4, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @avx512_short_sequence_row_form(%q: tensor<2x4x7x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x7x64xf32> {
    // expected-remark @+1 {{register tile 4x4 uses 21 of 32 registers; block_q 7 (row form: narrower than a vector; the query heads of a KV head share a work item) gives 8 parallel work items for 2 cores; block_kv 128 keeps the 3 KiB score tile within half of the 32 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x7x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x7x64xf32>
    return %o : tensor<2x4x7x64xf32>
  }
}

// -----

// The same short sequence on AVX2 (8 lanes, 16 registers): 2 query rows
// x 4 keys.
// CHECK-LABEL: func.func @avx2_short_sequence_row_form
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 7, block_kv = 128, vector_width = 8, register_rows = 4, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @avx2_short_sequence_row_form(%q: tensor<2x4x7x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x7x64xf32> {
    // expected-remark @+1 {{register tile 4x2 uses 11 of 16 registers; block_q 7 (row form: narrower than a vector; the query heads of a KV head share a work item) gives 8 parallel work items for 2 cores}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x7x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x7x64xf32>
    return %o : tensor<2x4x7x64xf32>
  }
}

// -----

// MQA decode (8 query heads over 1 KV head, batch 1): one work item for 4
// cores, so its 4096 keys (16 blocks of 256) are split over 4 items
// (split-KV).
// CHECK-LABEL: func.func @mqa_decode_split_kv
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 1, block_kv = 256, vector_width = 16, register_rows = 4, register_vectors = 4, kv_splits = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 4, l1_kb = 32, l2_kb = 1024>} {
  func.func @mqa_decode_split_kv(%q: tensor<1x8x1x128xbf16>, %k: tensor<1x1x4096x128xbf16>, %v: tensor<1x1x4096x128xbf16>) -> tensor<1x8x1x128xbf16> {
    // expected-remark @+1 {{gives 1 parallel work items for 4 cores, each split over 4 key ranges (split-KV: 4 items); block_kv 256}}
    %o = attn.sdpa %q, %k, %v : tensor<1x8x1x128xbf16>, tensor<1x1x4096x128xbf16>, tensor<1x1x4096x128xbf16> -> tensor<1x8x1x128xbf16>
    return %o : tensor<1x8x1x128xbf16>
  }
}

// -----

// A short key sequence keeps at least two key blocks per split: 600 keys
// (3 blocks) on 8 cores take one split.
// CHECK-LABEL: func.func @short_decode_no_split
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 1, block_kv = 256, vector_width = 16, register_rows = 4, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 8, l1_kb = 32, l2_kb = 1024>} {
  func.func @short_decode_no_split(%q: tensor<1x8x1x128xbf16>, %k: tensor<1x1x600x128xbf16>, %v: tensor<1x1x600x128xbf16>) -> tensor<1x8x1x128xbf16> {
    // expected-remark @+1 {{gives 1 parallel work items for 8 cores; block_kv 256}}
    %o = attn.sdpa %q, %k, %v : tensor<1x8x1x128xbf16>, tensor<1x1x600x128xbf16>, tensor<1x1x600x128xbf16> -> tensor<1x8x1x128xbf16>
    return %o : tensor<1x8x1x128xbf16>
  }
}

// -----

// Row form with 8 query heads per KV head and 15 queries: the score tile
// has 120 rows, so block_kv is 32 (a 15 KiB tile in half of a 32 KiB L1),
// not what 15 rows alone would allow.
// CHECK-LABEL: func.func @row_form_tile_counts_stacked_heads
// CHECK: block_q = 15, block_kv = 32,
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @row_form_tile_counts_stacked_heads(%q: tensor<1x64x15x128xbf16>, %k: tensor<1x8x4096x128xbf16>, %v: tensor<1x8x4096x128xbf16>) -> tensor<1x64x15x128xbf16> {
    // expected-remark @+1 {{block_kv 32 keeps the 15 KiB score tile within half of the 32 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<1x64x15x128xbf16>, tensor<1x8x4096x128xbf16>, tensor<1x8x4096x128xbf16> -> tensor<1x64x15x128xbf16>
    return %o : tensor<1x64x15x128xbf16>
  }
}

// -----

// GQA decode (Sq = 1, 8 query heads over 2 KV heads): block_q 1; the dot
// products hold the 4 stacked rows x 4 keys; a work item per (batch, KV
// head).
// CHECK-LABEL: func.func @gqa_decode_row_form
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 1, block_kv = 256, vector_width = 16, register_rows = 4, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @gqa_decode_row_form(%q: tensor<3x8x1x128xbf16>, %k: tensor<3x2x4096x128xbf16>, %v: tensor<3x2x4096x128xbf16>) -> tensor<3x8x1x128xbf16> {
    // expected-remark @+1 {{block_q 1 (row form: narrower than a vector; the query heads of a KV head share a work item) gives 6 parallel work items for 2 cores}}
    %o = attn.sdpa %q, %k, %v : tensor<3x8x1x128xbf16>, tensor<3x2x4096x128xbf16>, tensor<3x2x4096x128xbf16> -> tensor<3x8x1x128xbf16>
    return %o : tensor<3x8x1x128xbf16>
  }
}

// -----

// B1 H1 Sq128: 2 work items for 2 cores; block_q halves 64 -> 32 -> 16 and
// stops at the vector width even though 8 items are still only 4 per core;
// block_kv covers the 128 keys (no more).
// CHECK-LABEL: func.func @single_head_few_work_items_block_q_shrinks_to_lanes
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 16, block_kv = 128, vector_width = 16, register_rows = 8, register_vectors = 1>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @single_head_few_work_items_block_q_shrinks_to_lanes(%q: tensor<1x1x128x64xf32>, %k: tensor<1x1x128x64xf32>, %v: tensor<1x1x128x64xf32>) -> tensor<1x1x128x64xf32> {
    // expected-remark @+1 {{block_q 16 gives 8 parallel work items for 2 cores}}
    %o = attn.sdpa %q, %k, %v : tensor<1x1x128x64xf32>, tensor<1x1x128x64xf32>, tensor<1x1x128x64xf32> -> tensor<1x1x128x64xf32>
    return %o : tensor<1x1x128x64xf32>
  }
}

// -----

// One core: block_q 32 already gives 4 items (= 4 x cores), halving stops.
// CHECK-LABEL: func.func @single_core_block_q_stops_at_four_items_per_core
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 32, block_kv = 128, vector_width = 16, register_rows = 8, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 1, l1_kb = 32, l2_kb = 1024>} {
  func.func @single_core_block_q_stops_at_four_items_per_core(%q: tensor<1x1x128x64xf32>, %k: tensor<1x1x128x64xf32>, %v: tensor<1x1x128x64xf32>) -> tensor<1x1x128x64xf32> {
    // expected-remark @+1 {{register tile 8x2 uses 19 of 32 registers; block_q 32 gives 4 parallel work items for 1 cores}}
    %o = attn.sdpa %q, %k, %v : tensor<1x1x128x64xf32>, tensor<1x1x128x64xf32>, tensor<1x1x128x64xf32> -> tensor<1x1x128x64xf32>
    return %o : tensor<1x1x128x64xf32>
  }
}

// -----

// GQA: work items count query heads (8), not key/value heads (2): exactly
// 4 x 2 cores with block_q 64, no shrinking.
// CHECK-LABEL: func.func @gqa_work_items_count_query_heads
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @gqa_work_items_count_query_heads(%q: tensor<1x8x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x8x64x64xf32> {
    // expected-remark @+1 {{block_q 64 gives 8 parallel work items for 2 cores}}
    %o = attn.sdpa %q, %k, %v : tensor<1x8x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32> -> tensor<1x8x64x64xf32>
    return %o : tensor<1x8x64x64xf32>
  }
}

//===----------------------------------------------------------------------===//
// block_kv: L1 size
//===----------------------------------------------------------------------===//

// -----

// 48 KiB L1: 24 KiB for a 64-column score tile is 96 rows.
// CHECK-LABEL: func.func @l1_48kb_block_kv_96
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 96, vector_width = 16, register_rows = 6, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 48, l2_kb = 2048>} {
  func.func @l1_48kb_block_kv_96(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{block_kv 96 keeps the 24 KiB score tile within half of the 48 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

// -----

// 36 KiB L1: 72 rows fit, rounded down to a multiple of 16.
// CHECK-LABEL: func.func @l1_36kb_block_kv_rounded_down_to_64
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 36, l2_kb = 1024>} {
  func.func @l1_36kb_block_kv_rounded_down_to_64(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{block_kv 64 keeps the 16 KiB score tile within half of the 36 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

// -----

// 4 KiB L1: 8 rows would fit; block_kv is clamped up to 16, and the
// remark says its tile exceeds half of L1 (it once claimed the opposite).
// CHECK-LABEL: func.func @small_l1_block_kv_clamped_to_16
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 16, vector_width = 16, register_rows = 6, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 4, l2_kb = 1024>} {
  func.func @small_l1_block_kv_clamped_to_16(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{block_kv 16 is the smallest taken: its 4 KiB score tile exceeds half of the 4 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

// -----

// 256 KiB L1: 512 rows would fit; block_kv is clamped down to 256.
// CHECK-LABEL: func.func @large_l1_block_kv_clamped_to_256
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 256, vector_width = 16, register_rows = 6, register_vectors = 4>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 256, l2_kb = 4096>} {
  func.func @large_l1_block_kv_clamped_to_256(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x512x64xf32>, %v: tensor<2x4x512x64xf32>) -> tensor<2x4x128x64xf32> {
    // expected-remark @+1 {{block_kv 256 keeps the 64 KiB score tile within half of the 256 KiB L1}}
    %o = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x512x64xf32>, tensor<2x4x512x64xf32> -> tensor<2x4x128x64xf32>
    return %o : tensor<2x4x128x64xf32>
  }
}

//===----------------------------------------------------------------------===//
// Ops that keep their schedule or get none
//===----------------------------------------------------------------------===//

// -----

// A hand-written schedule is kept as is (it fits the 8-lane, 16-register
// target: 4x2 + 2 + 1 = 11 registers); the op next to it is derived.
// CHECK-LABEL: func.func @hand_written_schedule_kept
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 4, register_vectors = 2>}
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 8, register_rows = 6, register_vectors = 2>}
// OVERRIDE-LABEL: func.func @hand_written_schedule_kept
// OVERRIDE: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 4, register_vectors = 2>}
// OPTIONS-LABEL: func.func @hand_written_schedule_kept
// OPTIONS: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 4, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @hand_written_schedule_kept(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> (tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>) {
    // expected-remark @+1 {{keeping the given schedule #attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 4, register_vectors = 2>}}
    %given = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 32, block_kv = 48, vector_width = 8, register_rows = 4, register_vectors = 2>} : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    // expected-remark @+1 {{schedule #attn.schedule<block_q = 64, block_kv = 64, vector_width = 8, register_rows = 6, register_vectors = 2> for}}
    %derived = attn.sdpa %q, %k, %v : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
    return %given, %derived : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>
  }
}

// -----

// A vector width narrower than the target's lanes is allowed (an SSE
// schedule on an AVX-512 target).
// CHECK-LABEL: func.func @hand_written_narrower_vector_width_kept
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 16, block_kv = 32, vector_width = 4, register_rows = 4, register_vectors = 2>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @hand_written_narrower_vector_width_kept(%q: tensor<1x2x16x32xf32>, %k: tensor<1x2x16x32xf32>, %v: tensor<1x2x16x32xf32>) -> tensor<1x2x16x32xf32> {
    // expected-remark @+1 {{keeping the given schedule #attn.schedule<block_q = 16, block_kv = 32, vector_width = 4, register_rows = 4, register_vectors = 2>}}
    %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 16, block_kv = 32, vector_width = 4, register_rows = 4, register_vectors = 2>} : tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32> -> tensor<1x2x16x32xf32>
    return %o : tensor<1x2x16x32xf32>
  }
}

// -----

// 14 x 1 + 1 + 1 = 16: a register tile that uses every register of the
// 16-register target is kept.
// CHECK-LABEL: func.func @hand_written_register_tile_uses_every_register_kept
// CHECK: attn.sdpa {{.*}} {schedule = #attn.schedule<block_q = 16, block_kv = 32, vector_width = 8, register_rows = 14, register_vectors = 1>}
module attributes {attn.target = #attn.cpu_target<vector_bits = 256, vector_registers = 16, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @hand_written_register_tile_uses_every_register_kept(%q: tensor<1x2x16x32xf32>, %k: tensor<1x2x16x32xf32>, %v: tensor<1x2x16x32xf32>) -> tensor<1x2x16x32xf32> {
    // expected-remark @+1 {{keeping the given schedule #attn.schedule<block_q = 16, block_kv = 32, vector_width = 8, register_rows = 14, register_vectors = 1>}}
    %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 16, block_kv = 32, vector_width = 8, register_rows = 14, register_vectors = 1>} : tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32> -> tensor<1x2x16x32xf32>
    return %o : tensor<1x2x16x32xf32>
  }
}

// -----

// Dynamic shapes take the reference lowering: no schedule is written.
// CHECK-LABEL: func.func @dynamic_shapes_left_unscheduled
// CHECK: attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} {pattern = #attn.causal<top_left>} : tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32> -> tensor<?x4x?x64xf32>{{$}}
// OPTIONS-LABEL: func.func @dynamic_shapes_left_unscheduled
// OPTIONS-NOT: schedule
// OPTIONS: return
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @dynamic_shapes_left_unscheduled(%q: tensor<?x4x?x64xf32>, %k: tensor<?x4x?x64xf32>, %v: tensor<?x4x?x64xf32>) -> tensor<?x4x?x64xf32> {
    // expected-remark @+1 {{no schedule: dynamic shapes take the reference path}}
    %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32> -> tensor<?x4x?x64xf32>
    return %o : tensor<?x4x?x64xf32>
  }
}

// -----

// Mask, pattern, scale and lse do not change the schedule; the existing
// attributes are kept next to it.
// CHECK-LABEL: func.func @mask_pattern_and_lse_kept_beside_schedule
// CHECK: %[[OUT:.*]], %[[LSE:.*]] = attn.sdpa %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<1x1x128x128xi1>) {pattern = #attn.causal<bottom_right>, scale = 1.250000e-01 : f32, schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4>}
// CHECK: return %[[OUT]], %[[LSE]]
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @mask_pattern_and_lse_kept_beside_schedule(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>, %m: tensor<1x1x128x128xi1>) -> (tensor<2x4x128x64xf32>, tensor<2x4x128xf32>) {
    // expected-remark @+1 {{schedule #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4> for}}
    %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x128x128xi1>) {pattern = #attn.causal<bottom_right>, scale = 0.125 : f32} : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>, tensor<2x4x128xf32>
    return %o, %lse : tensor<2x4x128x64xf32>, tensor<2x4x128xf32>
  }
}

// -----

// A head dim of 0 (empty dot products) is left to the reference path.
// CHECK-LABEL: func.func @zero_head_dim_not_scheduled
// CHECK: attn.sdpa
// CHECK-NOT: schedule
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
  func.func @zero_head_dim_not_scheduled(%q: tensor<1x2x8x0xf32>, %k: tensor<1x2x8x0xf32>, %v: tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32> {
    // expected-remark @+1 {{no schedule: a head dim of 0 takes the reference path}}
    %o = attn.sdpa %q, %k, %v : tensor<1x2x8x0xf32>, tensor<1x2x8x0xf32>, tensor<1x2x8x16xf32> -> tensor<1x2x8x16xf32>
    return %o : tensor<1x2x8x16xf32>
  }
}
