// The host code of nvgpu.tma.create.descriptor (TMA, sm_90) links against
// the runtime shim, whose mgpuTensorMapEncodeTiledMemref takes the
// arguments the lowering passes; without a driver the call says so and
// exits 2. Buffers TMA cannot describe are named first (driver or not):
// a misaligned start, strides that are not multiples of 16 bytes, a
// strided innermost dimension (each by the buffer's shape and address),
// a rank or a data type out of range.
// UNSUPPORTED: cuda-gpu
// RUN: attn-opt %S/Inputs/tma-descriptor.mlir -gpu-lower-to-nvvm-pipeline="cubin-chip=sm_90a cubin-features=+ptx80" | attn-translate --mlir-to-llvmir -o %t.ll
// RUN: %clang -O2 -c -Wno-override-module %t.ll -o %t.encode.o
// RUN: %clang %s %t.encode.o -L%attn_obj_root/lib -Wl,-rpath,%attn_obj_root/lib -lattn_cuda_runtime -o %t.exe
// RUN: not %t.exe 2>&1 | FileCheck %s
// RUN: not %t.exe misaligned 2>&1 | FileCheck %s --check-prefix=MISALIGNED
// RUN: not %t.exe stride 2>&1 | FileCheck %s --check-prefix=STRIDE
// RUN: not %t.exe inner 2>&1 | FileCheck %s --check-prefix=INNER
// RUN: not %t.exe rank 2>&1 | FileCheck %s --check-prefix=RANK
// RUN: not %t.exe type 2>&1 | FileCheck %s --check-prefix=TYPE
// CHECK: started
// CHECK: attn-mlir: no CUDA driver (libcuda.so.1)
// CHECK-NOT: returned
// MISALIGNED: attn-mlir: TMA needs a 16-byte aligned buffer; the [256x64] buffer starts at 0x{{[0-9a-f]+}} (the sm_90a kernel reads Q, K and V with TMA)
// STRIDE: attn-mlir: TMA needs strides that are multiples of 16 bytes; the [256x64] buffer at 0x{{[0-9a-f]+}} has one of 126 bytes (the sm_90a kernel reads Q, K and V with TMA)
// INNER: attn-mlir: TMA needs a contiguous innermost dimension; the [256x64] buffer at 0x{{[0-9a-f]+}} has stride 2 there (the sm_90a kernel reads Q, K and V with TMA)
// RANK: attn-mlir: mgpuTensorMapEncodeTiledMemref: rank 9 out of range (1 to 5)
// TYPE: attn-mlir: mgpuTensorMapEncodeTiledMemref: data type 13 out of range (0 to 12)

#include <stdint.h>
#include <stdio.h>
#include <string.h>

// @encode after lowering: the memref<256x64xbf16> descriptor as scalars.
void encode(void *allocated, void *aligned, int64_t offset, int64_t size0,
            int64_t size1, int64_t stride0, int64_t stride1);
// The runtime entry point itself (attn/Runtime/CUDARuntime.h).
void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxSizes);

int main(int argc, char **argv) {
  static uint16_t buffer[256 * 128] __attribute__((aligned(16)));
  const char *mode = argc > 1 ? argv[1] : "";
  printf("started\n");
  fflush(stdout);
  if (!strcmp(mode, "misaligned"))
    encode(buffer, buffer, 1, 256, 64, 64, 1);
  else if (!strcmp(mode, "stride"))
    encode(buffer, buffer, 0, 256, 64, 63, 1);
  else if (!strcmp(mode, "inner"))
    encode(buffer, buffer, 0, 256, 64, 128, 2);
  else if (!strcmp(mode, "rank")) {
    int64_t box[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    mgpuTensorMapEncodeTiledMemref(9, buffer, 6, 0, 3, 0, 0, box);
  } else if (!strcmp(mode, "type")) {
    int64_t box[2] = {64, 64};
    mgpuTensorMapEncodeTiledMemref(2, buffer, 13, 0, 3, 0, 0, box);
  }
  else
    encode(buffer, buffer, 0, 256, 64, 64, 1);
  printf("returned\n");
  return 0;
}
