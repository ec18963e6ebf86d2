// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-host-to-gpu -canonicalize | FileCheck %s
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-host-to-gpu="tensor-cores=false" -canonicalize | FileCheck %s --check-prefix=NO-MMA

// Host computation on (device) buffers moves to the GPU: a linalg op
// becomes a kernel with a thread per element (256-thread blocks over the
// flattened iteration space, guarded), allocations become gpu.alloc freed
// before the return, a dense copy gpu.memcpy, a strided copy a kernel.

// CHECK-LABEL: func.func @host_code
// CHECK: %[[TMP:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<3x100xf32>
// CHECK: gpu.wait [%{{.*}}]
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1)
// CHECK: arith.cmpi slt, %{{.*}}, %c300 : index
// CHECK: scf.if
// CHECK: arith.remsi %{{.*}}, %c100 : index
// CHECK: arith.divsi %{{.*}}, %c100 : index
// CHECK: memref.load %arg0
// CHECK: arith.addf
// CHECK: memref.store %{{.*}}, %[[TMP]]
// CHECK: gpu.memcpy async [%{{.*}}] %arg1, %[[TMP]] : memref<3x100xf32>, memref<3x100xf32>
// A copy out of a strided view: a kernel.
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}} : memref<3x50xf32, strided<[100, 1], offset: 50>>
// CHECK: gpu.dealloc async [%{{.*}}] %[[TMP]] : memref<3x100xf32>
// CHECK: return
func.func @host_code(%a: memref<3x100xf32>, %out: memref<3x100xf32>, %half: memref<3x50xf32>) {
  %tmp = memref.alloc() : memref<3x100xf32>
  linalg.add ins(%a, %a : memref<3x100xf32>, memref<3x100xf32>) outs(%tmp : memref<3x100xf32>)
  memref.copy %tmp, %out : memref<3x100xf32> to memref<3x100xf32>
  %view = memref.subview %tmp[0, 50] [3, 50] [1, 1] : memref<3x100xf32> to memref<3x50xf32, strided<[100, 1], offset: 50>>
  memref.copy %view, %half : memref<3x50xf32, strided<[100, 1], offset: 50>> to memref<3x50xf32>
  return
}

// -----

// A host constant gets a device copy that the kernels read.
// CHECK-LABEL: func.func @constant
// CHECK: %[[HOST:.*]] = memref.get_global @weights
// CHECK: %[[DEVICE:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] () : memref<4xf32>
// CHECK: gpu.memcpy async [%{{.*}}] %[[DEVICE]], %[[HOST]]
// CHECK: gpu.launch
// CHECK: memref.load %[[DEVICE]]
// CHECK: gpu.dealloc async [%{{.*}}] %[[DEVICE]]
memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @constant(%a: memref<4xf32>, %out: memref<4xf32>) {
  %w = memref.get_global @weights : memref<4xf32>
  linalg.add ins(%a, %w : memref<4xf32>, memref<4xf32>) outs(%out : memref<4xf32>)
  return
}

// -----

// No parallel dimension: one thread of a one-warp kernel.
// CHECK-LABEL: func.func @full_reduction
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c32,
// CHECK: arith.cmpi eq, %{{.*}}, %c0 : index
// CHECK: scf.for
// CHECK: scf.for
func.func @full_reduction(%a: memref<4x8xf32>, %out: memref<f32>) {
  linalg.reduce ins(%a : memref<4x8xf32>) outs(%out : memref<f32>) dimensions = [0, 1]
    (%x: f32, %y: f32) {
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// f16/bf16 matmul into f32 (a projection): the tensor-core kernel, 64 x 64
// tiles of 4 warps, accumulating onto C, edges clamped and not stored.
// CHECK-LABEL: func.func @projection
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c3, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1)
// CHECK: memref.load %arg2
// CHECK: scf.for %{{.*}} = %c0 to %c48 step %c16
// CHECK-COUNT-8: nvvm.mma.sync
// CHECK: scf.if
// CHECK: memref.store %{{.*}}, %arg2
// Before sm_80 (tensor-cores=false) a thread per element of C instead:
// NO-MMA-LABEL: func.func @projection
// NO-MMA-NOT: nvvm.mma.sync
// NO-MMA: gpu.launch
// NO-MMA-NOT: nvvm.mma.sync
// NO-MMA: return
func.func @projection(%a: memref<130x48xbf16>, %b: memref<48x72xbf16>, %c: memref<130x72xf32>) {
  linalg.matmul ins(%a, %b : memref<130x48xbf16>, memref<48x72xbf16>) outs(%c : memref<130x72xf32>)
  return
}

// -----

func.func @alloc_in_loop(%a: memref<4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    // expected-error @+1 {{'memref.alloc' op allocates a buffer inside control flow, which attn-host-to-gpu cannot place on the GPU; keep tensor computation out of scf.if / scf.for bodies}}
    %t = memref.alloc() : memref<4xf32>
    linalg.add ins(%a, %a : memref<4xf32>, memref<4xf32>) outs(%t : memref<4xf32>)
  }
  return
}

// -----

func.func @tensors(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{'linalg.add' op works on tensors; attn-host-to-gpu runs after bufferization (as in attn-lower-to-nvvm)}}
  %r = linalg.add ins(%a, %a : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A buffer returned through a view belongs to the caller: not freed. A
// memref.dealloc of a moved buffer becomes its gpu.dealloc (once).
// CHECK-LABEL: func.func @returned_view
// CHECK-NOT: gpu.dealloc
// CHECK: return
func.func @returned_view(%a: memref<4xf32>) -> memref<?xf32> {
  %t = memref.alloc() : memref<4xf32>
  linalg.add ins(%a, %a : memref<4xf32>, memref<4xf32>) outs(%t : memref<4xf32>)
  %c = memref.cast %t : memref<4xf32> to memref<?xf32>
  return %c : memref<?xf32>
}

// CHECK-LABEL: func.func @freed_by_the_function
// CHECK: gpu.memcpy
// CHECK: gpu.dealloc async
// CHECK-NOT: dealloc
// CHECK: return
func.func @freed_by_the_function(%a: memref<4xf32>, %o: memref<4xf32>) {
  %t = memref.alloc() : memref<4xf32>
  linalg.add ins(%a, %a : memref<4xf32>, memref<4xf32>) outs(%t : memref<4xf32>)
  memref.copy %t, %o : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

func.func @unranked_copy(%a: memref<*xf32>, %b: memref<*xf32>) {
  // expected-error @+1 {{'memref.copy' op copies an unranked memref, which attn-host-to-gpu cannot run on the GPU}}
  memref.copy %a, %b : memref<*xf32> to memref<*xf32>
  return
}

// -----

func.func @parallel_reduction(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{'scf.parallel' op has results (a reduction), which attn-host-to-gpu cannot run as a kernel of independent threads}}
  %sum = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %x = memref.load %a[%i] : memref<8xf32>
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

// -----

memref.global "private" constant @table : memref<4xf32> = dense<1.0>

func.func @constant_in_control_flow(%c: i1, %o: memref<4xf32>) {
  scf.if %c {
    // expected-error @+1 {{'memref.get_global' op reads a host constant inside control flow, which attn-host-to-gpu cannot place on the GPU; keep tensor computation out of scf.if / scf.for bodies}}
    %t = memref.get_global @table : memref<4xf32>
    memref.copy %t, %o : memref<4xf32> to memref<4xf32>
  }
  return
}
