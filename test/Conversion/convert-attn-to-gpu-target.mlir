// convert-attn-to-gpu reads the module's attn.gpu_target: with 227 KiB of
// shared memory (an H100 with the opt-in) a hand-written 128-key tile of
// 69632 bytes is taken, as dynamic shared memory; a malformed target and
// an explicit block-kv without derivation are diagnosed.
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu -verify-diagnostics=only-expected | FileCheck %s
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=simt block-q=0 block-kv=20" -verify-diagnostics | FileCheck %s --check-prefix=SIMT

// CHECK-LABEL: func.func @big_tile
// CHECK: threads({{.*}}) in ({{.*}} = %c128, {{.*}}) dynamic_shared_memory_size %c69632_i32
module attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 227, sms = 132>} {
  func.func @big_tile(%q: tensor<1x2x16x128xbf16>) -> tensor<1x2x16x128xbf16> {
    %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 128>} : tensor<1x2x16x128xbf16>, tensor<1x2x16x128xbf16>, tensor<1x2x16x128xbf16> -> tensor<1x2x16x128xbf16>
    return %o : tensor<1x2x16x128xbf16>
  }

  // block-q=0: derived (32 threads for 16 rows); block-kv=20 is fine for
  // the SIMT kernel.
  // SIMT-LABEL: func.func @derived_simt
  // SIMT: threads({{.*}}) in ({{.*}} = %c32, {{.*}}) {
  // SIMT: memref<20x24xf32, #gpu.address_space<workgroup>>
  func.func @derived_simt(%q: tensor<1x2x16x24xbf16>) -> tensor<1x2x16x24xbf16> {
    %o = attn.sdpa %q, %q, %q : tensor<1x2x16x24xbf16>, tensor<1x2x16x24xbf16>, tensor<1x2x16x24xbf16> -> tensor<1x2x16x24xbf16>
    return %o : tensor<1x2x16x24xbf16>
  }
}

// -----

// expected-error @+1 {{'attn.gpu_target' must be a #attn.gpu_target<sm, shared_kb, sms>, got "sm_90"}}
module attributes {attn.gpu_target = "sm_90"} {
  func.func @bad_target(%q: tensor<1x2x16x128xbf16>) -> tensor<1x2x16x128xbf16> {
    %o = attn.sdpa %q, %q, %q : tensor<1x2x16x128xbf16>, tensor<1x2x16x128xbf16>, tensor<1x2x16x128xbf16> -> tensor<1x2x16x128xbf16>
    return %o : tensor<1x2x16x128xbf16>
  }
}

// -----

// The module's target: no tensor cores on sm_75.
module attributes {attn.gpu_target = #attn.gpu_target<sm = 75, shared_kb = 48, sms = 40>} {
  func.func @given_mma_on_sm75(%q: tensor<1x1x16x16xf16>) -> tensor<1x1x16x16xf16> {
    // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>, but sm_75 has no m16n8k16 mma.sync for f16 and bf16 (needs sm_80 or later)}}
    %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>} : tensor<1x1x16x16xf16>, tensor<1x1x16x16xf16>, tensor<1x1x16x16xf16> -> tensor<1x1x16x16xf16>
    return %o : tensor<1x1x16x16xf16>
  }
}

// -----

// A hand-written wgmma schedule needs sm_90a ...
module attributes {attn.gpu_target = #attn.gpu_target<sm = 80, shared_kb = 163, sms = 108>} {
  func.func @given_wgmma_on_sm80(%q: tensor<1x1x64x64xbf16>) -> tensor<1x1x64x64xbf16> {
    // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64>, but sm_80 has no wgmma.mma_async (it needs sm_90a)}}
    %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64>} : tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16> -> tensor<1x1x64x64xbf16>
    return %o : tensor<1x1x64x64xbf16>
  }
}

// -----

// ... head dims that are multiples of 64, and tiles that fit the target.
module attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 100, sms = 132>} {
  func.func @given_wgmma_head_dim(%q: tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16> {
    // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64>, but the wgmma kernel cannot take it: head dim 32 (TMA boxes and wgmma tiles need a multiple of 64 up to 256)}}
    %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 64, block_kv = 64>} : tensor<1x1x64x32xbf16>, tensor<1x1x64x32xbf16>, tensor<1x1x64x32xbf16> -> tensor<1x1x64x32xbf16>
    return %o : tensor<1x1x64x32xbf16>
  }
}

// -----

module attributes {attn.gpu_target = #attn.gpu_target<sm = 90, shared_kb = 100, sms = 132>} {
  func.func @given_wgmma_too_big(%q: tensor<1x1x64x256xbf16>) -> tensor<1x1x64x256xbf16> {
    // expected-error @+1 {{has gpu_schedule #attn.gpu_schedule<kernel = "wgmma", block_q = 128, block_kv = 128>, whose tiles need 328704 bytes of shared memory, over the 102400 available}}
    %o = attn.sdpa %q, %q, %q {gpu_schedule = #attn.gpu_schedule<kernel = "wgmma", block_q = 128, block_kv = 128>} : tensor<1x1x64x256xbf16>, tensor<1x1x64x256xbf16>, tensor<1x1x64x256xbf16> -> tensor<1x1x64x256xbf16>
    return %o : tensor<1x1x64x256xbf16>
  }
}
