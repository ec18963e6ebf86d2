#!/usr/bin/env bash
# Regenerates docs/generated/ (dialect, attribute and pass reference) from the
# TableGen sources via the mlir-doc target.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
cmake --build "$build" --target mlir-doc
rm -rf "$root/docs/generated"
mkdir -p "$root/docs/generated"
cp -r "$build/docs/." "$root/docs/generated/"
echo "updated $root/docs/generated"
