// The embedder's path: the CPU pipeline's LLVM IR compiled by clang into an
// object, linked into a C program that calls _mlir_ciface_attention with
// memref descriptors (inputs, then caller-allocated outputs) and checks the
// numbers against its own float64 reference.
//
// The entry point and descriptor types come from the header attn-translate
// generates for the same module.
// RUN: rm -rf %t.include && mkdir -p %t.include
// RUN: attn-translate --mlir-to-c-header %S/Inputs/gqa-causal-lse.mlir -o %t.include/attn_kernels.h
// Default pipeline (flash schedule, OpenMP threads: link libomp):
// RUN: attn-opt %S/Inputs/gqa-causal-lse.mlir --attn-lower-to-llvm | attn-translate --mlir-to-llvmir -o %t.ll
// RUN: %clang -O2 -c %t.ll -o %t.kernel.o
// RUN: %clang -O2 -Wall -Werror -I%t.include %s %t.kernel.o -L%mlir_lib_dir -Wl,-rpath,%mlir_lib_dir -lomp -lm -o %t.exe
// RUN: %t.exe | FileCheck %s
// Reference lowering, no threads: plain C, nothing else to link.
// RUN: attn-opt %S/Inputs/gqa-causal-lse.mlir --attn-lower-to-llvm="flash=false openmp=false" | attn-translate --mlir-to-llvmir -o %t.ref.ll
// RUN: %clang -O2 -c %t.ref.ll -o %t.ref.o
// RUN: %clang -O2 -Wall -Werror -I%t.include %s %t.ref.o -lm -o %t.ref.exe
// RUN: %t.ref.exe | FileCheck %s
// CHECK: output rel_err=
// CHECK: lse rel_err=
// CHECK: PASS

#include "attn_kernels.h"
#ifdef ATTN_GPU
#include "attn/Runtime/CUDARuntime.h"
#endif

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { B = 2, HQ = 8, HKV = 2, SQ = 33, SKV = 129, D = 24, DV = 40 };

typedef attn_memref_4d_f32 MemRef4D;
typedef attn_memref_3d_f32 MemRef3D;

static MemRef4D make4(float *data, int64_t d0, int64_t d1, int64_t d2,
                      int64_t d3) {
  MemRef4D m = {data, data, 0, {d0, d1, d2, d3}, {d1 * d2 * d3, d2 * d3, d3, 1}};
  return m;
}

static uint64_t state = 0x9E3779B97F4A7C15ull;
static float nextRandom(void) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  return (float)((state >> 40) / (double)(1ull << 24)) * 2.0f - 1.0f;
}

int main(void) {
  size_t nq = (size_t)B * HQ * SQ * D, nk = (size_t)B * HKV * SKV * D;
  size_t nv = (size_t)B * HKV * SKV * DV, no = (size_t)B * HQ * SQ * DV;
  size_t nl = (size_t)B * HQ * SQ;
  float *q = malloc(nq * 4), *k = malloc(nk * 4), *v = malloc(nv * 4);
  float *o = malloc(no * 4), *l = malloc(nl * 4);
  for (size_t i = 0; i < nq; ++i) q[i] = nextRandom();
  for (size_t i = 0; i < nk; ++i) k[i] = nextRandom();
  for (size_t i = 0; i < nv; ++i) v[i] = nextRandom();
  for (size_t i = 0; i < no; ++i) o[i] = NAN; // poison: unwritten shows
  for (size_t i = 0; i < nl; ++i) l[i] = NAN;

#ifdef ATTN_GPU
  // test/Integration/GPU builds this program with -DATTN_GPU against the
  // attn-lower-to-nvvm kernel: the descriptors then hold device memory.
  float *hq = q, *hk = k, *hv = v, *ho = o, *hl = l;
  q = mgpuMemAlloc(nq * 4, 0, 0); k = mgpuMemAlloc(nk * 4, 0, 0);
  v = mgpuMemAlloc(nv * 4, 0, 0); o = mgpuMemAlloc(no * 4, 0, 0);
  l = mgpuMemAlloc(nl * 4, 0, 0);
  mgpuMemcpy(q, hq, nq * 4, 0); mgpuMemcpy(k, hk, nk * 4, 0);
  mgpuMemcpy(v, hv, nv * 4, 0); mgpuMemcpy(o, ho, no * 4, 0);
  mgpuMemcpy(l, hl, nl * 4, 0);
#endif
  MemRef4D mq = make4(q, B, HQ, SQ, D), mk = make4(k, B, HKV, SKV, D);
  MemRef4D mv = make4(v, B, HKV, SKV, DV), mo = make4(o, B, HQ, SQ, DV);
  MemRef3D ml = {l, l, 0, {B, HQ, SQ}, {HQ * SQ, SQ, 1}};
  _mlir_ciface_attention(&mq, &mk, &mv, &mo, &ml);
#ifdef ATTN_GPU
  mgpuMemcpy(ho, o, no * 4, 0);
  mgpuMemcpy(hl, l, nl * 4, 0);
  q = hq; k = hk; v = hv; o = ho; l = hl;
#endif

  double scale = 1.0 / sqrt((double)D), diff = 0, ref = 0, ldiff = 0, lref = 0;
  int bad = 0;
  double scores[SKV];
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < HQ; ++h)
      for (int i = 0; i < SQ; ++i) {
        int kvh = h / (HQ / HKV);
        double max = -INFINITY, sum = 0;
        for (int j = 0; j < SKV; ++j) {
          double s = -INFINITY;
          if (j <= i + SKV - SQ) { // bottom-right causal
            s = 0;
            for (int d = 0; d < D; ++d)
              s += (double)q[((b * HQ + h) * SQ + i) * D + d] *
                   k[((b * HKV + kvh) * SKV + j) * D + d];
            s *= scale;
          }
          scores[j] = s;
          if (s > max) max = s;
        }
        for (int j = 0; j < SKV; ++j) sum += (scores[j] = exp(scores[j] - max));
        for (int e = 0; e < DV; ++e) {
          double want = 0;
          for (int j = 0; j < SKV; ++j)
            want += scores[j] / sum * v[((b * HKV + kvh) * SKV + j) * DV + e];
          double got = o[((b * HQ + h) * SQ + i) * DV + e];
          if (isnan(got)) ++bad;
          diff += (got - want) * (got - want);
          ref += want * want;
        }
        double wantLse = max + log(sum), gotLse = l[(b * HQ + h) * SQ + i];
        if (isnan(gotLse)) ++bad;
        ldiff += (gotLse - wantLse) * (gotLse - wantLse);
        lref += wantLse * wantLse;
      }
  double rel = sqrt(diff / ref), lrel = sqrt(ldiff / lref);
  printf("output rel_err=%.3e\nlse rel_err=%.3e\nunwritten=%d\n", rel, lrel, bad);
  int ok = bad == 0 && rel < 1e-5 && lrel < 1e-5;
  printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
