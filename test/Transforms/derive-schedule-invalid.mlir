// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-derive-schedule="vector-bits=256 vector-registers=16 cores=2 l1-kb=32 l2-kb=1024"
// RUN: not attn-opt %s -split-input-file -attn-derive-schedule="vector-bits=100" 2>&1 | FileCheck %s --check-prefix=VECTOR-BITS
// RUN: not attn-opt %s -split-input-file -attn-derive-schedule="vector-bits=512 vector-registers=24" 2>&1 | FileCheck %s --check-prefix=VECTOR-REGISTERS
// RUN: not attn-opt %s -split-input-file -attn-derive-schedule="cores=-3" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: attn-derive-schedule: option 'cores' must be positive (or 0 for the module's or host's value), got -3
// Values past any CPU are refused (4 x 2^62 cores wrapped around, and the
// query block was never shrunk):
// RUN: not attn-opt %s -split-input-file -attn-derive-schedule="cores=4611686018427387904" 2>&1 | FileCheck %s --check-prefix=HUGE-CORES
// HUGE-CORES: error: attn-derive-schedule: option 'cores' must be at most 16777216, got 4611686018427387904
// RUN: not attn-opt %s -split-input-file -attn-derive-schedule="l1-kb=9223372036854775807" 2>&1 | FileCheck %s --check-prefix=HUGE-L1
// HUGE-L1: error: attn-derive-schedule: option 'l1-kb' must be at most 16777216, got 9223372036854775807

// attn-derive-schedule keeps a hand-written schedule only when it fits the
// target: its vector width within the target's f32 lanes, its register tile
// (rows x vectors accumulators + vectors loaded + 1 broadcast) within the
// target's vector registers. The first run pins an AVX2 target (8 lanes, 16
// registers) with options; the op that does not fit is reported and the pass
// fails.
//
// Target options are checked before anything runs; the message names the
// option.
// VECTOR-BITS: error: attn-derive-schedule: option 'vector-bits' must be 128, 256 or 512 (or 0), got 100
// VECTOR-REGISTERS: error: attn-derive-schedule: option 'vector-registers' must be 16 or 32 (or 0), got 24

func.func @avx512_vector_width_on_avx2_target(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
  // expected-error @+1 {{'attn.sdpa' op schedule 'vector_width' 16 exceeds the target's 8 f32 lanes (256-bit vectors)}}
  %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16, register_rows = 2, register_vectors = 2>} : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
  return %o : tensor<2x4x128x64xf32>
}

// -----

// The AVX-512 tile 6x4 needs 6 * 4 + 4 + 1 = 29 registers.
func.func @avx512_register_tile_on_sixteen_registers(%q: tensor<2x4x128x64xf32>, %k: tensor<2x4x128x64xf32>, %v: tensor<2x4x128x64xf32>) -> tensor<2x4x128x64xf32> {
  // expected-error @+1 {{'attn.sdpa' op schedule register tile 6x4 needs 29 vector registers, the target has 16}}
  %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 64, block_kv = 64, vector_width = 8, register_rows = 6, register_vectors = 4>} : tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32>, tensor<2x4x128x64xf32> -> tensor<2x4x128x64xf32>
  return %o : tensor<2x4x128x64xf32>
}

// -----

// 7 x 2 + 2 + 1 = 17: one register more than the target has.
func.func @register_tile_one_register_over_target(%q: tensor<1x2x32x64xf32>, %k: tensor<1x2x32x64xf32>, %v: tensor<1x2x32x64xf32>) -> tensor<1x2x32x64xf32> {
  // expected-error @+1 {{'attn.sdpa' op schedule register tile 7x2 needs 17 vector registers, the target has 16}}
  %o = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 32, block_kv = 32, vector_width = 8, register_rows = 7, register_vectors = 2>} : tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32> -> tensor<1x2x32x64xf32>
  return %o : tensor<1x2x32x64xf32>
}

// -----

// The first op that does not fit stops the pass: the second one, which does
// not fit either, is not reported.
func.func @first_unfit_schedule_stops_the_pass(%q: tensor<1x2x32x64xf32>, %k: tensor<1x2x32x64xf32>, %v: tensor<1x2x32x64xf32>) -> (tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) {
  // expected-error @+1 {{'attn.sdpa' op schedule 'vector_width' 16 exceeds the target's 8 f32 lanes (256-bit vectors)}}
  %first = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 32, block_kv = 32, vector_width = 16, register_rows = 1, register_vectors = 1>} : tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32> -> tensor<1x2x32x64xf32>
  %second = attn.sdpa %q, %k, %v {schedule = #attn.schedule<block_q = 32, block_kv = 32, vector_width = 8, register_rows = 8, register_vectors = 2>} : tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32> -> tensor<1x2x32x64xf32>
  return %first, %second : tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>
}
