//===- AttnAttrs.td - attn attributes and interfaces -------*- tablegen -*-===//
//
// Mask-pattern attributes of the attn dialect. Every static mask pattern
// implements MaskPatternAttrInterface, which answers "may query i see key j"
// both as a host-side predicate (for references and tile classification) and
// as IR (for lowerings). New patterns (sliding window, chunked, and/or, ...)
// are new attributes implementing the same interface, so the `pattern`
// attribute of the ops never changes syntax.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD

include "attn/Dialect/Attn/IR/AttnDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// MaskPatternAttrInterface
//===----------------------------------------------------------------------===//

def Attn_MaskPatternAttrInterface : AttrInterface<"MaskPatternAttrInterface"> {
  let cppNamespace = "::mlir::attn";
  let description = [{
    A static attention mask pattern: a predicate over (query index, key index)
    given the query and key sequence lengths. A key the predicate rejects
    gets score -inf before the softmax.
  }];
  let methods = [
    InterfaceMethod<
      "Returns true when query `queryIndex` may attend to key `keyIndex`.",
      "bool", "isKeyVisible",
      (ins "int64_t":$queryIndex, "int64_t":$keyIndex,
           "int64_t":$querySeqLen, "int64_t":$keySeqLen)>,
    InterfaceMethod<
      [{Builds an i1 value (or a vector of i1 when the index values are
        vectors) that is true where the query may attend to the key. All
        operands are of `index` type (or vectors of index).}],
      "::mlir::Value", "buildKeyVisible",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$queryIndex, "::mlir::Value":$keyIndex,
           "::mlir::Value":$querySeqLen, "::mlir::Value":$keySeqLen)>,
    InterfaceMethod<
      [{Classifies the tile of queries [queryBegin, queryEnd) and keys
        [keyBegin, keyEnd) (half-open, non-empty): Empty when no pair is
        visible, Full when every pair is, Partial otherwise.}],
      "::mlir::attn::TileKind", "classifyTile",
      (ins "int64_t":$queryBegin, "int64_t":$queryEnd, "int64_t":$keyBegin,
           "int64_t":$keyEnd, "int64_t":$querySeqLen, "int64_t":$keySeqLen)>,
    InterfaceMethod<
      [{Builds the half-open key range [first, last) that any query in
        [queryBegin, queryEnd) may see, clamped to [0, keySeqLen]; keys
        outside it form Empty tiles that a tiled loop never visits. All
        values are of `index` type.}],
      "std::pair<::mlir::Value, ::mlir::Value>", "buildVisibleKeyRange",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$queryBegin, "::mlir::Value":$queryEnd,
           "::mlir::Value":$querySeqLen, "::mlir::Value":$keySeqLen)>,
    InterfaceMethod<
      [{Builds the half-open key range [first, end) that query `queryIndex`
        sees, clamped to [0, keySeqLen], for patterns under which every
        query sees one contiguous run of keys (then `j` is visible iff
        `first <= j < end`, so a kernel compares each key against two
        per-row bounds instead of rebuilding the predicate per element).
        Returns std::nullopt for patterns whose rows see scattered keys; a
        lowering then calls buildKeyVisible per key. All values are of
        `index` type.}],
      "std::optional<std::pair<::mlir::Value, ::mlir::Value>>",
      "buildRowKeyRange",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$queryIndex, "::mlir::Value":$querySeqLen,
           "::mlir::Value":$keySeqLen),
      /*methodBody=*/"", /*defaultImplementation=*/[{ return std::nullopt; }]>,
    InterfaceMethod<
      [{Builds an i1 that is true when every query in [queryBegin, queryEnd)
        sees every key in [keyBegin, keyEnd) (a Full tile: no mask
        arithmetic needed).}],
      "::mlir::Value", "buildIsTileFull",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$queryBegin, "::mlir::Value":$queryEnd,
           "::mlir::Value":$keyBegin, "::mlir::Value":$keyEnd,
           "::mlir::Value":$querySeqLen, "::mlir::Value":$keySeqLen)>,
  ];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Attn_CausalAlignment : I32EnumAttr<"CausalAlignment",
    "which corner of the score matrix the causal diagonal starts from", [
      I32EnumAttrCase<"TopLeft", 0, "top_left">,
      I32EnumAttrCase<"BottomRight", 1, "bottom_right">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

def Attn_TileKind : I32EnumAttr<"TileKind",
    "what a mask pattern says about one (query block, key block) tile", [
      I32EnumAttrCase<"Empty", 0, "empty">,
      I32EnumAttrCase<"Partial", 1, "partial">,
      I32EnumAttrCase<"Full", 2, "full">
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Attn_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Attn_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Attn_CausalAttr : Attn_Attr<"Causal", "causal",
    [DeclareAttrInterfaceMethods<Attn_MaskPatternAttrInterface,
                                ["buildRowKeyRange"]>]> {
  let summary = "causal mask with an explicit alignment";
  let description = [{
    Causal masking. `top_left`: query i sees keys `j <= i` (PyTorch
    `is_causal=True`). `bottom_right`: query i sees keys `j <= i + Skv - Sq`
    (FlashAttention, KV-cache decode). With `Sq == Skv` both agree.

    ```mlir
    #attn.causal<top_left>
    #attn.causal<bottom_right>
    ```
  }];
  let parameters = (ins EnumParameter<Attn_CausalAlignment>:$alignment);
  let assemblyFormat = "`<` $alignment `>`";
}

def Attn_SlidingWindowAttr : Attn_Attr<"SlidingWindow", "sliding_window",
    [DeclareAttrInterfaceMethods<Attn_MaskPatternAttrInterface,
                                ["buildRowKeyRange"]>]> {
  let summary = "local (sliding-window) attention";
  let description = [{
    Query i sees the keys within `left` before and `right` after its
    diagonal position `i + o`, where the alignment gives `o` as for
    `#attn.causal`: 0 for `top_left`, `Skv - Sq` for `bottom_right`.
    That is, `i + o - left <= j <= i + o + right` (FlashAttention's
    `window_size=(left, right)`, which aligns bottom-right). `right = 0` is
    causal local attention (Mistral, Gemma); the key blocks outside the
    window are never visited. `left` and `right` lie in [0, 2^31 - 1] (a
    window wider than the sequences is unbounded on that side).

    ```mlir
    #attn.sliding_window<bottom_right, left = 4096, right = 0>
    ```
  }];
  let parameters = (ins EnumParameter<Attn_CausalAlignment>:$alignment,
                        "int64_t":$left, "int64_t":$right);
  let assemblyFormat = [{
    `<` $alignment `,` `left` `=` $left `,` `right` `=` $right `>`
  }];
  let genVerifyDecl = 1;
}

def Attn_StridedAttr : Attn_Attr<"Strided", "strided",
    [DeclareAttrInterfaceMethods<Attn_MaskPatternAttrInterface,
                                ["buildRowKeyRange"]>]> {
  let summary = "causal strided attention (scattered keys)";
  let description = [{
    Query i sees the keys at or before its diagonal position `i + o` whose
    distance from it is a multiple of `stride`: `j <= i + o` and
    `(i + o - j) % stride == 0`, with `o` as for `#attn.causal` (0 for
    `top_left`, `Skv - Sq` for `bottom_right`). This is the "strided"
    pattern of Sparse Transformers (Child et al., 2019); `stride = 1` is
    `#attn.causal`. `stride` lies in [1, 2^31 - 1].

    Its rows see scattered keys, not one run: past stride 1 it has no row
    range (`buildRowKeyRange`), so the tensor-core kernels test each key
    of the tiles it cuts with `buildKeyVisible`, and a tile is Full only
    when it holds a single visible pair. Key blocks past the diagonal are
    never visited.

    ```mlir
    #attn.strided<top_left, stride = 4>
    ```
  }];
  let parameters = (ins EnumParameter<Attn_CausalAlignment>:$alignment,
                        "int64_t":$stride);
  let assemblyFormat = [{
    `<` $alignment `,` `stride` `=` $stride `>`
  }];
  let genVerifyDecl = 1;
}

def Attn_ScheduleAttr : Attn_Attr<"Schedule", "schedule"> {
  let summary = "FlashAttention schedule of one attn.sdpa";
  let description = [{
    How `attn-tile-flash` tiles an `attn.sdpa` (written by
    `attn-derive-schedule`, or by hand to override it):

    - `block_q`: query rows per parallel work item (a multiple of
      `vector_width`, or less than it for `attn-tile-flash`'s row form,
      as decode takes); the parallel dims are (batch, head, query block),
      in the row form (batch, KV head, query block).
    - `block_kv`: keys per step of the sequential loop over key blocks.
    - `vector_width`: f32 lanes of one vector register.
    - `register_rows` x `register_vectors`: the register tile of the
      matmul micro-kernels (rows broadcast from memory, vectors of
      `vector_width` lanes held in registers); in the row form's Q K^T,
      `register_vectors` query rows times `register_rows` keys.
    - `kv_splits` (optional, default 1; row form only): split-KV
      (flash-decoding) for decode with fewer work items than cores: the
      visible key blocks of each work item are shared by `kv_splits`
      parallel items, whose partial results a second step combines by
      their maxima.

    ```mlir
    #attn.schedule<block_q = 64, block_kv = 64, vector_width = 16,
                   register_rows = 6, register_vectors = 4>
    #attn.schedule<block_q = 1, block_kv = 256, vector_width = 16,
                   register_rows = 8, register_vectors = 1, kv_splits = 2>
    ```
  }];
  let parameters = (ins "int64_t":$blockQ, "int64_t":$blockKV,
                        "int64_t":$vectorWidth, "int64_t":$registerRows,
                        "int64_t":$registerVectors,
                        DefaultValuedParameter<"int64_t", "1">:$kvSplits);
  let assemblyFormat = [{
    `<` `block_q` `=` $blockQ `,` `block_kv` `=` $blockKV `,`
        `vector_width` `=` $vectorWidth `,` `register_rows` `=` $registerRows
        `,` `register_vectors` `=` $registerVectors
        (`,` `kv_splits` `=` $kvSplits^)? `>`
  }];
  let genVerifyDecl = 1;
}

def Attn_CPUTargetAttr : Attn_Attr<"CPUTarget", "cpu_target"> {
  let summary = "description of an x86 CPU for attn-derive-schedule";
  let description = [{
    The facts the schedule policy reads: vector register width in bits
    (128, 256 or 512), the number of vector registers, the core count, and
    the L1 data / L2 cache sizes in KiB. Attached to a module as
    `attn.target`, or given as pass options; defaults come from the host.

    ```mlir
    module attributes {attn.target = #attn.cpu_target<vector_bits = 512,
        vector_registers = 32, cores = 2, l1_kb = 32, l2_kb = 1024>} {}
    ```
  }];
  let parameters = (ins "int64_t":$vectorBits, "int64_t":$vectorRegisters,
                        "int64_t":$cores, "int64_t":$l1KB, "int64_t":$l2KB);
  let assemblyFormat = [{
    `<` `vector_bits` `=` $vectorBits `,` `vector_registers` `=`
        $vectorRegisters `,` `cores` `=` $cores `,` `l1_kb` `=` $l1KB `,`
        `l2_kb` `=` $l2KB `>`
  }];
  let genVerifyDecl = 1;
}

def Attn_GPUScheduleAttr : Attn_Attr<"GPUSchedule", "gpu_schedule"> {
  let summary = "GPU kernel schedule of one attn.sdpa";
  let description = [{
    How `convert-attn-to-gpu` builds the kernel of an `attn.sdpa` (written
    by `attn-derive-gpu-schedule`, or by hand to override it):

    - `kernel`: `"wgmma"` (sm_90a tensor cores: TMA copies, wgmma.mma_async,
      a warpgroup per 64 query rows), `"mma"` (tensor cores, mma.sync: a
      warp per 16 query rows) or `"simt"` (a thread per query row).
    - `block_q`: query rows per thread block (wgmma: 64 or 128; mma: a
      multiple of 16 up to 512; simt: 1 to 1024 threads).
    - `block_kv`: keys per shared-memory K/V tile (wgmma: 64, 128, 192 or
      256; mma: a multiple of 16 up to 256; simt: 1 to 1024).
    - `warp_rows` (mma, optional, default 16): query rows per warp, 16 or
      32. With 16 the warp's Q fragments stay in registers; with 32 Q is
      staged in shared memory and every K/V fragment read from shared
      memory feeds two MMAs (`block_q / warp_rows` warps).

    - `kv_splits` (wgmma and mma, optional, default 1): split-KV (flash-decoding).
      The keys of each query block are shared by `kv_splits` thread blocks
      that write partial results to a workspace; a second kernel combines
      them by their log-sum-exp. For grids too small to fill the GPU
      (decode: a query row per head).

    ```mlir
    #attn.gpu_schedule<kernel = "mma", block_q = 64, block_kv = 64>
    #attn.gpu_schedule<kernel = "mma", block_q = 128, block_kv = 64, warp_rows = 32>
    #attn.gpu_schedule<kernel = "mma", block_q = 16, block_kv = 64, kv_splits = 8>
    #attn.gpu_schedule<kernel = "wgmma", block_q = 128, block_kv = 128>
    ```
  }];
  // Snake-case names: struct() spells them as the keys; the accessors are
  // still getBlockQ() etc. Defaulted keys may be left out.
  let parameters = (ins StringRefParameter<"kernel kind">:$kernel,
                        "int64_t":$block_q, "int64_t":$block_kv,
                        DefaultValuedParameter<"int64_t", "16">:$warp_rows,
                        DefaultValuedParameter<"int64_t", "1">:$kv_splits);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Attn_GPUTargetAttr : Attn_Attr<"GPUTarget", "gpu_target"> {
  let summary = "description of an NVIDIA GPU for attn-derive-gpu-schedule";
  let description = [{
    The facts the GPU schedule policy reads: the compute capability
    (`sm = 80` for sm_80, 90 for sm_90a), the shared memory one block may
    use in KiB (48 without an opt-in on every GPU from sm_80 on; at most
    the chip's opt-in limit, e.g. 163 on sm_80, 227 on sm_90), and the
    number of SMs (to keep small problems from leaving most of the GPU
    idle). Attached to a module as `attn.gpu_target`, or given as pass
    options; defaults follow the chip.

    ```mlir
    module attributes {attn.gpu_target = #attn.gpu_target<sm = 90,
        shared_kb = 48, sms = 132>} {}
    ```
  }];
  let parameters = (ins "int64_t":$sm, "int64_t":$sharedKB, "int64_t":$sms);
  let assemblyFormat = [{
    `<` `sm` `=` $sm `,` `shared_kb` `=` $sharedKB `,` `sms` `=` $sms `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The most shared memory one block may opt into on a GPU of compute
    /// capability `sm` (x 10), in KiB: 64 (sm_75), 163 (sm_80, sm_87), 99
    /// (other sm_8x, sm_12x), 227 (sm_90, sm_10x). `shared_kb` and the
    /// passes' shared-kb options may not exceed it.
    static int64_t maxSharedKB(int64_t sm);
    /// Threads and blocks one SM of compute capability `sm` holds: 1024 /
    /// 16 (sm_75), 1536 / 16 (sm_86, sm_87), 1536 / 24 (sm_89, sm_12x),
    /// 2048 / 32 (sm_80, sm_90, sm_10x).
    static int64_t maxThreadsPerSM(int64_t sm);
    static int64_t maxBlocksPerSM(int64_t sm);
  }];
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNATTRS_TD
