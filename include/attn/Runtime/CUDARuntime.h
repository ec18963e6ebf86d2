/*===- CUDARuntime.h - the mgpu* entry points of GPU kernels -----*- C -*-===//
 *
 * The functions the host code of a lowered gpu.launch calls (module load,
 * launch, streams, memory, events, TMA descriptors), implemented by
 * libattn_cuda_runtime over the CUDA driver API. libcuda.so.1 is loaded
 * with dlopen on first use, so programs build and link on machines without
 * a GPU. Without a driver, mgpuModuleLoad returns NULL and every call that
 * needs the device prints "attn-mlir: no CUDA driver (libcuda.so.1): ..."
 * and exits with status 2; the attnCuda* queries never exit.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_CUDARUNTIME_H
#define ATTN_RUNTIME_CUDARUNTIME_H

#include <stddef.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads a cubin (or PTX) image; returns the CUmodule.
void *mgpuModuleLoad(void *data, size_t size);
/// Loads a PTX image (the driver JIT-compiles it at its default level;
/// `optLevel` is ignored).
void *mgpuModuleLoadJIT(void *data, int optLevel, size_t size);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared);
void mgpuMemFree(void *pointer, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);

/// Encodes a TMA descriptor (cuTensorMapEncodeTiled) for the ranked memref
/// `descriptor` (rank 1-5, elements of CUtensorMapDataType `dataType`),
/// boxes of `boxSizes` (outermost first), and returns a device copy of it,
/// as the host code of nvgpu.tma.create.descriptor expects.
void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxSizes);

void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventRecord(void *event, void *stream);
void mgpuEventSynchronize(void *event);
/// Milliseconds between two recorded, completed events.
float attnEventElapsedMs(void *start, void *end);

/// Returns 1 when a CUDA driver and at least one device are present (and
/// initializes them), 0 otherwise; never exits.
int attnCudaAvailable(void);
/// Why no GPU can be used (NULL when one can); never exits.
const char *attnCudaProblem(void);
/// Compute capability of GPU 0 as major * 10 + minor (90 for an H100);
/// 0 without a GPU.
int attnCudaComputeCapability(void);
/// Streaming multiprocessors of GPU 0; 0 without a GPU.
int attnCudaMultiprocessorCount(void);
/// Shared memory a block of GPU 0 may opt into, in bytes (232448 on an
/// H100); 0 without a GPU.
int attnCudaMaxSharedBytesPerBlock(void);
/// Name of GPU 0 into `name` (`length` bytes, NUL-terminated; empty without
/// a GPU). Does nothing when `name` is NULL or `length` is not positive.
void attnCudaDeviceName(char *name, int length);

#ifdef __cplusplus
}
#endif

#endif /* ATTN_RUNTIME_CUDARUNTIME_H */
