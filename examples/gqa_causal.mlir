// Grouped-query attention (32 query heads over 8 key/value heads), causal
// with the FlashAttention / KV-cache alignment, f32.
//
//   attn-opt examples/gqa_causal.mlir --attn-lower-to-llvm \
//     | attn-translate --mlir-to-llvmir -o gqa_causal.ll
//   attn-run examples/gqa_causal.mlir
func.func @gqa_causal(%q: tensor<1x32x256x64xf32>, %k: tensor<1x8x256x64xf32>,
                      %v: tensor<1x8x256x64xf32>) -> tensor<1x32x256x64xf32> {
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>}
      : tensor<1x32x256x64xf32>, tensor<1x8x256x64xf32>, tensor<1x8x256x64xf32>
      -> tensor<1x32x256x64xf32>
  return %o : tensor<1x32x256x64xf32>
}
