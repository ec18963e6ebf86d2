#!/usr/bin/env python3
"""Random attn.sdpa functions and attn-lower-to-nvvm option sets: every run
must either compile or end in a diagnostic ("error:" and exit status 1) --
never a crash, an LLVM abort or a silent failure.

Shapes (odd sizes, GQA, D != Dv, head dims the tensor-core kernels do and
do not take), dtypes (f32 / f16 / bf16), patterns (causal, sliding
windows, strided), masks, key lengths and lse are drawn at random, as are the
kernel (simt / mma / wgmma / auto), chip, block sizes, split-KV and shared
memory options.

usage: fuzz_gpu_pipeline.py --attn-opt PATH [--seed N] [--n N]
Prints one line per case and "crashes: N" (a hang past 10 minutes counts);
exit status 1 when N > 0.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

from sdpa_text import sdpa_function


def case(rng):
    B, Hkv, g = rng.choice([1, 2]), rng.choice([1, 2]), rng.choice([1, 2, 3])
    Sq, Skv = rng.choice([0, 1, 7, 64, 100, 129]), rng.choice([0, 1, 33, 64, 200])
    D = rng.choice([16, 48, 64, 80, 128, 192, 256, 320])
    Dv = D if rng.random() < 0.7 else rng.choice([32, 64, 128])
    et = rng.choice(["bf16", "f16", "bf16", "f32"])
    lse = rng.random() < 0.3
    pattern = None
    r = rng.random()
    if r < 0.3:
        pattern = "#attn.causal<%s>" % rng.choice(["top_left", "bottom_right"])
    elif r < 0.45:
        pattern = ("#attn.sliding_window<bottom_right, left = %d, right = %d>"
                   % (rng.randint(0, 300), rng.randint(0, 10)))
    elif r < 0.52:
        pattern = "#attn.strided<%s, stride = %d>" % (
            rng.choice(["top_left", "bottom_right"]), rng.randint(1, 9))
    mask = rng.choice(["i1", "f32", et]) if rng.random() < 0.3 else None
    key_lengths = rng.random() < 0.3
    src = sdpa_function(B, Hkv, g, Sq, Skv, D, Dv, et, lse, pattern, mask,
                        key_lengths)
    kernel = rng.choice(["simt", "mma", "wgmma", "auto"])
    chip = "sm_90a" if kernel == "wgmma" and rng.random() < 0.8 else rng.choice(
        ["sm_80", "sm_90a", "sm_75", "sm_100a"])
    opts = [f"chip={chip}", f"kernel={kernel}", "format=isa"]
    for name, values in [("block-q", [0, 16, 64, 128, 96, 32]),
                         ("block-kv", [0, 16, 64, 128, 192, 256, 32]),
                         ("kv-splits", [0, 1, 3]), ("shared-kb", [0, 48, 64, 100, 227]),
                         ("warp-rows", [16, 32]),
                         ("min-blocks-per-sm", [0, 1, 2, 4, 33])]:
        if rng.random() < 0.35:
            opts.append(f"{name}={rng.choice(values)}")
    return src, opts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--attn-opt", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print("seed: %d" % seed)
    rng = random.Random(seed)
    crashes = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.mlir")
        for i in range(args.n):
            src, opts = case(rng)
            with open(path, "w") as f:
                f.write(src)
            try:
                p = subprocess.run([args.attn_opt, path,
                                    "--attn-lower-to-nvvm=" + " ".join(opts),
                                    "-o", os.devnull],
                                   capture_output=True, text=True, timeout=600)
            except subprocess.TimeoutExpired:
                print("[%d] CRASH (hang) %s" % (i, " ".join(opts)))
                print(src)
                crashes += 1
                continue
            crashed = (p.returncode not in (0, 1) or "LLVM ERROR" in p.stderr
                       or "PLEASE submit" in p.stderr
                       or (p.returncode == 1 and "error:" not in p.stderr))
            first = (p.stderr.strip().splitlines() or ["compiled"])[0]
            print("[%d] %s %s | %s" % (i, "CRASH" if crashed else "ok", " ".join(opts),
                                       first.split("error: ")[-1][:120]))
            if crashed:
                crashes += 1
                print(src + p.stderr[-2000:])
    print("crashes: %d" % crashes)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
