// RUN: attn-opt %s -convert-attn-to-linalg -split-input-file -verify-diagnostics

// The reference lowering needs every dimension of query, key, value and mask;
// it reports the first attn.sdpa it cannot lower and fails.

func.func @dynamic_batch_and_lengths(%q: tensor<?x4x?x16xf32>, %k: tensor<?x2x?x16xf32>, %v: tensor<?x2x?x8xf32>) -> tensor<?x4x?x8xf32> {
  // expected-error @+1 {{'attn.sdpa' op has dynamic shapes, which the CPU lowerings (flash and reference) do not support; give every dimension a size}}
  %o = attn.sdpa %q, %k, %v : tensor<?x4x?x16xf32>, tensor<?x2x?x16xf32>, tensor<?x2x?x8xf32> -> tensor<?x4x?x8xf32>
  return %o : tensor<?x4x?x8xf32>
}

// -----

func.func @dynamic_key_length_only(%q: tensor<2x4x3x16xf32>, %k: tensor<2x2x?x16xf32>, %v: tensor<2x2x5x8xf32>) -> tensor<2x4x3x8xf32> {
  // expected-error @+1 {{'attn.sdpa' op has dynamic shapes, which the CPU lowerings (flash and reference) do not support; give every dimension a size}}
  %o = attn.sdpa %q, %k, %v {pattern = #attn.causal<bottom_right>} : tensor<2x4x3x16xf32>, tensor<2x2x?x16xf32>, tensor<2x2x5x8xf32> -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

func.func @dynamic_mask(%q: tensor<2x4x3x16xf32>, %k: tensor<2x2x5x16xf32>, %v: tensor<2x2x5x8xf32>, %m: tensor<?x1x3x5xi1>) -> tensor<2x4x3x8xf32> {
  // expected-error @+1 {{'attn.sdpa' op has dynamic shapes, which the CPU lowerings (flash and reference) do not support; give every dimension a size}}
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<?x1x3x5xi1>) : tensor<2x4x3x16xf32>, tensor<2x2x5x16xf32>, tensor<2x2x5x8xf32> -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

// Static operands but dynamic result types: still reported, never lowered
// into ill-typed IR.
func.func @dynamic_result_types(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x10x16xf32>, %v: tensor<2x2x10x8xf32>) -> (tensor<?x4x8x8xf32>, tensor<2x?x8xf32>) {
  // expected-error @+1 {{has dynamic shapes, which the CPU lowerings (flash and reference) do not support; give every dimension a size}}
  %o, %l = attn.sdpa %q, %k, %v : tensor<2x4x8x16xf32>, tensor<2x2x10x16xf32>, tensor<2x2x10x8xf32> -> tensor<?x4x8x8xf32>, tensor<2x?x8xf32>
  return %o, %l : tensor<?x4x8x8xf32>, tensor<2x?x8xf32>
}
