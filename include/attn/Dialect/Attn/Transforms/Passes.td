//===- Passes.td - attn dialect transformation passes ------*- tablegen -*-===//
//
// Passes that rewrite attn ops into other attn ops (or their building
// blocks) while staying on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DecomposeMultiHeadPass
    : Pass<"attn-decompose-multi-head"> {
  let summary = "Decompose attn.multi_head into projections and attn.sdpa";
  let description = [{
    Input: any IR; every `attn.multi_head` with static shapes is rewritten.
    Output: for each `attn.multi_head`, linalg on tensors computing the Q, K,
    V projections (f32 accumulation, bias added, rounded to the input element
    type), `tensor.expand_shape` + `linalg.transpose` splitting heads to
    `[B, H, S, D]`, one `attn.sdpa` carrying the op's mask, scale and
    pattern, the inverse head merge, and the output projection. No
    `attn.multi_head` remains; an op with dynamic shapes is reported as an
    error and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DeriveSchedulePass
    : Pass<"attn-derive-schedule"> {
  let summary = "Choose a FlashAttention schedule for every attn.sdpa";
  let description = [{
    The policy half of the flash path. For every `attn.sdpa` without a
    `schedule` attribute, reads the target description (pass options, else
    the module's `attn.target` `#attn.cpu_target<...>`, else the host CPU)
    and the op's shapes and writes `#attn.schedule<...>`. A hand-written
    schedule is kept, and checked against the target.

    Cost model (f32 accumulation; W = vector_bits / 32 lanes, R vector
    registers):
    - `vector_width = W`.
    - `register_vectors = min(4 if R = 32 else 2, block_q / W)` and
      `register_rows = min(8, (R - register_vectors - 1) / register_vectors)`:
      the largest broadcast-row x vector register tile whose accumulators,
      loaded vectors and one broadcast fit in R registers. In the row form
      (below) `register_vectors = min(4 if R = 32 else 2, rows)` (rows:
      block_q times the query heads per KV head): the query rows of the
      Q K^T dot products, times `register_rows` keys, rounded down to a
      power of two.
    - `block_q`: 64 rounded to W, shrunk (by halving, down to W) while the
      parallel work items B * Hq * ceil(Sq / block_q) are fewer than
      4 x cores, and never above Sq rounded up to W. A query shorter than
      W (decode, a few speculative tokens) takes `block_q = Sq`, which
      `attn-tile-flash` builds in its row form.
    - `kv_splits` (row form): when the work items B * Hkv * ceil(Sq /
      block_q) are fewer than the cores, ceil(cores / items), at most half
      the key blocks (each split keeps two) and 256; else 1.
    - `block_kv`: the key-block score tile (block_kv x R f32, R = block_q,
      or in the row form block_q times the query heads per KV head) takes
      at most half of L1: block_kv = clamp(L1 / 2 / (4 * R), 16, 256),
      rounded down to a multiple of 16, and at most Skv rounded up to 16.

    Input: any IR. Output: the same IR, every `attn.sdpa` carrying a
    `schedule`. With `explain`, each choice is reported as a remark.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"0",
           "Vector register width in bits (128, 256, 512; 0: module or host)">,
    Option<"vectorRegisters", "vector-registers", "int64_t", /*default=*/"0",
           "Number of vector registers (16 or 32; 0: module or host)">,
    Option<"cores", "cores", "int64_t", /*default=*/"0",
           "Cores to fill with parallel work (0: module or host)">,
    Option<"l1KB", "l1-kb", "int64_t", /*default=*/"0",
           "L1 data cache size in KiB (0: module or host)">,
    Option<"l2KB", "l2-kb", "int64_t", /*default=*/"0",
           "L2 cache size in KiB (0: module or host)">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Emit a remark on every op explaining the chosen schedule">
  ];
}

def TileFlashPass
    : Pass<"attn-tile-flash"> {
  let summary = "Tile attn.sdpa into a FlashAttention-2 loop nest";
  let description = [{
    The mechanism half of the flash path: follows each op's `schedule`
    exactly (run `attn-derive-schedule` first).

    Input: `attn.sdpa` ops with static shapes and a `schedule`.
    Output (target-neutral, on memrefs obtained with
    `bufferization.to_buffer`; the result is a `bufferization.to_tensor` of a
    fresh buffer):
    - `scf.forall` over (batch, query head, query block); query blocks run
      in a zig-zag order so that causal work is balanced across threads.
    - `block_q < vector_width` selects the row form, for decode and short
      queries: the forall runs over (batch, KV head, query block), a work
      item taking the block's rows of all the KV head's query heads
      (grouped-query heads stacked, so every K/V tile is read once for
      them); Q is kept as rows (heads * block_q x D), the score tile is
      `S` (heads * block_q x block_kv, keys innermost; columns past the
      last block's keys hold -inf), `S = Q · K_blockᵀ` is a
      `linalg.generic` of dot products over the head dim, and the
      softmax and `acc += S · V_block` run along the keys. The column
      form below would spend a vector of mostly padding query columns on
      every key. With `kv_splits` > 1 (split-KV) the forall gains a
      split dim: each work item takes its share of whole key blocks and
      copies its unnormalized accumulator, row max and row sum into f32
      workspaces; after the forall, `linalg.generic`s combine them (max
      over splits, weights `exp2(m - M)`, output `sum w acc / sum w l`,
      the lse).
    - Per work item, scratch buffers (`memref.alloc`, freed by the buffer
      deallocation pipeline at the end of the work item): the query
      block transposed and pre-scaled by `scale * log2(e)` (`Qᵀ`,
      D x block_q), the score tile (`Sᵀ`, block_kv x block_q), the f32
      output accumulator (block_q x Dv), running max and running sum; for
      f16 / bf16 inputs, f32 copies of the K and V blocks (block_kv x D,
      block_kv x Dv), widened once per key block so that the contractions
      read f32 only.
    - `scf.for` over the key blocks the mask pattern and the key lengths
      leave visible (Empty tiles are never visited: causal masking ends the
      loop at the diagonal, padding at the batch entry's key length, whose
      block is clipped); `Sᵀ = K_block · Qᵀ` (`linalg.matmul`); the mask applied by
      an `scf.if` only on Partial tiles (pattern, key padding past Skv,
      mask tensors); the online softmax in f32 with `math.exp2`; the
      accumulator rescaled and `acc += Pᵀᵀ · V_block` (`linalg.generic`
      contraction).
    - Final normalization (0 for rows with every key masked), rounding to
      V's element type, and the optional log-sum-exp
      (`(max + log2(sum)) * ln 2`, -inf for fully masked rows).
    No buffer of Sq x Skv elements is created. Ops without a schedule, with
    dynamic shapes or with a head dim of 0 are left alone (the reference
    lowering handles them);
    an op whose schedule cannot apply is reported and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def VectorizeCPUPass : Pass<"attn-vectorize-cpu"> {
  let summary = "Vectorize the tiled flash form for x86 CPUs";
  let description = [{
    x86 code generation for the tile ops of `attn-tile-flash`, after
    bufferization (linalg on memrefs):

    - Contractions `C[m, n] += A[m, k] * B[k, n]` (any layout of A, f32 C,
      inputs floats of at most 32 bits, n static and contiguous in B and C)
      become register-blocked micro-kernels: `register_rows` rows of A
      broadcast from memory times `register_vectors` vectors of B, with
      `register_rows x register_vectors` f32 accumulators kept in registers
      across the k loop (`vector.fma`); when n is not a multiple of the
      vector width, the last vector is loaded and stored masked. Inputs of
      other float types are
      extended to f32. A `linalg.fill` of zero right before the
      contraction on the same buffer is folded into zero-initialized
      accumulators. A large contraction outside any parallel loop (a
      multi-head projection) runs its row groups as an `scf.parallel`.
    - Dot-product contractions `C[m, n] += sum_k A[m, k] * B[n, k]` (k
      static and contiguous in A and B; the row form's `Q K^T`): groups of
      `register_vectors` rows of A times `register_rows` rows of B, one f32
      accumulator vector each over lanes-wide steps of k (a masked load
      for the last partial step), then one horizontal sum per accumulator.
    - Elementwise and reduction `linalg.generic`/`linalg.fill`/`linalg.copy`
      ops whose innermost loop is parallel, static and contiguous become
      loops over the outer dims with vector bodies over the innermost one
      (operands that do not depend on it are broadcast). An input of a 2-D
      op read as the transpose of its loops, like the column form's mask
      tile, is loaded in 16 x 16 blocks along its contiguous dim and
      transposed in registers when vectors have 16 lanes and its elements
      are i1, i8, i32, f16, bf16 or f32 (i1 buffers hold one byte per
      element; their rows are loaded as bytes through the buffer's aligned
      pointer); the rows past the last whole block, and other inputs of
      whole bytes read along another dim, are gathered with one scalar
      load per lane.
    - Sums (`arith.addf`) and maxima (`arith.maximumf`) along a static,
      contiguous innermost dim that is a multiple of the vector width (the
      row form's softmax): a vector accumulator per row, then one
      horizontal reduction (reassociated for sums).
    - `math.exp2` on f32 vectors becomes a polynomial (range reduction to
      [-0.5, 0.5], degree-7 polynomial, exponent bits), exact 0 below
      2^-126.

    The register tile comes from the `attn.register_tile` attribute that
    `attn-tile-flash` puts on its contractions ([vector_width, rows,
    vectors]), else from the options, whose 0 defaults mean the host CPU's
    vector width and the register tile `attn-derive-schedule` would pick
    for it (other contractions, e.g. multi-head projections, use these). Ops that do not qualify are left
    alone for `convert-linalg-to-loops`.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"0",
           "f32 lanes per vector when an op carries no register tile "
           "(0: the host's)">,
    Option<"registerRows", "register-rows", "int64_t", /*default=*/"0",
           "Broadcast rows of the micro-kernel register tile (0: derived "
           "from the host's registers)">,
    Option<"registerVectors", "register-vectors", "int64_t", /*default=*/"0",
           "Vectors per row of the micro-kernel register tile (0: derived "
           "from the host's registers)">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Remark on each flash tile contraction left to scalar loops "
           "(e.g. a dynamic value head dim)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::ub::UBDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def StripAnnotationsPass : Pass<"attn-strip-annotations"> {
  let summary = "Drop attn attributes that code generation has consumed";
  let description = [{
    Removes the discardable `attn.*` attributes (`attn.target` and
    `attn.gpu_target` on modules, `attn.register_tile` on linalg ops,
    `attn.accumulator_registers` in tensor-core kernels) from every op, so
    that the lowered IR can be read and translated without the attn dialect
    (for example by `mlir-translate` or `attn-translate --mlir-to-llvmir`).
    Runs last in `attn-lower-to-llvm` and `attn-lower-to-nvvm`.
  }];
}

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
