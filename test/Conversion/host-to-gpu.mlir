// RUN: attn-opt %s -attn-host-to-gpu -canonicalize | FileCheck %s

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
