// A scalar read of a result on the host would load device memory from the
// CPU: attn-lower-to-nvvm rejects it, naming the op.
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-lower-to-nvvm="format=isa" -o /dev/null

func.func @scalar_result(%q: tensor<1x2x16x64xbf16>) -> bf16 {
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.load' op would run on the host over device memory: attn-lower-to-nvvm runs tensor computation as GPU kernels, but not host-side scalar access to tensors}}
  %x = tensor.extract %o[%c0, %c0, %c0, %c0] : tensor<1x2x16x64xbf16>
  return %x : bf16
}

// -----

// Vector code on a result, likewise.
func.func @vector_read(%q: tensor<1x2x16x64xbf16>) -> vector<8xbf16> {
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : bf16
  // expected-error @+1 {{'vector.transfer_read' op would run on the host over device memory}}
  %v = vector.transfer_read %o[%c0, %c0, %c0, %c0], %pad : tensor<1x2x16x64xbf16>, vector<8xbf16>
  return %v : vector<8xbf16>
}
