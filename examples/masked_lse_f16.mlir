// Cross-length attention with a boolean keep-mask broadcast over heads and
// the log-sum-exp second result, f16 inputs.
//
//   attn-run examples/masked_lse_f16.mlir
func.func @masked_lse(%q: tensor<2x8x100x64xf16>, %k: tensor<2x8x300x64xf16>,
                      %v: tensor<2x8x300x64xf16>, %mask: tensor<2x1x100x300xi1>)
    -> (tensor<2x8x100x64xf16>, tensor<2x8x100xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%mask : tensor<2x1x100x300xi1>)
      : tensor<2x8x100x64xf16>, tensor<2x8x300x64xf16>, tensor<2x8x300x64xf16>
      -> tensor<2x8x100x64xf16>, tensor<2x8x100xf32>
  return %o, %lse : tensor<2x8x100x64xf16>, tensor<2x8x100xf32>
}
