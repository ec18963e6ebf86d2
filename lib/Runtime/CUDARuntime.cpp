//===- CUDARuntime.cpp - mgpu* over the CUDA driver, loaded at run time --===//
//
// The runtime of GPU kernels compiled by attn-mlir: the mgpu* functions the
// host side of a lowered gpu.launch calls, over the CUDA driver API loaded
// with dlopen("libcuda.so.1") on first use. Nothing links against libcuda,
// so everything builds and links without a GPU; a call without a driver or
// device says so and exits.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/CUDARuntime.h"

#include <cstdint>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <stdio.h>
#include <stdlib.h>
#include <vector>

namespace {

using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUdeviceptr = unsigned long long;
using CUevent = void *;
/// CUtensorMap: 128 opaque bytes, 64-byte aligned (cuda.h).
struct alignas(64) CUtensorMap {
  unsigned long long opaque[16];
};

/// The driver entry points used here (CUDA driver API, stable ABI).
struct Driver {
  CUresult (*init)(unsigned);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*moduleLoadData)(CUmodule *, const void *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*streamCreate)(CUstream *, unsigned);
  CUresult (*streamDestroy)(CUstream);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*ctxSynchronize)();
  CUresult (*memcpy)(CUdeviceptr, CUdeviceptr, size_t);
  CUresult (*getErrorString)(CUresult, const char **);
  CUresult (*funcSetAttribute)(CUfunction, int, int);
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventDestroy)(CUevent);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventSynchronize)(CUevent);
  CUresult (*eventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*deviceGetAttribute)(int *, int, CUdevice);
  CUresult (*deviceGetName)(char *, int, CUdevice);
  /// Absent from drivers before CUDA 12 (sm_90 TMA): may stay null.
  CUresult (*tensorMapEncodeTiled)(CUtensorMap *, int, unsigned, void *,
                                   const unsigned long long *,
                                   const unsigned long long *, const unsigned *,
                                   const unsigned *, int, int, int,
                                   int) = nullptr;
  CUdevice device = 0;
  CUcontext context = nullptr;
  const char *problem = nullptr; ///< why the driver is unusable, if it is
};

Driver &driver() {
  static Driver d;
  static std::once_flag once;
  std::call_once(once, [] {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
      d.problem = "libcuda.so.1 not found: this machine has no NVIDIA driver";
      return;
    }
    bool ok = true;
    auto load = [&](auto &slot, const char *name) {
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(
          dlsym(library, name));
      ok = ok && slot;
    };
    load(d.init, "cuInit");
    load(d.deviceGetCount, "cuDeviceGetCount");
    load(d.deviceGet, "cuDeviceGet");
    load(d.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
    load(d.ctxSetCurrent, "cuCtxSetCurrent");
    load(d.moduleLoadData, "cuModuleLoadData");
    load(d.moduleUnload, "cuModuleUnload");
    load(d.moduleGetFunction, "cuModuleGetFunction");
    load(d.launchKernel, "cuLaunchKernel");
    load(d.streamCreate, "cuStreamCreate");
    load(d.streamDestroy, "cuStreamDestroy_v2");
    load(d.streamSynchronize, "cuStreamSynchronize");
    load(d.memAlloc, "cuMemAlloc_v2");
    load(d.memAllocManaged, "cuMemAllocManaged");
    load(d.memFree, "cuMemFree_v2");
    load(d.ctxSynchronize, "cuCtxSynchronize");
    load(d.memcpy, "cuMemcpy");
    load(d.getErrorString, "cuGetErrorString");
    load(d.funcSetAttribute, "cuFuncSetAttribute");
    load(d.eventCreate, "cuEventCreate");
    load(d.eventDestroy, "cuEventDestroy_v2");
    load(d.eventRecord, "cuEventRecord");
    load(d.eventSynchronize, "cuEventSynchronize");
    load(d.eventElapsedTime, "cuEventElapsedTime");
    load(d.deviceGetAttribute, "cuDeviceGetAttribute");
    load(d.deviceGetName, "cuDeviceGetName");
    if (!ok) {
      d.problem = "libcuda.so.1 lacks a driver API entry point";
      return;
    }
    d.tensorMapEncodeTiled = reinterpret_cast<decltype(d.tensorMapEncodeTiled)>(
        dlsym(library, "cuTensorMapEncodeTiled"));
    int count = 0;
    if (d.init(0) != 0 || d.deviceGetCount(&count) != 0 || count == 0) {
      d.problem = "the CUDA driver reports no GPU";
      return;
    }
    if (d.deviceGet(&d.device, 0) != 0 ||
        d.primaryCtxRetain(&d.context, d.device) != 0) {
      d.problem = "cannot create a context on GPU 0";
      return;
    }
  });
  return d;
}

/// The driver, made current on this thread; exits when there is none.
Driver &ready() {
  Driver &d = driver();
  if (d.problem) {
    fprintf(stderr, "attn-mlir: no CUDA driver (libcuda.so.1): %s\n",
            d.problem);
    exit(2);
  }
  d.ctxSetCurrent(d.context);
  return d;
}

void check(CUresult result, const char *what) {
  if (result == 0)
    return;
  const char *message = "unknown error";
  if (driver().getErrorString)
    driver().getErrorString(result, &message);
  fprintf(stderr, "attn-mlir: %s failed: %s (CUDA error %d)\n", what, message,
          result);
  exit(2);
}

} // namespace

extern "C" {

void *mgpuModuleLoad(void *data, size_t) {
  // Runs from a global constructor: without a driver, load nothing and let
  // the first launch report it, so that a program (or a Python process
  // loading the kernel library) still starts on a machine without a GPU.
  if (driver().problem)
    return nullptr;
  Driver &d = ready();
  CUmodule module = nullptr;
  check(d.moduleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void *mgpuModuleLoadJIT(void *data, int, size_t size) {
  return mgpuModuleLoad(data, size);
}

void mgpuModuleUnload(void *module) {
  // Runs from a global destructor, possibly after the driver shut down.
  Driver &d = driver();
  if (!d.problem && module)
    d.moduleUnload(module);
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  Driver &d = ready();
  CUfunction function = nullptr;
  check(d.moduleGetFunction(&function, module, name), "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t) {
  Driver &d = ready();
  // Dynamic shared memory beyond 48 KiB needs an opt-in per function.
  if (sharedBytes > 48 * 1024)
    check(d.funcSetAttribute(
              function,
              /*CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES=*/8,
              sharedBytes),
          "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)");
  check(d.launchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                       sharedBytes, stream, params, extra),
        "cuLaunchKernel");
}

void *mgpuStreamCreate(void) {
  Driver &d = ready();
  CUstream stream = nullptr;
  // A blocking stream: it waits for work on the legacy default stream (the
  // caller's inputs, e.g. PyTorch's) and that stream waits for it, so
  // events recorded there bracket the kernels.
  check(d.streamCreate(&stream, /*CU_STREAM_DEFAULT=*/0), "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  check(ready().streamDestroy(stream), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  check(ready().streamSynchronize(stream), "cuStreamSynchronize");
}

void *mgpuMemAlloc(uint64_t bytes, void *, bool isHostShared) {
  Driver &d = ready();
  CUdeviceptr pointer = 0;
  if (bytes && isHostShared) // gpu.alloc host_shared: the host reads it too
    check(d.memAllocManaged(&pointer, bytes, /*CU_MEM_ATTACH_GLOBAL=*/1),
          "cuMemAllocManaged");
  else if (bytes)
    check(d.memAlloc(&pointer, bytes), "cuMemAlloc");
  return reinterpret_cast<void *>(pointer);
}

void mgpuMemFree(void *pointer, void *) {
  if (pointer)
    check(ready().memFree(reinterpret_cast<CUdeviceptr>(pointer)), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *) {
  check(ready().memcpy(reinterpret_cast<CUdeviceptr>(dst),
                       reinterpret_cast<CUdeviceptr>(src), bytes),
        "cuMemcpy");
}

void *mgpuEventCreate(void) {
  Driver &d = ready();
  CUevent event = nullptr;
  check(d.eventCreate(&event, /*CU_EVENT_DEFAULT=*/0), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  check(ready().eventDestroy(event), "cuEventDestroy");
}

void mgpuEventRecord(void *event, void *stream) {
  check(ready().eventRecord(event, stream), "cuEventRecord");
}

void mgpuEventSynchronize(void *event) {
  check(ready().eventSynchronize(event), "cuEventSynchronize");
}

float attnEventElapsedMs(void *start, void *end) {
  float ms = 0;
  check(ready().eventElapsedTime(&ms, start, end), "cuEventElapsedTime");
  return ms;
}

void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxSizes) {
  // CUtensorMapDataType -> bytes per element (UINT8 ... TFLOAT32_FTZ).
  static const int elementBytes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  if (rank < 1 || rank > 5) {
    fprintf(stderr,
            "attn-mlir: mgpuTensorMapEncodeTiledMemref: rank %lld out of "
            "range (1 to 5)\n",
            (long long)rank);
    exit(2);
  }
  if (dataType < 0 || dataType > 12) {
    fprintf(stderr,
            "attn-mlir: mgpuTensorMapEncodeTiledMemref: data type %lld out "
            "of range (0 to 12)\n",
            (long long)dataType);
    exit(2);
  }
  // A ranked memref descriptor: allocated, aligned, offset, sizes[rank],
  // strides[rank] (elements). The driver wants the innermost dimension
  // first and the strides of the outer ones in bytes.
  auto *fields = static_cast<int64_t *>(descriptor);
  char *aligned = reinterpret_cast<char *>(fields[1]);
  const int64_t *sizes = fields + 3;
  const int64_t *strides = fields + 3 + rank;
  char *base = aligned + fields[2] * elementBytes[dataType];
  unsigned long long globalDim[5] = {1, 1, 1, 1, 1};
  unsigned long long globalStrides[5] = {0, 0, 0, 0, 0};
  unsigned boxDim[5] = {1, 1, 1, 1, 1}, elementStrides[5] = {1, 1, 1, 1, 1};
  for (int64_t i = 0; i < rank; ++i) {
    globalDim[i] = sizes[rank - 1 - i];
    boxDim[i] = static_cast<unsigned>(boxSizes[rank - 1 - i]);
  }
  for (int64_t i = 0; i + 1 < rank; ++i)
    globalStrides[i] = strides[rank - 2 - i] * elementBytes[dataType];
  // What cuTensorMapEncodeTiled would reject with a bare "invalid
  // argument": say which buffer (by shape and address) and which property.
  char shape[128];
  int used = snprintf(shape, sizeof(shape), "[");
  for (int64_t i = 0; i < rank && used < int(sizeof(shape)); ++i)
    used += snprintf(shape + used, sizeof(shape) - used, "%s%lld",
                     i ? "x" : "", (long long)sizes[i]);
  if (used < int(sizeof(shape)))
    snprintf(shape + used, sizeof(shape) - used, "]");
  const char *why = "the sm_90a kernel reads Q, K and V with TMA";
  if (strides[rank - 1] != 1) {
    fprintf(stderr,
            "attn-mlir: TMA needs a contiguous innermost dimension; the %s "
            "buffer at %p has stride %lld there (%s)\n",
            shape, static_cast<void *>(base), (long long)strides[rank - 1],
            why);
    exit(2);
  }
  if (reinterpret_cast<uintptr_t>(base) % 16 != 0) {
    fprintf(stderr,
            "attn-mlir: TMA needs a 16-byte aligned buffer; the %s buffer "
            "starts at %p (%s)\n",
            shape, static_cast<void *>(base), why);
    exit(2);
  }
  for (int64_t i = 0; i + 1 < rank; ++i) {
    if (globalStrides[i] % 16 != 0) {
      fprintf(stderr,
              "attn-mlir: TMA needs strides that are multiples of 16 bytes; "
              "the %s buffer at %p has one of %llu bytes (%s)\n",
              shape, static_cast<void *>(base), globalStrides[i], why);
      exit(2);
    }
  }
  Driver &d = ready();
  if (!d.tensorMapEncodeTiled) {
    fprintf(stderr, "attn-mlir: this CUDA driver has no "
                    "cuTensorMapEncodeTiled (TMA needs CUDA 12 or later)\n");
    exit(2);
  }
  CUtensorMap map = {}; // zeroed: maps are compared bytewise below
  check(d.tensorMapEncodeTiled(
            &map, static_cast<int>(dataType), static_cast<unsigned>(rank), base,
            globalDim, globalStrides, boxDim, elementStrides,
            static_cast<int>(interleave), static_cast<int>(swizzle),
            static_cast<int>(l2Promotion), static_cast<int>(oobFill)),
        "cuTensorMapEncodeTiled");
  // Kernels take the map by device pointer. A kernel called again on the
  // same buffers gets the same map: keep the device copies of recent maps,
  // freeing the oldest (after the context drains) past kCachedMaps.
  struct CachedMap {
    CUtensorMap map;
    CUdeviceptr device;
  };
  static std::mutex mutex;
  static std::vector<CachedMap> cache;
  std::lock_guard<std::mutex> lock(mutex);
  for (const CachedMap &entry : cache)
    if (std::memcmp(&entry.map, &map, sizeof(map)) == 0)
      return reinterpret_cast<void *>(entry.device);
  constexpr size_t kCachedMaps = 64;
  if (cache.size() == kCachedMaps) {
    // Another thread's kernel may still read the oldest map: let the
    // context drain first (rare: only past kCachedMaps distinct maps).
    check(d.ctxSynchronize(), "cuCtxSynchronize");
    check(d.memFree(cache.front().device), "cuMemFree");
    cache.erase(cache.begin());
  }
  CUdeviceptr deviceMap = 0;
  check(d.memAlloc(&deviceMap, sizeof(map)), "cuMemAlloc");
  check(d.memcpy(deviceMap, reinterpret_cast<CUdeviceptr>(&map), sizeof(map)),
        "cuMemcpy");
  cache.push_back({map, deviceMap});
  return reinterpret_cast<void *>(deviceMap);
}

int attnCudaAvailable(void) { return driver().problem ? 0 : 1; }

const char *attnCudaProblem(void) { return driver().problem; }

int attnCudaComputeCapability(void) {
  Driver &d = driver();
  if (d.problem)
    return 0;
  int major = 0, minor = 0;
  check(d.deviceGetAttribute(&major, /*COMPUTE_CAPABILITY_MAJOR=*/75, d.device),
        "cuDeviceGetAttribute");
  check(d.deviceGetAttribute(&minor, /*COMPUTE_CAPABILITY_MINOR=*/76, d.device),
        "cuDeviceGetAttribute");
  return major * 10 + minor;
}

int attnCudaMultiprocessorCount(void) {
  Driver &d = driver();
  if (d.problem)
    return 0;
  int count = 0;
  check(d.deviceGetAttribute(&count, /*MULTIPROCESSOR_COUNT=*/16, d.device),
        "cuDeviceGetAttribute");
  return count;
}

int attnCudaMaxSharedBytesPerBlock(void) {
  Driver &d = driver();
  if (d.problem)
    return 0;
  int bytes = 0;
  check(d.deviceGetAttribute(&bytes, /*MAX_SHARED_MEMORY_PER_BLOCK_OPTIN=*/97,
                             d.device),
        "cuDeviceGetAttribute");
  return bytes;
}

void attnCudaDeviceName(char *name, int length) {
  Driver &d = driver();
  if (!name || length <= 0)
    return;
  name[0] = '\0';
  if (!d.problem)
    check(d.deviceGetName(name, length, d.device), "cuDeviceGetName");
}

} // extern "C"
