//===- AttnOps.td - attn dialect ops -----------------------*- tablegen -*-===//
//
// attn.sdpa (scaled dot-product attention over [batch, heads, seq, dim]
// tensors) and attn.multi_head (projections, heads, output projection).
// Semantics follow the contract in DESIGN.md ("Semantics").
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNOPS_TD

include "attn/Dialect/Attn/IR/AttnDialect.td"
include "attn/Dialect/Attn/IR/AttnAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic, traits>;

def Attn_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Attn_MaskTensor : RankedTensorOf<[I1, F32, F16, BF16]>;

//===----------------------------------------------------------------------===//
// SDPAOp
//===----------------------------------------------------------------------===//

def Attn_SDPAOp : Attn_Op<"sdpa", [Pure, AttrSizedOperandSegments]> {
  let summary = "scaled dot-product attention";
  let description = [{
    `O = softmax(scale * Q Kᵀ + mask) V` per (batch, query head), with
    layout `[batch, heads, seq, dim]`:

    - `query` `[B, Hq, Sq, D]`, `key` `[B, Hkv, Skv, D]`,
      `value` `[B, Hkv, Skv, Dv]`, result `output` `[B, Hq, Sq, Dv]` with
      the element type of `value`. `Hq % Hkv == 0`; query head `h` reads
      key/value head `h / (Hq / Hkv)` (MHA, GQA and MQA). `D != Dv` is
      allowed.
    - `scale` defaults to `1 / sqrt(D)` (1 when D = 0).
    - `pattern`: a static mask pattern (`#attn.causal<top_left>`,
      `#attn.causal<bottom_right>`); a masked score is -inf.
    - `mask`: an optional tensor `[B|1, Hq|1, Sq, Skv]`, either a boolean
      keep-mask (`i1`, true = attend) or an additive float mask.
    - `key_lengths`: an optional `[B]` i32 tensor of valid key counts per
      batch entry (padding): keys `j >= key_lengths[b]` are masked (lengths
      are clamped to [0, Skv]).
    - A query row whose keys are all masked yields 0 (and log-sum-exp -inf),
      never NaN.
    - f16 / bf16 inputs accumulate in f32.
    - Optional second result `lse` `[B, Hq, Sq]` f32: the natural-log
      log-sum-exp of each row of scaled, masked scores.
    - `schedule`: how `attn-tile-flash` tiles the op (see
      `#attn.schedule`); `attn-derive-schedule` fills it in when absent.
    - `gpu_schedule`: the kernel `convert-attn-to-gpu` builds (see
      `#attn.gpu_schedule`); `attn-derive-gpu-schedule` fills it in.

    ```mlir
    %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>}
        : tensor<1x8x128x64xf16>, tensor<1x2x256x64xf16>,
          tensor<1x2x256x64xf16> -> tensor<1x8x128x64xf16>
    %o2, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x128x256xi1>)
        {scale = 0.125 : f32}
        : tensor<1x8x128x64xf16>, tensor<1x2x256x64xf16>,
          tensor<1x2x256x64xf16> -> tensor<1x8x128x64xf16>, tensor<1x8x128xf32>
    ```
  }];

  let arguments = (ins
    Attn_FloatTensor:$query,
    Attn_FloatTensor:$key,
    Attn_FloatTensor:$value,
    Optional<Attn_MaskTensor>:$mask,
    Optional<RankedTensorOf<[I32]>>:$key_lengths,
    OptionalAttr<F32Attr>:$scale,
    OptionalAttr<Attn_MaskPatternAttrInterface>:$pattern,
    OptionalAttr<Attn_ScheduleAttr>:$schedule,
    OptionalAttr<Attn_GPUScheduleAttr>:$gpu_schedule
  );
  let results = (outs
    Attn_FloatTensor:$output,
    Optional<RankedTensorOf<[F32]>>:$lse
  );

  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `:` type($mask) `)`)?
    (`key_lengths` `(` $key_lengths^ `:` type($key_lengths) `)`)?
    attr-dict `:` type($query) `,` type($key) `,` type($value)
    `->` type(results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Number of query heads per key/value head (Hq / Hkv).
    int64_t getGroupSize();
    /// The scale in effect: the `scale` attribute, else 1/sqrt(D) (1 at
    /// D = 0).
    double getEffectiveScale();
    /// The query type, `[B, Hq, Sq, D]`.
    ::mlir::RankedTensorType getQueryType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getQuery().getType());
    }
    ::mlir::RankedTensorType getKeyType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getKey().getType());
    }
    ::mlir::RankedTensorType getValueType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getValue().getType());
    }
    ::mlir::RankedTensorType getOutputType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getOutput().getType());
    }
  }];
}

//===----------------------------------------------------------------------===//
// MultiHeadOp
//===----------------------------------------------------------------------===//

def Attn_MultiHeadOp : Attn_Op<"multi_head", [Pure, AttrSizedOperandSegments]> {
  let summary = "multi-head attention with input and output projections";
  let description = [{
    Self-attention (no `kv`) or cross-attention (`kv` given):

    ```
    Q = input · Wq + bq      [B, Sq,  Hq·D]   -> heads [B, Hq,  Sq,  D]
    K = kv    · Wk + bk      [B, Skv, Hkv·D]  -> heads [B, Hkv, Skv, D]
    V = kv    · Wv + bv      [B, Skv, Hkv·Dv] -> heads [B, Hkv, Skv, Dv]
    A = sdpa(Q, K, V; mask, scale, pattern)   [B, Hq, Sq, Dv]
    output = merge_heads(A) · Wo + bo        [B, Sq, Eout]
    ```

    Weights are stored `[in_features, out_features]` (`x · W`). `kv` defaults
    to `input`. `num_kv_heads` defaults to `num_heads`. D and Dv are the
    projection widths divided by the head counts. Projections accumulate in
    f32 and are rounded to the input element type before the attention;
    `mask`, `scale` and `pattern` mean what they mean on `attn.sdpa`.

    ```mlir
    %y = attn.multi_head %x : tensor<2x16x64xf32>
        weights(%wq, %wk, %wv, %wo : tensor<64x64xf32>, tensor<64x32xf32>,
                tensor<64x32xf32>, tensor<64x64xf32>)
        {num_heads = 4 : i64, num_kv_heads = 2 : i64,
         pattern = #attn.causal<top_left>} -> tensor<2x16x64xf32>
    ```
  }];

  let arguments = (ins
    Attn_FloatTensor:$input,
    Optional<Attn_FloatTensor>:$kv_input,
    Attn_FloatTensor:$query_weight,
    Attn_FloatTensor:$key_weight,
    Attn_FloatTensor:$value_weight,
    Attn_FloatTensor:$output_weight,
    Optional<Attn_FloatTensor>:$query_bias,
    Optional<Attn_FloatTensor>:$key_bias,
    Optional<Attn_FloatTensor>:$value_bias,
    Optional<Attn_FloatTensor>:$output_bias,
    Optional<Attn_MaskTensor>:$mask,
    ConfinedAttr<I64Attr, [IntPositive]>:$num_heads,
    OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:$num_kv_heads,
    OptionalAttr<F32Attr>:$scale,
    OptionalAttr<Attn_MaskPatternAttrInterface>:$pattern
  );
  let results = (outs Attn_FloatTensor:$output);

  let assemblyFormat = [{
    $input `:` type($input)
    (`kv` `(` $kv_input^ `:` type($kv_input) `)`)?
    `weights` `(` $query_weight `,` $key_weight `,` $value_weight `,`
      $output_weight `:` type($query_weight) `,` type($key_weight) `,`
      type($value_weight) `,` type($output_weight) `)`
    (`q_bias` `(` $query_bias^ `:` type($query_bias) `)`)?
    (`k_bias` `(` $key_bias^ `:` type($key_bias) `)`)?
    (`v_bias` `(` $value_bias^ `:` type($value_bias) `)`)?
    (`o_bias` `(` $output_bias^ `:` type($output_bias) `)`)?
    (`mask` `(` $mask^ `:` type($mask) `)`)?
    attr-dict `->` type($output)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Number of key/value heads: `num_kv_heads`, else `num_heads`.
    int64_t getNumKVHeads() {
      return getNumKvHeadsAttr() ? getNumKvHeadsAttr().getInt() : getNumHeads();
    }
    /// The tensor keys and values are projected from: `kv`, else `input`.
    ::mlir::Value getKVSource() {
      return getKvInput() ? getKvInput() : getInput();
    }
  }];
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
