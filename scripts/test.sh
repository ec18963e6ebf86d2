#!/usr/bin/env bash
# The README's test command: installs the dependencies, builds, and runs the
# whole lit suite (check-attn). Ends with "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
# Python packages of the GPU kernel emulator tests (numpy, ml_dtypes), in a
# venv of the build: without them those tests are reported as skipped.
if [ ! -x "$build/pyenv/bin/python" ] ||
   ! "$build/pyenv/bin/python" -c "import numpy, ml_dtypes" 2>/dev/null; then
  python3 -m venv "$build/pyenv" &&
    "$build/pyenv/bin/pip" install -q "numpy>=1.24" "ml_dtypes>=0.4" ||
    echo "test.sh: could not install numpy/ml_dtypes; the emulator tests will be skipped" >&2
fi
cmake --build "$build" --target mlir-doc >/dev/null

log="$build/check-attn.log"
set +e
lit-22 -sv "$build/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
count() { # the number on lit's summary line "  <name>: N (x%)", else 0
  awk -v key="$1" '$0 ~ "^ *" key " *:" { match($0, /[0-9]+/);
    print substr($0, RSTART, RLENGTH); found = 1; exit } END { if (!found) print 0 }' "$log"
}
passed=$(count Passed)
failed=$(( $(count Failed) + $(count Unresolved) + $(count "Timed Out") ))
unsupported=$(count Unsupported)
echo "${passed:-0} passed, ${failed:-0} failed, ${unsupported:-0} skipped"
exit "$status"
