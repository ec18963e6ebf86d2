// RUN: attn-opt %s -split-input-file -verify-diagnostics -convert-attn-to-gpu=kernel=simt
// RUN: not attn-opt %s -split-input-file -convert-attn-to-gpu="kernel=simt block-q=2048" 2>&1 | FileCheck %s --check-prefix=BLOCK-Q
// BLOCK-Q: error: convert-attn-to-gpu: block-q must be 0 (derived) or lie in [1, 1024], got 2048

func.func @dynamic_query_length(%q: tensor<1x1x?x8xf32>, %k: tensor<1x1x4x8xf32>, %v: tensor<1x1x4x8xf32>) -> tensor<1x1x?x8xf32> {
  // expected-error @+1 {{has dynamic shapes, which the GPU lowering does not support; give every dimension a size}}
  %o = attn.sdpa %q, %k, %v : tensor<1x1x?x8xf32>, tensor<1x1x4x8xf32>, tensor<1x1x4x8xf32> -> tensor<1x1x?x8xf32>
  return %o : tensor<1x1x?x8xf32>
}
