// attn-run compiles only the function it runs (and what that calls):
// another function of the file that the pipeline rejects (dynamic shapes
// here; on the GPU, a head dim the requested kernel cannot take) does not
// stop the run.
// RUN: attn-run %s --entry=runnable --iterations=1 | FileCheck %s
// RUN: not attn-run %s --entry=dynamic --iterations=1 --no-check 2>&1 | FileCheck %s --check-prefix=DYNAMIC

// CHECK: attn-run: @runnable
// CHECK: check: PASS
// DYNAMIC: has dynamic shape

func.func @runnable(%q: tensor<1x2x7x16xf32>) -> tensor<1x2x7x16xf32> {
  %o = attn.sdpa %q, %q, %q : tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32>, tensor<1x2x7x16xf32> -> tensor<1x2x7x16xf32>
  return %o : tensor<1x2x7x16xf32>
}

func.func @dynamic(%q: tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32> {
  %o = attn.sdpa %q, %q, %q : tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32> -> tensor<1x2x?x16xf32>
  return %o : tensor<1x2x?x16xf32>
}
