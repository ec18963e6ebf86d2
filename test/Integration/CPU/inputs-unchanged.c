// A compiled function leaves its caller's inputs unchanged: the residual
// y = x + attention(x, k, v) used to be computed in place, into x's buffer
// (One-Shot Bufferize took the arguments as writable), then copied out.
// Both pipelines' C interface, called from C; y is checked against a
// float64 reference, x, k and v bit for bit against copies.
// RUN: rm -rf %t.include && mkdir -p %t.include
// RUN: attn-translate --mlir-to-c-header %S/Inputs/residual.mlir -o %t.include/residual.h
// RUN: attn-opt %S/Inputs/residual.mlir --attn-lower-to-llvm="openmp=false" | attn-translate --mlir-to-llvmir -o %t.ll
// RUN: %clang -O2 -c %t.ll -o %t.o
// RUN: %clang -O2 -Wall -Werror -I%t.include %s %t.o -lm -o %t.exe
// RUN: %t.exe | FileCheck %s
// RUN: attn-opt %S/Inputs/residual.mlir --attn-lower-to-llvm="flash=false openmp=false" | attn-translate --mlir-to-llvmir -o %t.ref.ll
// RUN: %clang -O2 -c %t.ref.ll -o %t.ref.o
// RUN: %clang -O2 -Wall -Werror -I%t.include %s %t.ref.o -lm -o %t.ref.exe
// RUN: %t.ref.exe | FileCheck %s
// CHECK: inputs unchanged
// CHECK: y rel_err=
// CHECK: PASS

#include "residual.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { H = 2, SQ = 5, SKV = 7, D = 16 };

int main(void) {
  static float x[H * SQ * D], k[H * SKV * D], v[H * SKV * D], y[H * SQ * D];
  static float x0[H * SQ * D], k0[H * SKV * D], v0[H * SKV * D];
  for (int i = 0; i < H * SQ * D; ++i)
    x[i] = sinf(0.37f * i + 0.1f);
  for (int i = 0; i < H * SKV * D; ++i) {
    k[i] = cosf(0.23f * i + 0.7f);
    v[i] = sinf(0.11f * i + 1.9f);
  }
  memcpy(x0, x, sizeof x);
  memcpy(k0, k, sizeof k);
  memcpy(v0, v, sizeof v);
  attn_memref_4d_f32 X = {x, x, 0, {1, H, SQ, D}, {H * SQ * D, SQ * D, D, 1}};
  attn_memref_4d_f32 K = {k, k, 0, {1, H, SKV, D}, {H * SKV * D, SKV * D, D, 1}};
  attn_memref_4d_f32 V = {v, v, 0, {1, H, SKV, D}, {H * SKV * D, SKV * D, D, 1}};
  attn_memref_4d_f32 Y = {y, y, 0, {1, H, SQ, D}, {H * SQ * D, SQ * D, D, 1}};
  _mlir_ciface_residual(&X, &K, &V, &Y);
  int unchanged = !memcmp(x, x0, sizeof x) && !memcmp(k, k0, sizeof k) &&
                  !memcmp(v, v0, sizeof v);
  printf("inputs %s\n", unchanged ? "unchanged" : "CHANGED");
  double diff = 0, norm = 0;
  for (int h = 0; h < H; ++h)
    for (int i = 0; i < SQ; ++i) {
      double s[SKV], m = -INFINITY, l = 0;
      for (int j = 0; j < SKV; ++j) {
        s[j] = 0;
        for (int d = 0; d < D; ++d)
          s[j] += (double)x0[(h * SQ + i) * D + d] * k0[(h * SKV + j) * D + d];
        s[j] /= sqrt((double)D);
        m = fmax(m, s[j]);
      }
      for (int j = 0; j < SKV; ++j)
        l += exp(s[j] - m);
      for (int d = 0; d < D; ++d) {
        double o = 0;
        for (int j = 0; j < SKV; ++j)
          o += exp(s[j] - m) / l * v0[(h * SKV + j) * D + d];
        double want = x0[(h * SQ + i) * D + d] + o;
        double got = y[(h * SQ + i) * D + d];
        diff += (got - want) * (got - want);
        norm += want * want;
      }
    }
  double rel = sqrt(diff / norm);
  printf("y rel_err=%.3e\n", rel);
  printf("%s\n", unchanged && rel < 1e-5 ? "PASS" : "FAIL");
  return unchanged && rel < 1e-5 ? 0 : 1;
}
