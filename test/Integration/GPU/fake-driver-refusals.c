// The stand-in CUDA driver (utils/fake-cuda) refuses what the real driver
// refuses, with its error codes, so that the "no failed calls" of
// attn-run-nvptx-fake-driver.test means something: each call below breaks
// one precondition (or, for comparison, meets them all).
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -shared -fPIC -O1 %attn_src_root/utils/fake-cuda/fake-cuda-driver.c -o %t/libcuda.so.1
// RUN: printf '.version 8.0\n.target sm_80\n.address_size 64\n.visible .entry k() .maxntid 128, 1, 1 { ret; }\n' > %t/k.ptx
// RUN: %ptxas -arch=sm_80 %t/k.ptx -o %t/k80.cubin
// RUN: %ptxas -arch=sm_90a %t/k.ptx -o %t/k90.cubin
// RUN: %clang %s -o %t/refusals %t/libcuda.so.1 -Wl,-rpath,%t
// RUN: env FAKE_CUDA_SM=90 %t/refusals %t/k80.cubin %t/k90.cubin 2>&1 | FileCheck %s

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int CUresult;
CUresult cuInit(unsigned);
CUresult cuDevicePrimaryCtxRetain(void **, int);
CUresult cuCtxSetCurrent(void *);
CUresult cuMemAlloc_v2(unsigned long long *, size_t);
CUresult cuMemFree_v2(unsigned long long);
CUresult cuMemcpy(unsigned long long, unsigned long long, size_t);
CUresult cuModuleLoadData(void **, const void *);
CUresult cuModuleGetFunction(void **, void *, const char *);
CUresult cuFuncSetAttribute(void *, int, int);
CUresult cuLaunchKernel(void *, unsigned, unsigned, unsigned, unsigned,
                        unsigned, unsigned, unsigned, void *, void **,
                        void **);
CUresult cuTensorMapEncodeTiled(void *, int, unsigned, void *,
                                const uint64_t *, const uint64_t *,
                                const uint32_t *, const uint32_t *, int, int,
                                int, int);

static void *readFile(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    exit(1);
  static char buffer[1 << 20];
  fread(buffer, 1, sizeof(buffer), f);
  fclose(f);
  return buffer;
}

// A [rows, 64] bf16 map (innermost first) with box [innerBox, 64].
static CUresult encode(void *address, uint64_t rowStride, uint32_t innerBox,
                       uint32_t rows) {
  static char map[128] __attribute__((aligned(64)));
  uint64_t dims[2] = {64, rows}, strides[1] = {rowStride};
  uint32_t box[2] = {innerBox, 64}, elementStrides[2] = {1, 1};
  return cuTensorMapEncodeTiled(map, /*BFLOAT16=*/9, 2, address, dims,
                                strides, box, elementStrides, 0,
                                /*SWIZZLE_128B=*/3, 0, 0);
}

int main(int argc, char **argv) {
  unsigned long long buffer = 0;
  // CHECK: fake-cuda: error: cuMemAlloc before cuInit
  // CHECK-NEXT: before init: 3
  printf("before init: %d\n", cuMemAlloc_v2(&buffer, 64));
  fflush(stdout);
  void *context;
  cuInit(0);
  cuDevicePrimaryCtxRetain(&context, 0);
  cuCtxSetCurrent(context);
  cuMemAlloc_v2(&buffer, 256 * 128);

  // CHECK: valid tensor map: 0
  printf("valid tensor map: %d\n", encode((void *)buffer, 128, 64, 256));
  fflush(stdout);
  // CHECK: error: cuTensorMapEncodeTiled: stride 0 is 120 bytes
  // CHECK-NEXT: stride not a multiple of 16: 1
  printf("stride not a multiple of 16: %d\n",
         encode((void *)buffer, 120, 64, 256));
  fflush(stdout);
  // CHECK: error: cuTensorMapEncodeTiled: inner box of 256 bytes exceeds the 128-byte swizzle span
  // CHECK-NEXT: inner box past the swizzle: 1
  printf("inner box past the swizzle: %d\n",
         encode((void *)buffer, 256, 128, 128));
  fflush(stdout);
  // CHECK: error: cuTensorMapEncodeTiled: address {{.*}} not aligned
  // CHECK-NEXT: misaligned address: 1
  printf("misaligned address: %d\n",
         encode((void *)(buffer + 8), 128, 64, 256));
  fflush(stdout);

  void *module = 0, *function = 0;
  // CHECK: error: cuModuleLoadData: neither cubin, fatbin nor PTX
  // CHECK-NEXT: garbage image: 200
  printf("garbage image: %d\n", cuModuleLoadData(&module, "garbage"));
  fflush(stdout);
  // CHECK: error: cuModuleLoadData: a cubin for sm_80 cannot run on a compute capability 9.0 device
  // CHECK-NEXT: sm_80 cubin on 9.0: 209
  printf("sm_80 cubin on 9.0: %d\n",
         cuModuleLoadData(&module, readFile(argv[1])));
  fflush(stdout);
  // CHECK: sm_90a cubin on 9.0: 0
  printf("sm_90a cubin on 9.0: %d\n",
         cuModuleLoadData(&module, readFile(argv[2])));
  fflush(stdout);
  // CHECK: error: cuModuleGetFunction: no kernel 'missing'
  // CHECK-NEXT: unknown kernel: 500
  printf("unknown kernel: %d\n",
         cuModuleGetFunction(&function, module, "missing"));
  fflush(stdout);
  cuModuleGetFunction(&function, module, "k");
  // CHECK: launch: 0
  printf("launch: %d\n",
         cuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 0, 0, 0, 0));
  fflush(stdout);
  // CHECK: error: cuLaunchKernel(k): 256 threads, the kernel was compiled for .maxntid 128
  // CHECK-NEXT: past .maxntid: 1
  printf("past .maxntid: %d\n",
         cuLaunchKernel(function, 1, 1, 1, 256, 1, 1, 0, 0, 0, 0));
  fflush(stdout);
  // CHECK: error: cuLaunchKernel(k): grid 1x65536x1 outside
  // CHECK-NEXT: grid y past 65535: 1
  printf("grid y past 65535: %d\n",
         cuLaunchKernel(function, 1, 65536, 1, 128, 1, 1, 0, 0, 0, 0));
  fflush(stdout);
  // CHECK: error: cuLaunchKernel(k): 65536 bytes of dynamic shared memory without cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES) opting in (0)
  // CHECK-NEXT: 64 KiB without the opt-in: 1
  printf("64 KiB without the opt-in: %d\n",
         cuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 65536, 0, 0, 0));
  fflush(stdout);
  // CHECK: 64 KiB after the opt-in: 0
  cuFuncSetAttribute(function, /*MAX_DYNAMIC_SHARED_SIZE_BYTES=*/8, 65536);
  printf("64 KiB after the opt-in: %d\n",
         cuLaunchKernel(function, 1, 1, 1, 128, 1, 1, 65536, 0, 0, 0));
  fflush(stdout);
  // CHECK: error: cuFuncSetAttribute(k): 300000 bytes of dynamic shared memory, the device allows
  // CHECK-NEXT: opt-in past the device: 1
  printf("opt-in past the device: %d\n",
         cuFuncSetAttribute(function, 8, 300000));
  fflush(stdout);

  // CHECK: error: cuMemcpy: 40000 bytes overrun the destination allocation
  // CHECK-NEXT: copy overrun: 1
  static char host[40000];
  printf("copy overrun: %d\n",
         cuMemcpy(buffer, (unsigned long long)(uintptr_t)host, sizeof(host)));
  fflush(stdout);
  // CHECK: error: cuMemFree: {{.*}} is not an allocation's start
  // CHECK-NEXT: free inside: 1
  printf("free inside: %d\n", cuMemFree_v2(buffer + 16));
  fflush(stdout);
  // CHECK: fake-cuda: 13 failed call(s)
  return 0;
}
