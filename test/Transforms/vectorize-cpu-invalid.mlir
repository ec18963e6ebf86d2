// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-vectorize-cpu="vector-width=5"
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-vectorize-cpu="vector-width=32"
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-vectorize-cpu="vector-width=-16"
// RUN: not attn-opt %s -attn-vectorize-cpu="vector-width=16 register-rows=-1" 2>&1 | FileCheck %s --check-prefix=ROWS
// ROWS: error: attn-vectorize-cpu: register-rows must be positive (or 0 for the host's), got -1
// A negative register-vectors is named as given (rows derived from it once
// were blamed: "got -16 and -2"):
// RUN: not attn-opt %s -attn-vectorize-cpu="register-vectors=-2" 2>&1 | FileCheck %s --check-prefix=VECTORS-NEG
// VECTORS-NEG: error: attn-vectorize-cpu: register-vectors must be positive (or 0 for the host's), got -2
// RUN: not attn-opt %s -attn-vectorize-cpu="vector-width=16 register-vectors=40" 2>&1 | FileCheck %s --check-prefix=VECTORS
// VECTORS: error: attn-vectorize-cpu: register-vectors=40 leaves no register row in the host's {{16|32}} vector registers (rows x vectors + vectors + 1 must fit); give fewer, or register-rows too

// attn-vectorize-cpu only emits 4-, 8- or 16-lane f32 vectors (SSE, AVX2,
// AVX-512); any other vector-width is reported on the operation the pass runs
// on and the pass fails before touching the IR.
// expected-error @+1 {{attn-vectorize-cpu: vector-width must be 4, 8 or 16, got}}
module {
  func.func @vector_width_not_an_x86_width(%a: memref<?x8xf32>, %b: memref<8x32xf32>, %c: memref<?x32xf32>) {
    linalg.matmul ins(%a, %b : memref<?x8xf32>, memref<8x32xf32>) outs(%c : memref<?x32xf32>)
    return
  }
}
