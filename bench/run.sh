#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: builds attn-mlir, sets up a venv with the
# peers (torch, iree-base-compiler/runtime, numpy + OpenBLAS, matplotlib),
# measures 1 and 2 threads, the memory probe, and writes the report + plot.
#   bench/run.sh            full run (about 10 minutes on 2 cores)
#   bench/run.sh --quick    two small shapes, to check the setup
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${ATTN_BENCH_VENV:-$root/bench/.venv}"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
fi
"$venv/bin/pip" install -q torch iree-base-compiler iree-base-runtime numpy \
  matplotlib threadpoolctl
out="$root/bench/results"
mkdir -p "$out"
quick=()
if [ "${1:-}" = "--quick" ]; then quick=(--quick); fi
# OpenBLAS is told to pretend to be Haswell on some machines here; the
# ceiling is measured with its native kernels.
for threads in 1 2; do
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$venv/bin/python" "$root/bench/attn_bench.py" measure --threads "$threads" \
    --out "$out/results-$threads.json" "${quick[@]}"
done
memory=()
if [ ${#quick[@]} -eq 0 ]; then
  "$venv/bin/python" "$root/bench/attn_bench.py" memory --out "$out/memory.json"
  memory=("$out/memory.json")
fi
"$venv/bin/python" "$root/bench/attn_bench.py" report "$out"/results-*.json \
  "${memory[@]}" --md "$root/docs/benchmarks.md" --png "$root/docs/benchmarks.png"
