// attn-lower-to-nvvm with kernel=wgmma: the sm_90a kernel as NVVM IR and
// as PTX. Q, K and V arrive by TMA (cp.async.bulk.tensor into 128-byte
// swizzled tiles, completion counted in bytes on mbarriers), Q K^T and P V
// are wgmma.mma_async, P V of one key block running during the next one's
// softmax: Q K^T on shared-memory descriptors, P V with P in
// registers (inline PTX, as NVVM has no op for an A operand in registers) and
// V MN-major (the transpose flag of B set). Host code encodes the tensor
// maps through the runtime.
//
// RUN: attn-opt %s --convert-attn-to-gpu="kernel=wgmma" | FileCheck %s --check-prefix=IR
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=wgmma format=isa" | FileCheck %s --check-prefix=HOST
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=wgmma format=isa" | attn-translate --gpu-binary-to-ptx | FileCheck %s --check-prefix=PTX
// RUN: attn-opt %s --attn-lower-to-nvvm="chip=sm_90a kernel=wgmma format=bin" | FileCheck %s --check-prefix=BIN
// REQUIRES: ptxas

// IR-LABEL: func.func @gqa_causal
// IR-COUNT-3: nvgpu.tma.create.descriptor {{.*}} box[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<*xbf16> -> <tensor = memref<1x1x64x64xbf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// IR: gpu.launch
// IR: nvgpu.mbarrier.create -> <memorySpace = #gpu.address_space<workgroup>, num_barriers = 6>
// IR: nvgpu.mbarrier.init
// The inits made visible to the TMA unit (async proxy):
// IR: nvvm.fence.mbarrier.init
// IR: nvgpu.tma.fence.descriptor
// V buffer 1 zeroed for the empty P V before the first key block:
// IR: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// IR: gpu.barrier
// IR: nvgpu.tma.async.load
// IR: nvgpu.mbarrier.arrive.expect_tx
// IR: scf.for
// No CTA barrier in the key loop. K of this block is in ...
// IR-NOT: gpu.barrier
// IR: nvgpu.mbarrier.try_wait.parity
// IR-NOT: gpu.barrier
// ... Q K^T of this key block (K from buffer it % 2), issued, not waited for ...
// (S starts from scale-d 0, not from zeroed accumulator registers: no
// register writes between the fence and the wgmma.)
// IR: arith.select {{.*}} : i64
// IR: nvvm.wgmma.fence.aligned
// IR-NOT: llvm.insertvalue
// IR: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>, D[<f32>, <zero>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// IR: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// IR: nvvm.wgmma.commit.group.sync.aligned
// ... then P V of the previous one (P in registers, V MN-major) ...
// IR: nvgpu.mbarrier.try_wait.parity
// IR: nvvm.wgmma.fence.aligned
// IR: llvm.inline_asm has_side_effects {{.*}}wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 {$0, {{.*}}, $63}, {$64, $65, $66, $67}, $68, p, 1, 1, 1;
// IR: nvvm.wgmma.commit.group.sync.aligned
// ... while they run, thread 0 waits until every warpgroup is done with
// the last block (a "block done" mbarrier), then requests this block's V
// (one load per V buffer, one predicated on) and the next K (likewise per
// K buffer) into the two buffers that block freed ...
// IR-NOT: gpu.barrier
// IR: scf.if
// IR: nvgpu.mbarrier.try_wait.parity
// IR-NOT: gpu.barrier
// IR-COUNT-4: nvgpu.mbarrier.arrive.expect_tx
// IR-NOT: gpu.barrier
// ... S is in while P V runs during the softmax:
// IR: nvvm.wgmma.wait.group.sync.aligned 1
// IR-NOT: gpu.barrier
// IR: llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"
// ... and once P V of the last block retired, every thread says that
// block is done (its K and V buffers may be reloaded):
// IR: nvvm.wgmma.wait.group.sync.aligned 0
// IR-NOT: gpu.barrier
// IR: nvgpu.mbarrier.arrive %{{.*}}[%{{.*}}] : <memorySpace = #gpu.address_space<workgroup>, num_barriers = 6> -> !nvgpu.mbarrier.token
// IR-NOT: gpu.barrier
// IR: scf.yield
// After the loop: P V of the last key block, its V rows past the keys zeroed.
// IR: nvvm.fence.proxy
// IR: llvm.inline_asm has_side_effects {{.*}}wgmma.mma_async
// IR: nvvm.wgmma.wait.group.sync.aligned 0

// HOST: llvm.call @mgpuTensorMapEncodeTiledMemref
// HOST: gpu.binary @gqa_causal_kernel

// PTX: .version 8.3
// PTX: .target sm_90a
// PTX-DAG: fence.proxy.tensormap::generic.acquire.sys [{{%rd[0-9]+}}], 128;
// PTX-DAG: mbarrier.init.shared.b64
// PTX-DAG: cp.async.bulk.tensor.4d.shared::cluster.global.mbarrier::complete_tx::bytes
// PTX-DAG: mbarrier.arrive.expect_tx.shared.b64
// PTX-DAG: mbarrier.try_wait.parity.shared.b64
// PTX-DAG: wgmma.fence.sync.aligned;
// Q K^T: both operands K-major.
// PTX-DAG: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.*}}, p, 1, 1, 0, 0;
// P V: A (P) in registers, V MN-major (transposed B).
// PTX-DAG: wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 {{.*}}, {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}}, %rd{{[0-9]+}}, p, 1, 1, 1;
// PTX-DAG: wgmma.commit_group.sync.aligned;
// PTX-DAG: wgmma.wait_group.sync.aligned 1;
// PTX-DAG: wgmma.wait_group.sync.aligned 0;
// PTX-DAG: fence.proxy.async.shared::cta;
// PTX-DAG: ex2.approx.ftz.f32

// BIN: gpu.binary @gqa_causal_kernel

func.func @gqa_causal(%q: tensor<2x4x300x128xbf16>, %k: tensor<2x2x300x128xbf16>, %v: tensor<2x2x300x128xbf16>) -> tensor<2x4x300x128xbf16> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x300x128xbf16>, tensor<2x2x300x128xbf16>, tensor<2x2x300x128xbf16> -> tensor<2x4x300x128xbf16>
  return %o : tensor<2x4x300x128xbf16>
}
