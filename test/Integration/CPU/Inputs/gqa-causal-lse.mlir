// The kernel the C-interface test links: GQA (8 query heads over 2 kv
// heads), bottom-right causal, with the log-sum-exp result.
func.func @attention(%q: tensor<2x8x33x24xf32>, %k: tensor<2x2x129x24xf32>, %v: tensor<2x2x129x40xf32>) -> (tensor<2x8x33x40xf32>, tensor<2x8x33xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x8x33x24xf32>, tensor<2x2x129x24xf32>, tensor<2x2x129x40xf32> -> tensor<2x8x33x40xf32>, tensor<2x8x33xf32>
  return %o, %lse : tensor<2x8x33x40xf32>, tensor<2x8x33xf32>
}
