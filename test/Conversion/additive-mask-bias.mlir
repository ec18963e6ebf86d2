// An additive mask joins the log2-domain scores as m * log2(e), clamped to
// [-FLT_MAX, FLT_MAX] so that a finite value such as finfo(float32).min or
// max stays finite (a row masked with finfo.min averages like the f32
// reference instead of collapsing to an empty row; one of finfo.max used
// to give NaN, inf - inf); -inf and +inf stay what they are. The same in
// every flash lowering: CPU tiles, the SIMT and the tensor-core GPU
// kernels.
//
// RUN: attn-opt %s -attn-derive-schedule -attn-tile-flash | FileCheck %s
// RUN: attn-opt %s -convert-attn-to-gpu=kernel=simt | FileCheck %s
// RUN: attn-opt %s -convert-attn-to-gpu=kernel=mma | FileCheck %s

// CHECK-LABEL: func.func @additive
// CHECK: %[[LOG2E:.*]] = arith.constant 1.44269502 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[WIDE:.*]], %[[LOG2E]] : f32
// CHECK-NEXT: %[[LOWEST:.*]] = arith.constant -3.40282347E+38 : f32
// CHECK-NEXT: %[[ATLEAST:.*]] = arith.maximumf %[[SCALED]], %[[LOWEST]] : f32
// CHECK-NEXT: %[[HIGHEST:.*]] = arith.constant 3.40282347E+38 : f32
// CHECK-NEXT: %[[CLAMPED:.*]] = arith.minimumf %[[ATLEAST]], %[[HIGHEST]] : f32
// CHECK-NEXT: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[IS_NEGINF:.*]] = arith.cmpf oeq, %[[WIDE]], %[[NEGINF]] : f32
// CHECK-NEXT: %[[KEPT:.*]] = arith.select %[[IS_NEGINF]], %[[NEGINF]], %[[CLAMPED]] : f32
// CHECK-NEXT: %[[POSINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK-NEXT: %[[IS_POSINF:.*]] = arith.cmpf oeq, %[[WIDE]], %[[POSINF]] : f32
// CHECK-NEXT: %[[BIAS:.*]] = arith.select %[[IS_POSINF]], %[[POSINF]], %[[KEPT]] : f32
// CHECK-NEXT: arith.addf %{{.*}}, %[[BIAS]] : f32
func.func @additive(%q: tensor<1x2x20x32xbf16>, %m: tensor<1x1x20x20xbf16>) -> tensor<1x2x20x32xbf16> {
  %o = attn.sdpa %q, %q, %q mask(%m : tensor<1x1x20x20xbf16>) : tensor<1x2x20x32xbf16>, tensor<1x2x20x32xbf16>, tensor<1x2x20x32xbf16> -> tensor<1x2x20x32xbf16>
  return %o : tensor<1x2x20x32xbf16>
}
