// A stand-in libcuda.so.1 that checks what the runtime shim asks of the
// CUDA driver, for machines without a GPU. It runs no kernel: it checks
// each call against the driver API's documented preconditions, failing
// with the error the real driver returns, and prints what it was asked
// (FAKE_CUDA_TRACE=1) so that tests can FileCheck the launches and tensor
// maps the generated host code produces.
//
//  * cuModuleLoadData: an sm_XY cubin (ELF, EM_CUDA; XY in e_flags bits
//    8-15) must suit the device (same major, minor <= the device's), or
//    PTX / a fatbin. The cubin's kernels are read from its
//    sections: registers (.text.<k> sh_info >> 24), static shared memory
//    (.nv.shared.<k>), parameter layout (EIATTR_KPARAM_INFO) and
//    .maxntid (EIATTR_MAX_THREADS) from .nv.info.<k>.
//  * cuLaunchKernel: grid limits, block <= 1024 threads and <= .maxntid,
//    registers x threads within the 64 K register file, dynamic shared
//    memory above 48 KiB only after cuFuncSetAttribute opted in, static +
//    dynamic within the device's opt-in limit. Every 8-byte .ptr
//    parameter must be null or point into a live allocation; a parameter
//    pointing at a tensor map (cuMemAlloc'd copy of one this driver
//    encoded) has its whole described range checked against the
//    allocation holding its global address.
//  * cuTensorMapEncodeTiled: every requirement cuda.h lists for tiled maps
//    (rank, 16-byte aligned address, dims, 16-byte multiple strides, box
//    <= 256 and a 16-byte multiple inner extent, the inner box extent
//    within the swizzle span, element strides, enum ranges).
//  * cuMemFree of an unknown pointer, copies overrunning an allocation.
//
// Memory is host memory; kernels do not run, so outputs are never written.
// Environment: FAKE_CUDA_SM (compute capability, default 90),
// FAKE_CUDA_TRACE=1 (print the calls to stderr).

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
enum {
  SUCCESS = 0,
  INVALID_VALUE = 1,
  NOT_INITIALIZED = 3,
  INVALID_IMAGE = 200,
  INVALID_CONTEXT = 201,
  NO_BINARY_FOR_GPU = 209,
  INVALID_HANDLE = 400,
  NOT_FOUND = 500,
  LAUNCH_OUT_OF_RESOURCES = 701,
};

static int initialized, contextCurrent, failures;

static int sm(void) {
  const char *s = getenv("FAKE_CUDA_SM");
  return s ? atoi(s) : 90;
}

static int tracing(void) {
  const char *s = getenv("FAKE_CUDA_TRACE");
  return s && *s && *s != '0';
}

static void trace(const char *format, ...) {
  if (!tracing())
    return;
  va_list args;
  va_start(args, format);
  fprintf(stderr, "fake-cuda: ");
  vfprintf(stderr, format, args);
  fprintf(stderr, "\n");
  va_end(args);
}

/// A broken precondition: always printed, and the call fails with `error`.
static CUresult fail(CUresult error, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "fake-cuda: error: ");
  vfprintf(stderr, format, args);
  fprintf(stderr, "\n");
  va_end(args);
  ++failures;
  return error;
}

// --- allocations --------------------------------------------------------

typedef struct {
  char *base;
  size_t size;
} Allocation;
static Allocation allocations[4096];
static int allocationCount;

static Allocation *findAllocation(uintptr_t p) {
  for (int i = 0; i < allocationCount; ++i) {
    uintptr_t b = (uintptr_t)allocations[i].base;
    if (p >= b && p < b + (allocations[i].size ? allocations[i].size : 1))
      return &allocations[i];
  }
  return NULL;
}

// --- tensor maps ----------------------------------------------------------

// What this driver writes into a CUtensorMap (128 bytes, 64-byte aligned).
typedef struct {
  uint64_t magic;
  uint64_t address;
  uint64_t dims[5];
  uint64_t strides[5]; // bytes; strides[i] of dimension i + 1
  uint32_t box[5];
  uint32_t rank, elementBytes;
} Map;
_Static_assert(sizeof(Map) <= 128, "a CUtensorMap holds 128 bytes");
static const uint64_t kMapMagic = 0x70616d726f736e74ull; // "tnsormap"

// --- modules and kernels ---------------------------------------------------

typedef struct {
  char name[256];
  int registers, staticShared, maxThreads, optinShared;
  int params, paramOffset[256], paramSize[256], paramIsPointer[256];
} Kernel;
typedef struct {
  Kernel kernels[64];
  int count;
} Module;

static uint16_t u16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t u32(const unsigned char *p) {
  return u16(p) | (uint32_t)u16(p + 2) << 16;
}
static uint64_t u64(const unsigned char *p) {
  return u32(p) | (uint64_t)u32(p + 4) << 32;
}

static Kernel *findKernel(Module *m, const char *name) {
  for (int i = 0; i < m->count; ++i)
    if (!strcmp(m->kernels[i].name, name))
      return &m->kernels[i];
  return NULL;
}

/// Reads the kernels of a cubin; returns 0 or an error.
static CUresult readCubin(const unsigned char *elf, Module *m) {
  if (elf[4] != 2 || u16(elf + 18) != 190)
    return fail(INVALID_IMAGE, "cuModuleLoadData: not a 64-bit EM_CUDA ELF");
  // A cubin runs on its own major version, from its minor one up.
  unsigned flags = u32(elf + 48);
  int arch = (flags >> 8) & 0xff, device = sm();
  if (arch / 10 != device / 10 || arch % 10 > device % 10)
    return fail(NO_BINARY_FOR_GPU,
                "cuModuleLoadData: a cubin for sm_%d cannot run on a "
                "compute capability %d.%d device",
                arch, device / 10, device % 10);
  uint64_t shoff = u64(elf + 0x28);
  int shentsize = u16(elf + 0x3A), shnum = u16(elf + 0x3C);
  int shstrndx = u16(elf + 0x3E);
  const unsigned char *sh = elf + shoff;
  const char *names = (const char *)elf + u64(sh + shstrndx * shentsize + 24);
  const unsigned char *symbols = NULL;
  const char *symbolNames = NULL;
  int symbolCount = 0;
  // Pass 1: a kernel per .text.<name> section; the symbol table.
  for (int i = 0; i < shnum; ++i) {
    const unsigned char *s = sh + i * shentsize;
    const char *name = names + u32(s);
    if (!strncmp(name, ".text.", 6) && m->count < 64) {
      Kernel *k = &m->kernels[m->count++];
      memset(k, 0, sizeof(*k));
      snprintf(k->name, sizeof(k->name), "%s", name + 6);
    } else if (u32(s + 4) == 2) { // SHT_SYMTAB
      symbols = elf + u64(s + 24);
      symbolCount = (int)(u64(s + 32) / 24);
      symbolNames = (const char *)elf + u64(sh + u32(s + 40) * shentsize + 24);
    }
  }
  // Pass 2: static shared memory and the attributes of each kernel.
  for (int i = 0; i < shnum; ++i) {
    const unsigned char *s = sh + i * shentsize;
    const char *name = names + u32(s);
    uint64_t offset = u64(s + 24), size = u64(s + 32);
    Kernel *k = NULL;
    if (!strncmp(name, ".nv.shared.", 11) &&
        (k = findKernel(m, name + 11))) {
      // From sm_90 on, ptxas puts the 1 KiB the system reserves per block
      // into this section; the opt-in limit already excludes it.
      k->staticShared = (int)size;
      if (arch >= 90 && size >= 1024)
        k->staticShared -= 1024;
      continue;
    }
    int global = !strcmp(name, ".nv.info");
    if (!global && (strncmp(name, ".nv.info.", 9) || !(k = findKernel(m, name + 9))))
      continue;
    // Attributes: format byte, attribute byte, then a 16-bit value
    // (formats 1-3) or a 16-bit size and that many bytes (format 4).
    const unsigned char *a = elf + offset, *end = a + size;
    while (a + 4 <= end) {
      int format = a[0], attribute = a[1];
      const unsigned char *value = a + 4;
      int length = format == 4 ? u16(a + 2) : 0;
      if (global && attribute == 0x2f && length >= 8 && symbols) {
        // EIATTR_REGCOUNT: symbol index, registers.
        uint32_t symbol = u32(value);
        if ((int)symbol < symbolCount) {
          Kernel *r = findKernel(m, symbolNames + u32(symbols + 24 * symbol));
          if (r)
            r->registers = (int)u32(value + 4);
        }
      } else if (!global && attribute == 0x17 && length >= 12) {
        // EIATTR_KPARAM_INFO: index, ordinal, offset, then a word with the
        // size in bits 18-31 and, as ptxas writes it, 5 in bits 8-11 for
        // a `.ptr` parameter.
        int ordinal = u16(value + 4), off = u16(value + 6);
        uint32_t word = u32(value + 8);
        if (ordinal < 256) {
          k->paramOffset[ordinal] = off;
          k->paramSize[ordinal] = (word >> 18) & 0x3fff;
          k->paramIsPointer[ordinal] = ((word >> 8) & 0xf) == 5;
          if (ordinal + 1 > k->params)
            k->params = ordinal + 1;
        }
      } else if (!global && attribute == 0x05 && length >= 12) {
        // EIATTR_MAX_THREADS: .maxntid x, y, z.
        k->maxThreads = u32(value) * u32(value + 4) * u32(value + 8);
      }
      a += 4 + length;
    }
  }
  for (int i = 0; i < m->count; ++i)
    if (!m->kernels[i].registers)
      return fail(INVALID_IMAGE, "cuModuleLoadData: no register count for "
                                 "kernel %s",
                  m->kernels[i].name);
  return SUCCESS;
}

// --- the driver API ---------------------------------------------------------

CUresult cuInit(unsigned flags) {
  if (flags)
    return fail(INVALID_VALUE, "cuInit: flags must be 0");
  initialized = 1;
  trace("cuInit: compute capability %d.%d", sm() / 10, sm() % 10);
  return SUCCESS;
}

#define NEED_INIT()                                                            \
  do {                                                                         \
    if (!initialized)                                                          \
      return fail(NOT_INITIALIZED, "%s before cuInit", __func__);             \
  } while (0)
#define NEED_CONTEXT()                                                         \
  do {                                                                         \
    NEED_INIT();                                                               \
    if (!contextCurrent)                                                       \
      return fail(INVALID_CONTEXT, "%s without a current context", __func__); \
  } while (0)

CUresult cuDeviceGetCount(int *count) {
  NEED_INIT();
  *count = 1;
  return SUCCESS;
}

CUresult cuDeviceGet(int *device, int ordinal) {
  NEED_INIT();
  if (ordinal != 0)
    return fail(INVALID_VALUE, "cuDeviceGet: no device %d", ordinal);
  *device = 0;
  return SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  NEED_INIT();
  *context = (void *)0xc0;
  return SUCCESS;
}

CUresult cuCtxSetCurrent(void *context) {
  NEED_INIT();
  contextCurrent = context != NULL;
  return SUCCESS;
}

CUresult cuCtxSynchronize(void) {
  NEED_CONTEXT();
  return SUCCESS;
}

CUresult cuGetErrorString(CUresult error, const char **message) {
  *message = error == INVALID_VALUE          ? "invalid argument"
             : error == NO_BINARY_FOR_GPU     ? "no kernel image for the device"
             : error == LAUNCH_OUT_OF_RESOURCES ? "too many resources requested"
                                                 : "fake-cuda error";
  return SUCCESS;
}

static int optinSharedBytes(void) {
  int s = sm();
  return s >= 90 ? 232448 : s == 80 || s == 87 ? 166912 : s >= 86 ? 101376
                                                                  : 65536;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  NEED_INIT();
  switch (attribute) {
  case 75: *value = sm() / 10; break;             // COMPUTE_CAPABILITY_MAJOR
  case 76: *value = sm() % 10; break;             // COMPUTE_CAPABILITY_MINOR
  case 16: *value = sm() >= 90 ? 132 : 108; break; // MULTIPROCESSOR_COUNT
  case 97: *value = optinSharedBytes(); break;    // MAX_SHARED_..._OPTIN
  case 8: *value = 49152; break;                  // MAX_SHARED_PER_BLOCK
  default:
    return fail(INVALID_VALUE, "cuDeviceGetAttribute: attribute %d not "
                               "modelled", attribute);
  }
  return SUCCESS;
}

CUresult cuDeviceGetName(char *name, int length, int device) {
  NEED_INIT();
  snprintf(name, length, "fake-cuda sm_%d", sm());
  return SUCCESS;
}

CUresult cuModuleLoadData(void **module, const void *image) {
  NEED_CONTEXT();
  const unsigned char *bytes = image;
  Module *m = calloc(1, sizeof(Module));
  if (!memcmp(bytes, "\x7f" "ELF", 4)) {
    CUresult r = readCubin(bytes, m);
    if (r) {
      free(m);
      return r;
    }
    trace("cuModuleLoadData: cubin, %d kernels", m->count);
  } else if (u32(bytes) == 0xBA55ED50u) {
    trace("cuModuleLoadData: fatbin (not inspected)");
  } else if (!memcmp(bytes, "//", 2) || !memcmp(bytes, ".version", 8)) {
    trace("cuModuleLoadData: PTX (not inspected)");
  } else {
    free(m);
    return fail(INVALID_IMAGE, "cuModuleLoadData: neither cubin, fatbin nor "
                               "PTX");
  }
  *module = m;
  return SUCCESS;
}

CUresult cuModuleUnload(void *module) {
  free(module);
  return SUCCESS;
}

typedef struct {
  Kernel *kernel; // NULL for a module that was not inspected
  char name[256];
  int optinShared;
} Function;

CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  NEED_CONTEXT();
  Module *m = module;
  if (!m)
    return fail(INVALID_HANDLE, "cuModuleGetFunction: null module");
  Function *f = calloc(1, sizeof(Function));
  snprintf(f->name, sizeof(f->name), "%s", name);
  if (m->count) {
    for (int i = 0; i < m->count; ++i)
      if (!strcmp(m->kernels[i].name, name))
        f->kernel = &m->kernels[i];
    if (!f->kernel) {
      free(f);
      return fail(NOT_FOUND, "cuModuleGetFunction: no kernel '%s'", name);
    }
  }
  *function = f;
  return SUCCESS;
}

CUresult cuFuncSetAttribute(void *function, int attribute, int value) {
  NEED_CONTEXT();
  Function *f = function;
  if (attribute != 8) // MAX_DYNAMIC_SHARED_SIZE_BYTES
    return fail(INVALID_VALUE, "cuFuncSetAttribute: attribute %d not "
                               "modelled", attribute);
  int limit = optinSharedBytes() - (f->kernel ? f->kernel->staticShared : 0);
  if (value < 0 || value > limit)
    return fail(INVALID_VALUE, "cuFuncSetAttribute(%s): %d bytes of dynamic "
                               "shared memory, the device allows %d",
                f->name, value, limit);
  f->optinShared = value;
  return SUCCESS;
}

/// Checks the range a tensor map at `p` describes; 0 when `p` is no map.
static void checkMapParameter(const char *kernel, int index, uintptr_t p) {
  Allocation *a = findAllocation(p);
  if (!a || p + sizeof(Map) > (uintptr_t)a->base + a->size)
    return;
  Map map;
  memcpy(&map, (void *)p, sizeof(map));
  if (map.magic != kMapMagic)
    return;
  uint64_t last = map.address + map.elementBytes * (map.dims[0] - 1);
  for (uint32_t d = 1; d < map.rank; ++d)
    last += map.strides[d - 1] * (map.dims[d] - 1);
  Allocation *data = findAllocation(map.address);
  if (!data || last + map.elementBytes > (uintptr_t)data->base + data->size)
    fail(INVALID_VALUE,
         "cuLaunchKernel(%s): parameter %d is a tensor map over [%#llx, "
         "%#llx), outside any live allocation",
         kernel, index, (unsigned long long)map.address,
         (unsigned long long)(last + map.elementBytes));
  else
    trace("  parameter %d: tensor map over %llu bytes of a %zu-byte "
          "allocation",
          index, (unsigned long long)(last + map.elementBytes - map.address),
          data->size);
}

CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  NEED_CONTEXT();
  Function *f = function;
  if (!f)
    return fail(INVALID_HANDLE, "cuLaunchKernel: null function");
  if (!gx || !gy || !gz || gx > 2147483647u || gy > 65535 || gz > 65535)
    return fail(INVALID_VALUE, "cuLaunchKernel(%s): grid %ux%ux%u outside "
                               "2^31-1 x 65535 x 65535",
                f->name, gx, gy, gz);
  unsigned threads = bx * by * bz;
  if (!threads || threads > 1024 || bz > 64)
    return fail(INVALID_VALUE, "cuLaunchKernel(%s): block %ux%ux%u",
                f->name, bx, by, bz);
  if (shared > 49152 && (int)shared > f->optinShared)
    return fail(INVALID_VALUE,
                "cuLaunchKernel(%s): %u bytes of dynamic shared memory "
                "without cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES) "
                "opting in (%d)",
                f->name, shared, f->optinShared);
  if (extra)
    return fail(INVALID_VALUE, "cuLaunchKernel(%s): `extra` not modelled",
                f->name);
  Kernel *k = f->kernel;
  if (k) {
    if (k->maxThreads && (int)threads > k->maxThreads)
      return fail(INVALID_VALUE, "cuLaunchKernel(%s): %u threads, the kernel "
                                 "was compiled for .maxntid %d",
                  f->name, threads, k->maxThreads);
    // Registers are allocated per warp in units of 256.
    int perWarp = (k->registers * 32 + 255) / 256 * 256;
    int warps = (threads + 31) / 32;
    if (perWarp * warps > 65536)
      return fail(LAUNCH_OUT_OF_RESOURCES,
                  "cuLaunchKernel(%s): %d registers x %u threads exceed the "
                  "65536-register file",
                  f->name, k->registers, threads);
    if (k->staticShared + (int)shared > optinSharedBytes())
      return fail(INVALID_VALUE, "cuLaunchKernel(%s): %d static + %u dynamic "
                                 "bytes of shared memory",
                  f->name, k->staticShared, shared);
    if (k->params && !params)
      return fail(INVALID_VALUE, "cuLaunchKernel(%s): no parameters for %d",
                  f->name, k->params);
    int pointers = 0;
    for (int i = 0; i < k->params; ++i) {
      if (!params[i])
        return fail(INVALID_VALUE, "cuLaunchKernel(%s): parameter %d is "
                                   "null",
                    f->name, i);
      if (!k->paramIsPointer[i] || k->paramSize[i] != 8)
        continue;
      ++pointers;
      uintptr_t p;
      memcpy(&p, params[i], sizeof(p));
      if (p && !findAllocation(p))
        fail(INVALID_VALUE,
             "cuLaunchKernel(%s): pointer parameter %d (%#llx) is not in a "
             "live allocation",
             f->name, i, (unsigned long long)p);
      else if (p)
        checkMapParameter(f->name, i, p);
    }
    trace("launch %s grid %ux%ux%u block %u dynamic shared %u (opt-in %d, "
          "static %d) registers %d parameters %d (%d pointers)",
          f->name, gx, gy, gz, threads, shared, f->optinShared,
          k->staticShared, k->registers, k->params, pointers);
  } else {
    trace("launch %s grid %ux%ux%u block %u dynamic shared %u", f->name, gx,
          gy, gz, threads, shared);
  }
  return SUCCESS;
}

CUresult cuStreamCreate(void **stream, unsigned flags) {
  NEED_CONTEXT();
  *stream = malloc(1);
  return SUCCESS;
}
CUresult cuStreamDestroy_v2(void *stream) {
  free(stream);
  return SUCCESS;
}
CUresult cuStreamSynchronize(void *stream) {
  NEED_CONTEXT();
  return SUCCESS;
}

static CUresult allocate(unsigned long long *pointer, size_t bytes,
                         const char *what) {
  if (!initialized)
    return fail(NOT_INITIALIZED, "%s before cuInit", what);
  if (!contextCurrent)
    return fail(INVALID_CONTEXT, "%s without a current context", what);
  if (!bytes)
    return fail(INVALID_VALUE, "%s: 0 bytes", what);
  if (allocationCount == 4096)
    return fail(INVALID_VALUE, "%s: too many live allocations", what);
  char *p = aligned_alloc(256, (bytes + 255) / 256 * 256);
  memset(p, 0xff, bytes); // NaN in every float type
  allocations[allocationCount++] = (Allocation){p, bytes};
  *pointer = (uintptr_t)p;
  return SUCCESS;
}

CUresult cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  return allocate(pointer, bytes, "cuMemAlloc");
}
CUresult cuMemAllocManaged(unsigned long long *pointer, size_t bytes,
                           unsigned flags) {
  return allocate(pointer, bytes, "cuMemAllocManaged");
}

CUresult cuMemFree_v2(unsigned long long pointer) {
  NEED_CONTEXT();
  for (int i = 0; i < allocationCount; ++i)
    if ((uintptr_t)allocations[i].base == pointer) {
      free(allocations[i].base);
      allocations[i] = allocations[--allocationCount];
      return SUCCESS;
    }
  return fail(INVALID_VALUE, "cuMemFree: %#llx is not an allocation's start",
              pointer);
}

CUresult cuMemcpy(unsigned long long dst, unsigned long long src,
                  size_t bytes) {
  NEED_CONTEXT();
  // Unified addressing: either side may be host memory; a side inside an
  // allocation must stay inside it.
  Allocation *d = findAllocation(dst), *s = findAllocation(src);
  if (d && dst + bytes > (uintptr_t)d->base + d->size)
    return fail(INVALID_VALUE, "cuMemcpy: %zu bytes overrun the destination "
                               "allocation",
                bytes);
  if (s && src + bytes > (uintptr_t)s->base + s->size)
    return fail(INVALID_VALUE, "cuMemcpy: %zu bytes overrun the source "
                               "allocation",
                bytes);
  memmove((void *)(uintptr_t)dst, (void *)(uintptr_t)src, bytes);
  return SUCCESS;
}

CUresult cuEventCreate(void **event, unsigned flags) {
  NEED_CONTEXT();
  *event = calloc(1, 8);
  return SUCCESS;
}
CUresult cuEventDestroy_v2(void *event) {
  free(event);
  return SUCCESS;
}
CUresult cuEventRecord(void *event, void *stream) {
  NEED_CONTEXT();
  return SUCCESS;
}
CUresult cuEventSynchronize(void *event) { return SUCCESS; }
CUresult cuEventElapsedTime(float *ms, void *start, void *end) {
  *ms = 0.001f; // kernels do not run here
  return SUCCESS;
}

CUresult cuTensorMapEncodeTiled(void *tensorMap, int dataType, unsigned rank,
                                void *address, const uint64_t *dims,
                                const uint64_t *strides, const uint32_t *box,
                                const uint32_t *elementStrides, int interleave,
                                int swizzle, int l2Promotion, int oobFill) {
  NEED_CONTEXT();
  static const int bytes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  static const char *types[] = {"u8",  "u16", "u32", "i32", "u64",
                                "i64", "f16", "f32", "f64", "bf16",
                                "f32ftz", "tf32", "tf32ftz"};
  static const char *swizzles[] = {"none", "32B", "64B", "128B"};
  if ((uintptr_t)tensorMap % 64)
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: map not 64-byte "
                               "aligned");
  if (dataType < 0 || dataType > 12)
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: data type %d",
                dataType);
  if (rank < 1 || rank > 5 || (interleave && rank < 3))
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: rank %u", rank);
  if ((uintptr_t)address % (interleave == 2 ? 32 : 16))
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: address %p not "
                               "aligned",
                address);
  if (interleave < 0 || interleave > 2 || swizzle < 0 || swizzle > 3 ||
      l2Promotion < 0 || l2Promotion > 3 || oobFill < 0 || oobFill > 1)
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: interleave %d "
                               "swizzle %d l2 %d oob %d",
                interleave, swizzle, l2Promotion, oobFill);
  if (interleave == 2 && swizzle != 1)
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: 32B interleave needs "
                               "32B swizzle");
  if (oobFill == 1 && dataType < 6)
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: NaN fill of an "
                               "integer type");
  int e = bytes[dataType];
  for (unsigned i = 0; i < rank; ++i) {
    if (!dims[i] || dims[i] > (1ull << 32))
      return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: dim %u is %llu", i,
                  (unsigned long long)dims[i]);
    if (!box[i] || box[i] > 256)
      return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: box dim %u is %u",
                  i, box[i]);
    if (!elementStrides[i] || elementStrides[i] > 8)
      return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: element stride %u "
                                 "is %u",
                  i, elementStrides[i]);
  }
  for (unsigned i = 0; i + 1 < rank; ++i) {
    if (strides[i] % (interleave == 2 ? 32 : 16) || strides[i] >= (1ull << 40))
      return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: stride %u is %llu "
                                 "bytes",
                  i, (unsigned long long)strides[i]);
    // Each stride spans at least the dimension below it.
    uint64_t below = i ? strides[i - 1] * dims[i] : dims[0] * e;
    if (strides[i] < below)
      return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: stride %u (%llu "
                                 "bytes) smaller than the %llu bytes below "
                                 "it",
                  i, (unsigned long long)strides[i],
                  (unsigned long long)below);
  }
  if (!interleave && (box[0] * e) % 16)
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: inner box of %u bytes "
                               "is not a multiple of 16",
                box[0] * e);
  if (!interleave && swizzle && box[0] * e > (16u << swizzle))
    return fail(INVALID_VALUE, "cuTensorMapEncodeTiled: inner box of %u bytes "
                               "exceeds the %u-byte swizzle span",
                box[0] * e, 16u << swizzle);
  Map map = {kMapMagic, (uintptr_t)address, {0}, {0}, {0}, rank, e};
  for (unsigned i = 0; i < rank; ++i) {
    map.dims[i] = dims[i];
    map.box[i] = box[i];
    if (i + 1 < rank)
      map.strides[i] = strides[i];
  }
  memset(tensorMap, 0, 128);
  memcpy(tensorMap, &map, sizeof(map));
  if (tracing()) {
    char text[512];
    int n = snprintf(text, sizeof(text), "tensor map %s dims [",
                     types[dataType]);
    for (unsigned i = 0; i < rank; ++i)
      n += snprintf(text + n, sizeof(text) - n, "%s%llu", i ? ", " : "",
                    (unsigned long long)dims[i]);
    n += snprintf(text + n, sizeof(text) - n, "] strides [");
    for (unsigned i = 0; i + 1 < rank; ++i)
      n += snprintf(text + n, sizeof(text) - n, "%s%llu", i ? ", " : "",
                    (unsigned long long)strides[i]);
    n += snprintf(text + n, sizeof(text) - n, "] box [");
    for (unsigned i = 0; i < rank; ++i)
      n += snprintf(text + n, sizeof(text) - n, "%s%u", i ? ", " : "", box[i]);
    snprintf(text + n, sizeof(text) - n, "] swizzle %s oob %s",
             swizzles[swizzle], oobFill ? "nan" : "zero");
    trace("%s", text);
  }
  return SUCCESS;
}

// Reports the broken preconditions at exit, so that a caller that ignored
// an error code still fails.
__attribute__((destructor)) static void report(void) {
  // The runtime keeps device copies of recent tensor maps (a bounded
  // cache): count them apart from other live allocations.
  int maps = 0;
  for (int i = 0; i < allocationCount; ++i) {
    uint64_t magic = 0;
    if (allocations[i].size == 128)
      memcpy(&magic, allocations[i].base, sizeof(magic));
    maps += magic == kMapMagic;
  }
  if (failures)
    fprintf(stderr, "fake-cuda: %d failed call(s)\n", failures);
  else
    trace("exit: no failed calls, %d allocation(s) live, %d of them cached "
          "tensor maps",
          allocationCount, maps);
}
