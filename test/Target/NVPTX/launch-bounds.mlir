// Launch bounds of the kernels (attn-lower-to-nvvm min-blocks-per-sm):
// `.minnctapersm` beside `.maxntid`, 1 by default; a request past the
// threads or blocks an SM holds (2048 / 32 on sm_90a, 1536 / 16 on sm_86)
// is dropped with a warning, since ptxas would ignore it with one that
// format=bin hides. A kernel of the input (no known block size, so no
// .maxntid) gets none either: ptxas ignores .minnctapersm alone.
//
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=mma block-q=64 format=isa" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=DEFAULT
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=mma block-q=64 format=isa min-blocks-per-sm=16" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=SIXTEEN
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=mma block-q=64 format=isa min-blocks-per-sm=17" 2>&1 >/dev/null | FileCheck %s --check-prefix=TOO-MANY
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=mma block-q=64 format=isa min-blocks-per-sm=17" 2>/dev/null | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=DROPPED
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_86 kernel=mma block-q=64 format=isa min-blocks-per-sm=13" 2>&1 >/dev/null | FileCheck %s --check-prefix=SM86
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_86 kernel=mma block-q=16 format=isa min-blocks-per-sm=17" 2>&1 >/dev/null | FileCheck %s --check-prefix=SM86-BLOCKS
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_86 kernel=mma block-q=16 format=isa min-blocks-per-sm=16" 2>&1 >/dev/null | count 0
// RUN: attn-opt %S/lower-to-nvvm-host-code.mlir -split-input-file --attn-lower-to-nvvm="format=isa" | attn-translate --split-input-file --gpu-binary-to-ptx | FileCheck %s --check-prefix=INPUT-KERNEL
// wgmma accumulators cannot spill: a request leaving a thread fewer
// registers than they take (65536 / (128 threads x 6 blocks) -> 80, the
// accumulators 96) is dropped with a warning too, since ptxas would fail
// ("Insufficient registers"); 4 blocks (128 registers) are kept.
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=wgmma format=bin min-blocks-per-sm=6" 2>&1 >/dev/null | FileCheck %s --check-prefix=WGMMA-REGS
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=wgmma format=isa min-blocks-per-sm=4" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=WGMMA-FOUR
// REQUIRES: ptxas

// DEFAULT: .maxntid 128, 1, 1
// DEFAULT-NEXT: .minnctapersm 1
// SIXTEEN: .maxntid 128, 1, 1
// SIXTEEN-NEXT: .minnctapersm 16
// TOO-MANY: warning: attn-lower-to-nvvm: min-blocks-per-sm=17 with 128 threads per block exceeds what an sm_90a SM holds (2048 threads, 32 blocks); kernel @attention_kernel gets no .minnctapersm (ptxas would ignore it)
// DROPPED: .maxntid 128, 1, 1
// DROPPED-NOT: .minnctapersm
// SM86: warning: attn-lower-to-nvvm: min-blocks-per-sm=13 with 128 threads per block exceeds what an sm_86 SM holds (1536 threads, 16 blocks)
// SM86-BLOCKS: warning: attn-lower-to-nvvm: min-blocks-per-sm=17 with 32 threads per block exceeds what an sm_86 SM holds (1536 threads, 16 blocks)
// WGMMA-REGS: warning: attn-lower-to-nvvm: min-blocks-per-sm=6 leaves 80 registers per thread to the 128 threads of a block, but kernel @attention_kernel's wgmma accumulators alone take 96; it gets no .minnctapersm (ptxas would fail)
// WGMMA-REGS-NOT: error
// WGMMA-FOUR: .maxntid 128, 1, 1
// WGMMA-FOUR-NEXT: .minnctapersm 4
// INPUT-KERNEL: .entry kern(
// INPUT-KERNEL-NOT: .minnctapersm
// INPUT-KERNEL: ret;

func.func @attention(%q: tensor<2x4x256x64xbf16>, %k: tensor<2x4x256x64xbf16>, %v: tensor<2x4x256x64xbf16>) -> tensor<2x4x256x64xbf16> {
  %o = attn.sdpa %q, %k, %v : tensor<2x4x256x64xbf16>, tensor<2x4x256x64xbf16>, tensor<2x4x256x64xbf16> -> tensor<2x4x256x64xbf16>
  return %o : tensor<2x4x256x64xbf16>
}
