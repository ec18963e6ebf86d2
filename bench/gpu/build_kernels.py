#!/usr/bin/env python3
"""Compiles the GPU check/benchmark kernels ahead of time on a machine with
LLVM/MLIR (no GPU needed): attn-opt --attn-lower-to-nvvm (cubin for the chip)
-> attn-translate --mlir-to-llvmir -> clang -shared, linked against
libattn_cuda_runtime.so copied beside them. Writes bench/gpu/kernels/ (or
$ATTN_BENCH_KERNELS) and its manifest.json; bench/gpu/preflight.py checks
them here over a stand-in driver, bench/gpu/run.sh uses them on the GPU
machine."""
import json, os, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("ATTN_BUILD_DIR", os.path.join(ROOT, "build"))
OUT = os.environ.get("ATTN_BENCH_KERNELS", os.path.join(ROOT, "bench", "gpu", "kernels"))
CLANG = shutil.which("clang-22") or "/usr/lib/llvm-22/bin/clang"
CHIP = os.environ.get("ATTN_GPU_CHIP", "sm_90a")

# name, B, Hq, Hkv, Sq, Skv, D, Dv, dtype, pattern, lse, check slice (heads),
# kernel (simt | mma | wgmma, optionally followed by more attn-lower-to-nvvm
# options, e.g. "mma block-q=128"; wgmma needs ATTN_GPU_CHIP=sm_90a), mask (a random i1 [B,1,Sq,Skv] mask operand)
CASES = [
    # Correctness of the SIMT kernel (every dtype and head dim).
    ("gqa_causal_br_bf16_lse", 2, 4, 2, 100, 130, 64, 64, "bf16", "bottom_right", True, None, "simt", False),
    ("mha_f16_d128_odd", 1, 3, 3, 257, 257, 128, 128, "f16", None, False, None, "simt", False),
    ("f32_d24_dv40_causal_tl", 2, 2, 1, 7, 33, 24, 40, "f32", "top_left", True, None, "simt", False),
    ("single_query_decode_bf16", 3, 8, 2, 1, 513, 128, 128, "bf16", "bottom_right", False, None, "simt", False),
    # Correctness of the tensor-core kernel: odd sizes, GQA, both causal
    # alignments, lse, D != Dv, an odd number of k16 steps (D 48), masks.
    ("mma_gqa_causal_br_bf16_lse", 2, 4, 2, 100, 130, 64, 64, "bf16", "bottom_right", True, None, "mma", False),
    ("mma_f16_d128_odd", 1, 3, 3, 257, 257, 128, 128, "f16", None, False, None, "mma", False),
    ("mma_bf16_tl_d128_dv64_lse", 2, 2, 1, 129, 7, 128, 64, "bf16", "top_left", True, None, "mma", False),
    ("mma_bf16_d48_single_row", 1, 2, 2, 1, 129, 48, 48, "bf16", None, True, None, "mma", False),
    ("mma_f16_mask_lse", 2, 2, 2, 33, 70, 64, 64, "f16", None, True, None, "mma", True),
    ("mma_bf16_decode", 3, 8, 2, 1, 513, 128, 128, "bf16", "bottom_right", False, None, "mma", False),
    ("mma_wr32_gqa_causal_tl_d64_lse", 2, 4, 2, 129, 129, 64, 64, "bf16", "top_left", True, None, "mma warp-rows=32 block-q=64", False),
    ("mma_window_br_d128_lse", 2, 4, 2, 300, 333, 128, 128, "bf16", "window:bottom_right:100:0", True, None, "mma", False),
    ("simt_window_tl_f32", 1, 2, 2, 65, 65, 32, 32, "f32", "window:top_left:7:20", True, None, "simt", False),
    # Scattered keys (each key of a cut tile tested), and head dim 256 on
    # mma (Q fragments parked in shared memory, past 48 KiB).
    ("mma_strided_br_gqa_lse", 2, 4, 2, 100, 130, 64, 64, "bf16", "strided:bottom_right:3", True, None, "mma", False),
    ("simt_strided_tl_f32", 1, 2, 1, 65, 70, 40, 24, "f32", "strided:top_left:4", True, None, "simt", False),
    ("mma_d256_causal_br_gqa_lse", 2, 4, 2, 100, 130, 256, 256, "bf16", "bottom_right", True, None, "mma", False),
    ("mma_d256_decode_mask", 2, 8, 2, 1, 300, 256, 256, "f16", None, True, None, "mma", True),
    # Speed (the issue's shapes; check on a slice of heads).
    ("mma_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "mma", False),
    ("mma_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2, "mma", False),
    ("mma_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "mma", False),
    ("mma_b1_h16_s16384_d128_causal", 1, 16, 16, 16384, 16384, 128, 128, "bf16", "bottom_right", False, 1, "mma", False),
    ("mma_b4_hq32_hkv8_s4096_d128_causal", 4, 32, 8, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 4, "mma", False),
    # Decode (one query row, long KV cache): split-KV derived (flash-decoding).
    ("mma_decode_b1_hq32_hkv8_skv16384_d128", 1, 32, 8, 1, 16384, 128, 128, "bf16", None, True, None, "mma", False),
    ("mma_decode_b4_h32_skv8192_d128", 4, 32, 32, 1, 8192, 128, 128, "bf16", None, False, None, "mma", False),
    ("mma_decode_nosplit_b1_hq32_hkv8_skv16384_d128", 1, 32, 8, 1, 16384, 128, 128, "bf16", None, False, None, "mma kv-splits=1", False),
    ("mma_window_b1_h16_s16384_d128_w4096", 1, 16, 16, 16384, 16384, 128, 128, "bf16", "window:bottom_right:4095:0", False, 1, "mma", False),
    # Block-size variants, to calibrate the defaults.
    ("mma_bq128_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2, "mma block-q=128", False),
    ("mma_bq128_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "mma block-q=128", False),
    ("mma_wr32_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "mma warp-rows=32 block-q=128", False),
    ("mma_wr32_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2, "mma warp-rows=32 block-q=128", False),
    ("mma_wr32_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "mma warp-rows=32 block-q=128", False),
    ("mma_bkv32_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "mma block-kv=32", False),
    # The sm_90a kernel (TMA + wgmma): correctness first (odd sizes, GQA,
    # key tiles past the tensor, lse, D != Dv, masks, decode with splits),
    # then the issue's shapes and block-size variants.
    ("wgmma_gqa_causal_br_bf16_lse", 2, 4, 2, 100, 130, 64, 64, "bf16", "bottom_right", True, None, "wgmma", False),
    ("wgmma_f16_d128_odd", 1, 3, 3, 257, 257, 128, 128, "f16", None, False, None, "wgmma", False),
    ("wgmma_bf16_tl_d128_dv64_lse", 2, 2, 1, 129, 7, 128, 64, "bf16", "top_left", True, None, "wgmma", False),
    ("wgmma_f16_mask_lse_bq128", 2, 2, 2, 33, 70, 64, 64, "f16", None, True, None, "wgmma block-q=128", True),
    ("wgmma_bf16_decode", 3, 8, 2, 1, 513, 128, 128, "bf16", "bottom_right", False, None, "wgmma", False),
    ("wgmma_window_br_d128_lse", 2, 4, 2, 300, 333, 128, 128, "bf16", "window:bottom_right:100:0", True, None, "wgmma", False),
    ("wgmma_strided_tl_d64_lse", 2, 4, 2, 129, 200, 64, 64, "bf16", "strided:top_left:5", True, None, "wgmma", False),
    ("wgmma_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "wgmma", False),
    ("wgmma_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2, "wgmma", False),
    ("wgmma_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "wgmma", False),
    ("wgmma_b1_h16_s16384_d128_causal", 1, 16, 16, 16384, 16384, 128, 128, "bf16", "bottom_right", False, 1, "wgmma", False),
    ("wgmma_b4_hq32_hkv8_s4096_d128_causal", 4, 32, 8, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 4, "wgmma", False),
    ("wgmma_decode_b1_hq32_hkv8_skv16384_d128", 1, 32, 8, 1, 16384, 128, 128, "bf16", None, True, None, "wgmma", False),
    ("wgmma_bq64_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "wgmma block-q=64", False),
    ("wgmma_bkv64_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "wgmma block-kv=64", False),
    ("wgmma_bkv128_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "wgmma block-kv=128", False),
    # Launch bounds: no .minnctapersm (ptxas picks the register budget)
    # against the default of 1, to calibrate min-blocks-per-sm.
    ("mma_nohint_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2, "mma min-blocks-per-sm=0", False),
    ("mma_nohint_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "mma min-blocks-per-sm=0", False),
    ("wgmma_nohint_b4_h16_s4096_d128_full", 4, 16, 16, 4096, 4096, 128, 128, "bf16", None, False, 2, "wgmma min-blocks-per-sm=0", False),
    # The SIMT kernel at the issue's sizes (slow: last, so that a time budget
    # spends itself on the tensor-core kernels first).
    ("bench_b4_h16_s4096_d128_causal", 4, 16, 16, 4096, 4096, 128, 128, "bf16", "bottom_right", False, 2, "simt", False),
    ("bench_b16_h16_s1024_d64_full", 16, 16, 16, 1024, 1024, 64, 64, "bf16", None, False, 2, "simt", False),
]


def mlir(case):
    name, b, hq, hkv, sq, skv, d, dv, ty, pattern, lse, _, _, mask = case
    q = f"tensor<{b}x{hq}x{sq}x{d}x{ty}>"; k = f"tensor<{b}x{hkv}x{skv}x{d}x{ty}>"
    v = f"tensor<{b}x{hkv}x{skv}x{dv}x{ty}>"; o = f"tensor<{b}x{hq}x{sq}x{dv}x{ty}>"
    m = f"tensor<{b}x1x{sq}x{skv}xi1>"
    res, lhs = o, "%o"
    if lse:
        res, lhs = f"{o}, tensor<{b}x{hq}x{sq}xf32>", "%o, %lse"
    if pattern and pattern.startswith("window"):  # window:<align>:<left>:<right>
        _, align, left, right = pattern.split(":")
        attrs = (f" {{pattern = #attn.sliding_window<{align}, left = {left}, "
                 f"right = {right}>}}")
    elif pattern and pattern.startswith("strided"):  # strided:<align>:<stride>
        _, align, stride = pattern.split(":")
        attrs = f" {{pattern = #attn.strided<{align}, stride = {stride}>}}"
    else:
        attrs = f" {{pattern = #attn.causal<{pattern}>}}" if pattern else ""
    margs = f", %m: {m}" if mask else ""
    mop = f" mask(%m : {m})" if mask else ""
    return (f"func.func @attention(%q: {q}, %k: {k}, %v: {v}{margs}) -> ({res}) {{\n"
            f"  {lhs} = attn.sdpa %q, %k, %v{mop}{attrs} : {q}, {k}, {v} -> {res}\n"
            f"  return {lhs} : {res}\n}}\n")


def run(what, cmd, **kw):
    """Runs one build step; on failure prints the step's output and exits
    (status 1) with the case named, no traceback."""
    p = subprocess.run(cmd, capture_output=True, **kw)
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace") if isinstance(p.stderr, bytes) else p.stderr
        sys.stderr.write(err)
        sys.exit(f"build_kernels.py: {what} failed (exit status {p.returncode}): "
                 + " ".join(cmd))
    return p.stdout


def main():
    import argparse
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="environment: ATTN_BUILD_DIR (the attn-mlir build, default "
               "build/), ATTN_BENCH_KERNELS (where to write, default "
               "bench/gpu/kernels/ in the source tree), ATTN_GPU_CHIP (default "
               "sm_90a; wgmma cases need it)")
    ap.add_argument("--only", default="",
                    help="build the cases whose name contains this (the manifest "
                         "then lists those only)")
    only = ap.parse_args().only
    if not any(only in case[0] for case in CASES):
        sys.exit(f"build_kernels.py: no case matches --only '{only}'; nothing "
                 "built, the manifest is unchanged")
    selected = [c for c in CASES if only in c[0]]
    if all(c[12].startswith("wgmma") for c in selected) and CHIP != "sm_90a":
        sys.exit(f"build_kernels.py: every case matching --only '{only}' needs "
                 f"the wgmma kernel, which needs ATTN_GPU_CHIP=sm_90a (got "
                 f"{CHIP}); nothing built, the manifest is unchanged")
    os.makedirs(OUT, exist_ok=True)
    shutil.copy(os.path.join(BUILD, "lib", "libattn_cuda_runtime.so"), OUT)
    manifest = []
    for case in CASES:
        name = case[0]
        if only not in name:
            continue
        if case[12].startswith("wgmma") and CHIP != "sm_90a":
            print("skipped", name, "(wgmma needs sm_90a)", file=sys.stderr)
            continue
        src = os.path.join(OUT, name + ".mlir")
        with open(src, "w") as f:
            f.write(mlir(case))
        lowered = run(f"{name}: attn-opt",
                      [os.path.join(BUILD, "bin", "attn-opt"), src,
                       f"--attn-lower-to-nvvm=chip={CHIP} kernel={case[12]}"])
        ll = os.path.join(OUT, name + ".ll")
        run(f"{name}: attn-translate",
            [os.path.join(BUILD, "bin", "attn-translate"), "--mlir-to-llvmir",
             "-o", ll], input=lowered)
        run(f"{name}: clang",
            [CLANG, "-O2", "-shared", "-fPIC", "-Wno-override-module", ll, "-o",
             os.path.join(OUT, f"lib{name}.so"), f"-L{OUT}",
             "-lattn_cuda_runtime", "-Wl,-rpath,$ORIGIN"])
        os.remove(ll)
        keys = ["name", "B", "Hq", "Hkv", "Sq", "Skv", "D", "Dv", "dtype",
                "pattern", "lse", "check_heads", "kernel", "mask"]
        manifest.append(dict(zip(keys, case)))
        print("built", name, file=sys.stderr)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"chip": CHIP, "cases": manifest}, f, indent=1)


if __name__ == "__main__":
    main()
