// Inputs of attn-run-nvptx.test and attn-run-nvptx-wgmma.test (not tests).
func.func @bf16_causal_br_lse(%q: tensor<2x4x129x128xbf16>, %k: tensor<2x2x200x128xbf16>, %v: tensor<2x2x200x64xbf16>) -> (tensor<2x4x129x64xbf16>, tensor<2x4x129xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x129x128xbf16>, tensor<2x2x200x128xbf16>, tensor<2x2x200x64xbf16> -> tensor<2x4x129x64xbf16>, tensor<2x4x129xf32>
  return %o, %lse : tensor<2x4x129x64xbf16>, tensor<2x4x129xf32>
}

func.func @f16_mask_odd(%q: tensor<1x2x7x64xf16>, %k: tensor<1x2x33x64xf16>, %v: tensor<1x2x33x64xf16>, %m: tensor<1x1x7x33xi1>) -> (tensor<1x2x7x64xf16>, tensor<1x2x7xf32>) {
  %o, %lse = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x7x33xi1>) : tensor<1x2x7x64xf16>, tensor<1x2x33x64xf16>, tensor<1x2x33x64xf16> -> tensor<1x2x7x64xf16>, tensor<1x2x7xf32>
  return %o, %lse : tensor<1x2x7x64xf16>, tensor<1x2x7xf32>
}

func.func @bf16_key_lengths_d48(%q: tensor<3x2x65x48xbf16>, %k: tensor<3x1x129x48xbf16>, %v: tensor<3x1x129x48xbf16>, %len: tensor<3xi32>) -> tensor<3x2x65x48xbf16> {
  %o = attn.sdpa %q, %k, %v key_lengths(%len : tensor<3xi32>) {pattern = #attn.causal<top_left>} : tensor<3x2x65x48xbf16>, tensor<3x1x129x48xbf16>, tensor<3x1x129x48xbf16> -> tensor<3x2x65x48xbf16>
  return %o : tensor<3x2x65x48xbf16>
}
