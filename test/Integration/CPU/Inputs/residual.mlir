// A residual block: elementwise work on an argument around attention.
func.func @residual(%x: tensor<1x2x5x16xf32>, %k: tensor<1x2x7x16xf32>, %v: tensor<1x2x7x16xf32>) -> tensor<1x2x5x16xf32> {
  %o = attn.sdpa %x, %k, %v : tensor<1x2x5x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32> -> tensor<1x2x5x16xf32>
  %y = arith.addf %x, %o : tensor<1x2x5x16xf32>
  return %y : tensor<1x2x5x16xf32>
}
