func.func @s(%q: tensor<2x2x1x16xf32>, %k: tensor<2x1x40x16xf32>, %v: tensor<2x1x40x8xf32>) -> (tensor<2x2x1x8xf32>, tensor<2x2x1xf32>) {
  %o, %l = attn.sdpa %q, %k, %v {pattern = #attn.strided<bottom_right, stride = 16>} : tensor<2x2x1x16xf32>, tensor<2x1x40x16xf32>, tensor<2x1x40x8xf32> -> tensor<2x2x1x8xf32>, tensor<2x2x1xf32>
  return %o, %l : tensor<2x2x1x8xf32>, tensor<2x2x1xf32>
}
