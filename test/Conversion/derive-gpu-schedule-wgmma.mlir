// The sm_90a kernel is chosen only when asked for (kernel=wgmma): a
// warpgroup per 64 query rows, two while the grid fills the GPU, K/V tiles
// of 128 keys up to head dim 64, else 64 (registers), the 227 KiB an H100 block may use unless a target or
// shared-kb says otherwise; split-KV as for mma.
//
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_90a kernel=wgmma" 2>/dev/null | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_90a kernel=wgmma explain=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXPLAIN
// RUN: not attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_90a kernel=wgmma shared-kb=64" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SHARED
// RUN: not attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_90a kernel=wgmma block-q=96" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BLOCK-Q

// CHECK-LABEL: func.func @large
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 128, block_kv = 64>
// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "wgmma", block_q = 128, block_kv = 64>: 2 warpgroups of 64 query rows; TMA tiles of 64 keys; 99328 of 232448 bytes of shared memory; 2048 blocks for 132 SMs
// SHARED: error: 'attn.sdpa' op cannot use the wgmma kernel: its tiles (128 query rows, 64 keys) need 99328 bytes of shared memory, over the 65536 available
// BLOCK-Q: error: 'attn.sdpa' op gpu schedule: 'block_q' of the wgmma kernel must be 64 or 128 (a warpgroup per 64 rows), got 96
func.func @large(%q: tensor<4x16x4096x128xbf16>) -> tensor<4x16x4096x128xbf16> {
  %o = attn.sdpa %q, %q, %q {pattern = #attn.causal<top_left>} : tensor<4x16x4096x128xbf16>, tensor<4x16x4096x128xbf16>, tensor<4x16x4096x128xbf16> -> tensor<4x16x4096x128xbf16>
  return %o : tensor<4x16x4096x128xbf16>
}

// -----

// Decode: one warpgroup, keys split so that the grid fills the GPU.
// CHECK-LABEL: func.func @decode
// CHECK: gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 128, kv_splits = 16>
// EXPLAIN: remark: gpu schedule #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 128, kv_splits = 16>: 1 warpgroup of 64 query rows; TMA tiles of 128 keys; 74752 of 232448 bytes of shared memory; 256 blocks for 132 SMs (keys split 16 ways, then combined)
func.func @decode(%q: tensor<1x16x1x64xf16>, %kv: tensor<1x16x8192x64xf16>) -> tensor<1x16x1x64xf16> {
  %o = attn.sdpa %q, %kv, %kv : tensor<1x16x1x64xf16>, tensor<1x16x8192x64xf16>, tensor<1x16x8192x64xf16> -> tensor<1x16x1x64xf16>
  return %o : tensor<1x16x1x64xf16>
}

