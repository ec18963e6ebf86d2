// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule 2>/dev/null | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="explain=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXPLAIN
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_80 sms=8 kernel=simt" 2>/dev/null | FileCheck %s --check-prefix=SIMT
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_75" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM75
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="shared-kb=16 explain=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SMALL-SHARED
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="block-q=128 block-kv=32" 2>/dev/null | FileCheck %s --check-prefix=GIVEN
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="warp-rows=32 explain=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WARP32
// The module's attn.gpu_target describes an sm_86 with 64 KiB; compiled for
// sm_80 instead, the chip's defaults apply (its opt-in shared memory, its SM count):
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_80 explain=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=OTHER-CHIP

// The GPU policy (sm_90a, 132 SMs, by default the 227 KiB a block may opt into).

// Large problem: 4 warps of 16 rows, 64-key tiles.
// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>: 4 warps of 16 query rows; K/V tiles of 64 keys take 34816 of 232448 bytes of shared memory; 1024 blocks for 132 SMs
// CHECK-LABEL: func.func @large
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>
// SIMT-LABEL: func.func @large
// SIMT: gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 64, block_kv = 32>
// SMALL-SHARED: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 16>: 4 warps of 16 query rows; K/V tiles of 16 keys take 8704 of 16384 bytes
// 32 rows per warp: 4 warps of 32 rows, Q staged (34816 bytes) beside
// 16-key K/V tiles (registers run out with larger ones at D = 128).
// WARP32: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 128, block_kv = 16, warp_rows = 32>: 4 warps of 32 query rows; K/V tiles of 16 keys and Q's 128 rows take 43520 of 232448 bytes of shared memory; 512 blocks for 132 SMs
// WARP32: remark: using 16 query rows per warp, not 32: two 16-row tiles per warp hold 256 f32 accumulators of O per lane at value head dim 256 (of 255 registers; at most 128)
// GIVEN-LABEL: func.func @large
// GIVEN: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 128, block_kv = 32>
func.func @large(%q: tensor<4x16x1024x128xbf16>) -> tensor<4x16x1024x128xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<4x16x1024x128xbf16>, tensor<4x16x1024x128xbf16>, tensor<4x16x1024x128xbf16> -> tensor<4x16x1024x128xbf16>
  return %o : tensor<4x16x1024x128xbf16>
}

// -----

// Decode (one query row) with GQA: a single warp per block, whose rows are
// the 4 query heads of one KV head (K/V read once for them), K/V tiles of
// 16 keys (a single warp past head dim 64); 64 such blocks do not fill the
// GPU, so the keys are split.
// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 16, kv_splits = 5>: 1 warp of 16 query rows (the 4 query heads of a KV head stacked); K/V tiles of 16 keys take 8704 of 232448 bytes of shared memory; 320 blocks for 132 SMs (keys split 5 ways, then combined)
// CHECK-LABEL: func.func @decode
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 16, kv_splits = 5>
// SIMT-LABEL: func.func @decode
// SIMT: gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 32, block_kv = 32>
func.func @decode(%q: tensor<8x32x1x128xf16>, %k: tensor<8x8x4096x128xf16>) -> tensor<8x32x1x128xf16> {
  %o = attn.sdpa %q, %k, %k {pattern = #attn.causal<bottom_right>} : tensor<8x32x1x128xf16>, tensor<8x8x4096x128xf16>, tensor<8x8x4096x128xf16> -> tensor<8x32x1x128xf16>
  return %o : tensor<8x32x1x128xf16>
}

// -----

// Decode with one batch entry: 8 blocks for 132 SMs, so the 8192 keys are
// split 33 ways (at least 4 tiles each) and combined by a second kernel.
// CHECK-LABEL: func.func @decode_split
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 16, kv_splits = 33>
// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 16, kv_splits = 33>: 1 warp of 16 query rows; K/V tiles of 16 keys take 8704 of 232448 bytes of shared memory; 264 blocks for 132 SMs (keys split 33 ways, then combined)
func.func @decode_split(%q: tensor<1x8x1x128xbf16>, %k: tensor<1x8x8192x128xbf16>) -> tensor<1x8x1x128xbf16> {
  %o = attn.sdpa %q, %k, %k {pattern = #attn.causal<bottom_right>} : tensor<1x8x1x128xbf16>, tensor<1x8x8192x128xbf16>, tensor<1x8x8192x128xbf16> -> tensor<1x8x1x128xbf16>
  return %o : tensor<1x8x1x128xbf16>
}

// -----

// No query rows: nothing to split (and no division by the empty grid).
// CHECK-LABEL: func.func @no_queries
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64>
func.func @no_queries(%q: tensor<1x2x0x64xf16>, %k: tensor<1x2x1024x64xf16>) -> tensor<1x2x0x64xf16> {
  %o = attn.sdpa %q, %k, %k : tensor<1x2x0x64xf16>, tensor<1x2x1024x64xf16>, tensor<1x2x1024x64xf16> -> tensor<1x2x0x64xf16>
  return %o : tensor<1x2x0x64xf16>
}

// -----

// Few blocks for 132 SMs: query blocks shrink to 16 rows (2 x 2 x 16 = 64
// blocks); with the module's 8 SMs 64 rows already fill the GPU.
// CHECK-LABEL: func.func @small_grid
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64>
func.func @small_grid(%q: tensor<2x2x256x64xbf16>) -> tensor<2x2x256x64xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<2x2x256x64xbf16>, tensor<2x2x256x64xbf16>, tensor<2x2x256x64xbf16> -> tensor<2x2x256x64xbf16>
  return %o : tensor<2x2x256x64xbf16>
}

// -----

// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>: 4 warps of 16 query rows; K/V tiles of 64 keys take 18432 of 65536 bytes of shared memory; 16 blocks for 8 SMs
// OTHER-CHIP: :[[@LINE+4]]:10: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64>: 1 warp of 16 query rows; K/V tiles of 64 keys take 18432 of 166912 bytes of shared memory; 64 blocks for 108 SMs
// CHECK-LABEL: module @small_gpu
module @small_gpu attributes {attn.gpu_target = #attn.gpu_target<sm = 86, shared_kb = 64, sms = 8>} {
  func.func @small_grid_small_gpu(%q: tensor<2x2x256x64xbf16>) -> tensor<2x2x256x64xbf16> {
    %o = attn.sdpa %q, %q, %q : tensor<2x2x256x64xbf16>, tensor<2x2x256x64xbf16>, tensor<2x2x256x64xbf16> -> tensor<2x2x256x64xbf16>
    return %o : tensor<2x2x256x64xbf16>
  }
}

// -----

// Head dim 256: 32-key tiles (registers), Q parked in shared memory, past
// 48 KiB (the chip's opt-in limit is the default); f32 and a head dim of
// 24: simt, with a remark saying why; sm_75: simt for everything.
// CHECK-LABEL: func.func @wide_and_unsupported
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 32>
// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 32>: 4 warps of 16 query rows; K/V tiles of 32 keys and Q's 64 rows take 67584 of 232448 bytes of shared memory
// EXPLAIN: remark: using the SIMT kernel, not the tensor-core one: element type f32 (tensor cores take f16 and bf16)
// EXPLAIN: remark: using the SIMT kernel, not the tensor-core one: head dim 24 (needs a multiple of 16 from 16 to 256)
// SM75: :[[@LINE+4]]:8: remark: using the SIMT kernel, not the tensor-core one: sm_75 has no m16n8k16 mma.sync for f16 and bf16 (needs sm_80 or later)
// SM75: remark: using the SIMT kernel, not the tensor-core one: element type f32 (tensor cores take f16 and bf16)
// SM75: remark: using the SIMT kernel, not the tensor-core one: head dim 24 (needs a multiple of 16 from 16 to 256)
func.func @wide_and_unsupported(%a: tensor<2x16x512x256xbf16>, %b: tensor<1x2x64x64xf32>, %c: tensor<1x2x64x24xbf16>) -> (tensor<2x16x512x256xbf16>, tensor<1x2x64x64xf32>, tensor<1x2x64x24xbf16>) {
  %o = attn.sdpa %a, %a, %a : tensor<2x16x512x256xbf16>, tensor<2x16x512x256xbf16>, tensor<2x16x512x256xbf16> -> tensor<2x16x512x256xbf16>
  %o2 = attn.sdpa %b, %b, %b : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32> -> tensor<1x2x64x64xf32>
  %o3 = attn.sdpa %c, %c, %c : tensor<1x2x64x24xbf16>, tensor<1x2x64x24xbf16>, tensor<1x2x64x24xbf16> -> tensor<1x2x64x24xbf16>
  return %o, %o2, %o3 : tensor<2x16x512x256xbf16>, tensor<1x2x64x64xf32>, tensor<1x2x64x24xbf16>
}

// -----

// A given schedule is kept.
// EXPLAIN: remark: keeping the given gpu schedule #attn.gpu_schedule<kernel = "simt", block_q = 128, block_kv = 16>
// CHECK-LABEL: func.func @given
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 128, block_kv = 16>
func.func @given(%q: tensor<1x2x64x64xbf16>) -> tensor<1x2x64x64xbf16> {
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 128, block_kv = 16>} : tensor<1x2x64x64xbf16>, tensor<1x2x64x64xbf16>, tensor<1x2x64x64xbf16> -> tensor<1x2x64x64xbf16>
  return %o : tensor<1x2x64x64xbf16>
}
