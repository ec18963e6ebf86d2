#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds attn-mlir,
# compiles examples/gqa_causal.mlir to LLVM IR for x86, then JIT-runs it on
# random inputs, checks it against the float64 reference and prints the
# error and the speed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
example="${1:-$root/examples/gqa_causal.mlir}"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

echo
echo "== attn-opt --attn-lower-to-llvm | attn-translate --mlir-to-llvmir"
"$build/bin/attn-opt" "$example" --attn-lower-to-llvm \
  | "$build/bin/attn-translate" --mlir-to-llvmir -o "$build/example.ll"
echo "wrote $build/example.ll ($(grep -c '^define' "$build/example.ll") functions," \
     "entry points: $(grep -o '^define [^(]*@_mlir_ciface_[A-Za-z0-9_]*' "$build/example.ll" | sed 's/.*@//' | tr '\n' ' '))"
echo
echo "== attn-run $(basename "$example")"
"$build/bin/attn-run" "$example"
