// attn-lower-to-nvvm runs everything a function computes on the GPU: the
// attention as the flash kernels, the rest (attn.multi_head's projections,
// head split and merge, other tensor code, copies of strided views) as
// attn-host-to-gpu's one-thread-per-element kernels over gpu.alloc'd
// buffers. What cannot move (a scalar read of a result on the host) is
// rejected with the op that would have touched device memory from the CPU
// (lower-to-nvvm-host-scalar.mlir). Every module translates to LLVM IR.
// RUN: attn-opt %s -split-input-file -attn-lower-to-nvvm="format=isa" | FileCheck %s
// RUN: attn-opt %s -split-input-file -attn-lower-to-nvvm="format=isa" | attn-translate --split-input-file --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// LLVM-COUNT-6: define void @_mlir_ciface_
// Before sm_80 the projections run on the simple kernels too (mma.sync
// needs sm_80): no mma in the PTX.
// RUN: attn-opt %s -split-input-file -attn-lower-to-nvvm="chip=sm_75 format=isa" 2>/dev/null | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=SM75
// SM75-NOT: mma.sync
// SM75: .target sm_75
// SM75-NOT: mma.sync
// A requested CUDA toolkit wins over the environment (CUDA_ROOT first):
// RUN: env CUDA_ROOT=%t.nonexistent attn-opt %s -split-input-file -attn-lower-to-nvvm="format=bin cuda-path=/usr/local/cuda" -o /dev/null

// CHECK-LABEL: llvm.func @multi_head(
// CHECK-COUNT-4: llvm.call @mgpuMemAlloc
// CHECK: gpu.launch_func
// CHECK: llvm.call @mgpuMemFree
// CHECK-COUNT-11: gpu.binary
func.func @multi_head(%x: tensor<2x16x64xbf16>, %w: tensor<64x64xbf16>) -> tensor<2x16x64xbf16> {
  %y = attn.multi_head %x : tensor<2x16x64xbf16> weights(%w, %w, %w, %w : tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>) {num_heads = 4 : i64} -> tensor<2x16x64xbf16>
  return %y : tensor<2x16x64xbf16>
}

// -----

// CHECK-LABEL: llvm.func @host_computation(
// CHECK: llvm.call @mgpuMemAlloc
// CHECK-COUNT-2: gpu.binary
func.func @host_computation(%q: tensor<1x2x16x64xbf16>) -> tensor<1x2x16x64xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %e = tensor.empty() : tensor<1x2x16x64xbf16>
  %r = linalg.add ins(%o, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>) outs(%e : tensor<1x2x16x64xbf16>) -> tensor<1x2x16x64xbf16>
  return %r : tensor<1x2x16x64xbf16>
}

// -----

// Views of arguments are copied into dense buffers by copy kernels.
// CHECK-LABEL: llvm.func @views(
// CHECK-NOT: gpu.memcpy
// CHECK: llvm.return
// CHECK-COUNT-4: gpu.binary
func.func @views(%q: tensor<1x4x16x64xbf16>) -> tensor<1x2x16x64xbf16> {
  %s = tensor.extract_slice %q[0, 1, 0, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x4x16x64xbf16> to tensor<1x2x16x64xbf16>
  %o = attn.sdpa %s, %s, %s : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  return %o : tensor<1x2x16x64xbf16>
}

// -----

// CHECK-LABEL: llvm.func @strided_view(
// CHECK-NOT: llvm.call @mgpuMemcpy
// CHECK: llvm.return
// CHECK-COUNT-4: gpu.binary
func.func @strided_view(%q: tensor<1x2x16x128xbf16>) -> tensor<1x2x16x64xbf16> {
  %s = tensor.extract_slice %q[0, 0, 0, 64] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x128xbf16> to tensor<1x2x16x64xbf16>
  %o = attn.sdpa %s, %s, %s : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  return %o : tensor<1x2x16x64xbf16>
}

// -----

// CHECK-LABEL: llvm.func @chained(
// CHECK-COUNT-2: gpu.binary
func.func @chained(%q: tensor<1x2x16x64xbf16>) -> tensor<1x2x16x64xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %o2 = attn.sdpa %o, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  return %o2 : tensor<1x2x16x64xbf16>
}

// -----

// Kernels already in the input (a gpu.module) are not host code.
// CHECK-LABEL: llvm.func @existing_kernel(
// CHECK: gpu.launch_func @k::@kern
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @kern(%a: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %x = memref.load %a[%c0] : memref<4xf32>
      %y = arith.addf %x, %x : f32
      memref.store %y, %a[%c0] : memref<4xf32>
      gpu.return
    }
  }
  func.func @existing_kernel(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k::@kern blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
}
