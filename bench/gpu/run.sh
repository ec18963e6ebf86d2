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
python3 "$here/check_and_time.py" "$@"   # e.g. --only wgmma, --timeout 120
