// attn-lower-to-nvvm leaves the host code nothing to compute: entry points
// take device memory, so host-side computation, copies or allocations
// would touch device memory from the CPU (or hand kernels host memory).
// Such functions are rejected with the op that would do it.
// RUN: attn-opt %s -split-input-file -verify-diagnostics -attn-lower-to-nvvm="format=isa"

func.func @multi_head(%x: tensor<2x16x64xbf16>, %w: tensor<64x64xbf16>) -> tensor<2x16x64xbf16> {
  // expected-error @+1 {{'attn.multi_head' op is not supported by attn-lower-to-nvvm yet: its projections have no GPU lowering (attn.sdpa has); run them in your framework and pass Q, K, V to attn.sdpa}}
  %y = attn.multi_head %x : tensor<2x16x64xbf16> weights(%w, %w, %w, %w : tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>) {num_heads = 4 : i64} -> tensor<2x16x64xbf16>
  return %y : tensor<2x16x64xbf16>
}

// -----

func.func @host_computation(%q: tensor<1x2x16x64xbf16>) -> tensor<1x2x16x64xbf16> {
  // expected-error @+1 {{'memref.alloc' op would run on the host over device memory}}
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %e = tensor.empty() : tensor<1x2x16x64xbf16>
  %r = linalg.add ins(%o, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>) outs(%e : tensor<1x2x16x64xbf16>) -> tensor<1x2x16x64xbf16>
  return %r : tensor<1x2x16x64xbf16>
}

// -----

func.func @view_of_result(%q: tensor<1x2x16x64xbf16>) -> tensor<2x16x64xbf16> {
  // expected-error @+1 {{'memref.alloc' op would run on the host over device memory}}
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %c = tensor.collapse_shape %o [[0, 1], [2], [3]] : tensor<1x2x16x64xbf16> into tensor<2x16x64xbf16>
  return %c : tensor<2x16x64xbf16>
}

// -----

func.func @chained(%q: tensor<1x2x16x64xbf16>) -> tensor<1x2x16x64xbf16> {
  // expected-error @+1 {{'memref.alloc' op would run on the host over device memory}}
  %o = attn.sdpa %q, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  %o2 = attn.sdpa %o, %q, %q : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  return %o2 : tensor<1x2x16x64xbf16>
}

// -----

// A view of an argument would be copied (on the host) into a dense buffer.
func.func @view_of_argument(%q: tensor<1x4x16x64xbf16>) -> tensor<1x2x16x64xbf16> {
  // expected-error @+1 {{'memref.alloc' op would run on the host over device memory}}
  %s = tensor.extract_slice %q[0, 0, 0, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x4x16x64xbf16> to tensor<1x2x16x64xbf16>
  %o = attn.sdpa %s, %s, %s : tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16> -> tensor<1x2x16x64xbf16>
  return %o : tensor<1x2x16x64xbf16>
}
