#!/usr/bin/env bash
# Installs what attn-mlir needs to build and test on Debian 12: LLVM/MLIR 22
# (Debian's packages), clang/lld 22, libomp, CMake, Ninja, and python3-venv
# (the test suite's venv for the GPU kernel emulator). Skips apt when
# everything is already there. Run as root (or with sudo available).
set -euo pipefail

packages=(llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22
          lld-22 libomp-22-dev cmake ninja-build python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
