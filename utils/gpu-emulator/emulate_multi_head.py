#!/usr/bin/env python3
"""Lane-accurate emulation of attn.multi_head on the GPU path.

Writes attn.multi_head functions (self- and cross-attention, GQA, biases,
causal, f16/bf16, projections on the tensor-core matmul kernel and on the
simple kernels, the attention on the mma.sync or the sm_90a wgmma kernel),
lowers each the way attn-lower-to-nvvm does before its
NVVM stage (decompose, GPU schedule, convert-attn-to-gpu, bufferization
with results as out-parameters, attn-host-to-gpu: the projections and head
split/merge as 256-thread kernels, device buffers), runs the whole function
with irinterp.py (host ops, every kernel, every lane) and compares the
output with a float64 reference of the op's definition. The output must be
written exactly once.

usage: python3 emulate_multi_head.py [--attn-opt PATH] [--seed N]
Exit status 1 when a configuration fails.
"""
import argparse
import os
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore", message="All-NaN slice")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from irinterp import Interp, parse_module, run_attn_opt, BF16, F16, InterpError  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ATTN_OPT = os.environ.get(
    "ATTN_OPT", os.path.join(HERE, "..", "..", "build", "bin", "attn-opt"))

# The passes of attn-lower-to-nvvm up to the NVVM lowering.
PIPELINE = [
    "-attn-decompose-multi-head", "-attn-derive-gpu-schedule",
    "-convert-attn-to-gpu", "-canonicalize",
    # attn-lower-to-nvvm's own bufferization stage (arguments read-only)
    "-attn-bufferize=results-to-out-params=true",
    "-canonicalize", "-attn-host-to-gpu", "-canonicalize", "-cse",
    "-mlir-print-op-generic",
]


def tensor(shape, e):
    return "tensor<%sx%s>" % ("x".join(str(s) for s in shape), e)


def build(c):
    e, B, Sq, Skv, E, Hq, Hkv, D = (c[k] for k in
                                    ("dtype", "B", "Sq", "Skv", "E", "Hq", "Hkv", "D"))
    args = [("x", (B, Sq, E))]
    if c["cross"]:
        args.append(("kv", (B, Skv, E)))
    args += [("wq", (E, Hq * D)), ("wk", (E, Hkv * D)), ("wv", (E, Hkv * D)),
             ("wo", (Hq * D, E))]
    if c["bias"]:
        args += [("bq", (Hq * D,)), ("bo", (E,))]
    sig = ", ".join("%%%s: %s" % (n, tensor(s, e)) for n, s in args)
    out = tensor((B, Sq, E), e)
    ws = ", ".join(tensor(s, e) for n, s in args if n.startswith("w"))
    text = "func.func @mha(%s) -> %s {\n  %%y = attn.multi_head %%x : %s" % (
        sig, out, tensor((B, Sq, E), e))
    if c["cross"]:
        text += " kv(%%kv : %s)" % tensor((B, Skv, E), e)
    text += " weights(%wq, %wk, %wv, %wo : " + ws + ")"
    if c["bias"]:
        text += " q_bias(%%bq : %s) o_bias(%%bo : %s)" % (
            tensor((Hq * D,), e), tensor((E,), e))
    attrs = ["num_heads = %d : i64" % Hq, "num_kv_heads = %d : i64" % Hkv]
    if c["causal"]:
        attrs.append("pattern = #attn.causal<%s>" % c["causal"])
    text += " {%s} -> %s\n" % (", ".join(attrs), out)
    if c.get("residual"):
        # x + y: an elementwise kernel in the element type, which must not
        # write into the caller's x (arguments are read-only buffers here).
        text += "  %%r = arith.addf %%x, %%y : %s\n  return %%r : %s\n}\n" % (out, out)
    else:
        text += "  return %%y : %s\n}\n" % out
    return text, args


def lower(text, kernel="auto"):
    passes = list(PIPELINE)
    if kernel == "wgmma":  # the sm_90a kernel for the attention itself
        passes[1] = "-attn-derive-gpu-schedule=chip=sm_90a kernel=wgmma"
    return run_attn_opt(ATTN_OPT, text, passes)


def reference(c, values):
    B, Sq, Skv, Hq, Hkv, D = (c[k] for k in ("B", "Sq", "Skv", "Hq", "Hkv", "D"))
    v = {n: a.astype(np.float64) for n, a in values.items()}
    x = v["x"]
    kv = v["kv"] if c["cross"] else x
    dt = BF16 if c["dtype"] == "bf16" else F16
    rnd = lambda a: a.astype(np.float32).astype(dt).astype(np.float64)  # noqa: E731
    q = x @ v["wq"] + (v["bq"] if c["bias"] else 0)
    k = kv @ v["wk"]
    vv = kv @ v["wv"]
    q, k, vv = rnd(q), rnd(k), rnd(vv)
    q = q.reshape(B, Sq, Hq, D).transpose(0, 2, 1, 3)
    k = k.reshape(B, Skv, Hkv, D).transpose(0, 2, 1, 3)
    vv = vv.reshape(B, Skv, Hkv, D).transpose(0, 2, 1, 3)
    g = Hq // Hkv
    k = np.repeat(k, g, axis=1)
    vv = np.repeat(vv, g, axis=1)
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(D)
    i = np.arange(Sq)[:, None]
    j = np.arange(Skv)[None, :]
    if c["causal"] == "top_left":
        s = np.where(j <= i, s, -np.inf)
    elif c["causal"] == "bottom_right":
        s = np.where(j <= i + Skv - Sq, s, -np.inf)
    m = s.max(-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    p = np.exp(s - m)
    l = p.sum(-1, keepdims=True)
    a = np.where(l > 0, (p @ vv) / np.where(l > 0, l, 1), 0)
    a = rnd(a).transpose(0, 2, 1, 3).reshape(B, Sq, Hq * D)
    y = a @ v["wo"] + (v["bo"] if c["bias"] else 0)
    if c.get("residual"):
        y = rnd(y) + x
    return y


def run(c, seed):
    rng = np.random.default_rng(seed)
    text, args = build(c)
    ir = lower(text, c.get("kernel", "auto"))
    if c.get("kernel") == "wgmma" and "nvgpu.tma.create.descriptor" not in ir:
        raise RuntimeError("no wgmma kernel generated")
    mod = parse_module(ir)
    dt = BF16 if c["dtype"] == "bf16" else F16
    values = {}
    for n, shape in args:
        scale = 1.0 if n in ("x", "kv") else 1.0 / np.sqrt(shape[0])
        values[n] = (rng.standard_normal(shape) * scale).astype(np.float32).astype(dt)
    out = np.full((c["B"], c["Sq"], c["E"]), np.nan, np.float32).astype(dt)
    inputs = [values[n] for n, _ in args] + [out]
    it = Interp(mod, seed)
    it.run_func(inputs, writable={len(inputs) - 1})
    problems = list(it.errors)
    buf = it.args[-1]
    # Exactly once, except that a residual add may update the output in
    # place after the projection wrote it (never less than once).
    once = (buf.writes >= 1) if c.get("residual") else (buf.writes == 1)
    if not once.all():
        problems.append("output writes: %d missing, %d duplicated" % (
            int((buf.writes == 0).sum()), int((buf.writes > 1).sum())))
    if it.stats["ldmatrix_conflicts"]:
        problems.append("%d ldmatrix reads with shared-memory bank conflicts"
                        % it.stats["ldmatrix_conflicts"])
    got = buf.arr.astype(np.float64)
    ref = reference(c, values)
    # Element by element (one wrong row must fail), relative to the
    # output's scale: bf16 roundings of q, k, v, the attention and the
    # output projection.
    scale = max(float(np.abs(ref).max()), 1e-30)
    err = float(np.nanmax(np.abs(got - ref))) / scale if got.size else 0.0
    if np.isnan(got).any() or not err <= 1e-2:
        problems.append("max error %.3g of the output's scale" % err)
    return problems, err, it.stats["blocks"]


def main():
    global ATTN_OPT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--attn-opt", default=ATTN_OPT)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    ATTN_OPT = args.attn_opt
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print("seed: %d" % seed)
    base = dict(dtype="bf16", B=2, Sq=20, Skv=20, E=32, Hq=2, Hkv=2, D=16,
                cross=False, bias=False, causal=None)
    configs = [
        dict(base),
        dict(base, Hq=4, Hkv=2, causal="top_left", bias=True),
        dict(base, dtype="f16", cross=True, Sq=7, Skv=33, causal="bottom_right"),
        dict(base, B=1, Sq=33, Skv=33, E=48, Hq=3, Hkv=1, D=16, bias=True),
        # Tensor-core projections across several 64 x 64 tiles with ragged
        # edges (M = 140); E = 40 is no multiple of 16: the simple kernels.
        dict(base, B=2, Sq=70, Skv=70, E=96, Hq=4, Hkv=2, D=32, causal="bottom_right"),
        dict(base, B=1, Sq=9, Skv=9, E=40, Hq=2, Hkv=2, D=16, bias=True),
        # A residual block, y = x + multi_head(x), in bf16: the add runs on
        # the GPU, into a buffer of its own (x is the caller's, read-only).
        dict(base, B=2, Sq=33, Skv=33, E=64, Hq=4, Hkv=2, D=16, causal="top_left",
             residual=True),
        # The attention on the sm_90a kernel (TMA over the device buffers
        # of the projections).
        dict(base, B=2, Sq=70, Skv=70, E=64, Hq=2, Hkv=1, D=64, causal="bottom_right",
             bias=True, kernel="wgmma"),
    ]
    failed = 0
    for n, c in enumerate(configs):
        try:
            problems, err, blocks = run(c, seed + n)
        except (InterpError, RuntimeError) as e:
            problems, err, blocks = ["exception: %s" % str(e)[:300]], float("nan"), 0
        desc = " ".join("%s=%s" % kv for kv in c.items())
        print("[%d] %s %s | max_err=%.3g blocks=%d" % (
            n, "FAIL" if problems else "OK  ", desc, err, blocks))
        for p in problems:
            print("      - " + p)
        failed += bool(problems)
    print("%d passed, %d failed" % (len(configs) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
