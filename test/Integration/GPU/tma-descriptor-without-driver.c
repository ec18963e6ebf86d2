// The host code of nvgpu.tma.create.descriptor (TMA, sm_90) links against
// the runtime shim, whose mgpuTensorMapEncodeTiledMemref takes the
// arguments the lowering passes; without a driver the call says so and
// exits 2.
// UNSUPPORTED: cuda-gpu
// RUN: attn-opt %S/Inputs/tma-descriptor.mlir -gpu-lower-to-nvvm-pipeline="cubin-chip=sm_90a cubin-features=+ptx80" | attn-translate --mlir-to-llvmir -o %t.ll
// RUN: %clang -O2 -c -Wno-override-module %t.ll -o %t.encode.o
// RUN: %clang %s %t.encode.o -L%attn_obj_root/lib -Wl,-rpath,%attn_obj_root/lib -lattn_cuda_runtime -o %t.exe
// RUN: not %t.exe 2>&1 | FileCheck %s
// CHECK: started
// CHECK: attn-mlir: no CUDA driver (libcuda.so.1)
// CHECK-NOT: returned

#include <stdint.h>
#include <stdio.h>

// @encode after lowering: the memref<256x64xbf16> descriptor as scalars.
void encode(void *allocated, void *aligned, int64_t offset, int64_t size0,
             int64_t size1, int64_t stride0, int64_t stride1);

int main(void) {
  static uint16_t buffer[256 * 64];
  printf("started\n");
  fflush(stdout);
  encode(buffer, buffer, 0, 256, 64, 64, 1);
  printf("returned\n");
  return 0;
}
