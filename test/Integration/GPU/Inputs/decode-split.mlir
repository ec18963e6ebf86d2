// One-query MHA decode over 8192 keys: too few blocks for the GPU, so the
// policy splits the keys (flash-decoding) and a second kernel combines.
func.func @decode(%q: tensor<1x8x1x128xbf16>, %k: tensor<1x8x8192x128xbf16>, %v: tensor<1x8x8192x128xbf16>) -> (tensor<1x8x1x128xbf16>, tensor<1x8x1xf32>) {
  %o, %l = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<1x8x1x128xbf16>, tensor<1x8x8192x128xbf16>, tensor<1x8x8192x128xbf16> -> tensor<1x8x1x128xbf16>, tensor<1x8x1xf32>
  return %o, %l : tensor<1x8x1x128xbf16>, tensor<1x8x1xf32>
}
