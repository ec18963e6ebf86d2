// A pattern whose rows see scattered keys (#attn.strided, no
// buildRowKeyRange): every GPU kernel tests each key of a tile it cuts with
// the pattern's buildKeyVisible (distance from the diagonal >= 0 and a
// multiple of the stride), where causal and windows compare tile columns
// against per-row bounds; the key loop still ends at the diagonal (the
// pattern's visible key range). One remainder per score (block-kv 32: 16
// per mma lane, 64: 32 per wgmma lane) plus one in the tile-full test.
//
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=mma block-q=64 block-kv=32" -canonicalize | FileCheck %s --check-prefixes=CHECK,MMA
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=wgmma block-q=64 block-kv=64" -canonicalize | FileCheck %s --check-prefixes=CHECK,WGMMA
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=simt block-q=64 block-kv=32" -canonicalize | FileCheck %s --check-prefixes=CHECK,SIMT
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=mma block-q=64 block-kv=32" -canonicalize | FileCheck %s --check-prefix=COUNT-MMA
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=wgmma block-q=64 block-kv=64" -canonicalize | FileCheck %s --check-prefix=COUNT-WGMMA
// A power-of-two stride takes a mask instead of the remainder:
// RUN: attn-opt %s -convert-attn-to-gpu="kernel=mma block-q=64 block-kv=32" -canonicalize | FileCheck %s --check-prefix=POW2

// CHECK-LABEL: func.func @strided
// CHECK: gpu.launch
// MMA: nvvm.mma.sync
// WGMMA: nvvm.wgmma.mma_async
// SIMT-NOT: nvvm.mma.sync
// CHECK: %[[REM:.*]] = arith.remsi %{{.*}}, %c3 : index
// CHECK-NEXT: arith.cmpi eq, %[[REM]], %c0 : index

// COUNT-MMA-COUNT-17: arith.remsi
// COUNT-MMA-NOT: arith.remsi
// COUNT-WGMMA-COUNT-33: arith.remsi
// COUNT-WGMMA-NOT: arith.remsi

// POW2-LABEL: func.func @strided_by_four
// POW2-NOT: arith.remsi
// POW2: %[[LOW:.*]] = arith.andi %{{.*}}, %c3 : index
// POW2-NEXT: arith.cmpi eq, %[[LOW]], %c0 : index
// POW2-NOT: arith.remsi
// POW2: return
func.func @strided(%q: tensor<1x2x100x64xbf16>, %k: tensor<1x2x100x64xbf16>, %v: tensor<1x2x100x64xbf16>) -> tensor<1x2x100x64xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.strided<bottom_right, stride = 3>} : tensor<1x2x100x64xbf16>, tensor<1x2x100x64xbf16>, tensor<1x2x100x64xbf16> -> tensor<1x2x100x64xbf16>
  return %o : tensor<1x2x100x64xbf16>
}

func.func @strided_by_four(%q: tensor<1x2x100x64xbf16>) -> tensor<1x2x100x64xbf16> {
  %o = attn.sdpa %q, %q, %q {pattern = #attn.strided<top_left, stride = 4>} : tensor<1x2x100x64xbf16>, tensor<1x2x100x64xbf16>, tensor<1x2x100x64xbf16> -> tensor<1x2x100x64xbf16>
  return %o : tensor<1x2x100x64xbf16>
}
