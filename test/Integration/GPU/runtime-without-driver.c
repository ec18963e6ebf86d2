// A GPU kernel library and the runtime shim build and link on a machine
// without a GPU or driver (libcuda is loaded with dlopen); the program
// starts, the device queries answer "no GPU" (a NULL name buffer is
// ignored), and the first launch says there is no driver and exits 2.
// UNSUPPORTED: cuda-gpu
// RUN: attn-opt %S/../../Target/NVPTX/lower-to-nvvm.mlir --attn-lower-to-nvvm | attn-translate --mlir-to-llvmir -o %t.ll
// RUN: %clang -O2 -c -Wno-override-module %t.ll -o %t.kernel.o
// RUN: %clang %s %t.kernel.o -L%attn_obj_root/lib -Wl,-rpath,%attn_obj_root/lib -lattn_cuda_runtime -o %t.exe
// RUN: not %t.exe 2>&1 | FileCheck %s
// CHECK: started
// CHECK-NEXT: capability 0, name '', null name ok
// CHECK: attn-mlir: no CUDA driver (libcuda.so.1)

#include <stdint.h>
#include <stdio.h>

int attnCudaComputeCapability(void);
void attnCudaDeviceName(char *name, int length);

typedef struct { void *allocated, *aligned; int64_t offset, sizes[4], strides[4]; } MemRef4D;
typedef struct { void *allocated, *aligned; int64_t offset, sizes[3], strides[3]; } MemRef3D;
void _mlir_ciface_attention(MemRef4D *, MemRef4D *, MemRef4D *, MemRef4D *,
                            MemRef3D *);

int main(void) {
  printf("started\n");
  char name[16] = "unset";
  attnCudaDeviceName(name, sizeof(name));
  attnCudaDeviceName(NULL, 16);
  printf("capability %d, name '%s', null name ok\n",
         attnCudaComputeCapability(), name);
  fflush(stdout);
  MemRef4D q = {0}, k = {0}, v = {0}, o = {0};
  MemRef3D lse = {0};
  _mlir_ciface_attention(&q, &k, &v, &o, &lse);
  printf("returned\n");
  return 0;
}
