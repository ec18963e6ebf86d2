#!/usr/bin/env python3
"""Compiles the GPU check/benchmark kernels ahead of time on a machine with
LLVM/MLIR (no GPU needed): attn-opt --attn-lower-to-nvvm (cubin for the chip)
-> attn-translate --mlir-to-llvmir -> clang -shared, linked against
libattn_cuda_runtime.so copied beside them. Writes bench/gpu/kernels/ and
its manifest.json; bench/gpu/run.sh uses them on the GPU machine."""
import json, os, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("ATTN_BUILD_DIR", os.path.join(ROOT, "build"))
OUT = os.path.join(ROOT, "bench", "gpu", "kernels")
CLANG = shutil.which("clang-22") or "/usr/lib/llvm-22/bin/clang"
CHIP = os.environ.get("ATTN_GPU_CHIP", "sm_90a")

# name, B, Hq, Hkv, Sq, Skv, D, Dv, dtype, pattern, lse, check slice (heads)
CASES = [
    ("gqa_causal_br_bf16_lse", 2, 4, 2, 100, 130, 64, 64, "bf16", "bottom_right", True, None),
    ("mha_f16_d128_odd", 1, 3, 3, 257, 257, 128, 128, "f16", None, False, None),
    ("f32_d24_dv40_causal_tl", 2, 2, 1, 7, 33, 24, 40, "f32", "top_left", True, None),
    ("single_query_decode_bf16", 3, 8, 2, 1, 513, 128, 128, "bf16", "bottom_right", False, None),
    ("bench_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2),
    ("bench_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2),
]


def mlir(case):
    name, b, hq, hkv, sq, skv, d, dv, ty, pattern, lse, _ = case
    q = f"tensor<{b}x{hq}x{sq}x{d}x{ty}>"; k = f"tensor<{b}x{hkv}x{skv}x{d}x{ty}>"
    v = f"tensor<{b}x{hkv}x{skv}x{dv}x{ty}>"; o = f"tensor<{b}x{hq}x{sq}x{dv}x{ty}>"
    res, lhs = o, "%o"
    if lse:
        res, lhs = f"{o}, tensor<{b}x{hq}x{sq}xf32>", "%o, %lse"
    attrs = f" {{pattern = #attn.causal<{pattern}>}}" if pattern else ""
    return (f"func.func @attention(%q: {q}, %k: {k}, %v: {v}) -> ({res}) {{\n"
            f"  {lhs} = attn.sdpa %q, %k, %v{attrs} : {q}, {k}, {v} -> {res}\n"
            f"  return {lhs} : {res}\n}}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    shutil.copy(os.path.join(BUILD, "lib", "libattn_cuda_runtime.so"), OUT)
    manifest = []
    for case in CASES:
        name = case[0]
        src = os.path.join(OUT, name + ".mlir")
        with open(src, "w") as f:
            f.write(mlir(case))
        lowered = subprocess.run(
            [os.path.join(BUILD, "bin", "attn-opt"), src,
             f"--attn-lower-to-nvvm=chip={CHIP}"], check=True,
            capture_output=True).stdout
        ll = os.path.join(OUT, name + ".ll")
        subprocess.run([os.path.join(BUILD, "bin", "attn-translate"),
                        "--mlir-to-llvmir", "-o", ll], input=lowered, check=True)
        subprocess.run([CLANG, "-O2", "-shared", "-fPIC", "-Wno-override-module",
                        ll, "-o", os.path.join(OUT, f"lib{name}.so"),
                        f"-L{OUT}", "-lattn_cuda_runtime", "-Wl,-rpath,$ORIGIN"],
                       check=True)
        os.remove(ll)
        keys = ["name", "B", "Hq", "Hkv", "Sq", "Skv", "D", "Dv", "dtype",
                "pattern", "lse", "check_heads"]
        manifest.append(dict(zip(keys, case)))
        print("built", name, file=sys.stderr)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"chip": CHIP, "cases": manifest}, f, indent=1)


if __name__ == "__main__":
    main()
