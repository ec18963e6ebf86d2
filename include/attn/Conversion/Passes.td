//===- Passes.td - attn conversion passes ------------------*- tablegen -*-===//
//
// Conversions out of the attn dialect.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_PASSES_TD
#define ATTN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAttnToLinalgPass : Pass<"convert-attn-to-linalg"> {
  let summary = "Lower attn.sdpa to linalg on tensors with materialized scores";
  let description = [{
    The reference lowering and the test oracle: implements every rule of the
    semantics contract (scale, GQA head mapping, both causal alignments, i1
    keep-masks and additive masks broadcast over batch and heads, fully
    masked rows giving 0 and log-sum-exp -inf, f32 accumulation for f16 and
    bf16 inputs) in the most direct way.

    Input: `attn.sdpa` ops with static shapes (run
    `attn-decompose-multi-head` first for `attn.multi_head`).
    Output: `linalg.generic` / `linalg.fill` / `tensor` ops on tensors that
    materialize the `[B, Hkv, Hq/Hkv, Sq, Skv]` f32 score tensor, a row max,
    the exponentials, a row sum, P·V and the normalization. No `attn.sdpa`
    remains; an op with dynamic shapes is reported and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertAttnToGPUPass : Pass<"convert-attn-to-gpu"> {
  let summary = "Lower attn.sdpa to a FlashAttention gpu.launch (SIMT or tensor cores)";
  let description = [{
    One `gpu.launch` per `attn.sdpa`, with a block per (query block, query
    head, batch). Three kernels, chosen by `kernel`:

    * `simt`: a thread per query row. All threads stage key/value tiles in
      shared memory (`#gpu.address_space<workgroup>`, f32); each keeps its
      pre-scaled query row and f32 accumulator in registers (the head-dim
      loops are fully unrolled) and runs the exp2 online softmax. Every
      shape and dtype.
    * `mma`: FlashAttention-2 on tensor cores (`nvvm.mma.sync` m16n8k16,
      sm_80 and later), f16/bf16 with head dims that are multiples of 16 (at
      most 256). A warp per 16 query rows (`block-q / 16` warps); the Q
      fragments stay in registers; K/V tiles of `block-kv` rows (padded
      rows, 16-byte `cp.async` copies) in shared memory, V loading during
      Q K^T and the softmax and the next K during P V; S = Q K^T in f32 C fragments,
      masked only on partial tiles; online softmax with quad shuffles; P
      reused in registers as the A operand of O += P V; causal blocks run
      longest first. Short queries (at most 16) with grouped heads stack
      the query heads of a KV head in one block's rows (a block per row
      block, KV head and batch), so each K/V tile serves the whole group.
      An op it cannot take is an error.
    * `wgmma` (sm_90a): the same schedule on Hopper's asynchronous units, for
      f16/bf16 with head dims that are multiples of 64 (at most 256). A
      warpgroup per 64 query rows (`block-q` 64 or 128); Q, K and V copied
      by TMA (tensor maps made on the host with `nvgpu.tma.create.descriptor`,
      128-byte swizzle) with mbarrier completion; Q K^T as
      `nvvm.wgmma.mma_async` on shared-memory descriptors, P V with P in
      registers (inline PTX) and V double-buffered, issued so that P V of
      one key block runs during the next block's softmax; V rows past the
      visible keys zeroed. Needs PTX 8.3 (`fence.proxy.tensormap`).
    * `auto` (the default): `mma` where it applies, otherwise `simt` with a
      remark that names the reason.

    An op carrying `gpu_schedule` (from `attn-derive-gpu-schedule`, or
    written by hand) gets the kernel and block sizes it names, checked
    against the op and the module's `attn.gpu_target` (default: a chip
    with tensor cores, 48 KiB of shared memory per block for simt, the
    chip's opt-in limit for mma and wgmma; past 48 KiB the runtime opts the
    kernel in); otherwise the options below are fed to the same policy.

    In all, empty key blocks (causal pattern, key length) are not visited;
    masks, GQA, fully masked rows (0, lse -inf) and the lse follow the
    semantics contract.

    Input: `attn.sdpa` with static shapes. Output: `bufferization.to_buffer`
    of the operands, a `gpu.launch` (two with split-KV: the second combines
    the partial results), `bufferization.to_tensor` of the new output
    buffers; for `wgmma` also `memref.cast` + `nvgpu.tma.create.descriptor`
    of Q, K and V before the launch. The operands are used in place: at run
    time they must be device memory, 16-byte aligned for the tensor-core
    kernels.
  }];
  let options = [
    Option<"kernel", "kernel", "std::string", /*default=*/"\"auto\"",
           "Kernel: simt, mma (tensor cores), wgmma (sm_90a: TMA + "
           "wgmma.mma_async) or auto (mma where it applies)">,
    Option<"blockQ", "block-q", "int64_t", /*default=*/"64",
           "Query rows per block (simt: threads; mma: 16 per warp; wgmma: "
           "64 or 128); 0 derives it">,
    Option<"blockKV", "block-kv", "int64_t", /*default=*/"0",
           "Key rows per shared-memory tile (mma: a multiple of 16; wgmma: "
           "of 64); 0 derives it (attn-derive-gpu-schedule's policy)">,
    Option<"warpRows", "warp-rows", "int64_t", /*default=*/"16",
           "mma: query rows per warp, 16 or 32">,
    Option<"kvSplits", "kv-splits", "int64_t", /*default=*/"1",
           "mma, wgmma: split-KV ways (0 derives it)">,
    Option<"sharedKB", "shared-kb", "int64_t", /*default=*/"0",
           "Shared memory per block in KiB (0: the module's attn.gpu_target, "
           "else 48 for simt and the chip's opt-in limit for mma and wgmma, "
           "e.g. 163 on sm_80, 227 on sm_90a; never more than that limit)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def HostToGPUPass : Pass<"attn-host-to-gpu"> {
  let summary = "Move the host computation of bufferized functions onto the GPU";
  let description = [{
    For `attn-lower-to-nvvm`, after `convert-attn-to-gpu` and
    bufferization: what a function computes besides its attention kernels
    (e.g. the projections, head split and merge of a decomposed
    `attn.multi_head`) would otherwise run on the host over device memory.
    Correct rather than fast:

    * a `linalg.matmul` of f16/bf16 into f32 (static, identity layouts, K
      a multiple of 16, N of 8: the projections) becomes a tensor-core
      kernel (mma.sync m16n8k16, 64 x 64 tiles of 4 warps, accumulating
      onto C) unless `tensor-cores=false` (chips before sm_80);
    * every other linalg op outside a kernel becomes an `scf.parallel` nest
      (reductions as sequential `scf.for` inside), and every outermost
      host `scf.parallel` (these and the function's own) a `gpu.launch` of
      256-thread blocks, a thread per iteration;
    * an op with no parallel dimension (a full reduction) runs on one
      thread of a one-warp kernel;
    * host `memref.alloc` becomes `gpu.alloc`, freed with `gpu.dealloc`
      before the function returns; a host constant (`memref.get_global`)
      gets a device copy; `memref.copy` becomes `gpu.memcpy` between dense
      buffers and a copy kernel otherwise.

    Views (`memref.expand_shape`, `collapse_shape`, ...) stay on the host;
    a buffer that is returned, directly or through a view, is not freed,
    and a `memref.dealloc` of a moved buffer becomes its `gpu.dealloc`.
    Errors: a buffer allocated inside control flow (`scf.if` / `scf.for`),
    an `scf.parallel` with results (a reduction), a copy of an unranked
    memref.
  }];
  let options = [
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "Run f16/bf16 matmuls on the mma.sync kernel (sm_80 and later); "
           "false: the simple kernels">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def DeriveGPUSchedulePass : Pass<"attn-derive-gpu-schedule"> {
  let summary = "Choose the GPU kernel and block sizes of every attn.sdpa";
  let description = [{
    The policy half of the GPU path (`convert-attn-to-gpu` is the
    mechanism): sets `gpu_schedule` (`#attn.gpu_schedule<kernel, block_q,
    block_kv>`) on every `attn.sdpa` without one, from the target — the
    module's `attn.gpu_target` (`#attn.gpu_target<sm, shared_kb, sms>`),
    overridden by the options, defaults following the chip — and the
    shapes:

    * kernel: `mma` (tensor cores) where the chip has bf16 mma.sync (sm_80
      and later), the dtype is f16/bf16, the head dims are multiples of 16
      (at most 256) and a K/V tile fits shared memory; otherwise `simt`,
      with a remark naming the reason when `kernel=auto`; `kernel=mma` on
      an op it cannot take is an error.
    * mma `block_q`: 64 query rows (4 warps of 16), fewer for a short query
      sequence, halved down to 16 while the grid has fewer blocks than the
      GPU has SMs (short queries with grouped heads count the group's heads
      as rows of one block); `block_kv`: the largest tile of up to 64 keys
      (32 past head dim 128, 16 for a single warp past head dim 64, where
      registers run out) that fits shared memory and is no longer than the
      keys (rounded up to 16). Past head dim 128 Q waits in shared memory
      too, past 48 KiB at D 256.
    * Shared memory: by default the tensor-core kernels may use what a
      block of the chip may opt into (163 KiB on sm_80, 227 KiB on sm_90a),
      simt 48 KiB; `shared-kb` or the target's `shared_kb` caps both.
    * `kernel=wgmma` (only when asked for; sm_90a, f16/bf16, head dims
      multiples of 64): `block_q` 128 (two warpgroups) while the grid
      fills the GPU or past head dim 128 (one alone spills), else 64;
      `block_kv` 128 up to head dim 64, else 64. An op it cannot take is
      an error.
    * `kv_splits` (tensor-core kernels): split-KV when the grid cannot fill
      the GPU and the key loop has at least 8 tiles — enough splits for
      about two blocks per SM, each of at least 4 tiles.
    * simt `block_q`: 64 threads (32 for a query of at most 32 rows);
      `block_kv`: 64 keys, halved until the f32 tiles fit in 40 KiB.

    A hand-written `gpu_schedule` is kept and checked. `explain=true` adds
    a remark per op with the choice and its numbers.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"\"",
           "GPU architecture (sm_80, sm_90a, ...); default: the module's "
           "attn.gpu_target, else sm_90a">,
    Option<"sms", "sms", "int64_t", /*default=*/"0",
           "Streaming multiprocessors (0: the module's attn.gpu_target "
           "when it describes the chip, else typical for the chip)">,
    Option<"sharedKB", "shared-kb", "int64_t", /*default=*/"0",
           "Shared memory per block in KiB (0: the module's "
           "attn.gpu_target when it describes the chip, else 48 for simt "
           "and the chip's opt-in limit for mma and wgmma, e.g. 163 on "
           "sm_80, 227 on sm_90a; never more than that limit)">,
    Option<"kernel", "kernel", "std::string", /*default=*/"\"auto\"",
           "Kernel: simt, mma, wgmma (sm_90a) or auto">,
    Option<"blockQ", "block-q", "int64_t", /*default=*/"0",
           "Query rows per block; 0 derives it">,
    Option<"blockKV", "block-kv", "int64_t", /*default=*/"0",
           "Keys per shared-memory tile; 0 derives it">,
    Option<"warpRows", "warp-rows", "int64_t", /*default=*/"16",
           "mma: query rows per warp, 16 (Q in registers) or 32 (Q in "
           "shared memory, each K/V fragment feeds two MMAs)">,
    Option<"kvSplits", "kv-splits", "int64_t", /*default=*/"0",
           "mma, wgmma: split-KV ways (1: none); 0 derives it (splits when the "
           "grid cannot fill the GPU and the key loop is long)">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Explain every choice with a remark">
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect"];
}

#endif // ATTN_CONVERSION_PASSES_TD
