// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-derive-gpu-schedule="kernel=mma"
// RUN: not attn-opt %s -attn-derive-gpu-schedule="chip=gfx90a" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not attn-opt %s -attn-derive-gpu-schedule="kernel=fast" 2>&1 | FileCheck %s --check-prefix=KERNEL
// RUN: not attn-opt %s -attn-derive-gpu-schedule="chip=sm_70" 2>&1 | FileCheck %s --check-prefix=CHIP70
// RUN: not attn-opt %s -attn-derive-gpu-schedule="block-q=-16" 2>&1 | FileCheck %s --check-prefix=BLOCK-Q-NEG
// RUN: not attn-opt %s -attn-derive-gpu-schedule="shared-kb=100000" 2>&1 | FileCheck %s --check-prefix=SHARED
// RUN: not attn-opt %s -attn-derive-gpu-schedule="chip=sm_80 shared-kb=200" 2>&1 | FileCheck %s --check-prefix=SHARED80
// RUN: not attn-opt %s -attn-derive-gpu-schedule="sms=-1" 2>&1 | FileCheck %s --check-prefix=SMS
// RUN: not attn-opt %s -attn-derive-gpu-schedule="block-kv=-1" 2>&1 | FileCheck %s --check-prefix=BLOCK-KV-NEG
// RUN: not attn-opt %s -attn-derive-gpu-schedule="kv-splits=65" 2>&1 | FileCheck %s --check-prefix=SPLITS
// RUN: not attn-opt %s -convert-attn-to-gpu="kv-splits=-1" 2>&1 | FileCheck %s --check-prefix=CONVERT-SPLITS
// CONVERT-SPLITS: error: convert-attn-to-gpu: kv-splits must lie in [0, 64], got -1
// RUN: not attn-opt %s -split-input-file -attn-derive-gpu-schedule="block-q=24" 2>&1 | FileCheck %s --check-prefix=BLOCK-Q
// RUN: not attn-opt %s -attn-derive-gpu-schedule="chip=sm_90 kernel=wgmma" 2>&1 | FileCheck %s --check-prefix=WGMMA-CHIP
// WGMMA-CHIP: error: attn-derive-gpu-schedule: kernel=wgmma needs chip sm_90a (wgmma.mma_async and TMA exist on the arch-specific Hopper target only), got sm_90
// RUN: not attn-opt %s -attn-derive-gpu-schedule="kernel=simt kv-splits=4" 2>&1 | FileCheck %s --check-prefix=SIMT-OPTS
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=simt warp-rows=32" 2>&1 | FileCheck %s --check-prefix=SIMT-OPTS-CONVERT
// RUN: not attn-opt %s --attn-lower-to-nvvm="kernel=simt kv-splits=4" 2>&1 | FileCheck %s --check-prefix=SIMT-OPTS
// SIMT-OPTS: error: attn-derive-gpu-schedule: kernel=simt takes neither kv-splits nor warp-rows (got kv-splits=4 warp-rows=16); they apply to the tensor-core kernels
// SIMT-OPTS-CONVERT: error: convert-attn-to-gpu: kernel=simt takes neither kv-splits nor warp-rows (got kv-splits=1 warp-rows=32); they apply to the tensor-core kernels
// With kernel=auto, a block-kv too large for the mma kernel is an error
// (the SIMT fallback would need more shared memory still):
// RUN: not attn-opt %S/derive-gpu-schedule.mlir -split-input-file -attn-derive-gpu-schedule="chip=sm_89 block-kv=256" 2>&1 | FileCheck %s --check-prefix=AUTO-BKV
// AUTO-BKV: error: 'attn.sdpa' op block-kv=256 does not fit the tensor-core (mma) kernel: key/value tiles of 256 rows need {{[0-9]+}} bytes of shared memory, over the 101376 available; give smaller tiles (or none, to derive them)
// RUN: not attn-opt %s -attn-derive-gpu-schedule="warp-rows=8" 2>&1 | FileCheck %s --check-prefix=WARP-ROWS
// RUN: not attn-opt %s -convert-attn-to-gpu="warp-rows=64" 2>&1 | FileCheck %s --check-prefix=CONVERT-WARP-ROWS
// RUN: not attn-opt %s -convert-attn-to-gpu="shared-kb=2000" 2>&1 | FileCheck %s --check-prefix=CONVERT-SHARED
// WARP-ROWS: error: attn-derive-gpu-schedule: warp-rows must be 16 or 32, got 8
// CONVERT-WARP-ROWS: error: convert-attn-to-gpu: warp-rows must be 16 or 32, got 64
// CONVERT-SHARED: error: convert-attn-to-gpu: shared-kb must be 0 (default) or at most 227 (KiB a block may use on sm_90), got 2000
// CONVERT-SHARED-NOT: see current operation

// CHIP: error: attn-derive-gpu-schedule: chip must be sm_75 or later, like sm_80 or sm_90a, got 'gfx90a'
// CHIP70: error: attn-derive-gpu-schedule: chip must be sm_75 or later, like sm_80 or sm_90a, got 'sm_70'
// KERNEL: error: attn-derive-gpu-schedule: kernel must be simt, mma, wgmma or auto, got 'fast'
// BLOCK-Q-NEG: error: attn-derive-gpu-schedule: block-q=-16 is out of range; give 0 (derived) or a size
// SHARED: error: attn-derive-gpu-schedule: shared-kb=100000 is out of range; give 0 (default) or at most 227 (KiB a block may use on sm_90)
// SHARED80: error: attn-derive-gpu-schedule: shared-kb=200 is out of range; give 0 (default) or at most 163 (KiB a block may use on sm_80)
// SMS: error: attn-derive-gpu-schedule: sms=-1 is out of range; give 0 (the chip's) or a count
// BLOCK-KV-NEG: error: attn-derive-gpu-schedule: block-kv=-1 is out of range; give 0 (derived) or a size
// SPLITS: error: attn-derive-gpu-schedule: kv-splits=65 is out of range; give 0 (derived) or 1 to 64
// BLOCK-Q: error: 'attn.sdpa' op gpu schedule: 'block_q' of the mma kernel must be a multiple of 16 (rows per warp) in [16, 512], got 24

func.func @f32_with_kernel_mma(%q: tensor<1x1x8x16xf32>) -> tensor<1x1x8x16xf32> {
  // expected-error @+1 {{cannot use the tensor-core (mma) kernel: element type f32 (tensor cores take f16 and bf16)}}
  %o = attn.sdpa %q, %q, %q : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  return %o : tensor<1x1x8x16xf32>
}

// -----

func.func @given_mma_on_f32(%q: tensor<1x1x8x16xf32>) -> tensor<1x1x8x16xf32> {
  // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>, but the tensor-core (mma) kernel cannot take it: element type f32 (tensor cores take f16 and bf16)}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>} : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  return %o : tensor<1x1x8x16xf32>
}

// -----

// The tensor-core kernels may use the chip's opt-in limit (227 KiB).
func.func @given_tiles_over_the_chip(%q: tensor<1x1x8x256xbf16>) -> tensor<1x1x8x256xbf16> {
  // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 256>, whose key/value tiles need 304128 bytes of shared memory, over the 232448 available}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 256>} : tensor<1x1x8x256xbf16>, tensor<1x1x8x256xbf16>, tensor<1x1x8x256xbf16> -> tensor<1x1x8x256xbf16>
  return %o : tensor<1x1x8x256xbf16>
}

// -----

func.func @given_simt_tiles_too_large(%q: tensor<1x1x8x128xbf16>) -> tensor<1x1x8x128xbf16> {
  // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "simt", block_q = 64, block_kv = 128>, whose key/value tiles need 131072 bytes of shared memory, over the 49152 available}}
  %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "simt", block_q = 64, block_kv = 128>} : tensor<1x1x8x128xbf16>, tensor<1x1x8x128xbf16>, tensor<1x1x8x128xbf16> -> tensor<1x1x8x128xbf16>
  return %o : tensor<1x1x8x128xbf16>
}

// -----

func.func @dynamic(%q: tensor<1x1x?x16xbf16>) -> tensor<1x1x?x16xbf16> {
  // expected-error @+1 {{has dynamic shapes, which the GPU lowering does not support; give every dimension a size}}
  %o = attn.sdpa %q, %q, %q : tensor<1x1x?x16xbf16>, tensor<1x1x?x16xbf16>, tensor<1x1x?x16xbf16> -> tensor<1x1x?x16xbf16>
  return %o : tensor<1x1x?x16xbf16>
}

// -----

// (Schedulable: only the BLOCK-Q run's block size is wrong for it.)
func.func @bf16(%q: tensor<1x1x8x16xbf16>) -> tensor<1x1x8x16xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x8x16xbf16>
  return %o : tensor<1x1x8x16xbf16>
}

// -----

func.func @too_many_heads(%q: tensor<1x70000x1x16xbf16>) -> tensor<1x70000x1x16xbf16> {
  // expected-error @+1 {{has batch 1 and 70000 query heads; the GPU kernels put them on grid dimensions z and y, which hold at most 65535 blocks}}
  %o = attn.sdpa %q, %q, %q : tensor<1x70000x1x16xbf16>, tensor<1x70000x1x16xbf16>, tensor<1x70000x1x16xbf16> -> tensor<1x70000x1x16xbf16>
  return %o : tensor<1x70000x1x16xbf16>
}

// -----

// A head dim whose shared-memory bytes overflowed int64 once passed the
// SIMT kernel's check (4096 bytes) and ran the compiler out of memory.
func.func @huge_head_dim(%q: tensor<1x1x16x1152921504606846976xf32>, %v: tensor<1x1x16x16xf32>) -> tensor<1x1x16x16xf32> {
  // expected-error @+1 {{has head dim 1152921504606846976 and value head dim 16; the GPU kernels take head dims up to 16384 (a key and value row must fit in shared memory)}}
  %o = attn.sdpa %q, %q, %v : tensor<1x1x16x1152921504606846976xf32>, tensor<1x1x16x1152921504606846976xf32>, tensor<1x1x16x16xf32> -> tensor<1x1x16x16xf32>
  return %o : tensor<1x1x16x16xf32>
}

// -----

func.func @query_blocks_past_grid_x(%q: tensor<1x1x4294967296x16xbf16>, %k: tensor<1x1x8x16xbf16>) -> tensor<1x1x4294967296x16xbf16> {
  // expected-error @+1 {{has query length 4294967296; the GPU kernels put its blocks on grid dimension x, which holds at most 2147483647 blocks}}
  %o = attn.sdpa %q, %k, %k : tensor<1x1x4294967296x16xbf16>, tensor<1x1x8x16xbf16>, tensor<1x1x8x16xbf16> -> tensor<1x1x4294967296x16xbf16>
  return %o : tensor<1x1x4294967296x16xbf16>
}
