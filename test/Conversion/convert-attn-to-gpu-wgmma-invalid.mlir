// RUN: attn-opt %s -split-input-file -verify-diagnostics -convert-attn-to-gpu="kernel=wgmma block-q=0" -o /dev/null
// RUN: not attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=wgmma block-q=0 shared-kb=64" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SHARED

// convert-attn-to-gpu kernel=wgmma derives with the same policy, so an op
// the sm_90a kernel cannot take is an error here too, and so are tiles
// over a shared-memory budget given as an option (227 KiB otherwise).

func.func @head_dim_not_multiple_of_64(%q: tensor<1x1x64x48xf16>) -> tensor<1x1x64x48xf16> {
  // expected-error @+1 {{cannot use the wgmma kernel: head dim 48 (TMA boxes and wgmma tiles need a multiple of 64 up to 256)}}
  %o = attn.sdpa %q, %q, %q : tensor<1x1x64x48xf16>, tensor<1x1x64x48xf16>, tensor<1x1x64x48xf16> -> tensor<1x1x64x48xf16>
  return %o : tensor<1x1x64x48xf16>
}

// -----

// SHARED: error: 'attn.sdpa' op cannot use the wgmma kernel: its tiles (64 query rows, 64 keys) need 164864 bytes of shared memory, over the 65536 available
func.func @head_dim_256_in_64_kib(%q: tensor<1x1x64x256xbf16>) -> tensor<1x1x64x256xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<1x1x64x256xbf16>, tensor<1x1x64x256xbf16>, tensor<1x1x64x256xbf16> -> tensor<1x1x64x256xbf16>
  return %o : tensor<1x1x64x256xbf16>
}
