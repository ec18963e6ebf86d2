// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-vectorize-cpu="explain=true"
// Without explain, no remark:
// (the last split is an error, so attn-opt fails)
// RUN: not attn-opt %s -split-input-file -attn-vectorize-cpu 2>&1 | FileCheck %s --check-prefix=QUIET
// QUIET-NOT: remark:

// A flash tile contraction (it carries attn.register_tile) that the
// micro-kernel cannot take stays correct as scalar loops, and says so:
// here the value head dim is dynamic. (A static one that is not a multiple
// of 16 lanes takes a masked last vector.)
func.func @value_head_dim_dynamic(%p: memref<?x16xf32>, %v: memref<?x?xf32>, %acc: memref<16x?xf32>) {
  // expected-remark @+1 {{attn-vectorize-cpu: contraction left to scalar loops: its vectorized dim (the query block or the value head dim) must be static and contiguous in memory, its inputs floats of at most 32 bits}}
  linalg.generic {indexing_maps = [affine_map<(i, e, j) -> (j, i)>, affine_map<(i, e, j) -> (j, e)>, affine_map<(i, e, j) -> (i, e)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %v : memref<?x16xf32>, memref<?x?xf32>) outs(%acc : memref<16x?xf32>)
      attrs = {attn.register_tile = array<i64: 16, 6, 4>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The same contraction without the attribute is not a flash tile: no remark.
func.func @plain_contraction_no_remark(%p: memref<?x16xf32>, %v: memref<?x24xf32>, %acc: memref<16x24xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, e, j) -> (j, i)>, affine_map<(i, e, j) -> (j, e)>, affine_map<(i, e, j) -> (i, e)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %v : memref<?x16xf32>, memref<?x24xf32>) outs(%acc : memref<16x24xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A register tile that cannot fit the registers is an error on the op.
func.func @register_tile_too_large(%a: memref<?x8xf32>, %b: memref<8x32xf32>, %c: memref<?x32xf32>) {
  // expected-error @+1 {{register tile 8x4 does not fit in 32 vector registers}}
  linalg.matmul {attn.register_tile = array<i64: 16, 8, 4>} ins(%a, %b : memref<?x8xf32>, memref<8x32xf32>) outs(%c : memref<?x32xf32>)
  return
}

// -----

func.func @register_tile_attribute_wrong_length(%a: memref<?x8xf32>, %b: memref<8x32xf32>, %c: memref<?x32xf32>) {
  // expected-error @+1 {{'attn.register_tile' must be array<i64: vector_width, rows, vectors>, got array<i64: 16, 6>}}
  linalg.matmul {attn.register_tile = array<i64: 16, 6>} ins(%a, %b : memref<?x8xf32>, memref<8x32xf32>) outs(%c : memref<?x32xf32>)
  return
}

// -----

func.func @register_tile_attribute_bad_width(%a: memref<?x8xf32>, %b: memref<8x32xf32>, %c: memref<?x32xf32>) {
  // expected-error @+1 {{register tile vector width must be 4, 8 or 16, got 12}}
  linalg.matmul {attn.register_tile = array<i64: 12, 2, 2>} ins(%a, %b : memref<?x8xf32>, memref<8x32xf32>) outs(%c : memref<?x32xf32>)
  return
}
