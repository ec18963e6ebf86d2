#!/usr/bin/env bash
# On the GPU machine (PyTorch installed, no LLVM/MLIR needed): checks and
# times the kernels that bench/gpu/build_kernels.py compiled ahead of time on
# a machine with LLVM/MLIR 22 (bench/gpu/kernels/, carried along).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/kernels/manifest.json" ]; then
  echo "bench/gpu/run.sh: no prebuilt kernels; run bench/gpu/build_kernels.py first" >&2
  exit 2
fi
# ATTN_BENCH_FLEX=1 adds FlexAttention (torch.compile: slow to start).
# One worker process runs the cases (a fresh one after a hang, crash or
# CUDA error); e.g. --only wgmma, --timeout 60 (per case), --budget 420.
python3 "$here/check_and_time.py" "$@"
