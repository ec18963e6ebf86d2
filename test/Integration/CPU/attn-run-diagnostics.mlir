// attn-run on inputs it cannot run says what is wrong and exits non-zero;
// a result outside the tolerance is reported as FAIL with exit status 1;
// .npy files round-trip through --save-output and --input.

// RUN: not attn-run %s --entry=missing 2>&1 | FileCheck %s --check-prefix=NO-FUNC
// NO-FUNC: attn-run: error: no function named '@missing'

// A bad flag exits with 2 (cannot run), as an unrunnable input does; 1
// means a result outside the tolerance.
// RUN: bash -c 'attn-run %s --tolerance=abc; test $? -eq 2'
// RUN: bash -c 'attn-run %s --no-such-flag; test $? -eq 2'
// RUN: bash -c 'attn-run %s --entry=missing; test $? -eq 2'
// RUN: not attn-run %s --tolerance=abc 2>&1 | FileCheck %s --check-prefix=BAD-FLAG
// BAD-FLAG: for the --tolerance option: 'abc' value invalid

// RUN: not attn-run %s --entry=dynamic_shapes 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: error: '@dynamic_shapes' argument #0 has dynamic shape tensor<1x1x?x8xf32>; attn-run needs static shapes

// RUN: not attn-run %s --entry=integer_argument --no-check 2>&1 | FileCheck %s --check-prefix=ELEMENT
// ELEMENT: error: '@integer_argument' argument #0 has element type i64; attn-run handles f32, f16, bf16, i1 and i32

// RUN: not attn-run %s --entry=memref_argument --no-check 2>&1 | FileCheck %s --check-prefix=MEMREF
// MEMREF: error: '@memref_argument' argument #0 has type memref<4xf32>; attn-run handles ranked tensors only

// RUN: not attn-run %s --entry=no_attention 2>&1 | FileCheck %s --check-prefix=UNCHECKABLE
// UNCHECKABLE: error: cannot check '@no_attention' against the reference: it holds no attn.sdpa or attn.multi_head op; pass --no-check

// RUN: attn-run %s --entry=no_attention --no-check --iterations=1 | FileCheck %s --check-prefix=NO-CHECK
// NO-CHECK: rel_err=nan max_abs_err=nan

// RUN: not attn-run %s --entry=private_function 2>&1 | FileCheck %s --check-prefix=PRIVATE
// PRIVATE: error: '@private_function' is private

// RUN: not attn-run %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NO-FILE
// NO-FILE: error: cannot read '{{.*}}does-not-exist.mlir'

// RUN: not attn-run 2>&1 | FileCheck %s --check-prefix=NO-ARGS
// NO-ARGS: error: no input file

// RUN: not attn-run %S/Inputs/malformed.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: malformed.mlir:2:{{[0-9]+}}: error:
// MALFORMED: attn-run: error: cannot parse

// RUN: not attn-run %s --entry=attention --seed=abc 2>&1 | FileCheck %s --check-prefix=SEED
// SEED: error: --seed expects a non-negative integer below 2^64, got 'abc'

// RUN: not attn-run %s --entry=attention --seed=-1 2>&1 | FileCheck %s --check-prefix=SEED-NEG
// SEED-NEG: error: --seed expects a non-negative integer below 2^64, got '-1'
// RUN: not attn-run %s --entry=attention --seed=99999999999999999999 2>&1 | FileCheck %s --check-prefix=SEED-BIG
// SEED-BIG: error: --seed expects a non-negative integer below 2^64, got '99999999999999999999'

// RUN: not attn-run %s --entry=attention --tolerance=-1 2>&1 | FileCheck %s --check-prefix=TOLERANCE
// TOLERANCE: error: --tolerance must be a non-negative number, got -1.00

// RUN: not attn-run %s --entry=attention --gpu-kernel=mma 2>&1 | FileCheck %s --check-prefix=GPU-FLAG
// RUN: not attn-run %s --entry=attention --chip=sm_80 2>&1 | FileCheck %s --check-prefix=GPU-FLAG
// GPU-FLAG: error: --chip and --gpu-kernel select the GPU kernel; they apply to --target=nvptx only

// RUN: not attn-run %s --entry=attention --reference --schedule='#attn.schedule<block_q = 16, block_kv = 16, vector_width = 8, register_rows = 4, register_vectors = 1>' 2>&1 | FileCheck %s --check-prefix=REF-SCHEDULE
// REF-SCHEDULE: error: --schedule sets the flash schedule; --reference runs the reference lowering, which has none

// Inputs larger than the machine's memory are refused before allocating.
// RUN: not attn-run %s --entry=too_large 2>&1 | FileCheck %s --check-prefix=TOO-LARGE
// TOO-LARGE: error: '@too_large' needs {{[0-9.]+}} GiB of host memory for its arguments and results, more than this machine's {{[0-9.]+}} GiB allow
// Also when the element counts overflow int64 (2^62 x 16 x 16: it used to
// wrap past the check and crash):
// RUN: not attn-run %s --entry=overflowing 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: error: '@overflowing' needs {{[0-9.e+]+}} GiB of host memory

// RUN: not attn-run %s --entry=attention -O7 2>&1 | FileCheck %s --check-prefix=OPT
// OPT: error: -O7 is not an optimization level (0-3)

// The schedule in use is printed; --schedule replaces the derived one, and
// must be an #attn.schedule.
// RUN: attn-run %s --entry=attention --iterations=1 '--schedule=#attn.schedule<block_q = 16, block_kv = 3, vector_width = 8, register_rows = 2, register_vectors = 1>' | FileCheck %s --check-prefix=SCHEDULE
// SCHEDULE: schedule: #attn.schedule<block_q = 16, block_kv = 3, vector_width = 8, register_rows = 2, register_vectors = 1>
// SCHEDULE: check: PASS
// RUN: not attn-run %s --entry=attention '--schedule=#attn.causal<top_left>' 2>&1 | FileCheck %s --check-prefix=BAD-SCHEDULE
// BAD-SCHEDULE: error: --schedule expects an #attn.schedule<...> attribute, got '#attn.causal<top_left>'
// A schedule the verifier refuses: its reason, then attn-run's.
// RUN: not attn-run %s --entry=attention '--schedule=#attn.schedule<block_q = 24, block_kv = 64, vector_width = 16, register_rows = 6, register_vectors = 4>' 2>&1 | FileCheck %s --check-prefix=INVALID-SCHEDULE
// INVALID-SCHEDULE: error: 'block_q' must be a positive multiple of 'vector_width' 16 or less than it, got 24
// INVALID-SCHEDULE: attn-run: error: --schedule: cannot use '#attn.schedule<block_q = 24,
// RUN: attn-run %s --entry=attention --iterations=1 --reference | FileCheck %s --check-prefix=REFERENCE
// REFERENCE: compiling through attn-lower-to-llvm{flash=false}...
// REFERENCE-NOT: schedule:
// REFERENCE: check: PASS

// RUN: not attn-run %s --entry=attention --iterations=0 2>&1 | FileCheck %s --check-prefix=ITERATIONS
// ITERATIONS: error: --iterations must be at least 1
// RUN: not attn-run %s --entry=attention --mask-keep-probability=1.5 2>&1 | FileCheck %s --check-prefix=PROBABILITY
// RUN: not attn-run %s --entry=attention --mask-keep-probability=nan 2>&1 | FileCheck %s --check-prefix=PROBABILITY
// PROBABILITY: error: --mask-keep-probability and --masked-row-fraction must lie in [0, 1]

// A zero tolerance makes any rounding a failure: the check can fail.
// RUN: not attn-run %s --entry=attention_f16 --tolerance=0 --iterations=1 | FileCheck %s --check-prefix=TOO-STRICT
// TOO-STRICT: check: FAIL (tolerance 0.0e+00)

// .npy round trip: the output of one run becomes the query of the next.
// RUN: attn-run %s --entry=attention --seed=7 --iterations=1 --save-output=%t.out.npy | FileCheck %s --check-prefix=SAVE
// SAVE: wrote result #0 to {{.*}}.out.npy
// RUN: attn-run %s --entry=attention --input=%t.out.npy --iterations=1 | FileCheck %s --check-prefix=LOAD
// LOAD: check: PASS
// RUN: not attn-run %s --entry=attention_f16 --input=%t.out.npy 2>&1 | FileCheck %s --check-prefix=NPY-SHAPE
// NPY-SHAPE: error: '{{.*}}.out.npy' has shape [1,2,5,8] but argument #0 has shape [1,2,5,16]
// RUN: not attn-run %s --entry=attention --input=%s 2>&1 | FileCheck %s --check-prefix=NPY-BAD
// NPY-BAD: error: '{{.*}}attn-run-diagnostics.mlir' is not a .npy file (bad magic)
// Key lengths may come as integer arrays (int32 / int64 .npy files).
// RUN: python3 %S/Inputs/write-int-npy.py %t.
// RUN: attn-run %s --entry=lengths --input=%t.q.npy --input=%t.kv.npy --input=%t.kv.npy --input=%t.len32.npy --iterations=1 | FileCheck %s --check-prefix=INT-NPY
// RUN: attn-run %s --entry=lengths --input=%t.q.npy --input=%t.kv.npy --input=%t.kv.npy --input=%t.len64.npy --iterations=1 | FileCheck %s --check-prefix=INT-NPY
// The largest i32 (every key kept) reaches the kernel exactly (through a
// float it became 2^31, then INT32_MIN: no key):
// RUN: attn-run %s --entry=lengths --input=%t.q.npy --input=%t.kv.npy --input=%t.kv.npy --input=%t.lenmax.npy --iterations=1 | FileCheck %s --check-prefix=INT-NPY
// INT-NPY: check: PASS
// GFLOP/s count the keys each batch entry's length leaves (none here): a
// key length of 0 does no work.
// RUN: python3 %S/Inputs/write-int-npy.py %t.
// RUN: attn-run %s --entry=lengths --input=%t.q.npy --input=%t.kv.npy --input=%t.kv.npy --input=%t.len0.npy --iterations=1 | FileCheck %s --check-prefix=NO-KEYS
// NO-KEYS: check: PASS
// NO-KEYS: gflops=0.0000
// A --schedule applies to the attn.sdpa an attn.multi_head holds too.
// RUN: attn-run %S/../../../examples/multi_head_bf16.mlir --iterations=1 --schedule='#attn.schedule<block_q = 16, block_kv = 3, vector_width = 16, register_rows = 2, register_vectors = 1>' | FileCheck %s --check-prefix=MHA-SCHEDULE
// MHA-SCHEDULE: schedule: #attn.schedule<block_q = 16, block_kv = 3, vector_width = 16, register_rows = 2, register_vectors = 1>
// MHA-SCHEDULE: check: PASS
// RUN: not attn-run %s --entry=lengths --input=%t.q.npy --input=%t.kv.npy --input=%t.kv.npy --input=%t.lenbig.npy 2>&1 | FileCheck %s --check-prefix=NOT-I32
// RUN: not attn-run %s --entry=lengths --input=%t.q.npy --input=%t.kv.npy --input=%t.kv.npy --input=%t.lenfrac.npy 2>&1 | FileCheck %s --check-prefix=NOT-I32
// NOT-I32: error: '{{.*}}.npy' holds {{2147483648|2.5}}, which is not an i32 as argument #3 needs

// RUN: not attn-run %s --entry=attention --input=%t.out.npy --input=%t.out.npy --input=%t.out.npy --input=%t.out.npy 2>&1 | FileCheck %s --check-prefix=NPY-COUNT
// NPY-COUNT: error: 4 --input files given but '@attention' takes 3 arguments

func.func @attention(%q: tensor<1x2x5x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>) -> tensor<1x2x5x8xf32> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x5x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32> -> tensor<1x2x5x8xf32>
  return %o : tensor<1x2x5x8xf32>
}

func.func @attention_f16(%q: tensor<1x2x5x16xf16>, %k: tensor<1x2x6x16xf16>, %v: tensor<1x2x6x16xf16>) -> tensor<1x2x5x16xf16> {
  %o = attn.sdpa %q, %k, %v : tensor<1x2x5x16xf16>, tensor<1x2x6x16xf16>, tensor<1x2x6x16xf16> -> tensor<1x2x5x16xf16>
  return %o : tensor<1x2x5x16xf16>
}

func.func @lengths(%q: tensor<1x1x2x8xf32>, %k: tensor<1x1x6x8xf32>, %v: tensor<1x1x6x8xf32>, %len: tensor<1xi32>) -> tensor<1x1x2x8xf32> {
  %o = attn.sdpa %q, %k, %v key_lengths(%len : tensor<1xi32>) : tensor<1x1x2x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32> -> tensor<1x1x2x8xf32>
  return %o : tensor<1x1x2x8xf32>
}

func.func @too_large(%q: tensor<1x1x1048576x1048576xf32>, %v: tensor<1x1x1048576x1xf32>) -> tensor<1x1x1048576x1xf32> {
  %o = attn.sdpa %q, %q, %v : tensor<1x1x1048576x1048576xf32>, tensor<1x1x1048576x1048576xf32>, tensor<1x1x1048576x1xf32> -> tensor<1x1x1048576x1xf32>
  return %o : tensor<1x1x1048576x1xf32>
}

func.func @dynamic_shapes(%q: tensor<1x1x?x8xf32>) -> tensor<1x1x?x8xf32> {
  return %q : tensor<1x1x?x8xf32>
}

func.func @integer_argument(%x: tensor<4xi64>) -> tensor<4xi64> {
  return %x : tensor<4xi64>
}

func.func @memref_argument(%x: memref<4xf32>) {
  return
}

func.func @no_attention(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

func.func private @private_function(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

func.func @overflowing(%q: tensor<4611686018427387904x1x16x16xf32>) -> tensor<4611686018427387904x1x16x16xf32> {
  %o = attn.sdpa %q, %q, %q : tensor<4611686018427387904x1x16x16xf32>, tensor<4611686018427387904x1x16x16xf32>, tensor<4611686018427387904x1x16x16xf32> -> tensor<4611686018427387904x1x16x16xf32>
  return %o : tensor<4611686018427387904x1x16x16xf32>
}
