// The CPU pipeline's output as LLVM IR: the C-interface wrapper taking one
// descriptor pointer per input and per (caller-allocated) output, the flash
// kernel's work items on OpenMP threads with exp2 softmax, bf16 conversions
// expanded to integer arithmetic (no libcalls), and code that llc assembles
// for x86-64 with AVX-512. The reference lowering stays selectable.
//
// RUN: attn-opt %s --attn-lower-to-llvm | attn-translate --mlir-to-llvmir -o %t.ll
// RUN: FileCheck %s < %t.ll
// RUN: FileCheck %s --check-prefix=NO-LIBCALL < %t.ll
// RUN: llc -O2 -mtriple=x86_64-unknown-linux-gnu -mattr=+avx512f %t.ll -o - | FileCheck %s --check-prefix=ASM
// RUN: attn-opt %s --attn-lower-to-llvm="flash=false openmp=false" | attn-translate --mlir-to-llvmir | FileCheck %s --check-prefix=REFERENCE

// CHECK-LABEL: define void @sdpa_f32_causal_with_lse(
// CHECK: call void {{.*}}@__kmpc_fork_call({{.*}}@sdpa_f32_causal_with_lse..omp_par
// CHECK-LABEL: define internal void @sdpa_f32_causal_with_lse..omp_par(
// CHECK-DAG: call {{.*}}@llvm.log2.
// CHECK-DAG: call <16 x float> @llvm.fma.v16f32
// CHECK-DAG: call <16 x float> @llvm.roundeven.v16f32
// CHECK-LABEL: define void @_mlir_ciface_sdpa_f32_causal_with_lse(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}})

// CHECK-LABEL: define internal void @sdpa_bf16..omp_par(
// CHECK: bitcast {{.*}}i16{{.*}} to {{.*}}bfloat
// CHECK-LABEL: define void @_mlir_ciface_sdpa_bf16(ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}}, ptr %{{.*}})

// REFERENCE-LABEL: define void @sdpa_f32_causal_with_lse(
// REFERENCE-NOT: __kmpc_fork_call
// REFERENCE: call float @llvm.exp.f32
// REFERENCE: call float @llvm.log.f32

// NO-LIBCALL-NOT: fptrunc float %{{.*}} to bfloat
// NO-LIBCALL-NOT: fpext bfloat

// ASM-LABEL: _mlir_ciface_sdpa_f32_causal_with_lse:
// ASM-LABEL: _mlir_ciface_sdpa_bf16:

// The target is pinned (AVX-512: 16 f32 lanes) so the output does not depend
// on the machine running the test.
module attributes {attn.target = #attn.cpu_target<vector_bits = 512, vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {
func.func @sdpa_f32_causal_with_lse(%q: tensor<1x4x7x16xf32>, %k: tensor<1x2x9x16xf32>, %v: tensor<1x2x9x8xf32>) -> (tensor<1x4x7x8xf32>, tensor<1x4x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x4x7x16xf32>, tensor<1x2x9x16xf32>, tensor<1x2x9x8xf32> -> tensor<1x4x7x8xf32>, tensor<1x4x7xf32>
  return %o, %lse : tensor<1x4x7x8xf32>, tensor<1x4x7xf32>
}

func.func @sdpa_bf16(%q: tensor<1x2x5x8xbf16>, %k: tensor<1x2x6x8xbf16>, %v: tensor<1x2x6x8xbf16>) -> tensor<1x2x5x8xbf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x5x8xbf16>, tensor<1x2x6x8xbf16>, tensor<1x2x6x8xbf16> -> tensor<1x2x5x8xbf16>
  return %o : tensor<1x2x5x8xbf16>
}
}
