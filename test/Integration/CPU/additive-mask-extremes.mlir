// Additive masks with finite values the log2 domain cannot hold (|m| past
// FLT_MAX ln 2 = 2.36e38: finfo(float32).min / max, 3e38) saturate there
// instead of overflowing to inf: rows of +FLT_MAX used to give NaN. Every
// lowering saturates alike (the reference lowering and attn-run's float64
// reference too: 3e38 and 2.5e38 in one row tie everywhere), so the flash
// and reference lowerings agree with the reference.
//
// RUN: python3 %S/Inputs/write-mask-extremes-npy.py %t.
// RUN: attn-run %s --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.m.npy | FileCheck %s
// RUN: attn-run %s --reference --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.m.npy | FileCheck %s
// RUN: attn-run %s --serial --schedule='#attn.schedule<block_q = 4, block_kv = 4, vector_width = 4, register_rows = 2, register_vectors = 1>' --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.m.npy | FileCheck %s
// CHECK-NOT: nan
// CHECK: check: PASS
// A +inf entry makes its row NaN (inf - inf in the softmax), in both
// lowerings, in attn-run's reference and in PyTorch alike: a match, not an
// unwritten element.
// RUN: attn-run %s --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.pinf.npy | FileCheck %s --check-prefix=PLUS-INF
// RUN: attn-run %s --reference --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.pinf.npy | FileCheck %s --check-prefix=PLUS-INF
// PLUS-INF-NOT: NaN/unwritten
// PLUS-INF: check: PASS
// PLUS-INF-NOT: rel_err=nan
// A NaN score (a NaN mask entry, or a NaN in a query row) makes its row
// NaN, as maximumf propagates it in the kernels and in PyTorch; attn-run's
// reference used to drop it from the row maximum and call the row fully
// masked (0), failing correct output.
// RUN: attn-run %s --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.nan.npy | FileCheck %s --check-prefix=NAN
// RUN: attn-run %s --reference --input=%t.q.npy --input=%t.k.npy --input=%t.v.npy --input=%t.nan.npy | FileCheck %s --check-prefix=NAN
// RUN: attn-run %s --input=%t.qnan.npy --input=%t.k.npy --input=%t.v.npy --input=%t.m.npy | FileCheck %s --check-prefix=NAN
// NAN-NOT: NaN/unwritten
// NAN: check: PASS
func.func @extremes(%q: tensor<1x2x6x8xf32>, %k: tensor<1x2x7x8xf32>, %v: tensor<1x2x7x8xf32>, %m: tensor<1x1x6x7xf32>) -> tensor<1x2x6x8xf32> {
  %o = attn.sdpa %q, %k, %v mask(%m : tensor<1x1x6x7xf32>) : tensor<1x2x6x8xf32>, tensor<1x2x7x8xf32>, tensor<1x2x7x8xf32> -> tensor<1x2x6x8xf32>
  return %o : tensor<1x2x6x8xf32>
}
