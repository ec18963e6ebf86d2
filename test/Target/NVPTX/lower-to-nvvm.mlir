// attn-lower-to-nvvm: the SIMT flash kernel as PTX for sm_90a and sm_80
// (format=isa keeps the PTX text in the gpu.binary), and as cubin, which
// runs ptxas, for both chips. Host code calls the mgpu* runtime, takes
// device memory through the C interface and allocates nothing itself.
//
// RUN: attn-opt %s --attn-lower-to-nvvm="kernel=simt chip=sm_90a features=+ptx80 format=isa" | FileCheck %s --check-prefix=PTX90
// RUN: attn-opt %s --attn-lower-to-nvvm="kernel=simt chip=sm_80 features=+ptx70 format=isa" | FileCheck %s --check-prefix=PTX80
// RUN: attn-opt %s --attn-lower-to-nvvm="kernel=simt chip=sm_90a format=bin" | FileCheck %s --check-prefix=HOST
// RUN: attn-opt %s --attn-lower-to-nvvm="kernel=simt chip=sm_80 features=+ptx70 format=bin" | FileCheck %s --check-prefix=HOST
// REQUIRES: ptxas

// PTX90: gpu.binary @attention_kernel
// PTX90-SAME: .target sm_90a
// PTX90-SAME: .entry attention_kernel(
// (Block layout puts the barrier blocks before the softmax in the text.)
// PTX90-SAME: bar.sync
// PTX90-SAME: ex2.approx.f32
// PTX90-SAME: fma.rn.f32

// PTX80: gpu.binary @attention_kernel
// PTX80-SAME: .target sm_80

// The launch stays a gpu.launch_func on the gpu.binary; attn-translate
// turns it into mgpu* calls (module load, launch, stream sync).
// HOST-NOT: llvm.call @malloc
// HOST: llvm.func @attention(
// HOST: gpu.launch_func @attention_kernel::@attention_kernel blocks in
// HOST: llvm.func @_mlir_ciface_attention(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// HOST: gpu.binary @attention_kernel
// RUN: attn-opt %s --attn-lower-to-nvvm="kernel=simt chip=sm_90a format=bin" | attn-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// LLVM-DAG: declare ptr @mgpuModuleLoad(ptr, i64)
// LLVM-DAG: declare void @mgpuLaunchKernel(
// LLVM-DAG: declare void @mgpuStreamSynchronize(ptr)

func.func @attention(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x2x130x64xbf16>, %v: tensor<2x2x130x64xbf16>) -> (tensor<2x4x100x64xbf16>, tensor<2x4x100xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x100x64xbf16>, tensor<2x2x130x64xbf16>, tensor<2x2x130x64xbf16> -> tensor<2x4x100x64xbf16>, tensor<2x4x100xf32>
  return %o, %lse : tensor<2x4x100x64xbf16>, tensor<2x4x100xf32>
}
