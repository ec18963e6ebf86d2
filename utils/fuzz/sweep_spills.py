#!/usr/bin/env python3
"""Random attention shapes at head dims 64 and 128 (the issue's fast path)
through attn-lower-to-nvvm with the policy's default schedule, every kernel
of the result assembled by `ptxas -v`: none may spill (or use a stack frame)
or have its wgmma serialized (ptxas C7511).

Shapes (decode to long prefill, odd sizes, GQA, D != Dv), f16 / bf16,
patterns (causal both ways, sliding windows, strided), mask tensors, key
lengths and lse are drawn at random; the kernel is the default (auto) for sm_80 or
sm_90a, or wgmma for sm_90a.

usage: sweep_spills.py --attn-opt PATH --attn-translate PATH [--ptxas PATH]
                       [--seed N] [--n N] [--head-dims 64,128]
                       [--kernels all|auto]
Prints one line per kernel ("ok", "SPILL" or "SERIALIZED") and a summary;
exit status 1 when a kernel spills, is serialized, or a case fails to
compile.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

from sdpa_text import sdpa_function


def case(rng, head_dims, kernels="all"):
    B, Hkv, g = rng.choice([1, 2, 4]), rng.choice([1, 2, 8]), rng.choice([1, 1, 4, 8])
    Sq = rng.choice([1, 1, 2, 4, 7, 16, 33, 64, 129, 512, 1024, 4096])
    Skv = rng.choice([1, 7, 64, 129, 1024, 4096, 8192])
    D = rng.choice(head_dims)
    Dv = D if rng.random() < 0.8 else rng.choice(head_dims)
    et = rng.choice(["bf16", "f16"])
    lse = rng.random() < 0.3
    pattern = None
    r = rng.random()
    if r < 0.4:
        pattern = "#attn.causal<%s>" % rng.choice(["top_left", "bottom_right"])
    elif r < 0.55:
        left = rng.choice([0, 1, 127, 256, 1000])
        right = rng.choice([0, 0, 5])  # left = right = 0: one key per row
        pattern = ("#attn.sliding_window<bottom_right, left = %d, right = %d>"
                   % (left, right))
    elif r < 0.62:  # scattered keys: each key of a cut tile tested
        pattern = "#attn.strided<%s, stride = %d>" % (
            rng.choice(["top_left", "bottom_right"]), rng.choice([2, 3, 8]))
    mask = rng.choice(["i1", "f32", et]) if rng.random() < 0.2 else None
    key_lengths = rng.random() < 0.2
    src = sdpa_function(B, Hkv, g, Sq, Skv, D, Dv, et, lse, pattern, mask,
                        key_lengths)
    chip, kernel = rng.choice([("sm_80", "auto"), ("sm_90a", "auto"),
                               ("sm_90a", "wgmma"), ("sm_90a", "wgmma")])
    if kernels == "auto" and kernel == "wgmma":  # the default kernel only
        chip, kernel = "sm_90a", "auto"
    return src, f"chip={chip} kernel={kernel} format=isa", chip


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--attn-opt", required=True)
    ap.add_argument("--attn-translate", required=True)
    ap.add_argument("--ptxas", default="ptxas")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--kernels", choices=["all", "auto"], default="all",
                    help="all: the default kernel on sm_80 / sm_90a and wgmma "
                         "(asked for) on sm_90a; auto: the default kernel only")
    ap.add_argument("--head-dims", default="64,128",
                    help="comma-separated head dims to draw from (the issue's "
                         "fast path: 64,128)")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print("seed %d" % seed, flush=True)
    rng = random.Random(seed)
    spills = serialized = failures = kernels = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.n):
            src, opts, chip = case(rng, [int(d) for d in a.head_dims.split(",")],
                                   a.kernels)
            path = os.path.join(tmp, "case.mlir")
            with open(path, "w") as f:
                f.write(src)
            lowered = os.path.join(tmp, "case.isa.mlir")
            p = subprocess.run([a.attn_opt, path, "--attn-lower-to-nvvm=" + opts,
                                "-o", lowered], capture_output=True, text=True)
            shape = src.splitlines()[1].strip()
            if p.returncode != 0:
                # wgmma declines some shapes with a diagnostic (e.g. no
                # keys, shared memory); anything else is a failure.
                msg = (p.stderr.strip().splitlines() or ["?"])[0]
                if "kernel=wgmma" in opts and "error:" in p.stderr:
                    print("case %d: %s declined: %s" % (i, opts, msg[-160:]))
                    continue
                print("case %d FAILED to compile (%s): %s\n  %s" % (i, opts, msg, shape))
                failures += 1
                continue
            binaries = re.findall(r"gpu\.binary @(\w+)", open(lowered).read())
            for b in binaries:
                ptx = subprocess.run([a.attn_translate, "--gpu-binary-to-ptx",
                                      "--ptx-binary=" + b, lowered],
                                     capture_output=True, text=True)
                asm = subprocess.run([a.ptxas, "-arch=" + chip, "-v", "-", "-o",
                                      os.devnull], input=ptx.stdout,
                                     capture_output=True, text=True)
                info = asm.stdout + asm.stderr
                kernels += 1
                m = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores", info)
                regs = re.search(r"Used (\d+) registers", info)
                if asm.returncode != 0 or not m:
                    print("case %d %s @%s: ptxas FAILED\n%s" % (i, opts, b, info[-400:]))
                    failures += 1
                    continue
                # ptxas C7511: wgmma.mma_async serialized (a register
                # pressure or aliasing problem, as costly as a spill).
                serial = "C7511" in info
                spilled = bool(int(m.group(1)) or int(m.group(2)))
                bad = spilled or serial
                spills += spilled
                serialized += serial
                print("case %d %s @%s: %s (%s registers, %s B stack, %s B spilled)%s"
                      % (i, opts, b,
                         "SPILL" if spilled else "SERIALIZED" if serial else "ok",
                         regs.group(1) if regs else "?", m.group(1), m.group(2),
                         "\n  " + shape if bad else ""), flush=True)
    print("kernels: %d, spilling: %d, serialized: %d, failures: %d"
          % (kernels, spills, serialized, failures))
    return 1 if spills or serialized or failures else 0


if __name__ == "__main__":
    sys.exit(main())
