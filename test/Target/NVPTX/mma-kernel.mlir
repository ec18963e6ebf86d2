// attn-lower-to-nvvm with kernel=mma: the tensor-core FlashAttention kernel
// as PTX (attn-translate --gpu-binary-to-ptx) for sm_90a and sm_80, bf16
// and f16, and as cubin (ptxas) for both chips.
//
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=mma format=isa" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefixes=PTX,PTX90
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_80 kernel=mma format=isa" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefixes=PTX,PTX80
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_80 kernel=auto format=bin" | FileCheck %s --check-prefix=BIN
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_80 kernel=mma format=isa min-blocks-per-sm=3" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=BLOCKS3
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_80 kernel=mma format=isa min-blocks-per-sm=0" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=NOHINT
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=mma format=bin" | FileCheck %s --check-prefix=BIN
// REQUIRES: ptxas

// PTX90: .target sm_90a
// PTX80: .target sm_80
// PTX: .entry bf16_causal_kernel(
// Launch bounds as FlashAttention's (block size, 1): ptxas may use up to
// 255 registers instead of picking an occupancy (and spilling) itself.
// PTX: .maxntid {{[0-9]+}}, 1, 1
// PTX-NEXT: .minnctapersm 1
// (Block placement orders the text freely: the body is checked unordered.)
// PTX-DAG: .shared .align 16 .b8 __dynamic_shmem__0
// Q fragments: 32-bit loads straight from global memory.
// PTX-DAG: ld.global.b32
// K/V tiles: asynchronous 16-byte copies into shared memory (zero-filled
// past the visible keys), committed and awaited per tile.
// PTX-DAG: cp.async.cg.shared.global [{{.*}}], [{{.*}}], 16, {{%r[0-9]+}};
// PTX-DAG: cp.async.commit_group;
// PTX-DAG: cp.async.wait_group 0;
// PTX-DAG: bar.sync
// PTX-DAG: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX-DAG: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX-DAG: shfl.sync.bfly.b32
// PTX-DAG: ex2.approx.ftz.f32
// PTX-DAG: cvt.rn.bf16x2.f32
// PTX-DAG: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// Output pairs.
// PTX-DAG: st.global.b32
// PTX: .entry f16_kernel(
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX: cvt.rn.f16x2.f32

// BLOCKS3: .maxntid {{[0-9]+}}, 1, 1
// BLOCKS3-NEXT: .minnctapersm 3
// NOHINT: .maxntid {{[0-9]+}}, 1, 1
// NOHINT-NOT: .minnctapersm

// BIN: gpu.binary @bf16_causal_kernel
// BIN: gpu.binary @f16_kernel

func.func @bf16_causal(%q: tensor<2x4x100x64xbf16>, %k: tensor<2x2x130x64xbf16>, %v: tensor<2x2x130x64xbf16>) -> (tensor<2x4x100x64xbf16>, tensor<2x4x100xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x100x64xbf16>, tensor<2x2x130x64xbf16>, tensor<2x2x130x64xbf16> -> tensor<2x4x100x64xbf16>, tensor<2x4x100xf32>
  return %o, %lse : tensor<2x4x100x64xbf16>, tensor<2x4x100xf32>
}

func.func @f16(%q: tensor<1x2x65x128xf16>, %k: tensor<1x2x65x128xf16>, %v: tensor<1x2x65x128xf16>) -> tensor<1x2x65x128xf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x65x128xf16>, tensor<1x2x65x128xf16>, tensor<1x2x65x128xf16> -> tensor<1x2x65x128xf16>
  return %o : tensor<1x2x65x128xf16>
}
