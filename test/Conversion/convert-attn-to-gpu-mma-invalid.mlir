// RUN: attn-opt %s -split-input-file -verify-diagnostics -convert-attn-to-gpu="kernel=mma"
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=auto" 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=fast" 2>&1 | FileCheck %s --check-prefix=KERNEL
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=mma block-q=24" 2>&1 | FileCheck %s --check-prefix=BLOCK-Q
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=auto block-q=1024" 2>&1 | FileCheck %s --check-prefix=BLOCK-Q-BIG
// RUN: not attn-opt %s -convert-attn-to-gpu="kernel=mma block-kv=20" 2>&1 | FileCheck %s --check-prefix=BLOCK-KV
// RUN: not attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=mma block-kv=128 shared-kb=48" 2>&1 | FileCheck %s --check-prefix=SHARED

// KERNEL: error: convert-attn-to-gpu: kernel must be simt, mma, wgmma or auto, got 'fast'
// BLOCK-Q: error: convert-attn-to-gpu: the mma kernel takes 16 query rows per warp, so block-q must be a multiple of 16 in [16, 512], got 24
// BLOCK-Q-BIG: got 1024
// BLOCK-KV: error: convert-attn-to-gpu: block-kv of the mma kernel must be 0 (derived) or a multiple of 16 in [16, 256], got 20
// SHARED: error: 'attn.sdpa' op cannot use the tensor-core (mma) kernel: key/value tiles of 128 rows need 69632 bytes of shared memory, over the 49152 available

// AUTO: remark: using the SIMT kernel, not the tensor-core one: element type f32 (tensor cores take f16 and bf16)
func.func @f32(%q: tensor<1x1x8x16xf32>, %k: tensor<1x1x8x16xf32>, %v: tensor<1x1x8x16xf32>) -> tensor<1x1x8x16xf32> {
  // expected-error @+1 {{cannot use the tensor-core (mma) kernel: element type f32 (tensor cores take f16 and bf16)}}
  %o = attn.sdpa %q, %k, %v : tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32> -> tensor<1x1x8x16xf32>
  return %o : tensor<1x1x8x16xf32>
}

// -----

// AUTO: remark: using the SIMT kernel, not the tensor-core one: head dim 24 (needs a multiple of 16 from 16 to 256)
func.func @head_dim(%q: tensor<1x1x8x24xbf16>, %k: tensor<1x1x8x24xbf16>, %v: tensor<1x1x8x24xbf16>) -> tensor<1x1x8x24xbf16> {
  // expected-error @+1 {{cannot use the tensor-core (mma) kernel: head dim 24 (needs a multiple of 16 from 16 to 256)}}
  %o = attn.sdpa %q, %k, %v : tensor<1x1x8x24xbf16>, tensor<1x1x8x24xbf16>, tensor<1x1x8x24xbf16> -> tensor<1x1x8x24xbf16>
  return %o : tensor<1x1x8x24xbf16>
}

// -----

// AUTO: remark: using the SIMT kernel, not the tensor-core one: value head dim 8 (needs a multiple of 16 from 16 to 256)
func.func @value_dim(%q: tensor<1x1x8x16xf16>, %k: tensor<1x1x8x16xf16>, %v: tensor<1x1x8x8xf16>) -> tensor<1x1x8x8xf16> {
  // expected-error @+1 {{cannot use the tensor-core (mma) kernel: value head dim 8 (needs a multiple of 16 from 16 to 256)}}
  %o = attn.sdpa %q, %k, %v : tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x8xf16> -> tensor<1x1x8x8xf16>
  return %o : tensor<1x1x8x8xf16>
}

// -----

// AUTO: remark: using the SIMT kernel, not the tensor-core one: head dim 512 (needs a multiple of 16 from 16 to 256)
func.func @huge_head_dim(%q: tensor<1x1x8x512xbf16>, %k: tensor<1x1x8x512xbf16>, %v: tensor<1x1x8x512xbf16>) -> tensor<1x1x8x512xbf16> {
  // expected-error @+1 {{cannot use the tensor-core (mma) kernel: head dim 512 (needs a multiple of 16 from 16 to 256)}}
  %o = attn.sdpa %q, %k, %v : tensor<1x1x8x512xbf16>, tensor<1x1x8x512xbf16>, tensor<1x1x8x512xbf16> -> tensor<1x1x8x512xbf16>
  return %o : tensor<1x1x8x512xbf16>
}

// -----

func.func @mma_shared(%q: tensor<1x1x8x128xbf16>, %k: tensor<1x1x8x128xbf16>, %v: tensor<1x1x8x128xbf16>) -> tensor<1x1x8x128xbf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x1x8x128xbf16>, tensor<1x1x8x128xbf16>, tensor<1x1x8x128xbf16> -> tensor<1x1x8x128xbf16>
  return %o : tensor<1x1x8x128xbf16>
}

// -----

// A zero head dim goes to the SIMT kernel (the mma kernel needs at least 16).
// AUTO: remark: using the SIMT kernel, not the tensor-core one: head dim 0 (needs a multiple of 16 from 16 to 256)
func.func @zero_head_dim(%q: tensor<1x1x16x0xf16>, %v: tensor<1x1x16x16xf16>) -> tensor<1x1x16x16xf16> {
  // expected-error @+1 {{cannot use the tensor-core (mma) kernel: head dim 0 (needs a multiple of 16 from 16 to 256)}}
  %o = attn.sdpa %q, %q, %v : tensor<1x1x16x0xf16>, tensor<1x1x16x0xf16>, tensor<1x1x16x16xf16> -> tensor<1x1x16x16xf16>
  return %o : tensor<1x1x16x16xf16>
}
