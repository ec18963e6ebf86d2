// convert-attn-to-gpu kernel=wgmma: a warpgroup (128 threads) per 64 query
// rows; dynamic shared memory for the swizzled Q, two K and two V tiles
// plus 1 KiB to align them; tensor maps made on the host. Without keys there is
// nothing to copy: the mma.sync kernel writes the zero rows.
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=wgmma block-q=0" | FileCheck %s

// Two warpgroups (block-q 128), K/V tiles of 64 keys, D = 128, two K and
// two V buffers: 1024 + 2 (128 x 128 + 2 x 64 x 128 + 2 x 64 x 128) =
// 99328 bytes.
// CHECK-LABEL: func.func @two_warpgroups
// CHECK-COUNT-3: nvgpu.tma.create.descriptor
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c8, {{.*}} = %c16{{.*}}, {{.*}} = %c2) threads({{.*}}) in ({{.*}} = %c256, {{.*}}) dynamic_shared_memory_size %c99328_i32
func.func @two_warpgroups(%q: tensor<2x16x1024x128xbf16>) -> tensor<2x16x1024x128xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<2x16x1024x128xbf16>, tensor<2x16x1024x128xbf16>, tensor<2x16x1024x128xbf16> -> tensor<2x16x1024x128xbf16>
  return %o : tensor<2x16x1024x128xbf16>
}

// -----

// CHECK-LABEL: func.func @no_keys
// CHECK-NOT: nvgpu.tma
// CHECK-NOT: nvvm.wgmma
// CHECK: nvvm.mma.sync
func.func @no_keys(%q: tensor<1x2x10x64xbf16>, %k: tensor<1x2x0x64xbf16>) -> tensor<1x2x10x64xbf16> {
  %o = attn.sdpa %q, %k, %k : tensor<1x2x10x64xbf16>, tensor<1x2x0x64xbf16>, tensor<1x2x0x64xbf16> -> tensor<1x2x10x64xbf16>
  return %o : tensor<1x2x10x64xbf16>
}
