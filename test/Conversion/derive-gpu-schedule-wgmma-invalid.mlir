// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-derive-gpu-schedule="chip=sm_90a kernel=wgmma"
// RUN: not attn-opt %s -split-input-file -attn-derive-gpu-schedule="chip=sm_80 kernel=wgmma" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM80

// kernel=wgmma fails (no fall-back) where the sm_90a kernel cannot run.
// SM80: error: attn-derive-gpu-schedule: kernel=wgmma needs chip sm_90a (wgmma.mma_async and TMA exist on the arch-specific Hopper target only), got sm_80

func.func @head_dim_not_multiple_of_64(%q: tensor<1x1x64x80xbf16>) -> tensor<1x1x64x80xbf16> {
  // expected-error @+1 {{cannot use the wgmma kernel: head dim 80 (TMA boxes and wgmma tiles need a multiple of 64 up to 256)}}
  %o = attn.sdpa %q, %q, %q : tensor<1x1x64x80xbf16>, tensor<1x1x64x80xbf16>, tensor<1x1x64x80xbf16> -> tensor<1x1x64x80xbf16>
  return %o : tensor<1x1x64x80xbf16>
}

// -----

func.func @value_head_dim_not_multiple_of_64(%q: tensor<1x1x64x64xbf16>, %v: tensor<1x1x64x32xbf16>) -> tensor<1x1x64x32xbf16> {
  // expected-error @+1 {{cannot use the wgmma kernel: value head dim 32 (TMA boxes and wgmma tiles need a multiple of 64 up to 256)}}
  %o = attn.sdpa %q, %q, %v : tensor<1x1x64x64xbf16>, tensor<1x1x64x64xbf16>, tensor<1x1x64x32xbf16> -> tensor<1x1x64x32xbf16>
  return %o : tensor<1x1x64x32xbf16>
}

// -----

func.func @f32_element_type(%q: tensor<1x1x64x64xf32>) -> tensor<1x1x64x64xf32> {
  // expected-error @+1 {{cannot use the wgmma kernel: element type f32 (tensor cores take f16 and bf16)}}
  %o = attn.sdpa %q, %q, %q : tensor<1x1x64x64xf32>, tensor<1x1x64x64xf32>, tensor<1x1x64x64xf32> -> tensor<1x1x64x64xf32>
  return %o : tensor<1x1x64x64xf32>
}
