#!/usr/bin/env python3
"""Random attn.sdpa functions through the CPU flash path, each run by
attn-run against its float64 reference on NaN-poisoned outputs (so every
output element must be written): odd sizes, GQA, D != Dv, f32 / f16 / bf16,
patterns (causal, sliding windows, strided), boolean and additive masks
broadcast or not over batch and heads, key lengths and lse; about half of
the cases use the derived schedule, the rest a random hand-written one
(block_q below the vector width -- attn-tile-flash's row form, as decode
takes, often with split-KV -- or a multiple of it, any block_kv, 4 / 8 /
16 lanes). Short query
sequences are drawn often, since they take the row form.

usage: fuzz_cpu_flash.py --attn-run PATH [--seed N] [--n N]
Prints one line per case and "failed: N"; exit status 1 when N > 0.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

from sdpa_text import sdpa_function


def schedule(rng):
    lanes = rng.choice([4, 8, 16])
    if rng.random() < 0.6:
        block_q = rng.randint(1, lanes - 1)
    else:
        block_q = lanes * rng.randint(1, 4)
    vectors = rng.randint(1, 4)
    rows = rng.randint(1, max(1, min(8, (32 - vectors - 1) // vectors)))
    block_kv = rng.choice([1, 3, 16, 17, 64, 100, 256])
    splits = ""
    if block_q < lanes and rng.random() < 0.5:  # split-KV: row form only
        splits = f", kv_splits = {rng.choice([2, 3, 7])}"
    return (f"#attn.schedule<block_q = {block_q}, block_kv = {block_kv}, "
            f"vector_width = {lanes}, register_rows = {rows}, "
            f"register_vectors = {vectors}{splits}>")


def case(rng):
    B, Hkv, g = rng.choice([1, 2]), rng.choice([1, 2, 3]), rng.choice([1, 2, 4])
    Sq = rng.choice([1, 1, 2, 3, 7, 15, 16, 17, 40])
    Skv = rng.choice([1, 7, 33, 129, 300])
    D = rng.choice([1, 8, 16, 20, 64, 100, 128])
    Dv = D if rng.random() < 0.6 else rng.choice([3, 16, 40, 64])
    et = rng.choice(["f32", "f16", "bf16"])
    lse = rng.random() < 0.3
    pattern = None
    r = rng.random()
    if r < 0.3:
        pattern = "#attn.causal<%s>" % rng.choice(["top_left", "bottom_right"])
    elif r < 0.45:
        pattern = ("#attn.sliding_window<%s, left = %d, right = %d>"
                   % (rng.choice(["top_left", "bottom_right"]),
                      rng.randint(0, 200), rng.randint(0, 10)))
    elif r < 0.55:
        pattern = "#attn.strided<%s, stride = %d>" % (
            rng.choice(["top_left", "bottom_right"]), rng.randint(1, 9))
    mask = rng.choice(["i1", "f32", et]) if rng.random() < 0.35 else None
    mask_batch = rng.choice([1, B])
    mask_heads = rng.choice([1, Hkv * g])
    key_lengths = rng.random() < 0.3
    src = sdpa_function(B, Hkv, g, Sq, Skv, D, Dv, et, lse, pattern, mask,
                        key_lengths, mask_batch, mask_heads)
    return src, (schedule(rng) if rng.random() < 0.5 else None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attn-run", required=True)
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the draws (default: a fresh one, printed)")
    parser.add_argument("--n", type=int, default=40, help="cases (default 40)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"seed {seed}")
    rng = random.Random(seed)
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            src, sched = case(rng)
            path = os.path.join(tmp, f"case{i}.mlir")
            with open(path, "w") as f:
                f.write(src)
            cmd = [args.attn_run, path, "--iterations=1", "--warmup=0",
                   f"--seed={seed + i}"]
            if sched:
                cmd.append(f"--schedule={sched}")
            try:
                run = subprocess.run(cmd, capture_output=True, text=True,
                                     timeout=300)
                ok = run.returncode == 0
                tail = (run.stdout + run.stderr).strip().splitlines()
                summary = tail[-1] if tail else ""
            except subprocess.TimeoutExpired:
                ok, summary = False, "timed out"
            head = src.splitlines()[1].strip()
            print(f"case {i}: {'ok' if ok else 'FAILED'} {summary}\n"
                  f"  {head}\n  schedule: {sched or 'derived'}")
            if not ok:
                failed += 1
                print(src)
                if tail:
                    print("\n".join(tail[-15:]))
    print(f"failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
