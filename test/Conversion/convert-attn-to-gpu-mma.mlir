// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=mma" -canonicalize | FileCheck %s
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=auto" -canonicalize | FileCheck %s
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=mma block-q=128 block-kv=32" -canonicalize | FileCheck %s --check-prefix=BLOCKS
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=mma block-q=128 warp-rows=32" -canonicalize | FileCheck %s --check-prefix=WARP32
// RUN: attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=mma kv-splits=4" -canonicalize | FileCheck %s --check-prefix=SPLIT

// The tensor-core kernel: 4 warps (block-q 64), K/V tiles of 64 padded rows
// (D + 8 elements) in 16-byte aligned dynamic shared memory; Q fragments
// loaded once; causal blocks in reverse order. Software pipeline: the
// first K tile is requested (cp.async) before the loop; per key block: wait
// for K + barrier, request V, Q K^T by ldmatrix + mma.sync, quad shuffles
// for the row max, wait for V + barrier, request the next K, P V with
// ldmatrix.trans; after the loop, wait for the last request.

// CHECK-LABEL: func.func @causal_gqa
// CHECK: %[[SCALE:.*]] = arith.constant 0.127517432 : f32
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c3, {{.*}} = %c4, {{.*}} = %c2) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c34816_i32
// CHECK: gpu.dynamic_shared_memory
// CHECK: memref.view {{.*}} to memref<64x136xbf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<64x136xbf16, #gpu.address_space<workgroup>>
// CHECK: arith.subi %c2, %{{.*}} : index
// CHECK-COUNT-32: vector.load {{.*}} {alignment = 4 : i64} : memref<2x4x129x128xbf16>, vector<2xbf16>
// CHECK-COUNT-8: nvgpu.device_async_copy {{.*}}, 8, {{.*}} {bypassL1} : memref<2x2x200x128xbf16> to memref<64x136xbf16, #gpu.address_space<workgroup>>
// CHECK: %[[FIRST:.*]] = nvgpu.device_async_create_group
// CHECK: scf.for {{.*}} iter_args({{.*}}, %[[PENDING:.*]] = %[[FIRST]]) -> ({{.*}}, !nvgpu.device.async.token)
// CHECK: nvgpu.device_async_wait %[[PENDING]] {numGroups = 0 : i32}
// CHECK-NEXT: gpu.barrier
// CHECK-COUNT-8: nvgpu.device_async_copy
// CHECK: %[[VALUES:.*]] = nvgpu.device_async_create_group
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: scf.if
// CHECK: gpu.shuffle xor
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"
// The scale (positive: log2 e / sqrt(128)) reaches the scores only in the
// exponent: m = max(m_old, scale * rowmax(s)), p = ex2(fma(s, scale, -m)).
// CHECK: %[[NEGM:.*]] = arith.subf %cst{{.*}}, %{{.*}} : f32
// CHECK: %[[X:.*]] = math.fma %{{.*}}, %[[SCALE]], %[[NEGM]] : f32
// CHECK-NEXT: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"(%[[X]])
// CHECK: nvgpu.device_async_wait %[[VALUES]] {numGroups = 0 : i32}
// CHECK-NEXT: gpu.barrier
// CHECK-COUNT-8: nvgpu.device_async_copy
// CHECK: %[[NEXT:.*]] = nvgpu.device_async_create_group
// CHECK: arith.truncf {{.*}} : f32 to bf16
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = true}
// CHECK: nvvm.mma.sync
// CHECK: scf.yield {{.*}}, %[[NEXT]] : {{.*}}, !nvgpu.device.async.token
// CHECK: nvgpu.device_async_wait
// CHECK: scf.if
// CHECK: vector.store {{.*}} {alignment = 4 : i64} : memref<2x4x129x128xbf16>, vector<2xbf16>
// 32 rows per warp: 4 warps; Q staged in shared memory after the K and V
// tiles (cp.async with the first K tile), read back with ldmatrix.x4 for
// each k16 step.
// WARP32-LABEL: func.func @causal_gqa
// WARP32: threads({{.*}}) in ({{.*}} = %c128, {{.*}}) dynamic_shared_memory_size %c43520_i32
// WARP32: memref.view {{.*}}[%c0][] {{.*}} to memref<16x136xbf16, #gpu.address_space<workgroup>>
// WARP32: memref.view {{.*}}[%c4352][] {{.*}} to memref<16x136xbf16, #gpu.address_space<workgroup>>
// WARP32: %[[QTILE:.*]] = memref.view {{.*}}[%c8704][] {{.*}} to memref<128x136xbf16, #gpu.address_space<workgroup>>
// WARP32-COUNT-16: nvgpu.device_async_copy {{.*}} : memref<2x4x129x128xbf16> to memref<128x136xbf16, #gpu.address_space<workgroup>>
// WARP32: scf.for
// WARP32: nvgpu.ldmatrix %[[QTILE]]
// Split-KV: an f32 workspace for the splits' normalized outputs and lse,
// 4 blocks per query block (the split is blockIdx.x % 4), then a combine
// kernel with a thread per output element.
// SPLIT-LABEL: func.func @causal_gqa
// SPLIT: %[[PARTIAL:.*]] = memref.alloc() : memref<4x2x4x129x128xf32>
// SPLIT: %[[PARTIAL_LSE:.*]] = memref.alloc() : memref<4x2x4x129xf32>
// SPLIT: gpu.launch blocks({{.*}}) in ({{.*}} = %c12, {{.*}} = %c4, {{.*}} = %c2)
// SPLIT: arith.remui %{{.*}}, %c4 : index
// SPLIT: memref.store %{{.*}}, %[[PARTIAL]]
// SPLIT: memref.store %{{.*}}, %[[PARTIAL_LSE]]
// SPLIT: gpu.launch blocks({{.*}}) in ({{.*}} = %c516, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256,
// SPLIT-COUNT-4: memref.load %[[PARTIAL_LSE]]
// SPLIT: math.exp2
// SPLIT: math.fma
// SPLIT: memref.store %{{.*}}, %{{.*}} : memref<2x4x129x128xbf16>
// BLOCKS-LABEL: func.func @causal_gqa
// BLOCKS: threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1) dynamic_shared_memory_size %c17408_i32
func.func @causal_gqa(%q: tensor<2x4x129x128xbf16>, %k: tensor<2x2x200x128xbf16>, %v: tensor<2x2x200x128xbf16>) -> tensor<2x4x129x128xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x129x128xbf16>, tensor<2x2x200x128xbf16>, tensor<2x2x200x128xbf16> -> tensor<2x4x129x128xbf16>
  return %o : tensor<2x4x129x128xbf16>
}

// -----

// f16 operands are vector<2xf16> registers; an odd number of k16 steps
// (D = 48) is fine (each ldmatrix.x4 of K covers two key tiles of one
// step); a mask is applied on every tile; the lse is stored by the first
// lane of each quad.

// CHECK-LABEL: func.func @f16_mask_lse
// CHECK: scf.for
// CHECK-COUNT-6: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK: nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: tensor.extract {{.*}} : tensor<1x1x33x70xi1>
// CHECK: math.log2
// CHECK: memref.store {{.*}} : memref<1x2x33xf32>
func.func @f16_mask_lse(%q: tensor<1x2x33x48xf16>, %k: tensor<1x2x70x48xf16>, %v: tensor<1x2x70x32xf16>, %m: tensor<1x1x33x70xi1>) -> (tensor<1x2x33x32xf16>, tensor<1x2x33xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x33x70xi1>) : tensor<1x2x33x48xf16>, tensor<1x2x70x48xf16>, tensor<1x2x70x32xf16> -> tensor<1x2x33x32xf16>, tensor<1x2x33xf32>
  return %o, %lse : tensor<1x2x33x32xf16>, tensor<1x2x33xf32>
}

// -----

// A tile the pattern cuts (the else branch of the full-tile test) masks by
// column: per row slot of the lane, the keys the row sees (the window
// intersected with the key range) become columns [lo, hi) relative to the
// lane's first key, clamped to the 64-column tile and cast to i32; each
// score then takes two compares against its constant column. A causal row
// has no lower bound, so only `hi` is compared.

// CHECK-LABEL: func.func @window_columns
// CHECK: scf.for
// CHECK: scf.if {{.*}} -> (f32
// CHECK: } else {
// CHECK: %[[LO:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[HI:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: arith.cmpi sgt, %[[HI]], %c0_i32 : i32
// CHECK-NEXT: arith.cmpi sle, %[[LO]], %c0_i32 : i32
// CHECK: arith.cmpi sgt, %[[HI]], %c1_i32 : i32
// CHECK-NEXT: arith.cmpi sle, %[[LO]], %c1_i32 : i32
// CHECK: arith.cmpi sgt, %[[HI]], %c57_i32 : i32
// CHECK-NEXT: arith.cmpi sle, %[[LO]], %c57_i32 : i32
// CHECK: scf.yield
func.func @window_columns(%q: tensor<1x1x200x64xbf16>, %k: tensor<1x1x300x64xbf16>, %v: tensor<1x1x300x64xbf16>) -> tensor<1x1x200x64xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.sliding_window<bottom_right, left = 100, right = 2>} : tensor<1x1x200x64xbf16>, tensor<1x1x300x64xbf16>, tensor<1x1x300x64xbf16> -> tensor<1x1x200x64xbf16>
  return %o : tensor<1x1x200x64xbf16>
}

// CHECK-LABEL: func.func @causal_columns
// CHECK: scf.if {{.*}} -> (f32
// CHECK: } else {
// CHECK: %[[HI:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[HI2:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK-NEXT: %[[KEEP:.*]] = arith.cmpi sgt, %[[HI]], %c0_i32 : i32
// CHECK-NEXT: arith.select %[[KEEP]], %{{.*}}, %cst{{.*}} : f32
// CHECK-NOT: : index
// CHECK: scf.yield
func.func @causal_columns(%q: tensor<1x1x200x64xbf16>, %k: tensor<1x1x300x64xbf16>, %v: tensor<1x1x300x64xbf16>) -> tensor<1x1x200x64xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<top_left>} : tensor<1x1x200x64xbf16>, tensor<1x1x300x64xbf16>, tensor<1x1x300x64xbf16> -> tensor<1x1x200x64xbf16>
  return %o : tensor<1x1x200x64xbf16>
}

// -----

// No query rows: no kernel at all (a grid with a zero dimension is invalid).
// CHECK-LABEL: func.func @empty
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @empty(%q: tensor<1x2x0x64xbf16>, %k: tensor<1x2x8x64xbf16>, %v: tensor<1x2x8x64xbf16>) -> tensor<1x2x0x64xbf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x0x64xbf16>, tensor<1x2x8x64xbf16>, tensor<1x2x8x64xbf16> -> tensor<1x2x0x64xbf16>
  return %o : tensor<1x2x0x64xbf16>
}
