// Self-attention block with projections, 8 heads over 2 key/value heads,
// top-left causal (PyTorch is_causal), bf16 inputs with f32 accumulation.
//
//   attn-run examples/multi_head_bf16.mlir
func.func @multi_head(%x: tensor<2x128x256xbf16>,
                      %wq: tensor<256x256xbf16>, %wk: tensor<256x64xbf16>,
                      %wv: tensor<256x64xbf16>, %wo: tensor<256x256xbf16>,
                      %bo: tensor<256xbf16>) -> tensor<2x128x256xbf16> {
  %y = attn.multi_head %x : tensor<2x128x256xbf16>
      weights(%wq, %wk, %wv, %wo : tensor<256x256xbf16>, tensor<256x64xbf16>,
              tensor<256x64xbf16>, tensor<256x256xbf16>)
      o_bias(%bo : tensor<256xbf16>)
      {num_heads = 8 : i64, num_kv_heads = 2 : i64,
       pattern = #attn.causal<top_left>} -> tensor<2x128x256xbf16>
  return %y : tensor<2x128x256xbf16>
}
