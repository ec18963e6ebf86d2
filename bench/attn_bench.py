#!/usr/bin/env python3
"""CPU benchmark of attn-mlir against the kernels CPU users run today.

Side by side, in one process per thread count, on the same machine:
  ours-flash      attn-lower-to-llvm (flash schedule), compiled to a shared
                  object and called through its C interface (ctypes)
  ours-reference  attn-lower-to-llvm{flash=false} (scores materialized)
  torch           torch.nn.functional.scaled_dot_product_attention (CPU)
  iree            iree_linalg_ext.attention compiled by iree-base-compiler
                  for the host CPU (llvm-cpu), run by iree-base-runtime
  sgemm           OpenBLAS sgemm (numpy) of the same FLOP count: the ceiling

GFLOP/s use FLOPs = 4*B*Hq*S*S*D, halved for causal masking.

  attn_bench.py measure --threads N --out results-N.json [--quick]
  attn_bench.py memory [--seq 65536]
  attn_bench.py report results-1.json results-2.json [memory.json]
      --md ../docs/benchmarks.md --png ../docs/benchmarks.png
"""
import argparse
import ctypes
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("ATTN_BUILD_DIR", os.path.join(ROOT, "build"))
LLVM_LIB = "/usr/lib/llvm-22/lib"
CLANG = shutil.which("clang-22") or "/usr/lib/llvm-22/bin/clang"

# (label, B, Hq, Hkv, S, D)
SHAPES = [
    ("B1 H8 S1024 D64", 1, 8, 8, 1024, 64),
    ("B1 H8 S4096 D64", 1, 8, 8, 4096, 64),
    ("B1 H16 S2048 D128", 1, 16, 16, 2048, 128),
    ("B4 H16 S512 D64", 4, 16, 16, 512, 64),
    ("GQA B1 Hq32 Hkv8 S2048 D128", 1, 32, 8, 2048, 128),
]
QUICK_SHAPES = [("B1 H2 S256 D64", 1, 2, 2, 256, 64),
                ("GQA B1 Hq4 Hkv2 S384 D128", 1, 4, 2, 384, 128)]
# Ours against PyTorch only, beyond f32 prefill: bf16, KV-cache decode (one
# query, no mask: every cached key), dense masks. (label, dtype, B, Hq,
# Hkv, Sq, Skv, D, causal, mask: None | "additive" | "bool")
EXTRA = [
    ("bf16 B1 H16 S2048 D128", "bf16", 1, 16, 16, 2048, 2048, 128, False, None),
    ("bf16 B1 H16 S2048 D128", "bf16", 1, 16, 16, 2048, 2048, 128, True, None),
    ("decode f32 B1 Hq32 Hkv8 Skv8192 D128", "f32", 1, 32, 8, 1, 8192, 128,
     False, None),
    ("decode bf16 B1 Hq32 Hkv8 Skv8192 D128", "bf16", 1, 32, 8, 1, 8192, 128,
     False, None),
    ("decode bf16 B8 Hq32 Hkv8 Skv2048 D128", "bf16", 8, 32, 8, 1, 2048, 128,
     False, None),
    ("additive mask f32 B1 H16 S2048 D128", "f32", 1, 16, 16, 2048, 2048, 128,
     False, "additive"),
    ("bool mask f32 B1 H16 S2048 D128", "f32", 1, 16, 16, 2048, 2048, 128,
     False, "bool"),
]
QUICK_EXTRA = [
    ("decode bf16 B1 Hq8 Hkv2 Skv1024 D64", "bf16", 1, 8, 2, 1, 1024, 64,
     False, None),
    ("additive mask f32 B1 H2 S256 D64", "f32", 1, 2, 2, 256, 256, 64, False,
     "additive"),
]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def flops(shape, causal):
    _, b, hq, _, s, d = shape
    return 4.0 * b * hq * s * s * d / (2.0 if causal else 1.0)


def timeit(fn, min_time=0.4, min_iters=3, max_iters=100):
    """Median seconds per call after one warm-up call; a call slower than
    a second is timed once."""
    t0 = time.perf_counter()
    fn()  # warm-up
    if time.perf_counter() - t0 > 1.0:
        min_iters = 1
    times = []
    start = time.perf_counter()
    while len(times) < min_iters or (time.perf_counter() - start < min_time
                                     and len(times) < max_iters):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# --------------------------------------------------------------------------
# attn-mlir kernels through the C interface
# --------------------------------------------------------------------------

class MemRef4D(ctypes.Structure):
    _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * 4),
                ("strides", ctypes.c_int64 * 4)]


def descriptor(array):
    m = MemRef4D()
    m.allocated = m.aligned = array.ctypes.data
    m.offset = 0
    m.sizes[:] = list(array.shape)
    m.strides[:] = [s // array.itemsize for s in array.strides]
    return m


def sdpa_mlir(shape, causal, dtype="f32"):
    _, b, hq, hkv, s, d = shape
    q = f"tensor<{b}x{hq}x{s}x{d}x{dtype}>"
    kv = f"tensor<{b}x{hkv}x{s}x{d}x{dtype}>"
    attrs = " {pattern = #attn.causal<top_left>}" if causal else ""
    return (f"func.func @attention(%q: {q}, %k: {kv}, %v: {kv}) -> {q} {{\n"
            f"  %o = attn.sdpa %q, %k, %v{attrs} : {q}, {kv}, {kv} -> {q}\n"
            f"  return %o : {q}\n}}\n")


def compile_ours(mlir, workdir, name, pipeline_options, threads):
    """attn-opt | attn-translate | clang -> shared object; returns (path,
    seconds spent in attn-opt + attn-translate)."""
    src = os.path.join(workdir, name + ".mlir")
    ll = os.path.join(workdir, name + ".ll")
    so = os.path.join(workdir, name + ".so")
    with open(src, "w") as f:
        f.write(mlir)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    t0 = time.perf_counter()
    lowered = subprocess.run(
        [os.path.join(BUILD, "bin", "attn-opt"), src,
         f"--attn-lower-to-llvm={pipeline_options}"],
        check=True, capture_output=True, env=env).stdout
    subprocess.run([os.path.join(BUILD, "bin", "attn-translate"),
                    "--mlir-to-llvmir", "-o", ll], input=lowered, check=True)
    compile_seconds = time.perf_counter() - t0
    subprocess.run([CLANG, "-O3", "-march=native", "-shared", "-fPIC", ll,
                    "-o", so, f"-L{LLVM_LIB}", "-lomp",
                    f"-Wl,-rpath,{LLVM_LIB}"], check=True)
    return so, compile_seconds


class OurKernel:
    def __init__(self, so, arity=4):
        self.lib = ctypes.CDLL(so)
        self.fn = self.lib._mlir_ciface_attention
        self.fn.argtypes = [ctypes.POINTER(MemRef4D)] * arity
        self.fn.restype = None

    def bind(self, *arrays):
        self.args = [ctypes.byref(descriptor(a)) for a in arrays]
        self.keep = arrays

    def __call__(self):
        self.fn(*self.args)


# --------------------------------------------------------------------------
# IREE
# --------------------------------------------------------------------------

def iree_mlir(shape, causal):
    _, b, hq, hkv, s, d = shape
    g = hq // hkv
    scale = 1.0 / math.sqrt(d)
    q4 = f"tensor<{b}x{hq}x{s}x{d}xf32>"
    kv = f"tensor<{b}x{hkv}x{s}x{d}xf32>"
    q5 = f"tensor<{b}x{hkv}x{g}x{s}x{d}xf32>"
    dims = "(b, h, g, m, n, k1, k2)"
    maps = [f"affine_map<{dims} -> (b, h, g, m, k1)>",
            f"affine_map<{dims} -> (b, h, k2, k1)>",
            f"affine_map<{dims} -> (b, h, k2, n)>",
            f"affine_map<{dims} -> ()>"]
    ins = "%qg, %k, %v, %scale"
    types = f"{q5}, {kv}, {kv}, f32"
    args = f"%q: {q4}, %k: {kv}, %v: {kv}"
    if causal:
        maps.append(f"affine_map<{dims} -> (m, k2)>")
        ins += ", %mask"
        types += f", tensor<{s}x{s}xf32>"
        args += f", %mask: tensor<{s}x{s}xf32>"
    maps.append(f"affine_map<{dims} -> (b, h, g, m, n)>")
    return f"""
func.func @attention({args}) -> {q4} {{
  %scale = arith.constant {scale:.9e} : f32
  %qg = tensor.expand_shape %q [[0], [1, 2], [3], [4]] output_shape [{b}, {hkv}, {g}, {s}, {d}] : {q4} into {q5}
  %empty = tensor.empty() : {q5}
  %r = iree_linalg_ext.attention <{{indexing_maps = [{", ".join(maps)}]}}>
      ins({ins} : {types}) outs(%empty : {q5}) {{
    ^bb0(%score: f32):
      iree_linalg_ext.yield %score : f32
  }} -> {q5}
  %o = tensor.collapse_shape %r [[0], [1, 2], [3], [4]] : {q5} into {q4}
  return %o : {q4}
}}
"""


class IreeKernel:
    def __init__(self, shape, causal, threads):
        import iree.compiler as ireec
        import iree.runtime as ireert
        vmfb = ireec.compile_str(
            iree_mlir(shape, causal), target_backends=["llvm-cpu"],
            extra_args=["--iree-llvmcpu-target-cpu=host"])
        self.config = IreeKernel.config(threads)
        self.ctx = ireert.SystemContext(config=self.config)
        self.ctx.add_vm_module(
            ireert.VmModule.copy_buffer(self.ctx.instance, vmfb))
        self.fn = self.ctx.modules.module["attention"]

    _config = None

    @staticmethod
    def config(threads):
        import iree.runtime as ireert
        if IreeKernel._config is None:
            ireert.flags.parse_flags(
                f"--task_topology_max_group_count={threads}")
            IreeKernel._config = ireert.Config("local-task")
        return IreeKernel._config

    def bind(self, *arrays):
        import iree.runtime as ireert
        self.args = [ireert.asdevicearray(self.config.device, a)
                     for a in arrays]

    def __call__(self):
        return self.fn(*self.args)


# --------------------------------------------------------------------------
# measure
# --------------------------------------------------------------------------

def measure(args):
    import numpy as np
    import torch
    from threadpoolctl import threadpool_info, threadpool_limits

    threads = args.threads
    torch.set_num_threads(threads)
    omp = ctypes.CDLL(os.path.join(LLVM_LIB, "libomp.so"))
    omp.omp_set_num_threads(threads)
    shapes = QUICK_SHAPES if args.quick else SHAPES
    rng = np.random.default_rng(0)
    results = {"threads": threads, "machine": platform.processor() or
               platform.machine(), "cpu": cpu_name(), "torch": torch.__version__,
               "blas": [dict(internal_api=i.get("internal_api"),
                             version=i.get("version"),
                             architecture=i.get("architecture"))
                        for i in threadpool_info()
                        if i.get("user_api") == "blas"],
               "rows": []}
    try:
        import importlib.metadata
        results["iree"] = importlib.metadata.version("iree-base-compiler")
    except Exception:  # noqa: BLE001
        results["iree"] = None
    workdir = tempfile.mkdtemp(prefix="attn-bench-")
    for shape in shapes:
        label, b, hq, hkv, s, d = shape
        q = rng.standard_normal((b, hq, s, d), dtype=np.float32)
        k = rng.standard_normal((b, hkv, s, d), dtype=np.float32)
        v = rng.standard_normal((b, hkv, s, d), dtype=np.float32)
        tq, tk, tv = (torch.from_numpy(x) for x in (q, k, v))
        for causal in (False, True):
            row = {"shape": label, "causal": causal, "flops": flops(shape, causal)}
            name = f"{label.replace(' ', '_')}_{'causal' if causal else 'full'}_t{threads}"
            log(f"[{threads} threads] {label} {'causal' if causal else 'full'}")
            # PyTorch (also the correctness reference for the others).
            with torch.inference_mode():
                expected = torch.nn.functional.scaled_dot_product_attention(
                    tq, tk, tv, is_causal=causal, enable_gqa=hq != hkv).numpy()
                row["torch_s"] = timeit(
                    lambda: torch.nn.functional.scaled_dot_product_attention(
                        tq, tk, tv, is_causal=causal, enable_gqa=hq != hkv))

            def check(out):
                return float(np.linalg.norm(out - expected) /
                             np.linalg.norm(expected))

            for variant, options in (("flash", ""),
                                     ("reference", "flash=false")):
                if variant == "reference" and args.skip_reference:
                    continue
                so, compile_s = compile_ours(sdpa_mlir(shape, causal), workdir,
                                             f"{name}_{variant}", options,
                                             threads)
                kernel = OurKernel(so)
                out = np.full((b, hq, s, d), np.nan, dtype=np.float32)
                kernel.bind(q, k, v, out)
                if variant == "reference":
                    row["reference_s"] = timeit(kernel, min_time=0.0,
                                                min_iters=1)
                else:
                    row["flash_s"] = timeit(kernel)
                    row["compile_s"] = compile_s
                row[f"{variant}_rel_err"] = check(out)
            # IREE.
            try:
                iree_kernel = IreeKernel(shape, causal, threads)
                inputs = [q, k, v]
                if causal:
                    mask = np.triu(np.full((s, s), -np.inf, dtype=np.float32),
                                   k=1)
                    inputs.append(mask)
                iree_kernel.bind(*inputs)
                out = np.asarray(iree_kernel().to_host())
                row["iree_rel_err"] = check(out)
                row["iree_s"] = timeit(lambda: iree_kernel().to_host())
            except Exception as error:  # noqa: BLE001
                log(f"  iree failed: {error}")
                row["iree_error"] = str(error)[:300]
            # OpenBLAS sgemm with the same FLOP count (square n x n x n).
            n = int(round((flops(shape, causal) / 2.0) ** (1.0 / 3.0)))
            a = rng.standard_normal((n, n), dtype=np.float32)
            c = rng.standard_normal((n, n), dtype=np.float32)
            with threadpool_limits(limits=threads, user_api="blas"):
                row["sgemm_s"] = timeit(lambda: a @ c) * flops(shape, causal) / (2.0 * n ** 3)
            log("  " + ", ".join(f"{key}={value:.4g}" if isinstance(value, float)
                                 else f"{key}={value}" for key, value in row.items()
                                 if key not in ("shape", "causal")))
            results["rows"].append(row)
    results["extra"] = [measure_extra(case, threads, workdir, rng)
                        for case in (QUICK_EXTRA if args.quick else EXTRA)]
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    log(f"wrote {args.out}")


def extra_mlir(case):
    _, dtype, b, hq, hkv, sq, skv, d, causal, mask = case
    q = f"tensor<{b}x{hq}x{sq}x{d}x{dtype}>"
    kv = f"tensor<{b}x{hkv}x{skv}x{d}x{dtype}>"
    args, operands = f"%q: {q}, %k: {kv}, %v: {kv}", ""
    if mask:
        m = f"tensor<1x1x{sq}x{skv}x{'i1' if mask == 'bool' else dtype}>"
        args += f", %m: {m}"
        operands = f" mask(%m : {m})"
    attrs = " {pattern = #attn.causal<top_left>}" if causal else ""
    return (f"func.func @attention({args}) -> {q} {{\n"
            f"  %o = attn.sdpa %q, %k, %v{operands}{attrs} : {q}, {kv}, {kv} -> {q}\n"
            f"  return %o : {q}\n}}\n")


def measure_extra(case, threads, workdir, rng):
    """Ours against PyTorch SDPA on one EXTRA case (same inputs; PyTorch's
    output is the reference)."""
    import numpy as np
    import torch
    label, dtype, b, hq, hkv, sq, skv, d, causal, mask = case
    tdtype = torch.bfloat16 if dtype == "bf16" else torch.float32
    log(f"[{threads} threads] {label}{' causal' if causal else ''}"
        f"{' ' + mask + ' mask' if mask else ''}")
    gen = torch.Generator().manual_seed(int(rng.integers(1 << 31)))
    tq = torch.randn(b, hq, sq, d, generator=gen).to(tdtype)
    tk = torch.randn(b, hkv, skv, d, generator=gen).to(tdtype)
    tv = torch.randn(b, hkv, skv, d, generator=gen).to(tdtype)
    tmask = None
    if mask:
        keep = torch.rand(1, 1, sq, skv, generator=gen) < 0.8
        keep[..., 0] = True  # no fully masked row (PyTorch would give NaN)
        tmask = keep if mask == "bool" else torch.where(
            keep, torch.zeros(()), torch.full((), -float("inf"))).to(tdtype)
    row = {"label": label, "causal": causal,
           "flops": 4.0 * b * hq * sq * skv * d / (2.0 if causal else 1.0)}

    def sdpa():
        return torch.nn.functional.scaled_dot_product_attention(
            tq, tk, tv, attn_mask=tmask, is_causal=causal,
            enable_gqa=hq != hkv)
    with torch.inference_mode():
        expected = sdpa().float()
        row["torch_s"] = timeit(sdpa)

    def host(t):  # numpy view of a tensor's bits (bf16 as uint16)
        t = t.contiguous()
        return (t.view(torch.int16).numpy() if t.dtype == torch.bfloat16
                else t.numpy())
    arrays = [host(tq), host(tk), host(tv)]
    if mask:
        arrays.append(host(tmask))
    out = torch.full((b, hq, sq, d), float("nan"), dtype=tdtype)
    arrays.append(host(out))
    name = "extra_" + "".join(c if c.isalnum() else "_" for c in label)
    name += f"_{int(causal)}_{mask}_t{threads}"
    so, row["compile_s"] = compile_ours(extra_mlir(case), workdir, name, "",
                                        threads)
    kernel = OurKernel(so, len(arrays))
    kernel.bind(*arrays)
    kernel()
    got = out.float()
    row["rel_err"] = float(torch.linalg.norm(got - expected) /
                           torch.linalg.norm(expected))
    row["flash_s"] = timeit(kernel)
    log(f"  ours {row['flash_s'] * 1e3:.2f} ms, torch "
        f"{row['torch_s'] * 1e3:.2f} ms, rel err {row['rel_err']:.1e}")
    return row


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# --------------------------------------------------------------------------
# memory
# --------------------------------------------------------------------------

def memory(args):
    shape = ("B1 H1 S%d D64" % args.seq, 1, 1, 1, args.seq, 64)
    workdir = tempfile.mkdtemp(prefix="attn-bench-mem-")
    so, compile_s = compile_ours(sdpa_mlir(shape, False), workdir, "memory",
                                 "", os.cpu_count())
    exe = os.path.join(workdir, "rss_probe")
    subprocess.run([CLANG, "-O2", f"-DB=1", f"-DH=1", f"-DS={args.seq}",
                    "-DD=64", os.path.join(ROOT, "bench", "rss_probe.c"), so,
                    "-o", exe, f"-Wl,-rpath,{workdir}", f"-Wl,-rpath,{LLVM_LIB}"],
                   check=True)
    t0 = time.perf_counter()
    line = subprocess.run([exe], check=True, capture_output=True,
                          text=True).stdout.strip()
    seconds = time.perf_counter() - t0
    values = dict(item.split("=") for item in line.split())
    result = {"shape": shape[0], "peak_rss_mib": float(values["peak_rss_mib"]),
              "inputs_output_mib": float(values["inputs_output_mib"]),
              "seconds": seconds, "compile_s": compile_s,
              "materialized_scores_gib": 4.0 * args.seq * args.seq / 2 ** 30}
    log(json.dumps(result))
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------

def gflops(row, key):
    seconds = row.get(key)
    return row["flops"] / seconds / 1e9 if seconds else None


def fmt(value, spec=".1f"):
    return "—" if value is None else format(value, spec)


def report(args):
    runs = []
    mem = None
    for path in args.results:
        with open(path) as f:
            data = json.load(f)
        if "rows" in data:
            runs.append(data)
        else:
            mem = data
    runs.sort(key=lambda r: r["threads"])
    lines = ["# Benchmarks", "",
             "Generated by `bench/run.sh` (`bench/attn_bench.py`); numbers "
             "from one run on one machine, all peers measured side by side in "
             "the same process.", ""]
    if runs:
        r0 = runs[0]
        lines += [f"- CPU: {r0['cpu']} ({os.cpu_count()} logical cores seen)",
                  f"- PyTorch {r0['torch']}, IREE {r0.get('iree')}, "
                  f"BLAS: {r0['blas']}",
                  "- f32; GFLOP/s with FLOPs = 4·B·Hq·S²·D, halved for causal; "
                  "median time of repeated calls (at least 3, or 0.4 s) after "
                  "a warm-up call; peers slower than 1 s per call and the "
                  "reference lowering are timed once.",
                  "- `sgemm`: OpenBLAS (numpy) square sgemm with the same FLOP "
                  "count — the machine's matmul ceiling (OpenBLAS with its "
                  "native kernel: `OPENBLAS_CORETYPE` unset for the run).",
                  "- `torch`: `scaled_dot_product_attention(is_causal=..., "
                  "enable_gqa=...)` under `inference_mode`, "
                  "`torch.set_num_threads(N)`.",
                  "- `iree`: `iree_linalg_ext.attention` compiled with "
                  "`--iree-hal-target-backends=llvm-cpu "
                  "--iree-llvmcpu-target-cpu=host`, run on `local-task` with "
                  "`--task_topology_max_group_count=N`; GQA as a 5-D "
                  "(batch, kv head, group) iteration space, causal as an "
                  "additive S×S mask operand (the op has no causal attribute).",
                  "- `ours flash`: `attn-lower-to-llvm` → `attn-translate "
                  "--mlir-to-llvmir` → `clang -O3 -march=native -shared`, "
                  "called through `_mlir_ciface_attention` (ctypes), "
                  "`omp_set_num_threads(N)`; `ours reference`: the same with "
                  "`flash=false` (scores materialized — the decomposed "
                  "strategy).",
                  "- `flash/torch`, `flash/iree`, `flash/sgemm`: ratios of "
                  "GFLOP/s (higher is better for us).", ""]
    for run in runs:
        lines += [f"## {run['threads']} thread{'s' if run['threads'] > 1 else ''}", "",
                  "| shape | mask | ours flash | ours reference | torch | iree | sgemm | flash/torch | flash/iree | flash/sgemm | max rel err | compile s |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for row in run["rows"]:
            ours = gflops(row, "flash_s")
            torch_g = gflops(row, "torch_s")
            iree_g = gflops(row, "iree_s")
            sgemm_g = gflops(row, "sgemm_s")
            errs = [row.get(k) for k in ("flash_rel_err", "reference_rel_err",
                                          "iree_rel_err") if row.get(k) is not None]
            lines.append(
                f"| {row['shape']} | {'causal' if row['causal'] else 'full'} | "
                f"{fmt(ours)} | {fmt(gflops(row, 'reference_s'))} | {fmt(torch_g)} | "
                f"{fmt(iree_g)} | {fmt(sgemm_g)} | "
                f"{fmt(ours / torch_g if ours and torch_g else None, '.2f')}× | "
                f"{fmt(ours / iree_g if ours and iree_g else None, '.2f')}× | "
                f"{fmt(ours / sgemm_g if ours and sgemm_g else None, '.2f')} | "
                f"{fmt(max(errs) if errs else None, '.1e')} | "
                f"{fmt(row.get('compile_s'), '.2f')} |")
        lines.append("")
        speedups = []
        for full in run["rows"]:
            if full["causal"]:
                continue
            for causal in run["rows"]:
                if causal["causal"] and causal["shape"] == full["shape"]:
                    speedups.append(f"{full['shape']}: "
                                    f"{full['flash_s'] / causal['flash_s']:.2f}×")
        lines += ["Causal vs full wall time (ours): " + ", ".join(speedups), ""]
        if run.get("extra"):
            lines += ["Beyond f32 prefill, ours against PyTorch SDPA (same "
                      "inputs; PyTorch's output is the reference; decode: one "
                      "query per head against every cached key; masks: "
                      "`[1, 1, S, S]`, 80% of keys kept):", "",
                      "| case | mask | ours ms | torch ms | ours GFLOP/s | "
                      "torch GFLOP/s | ours/torch | rel err vs torch |",
                      "|---|---|---|---|---|---|---|---|"]
            for row in run["extra"]:
                ours, torch_g = gflops(row, "flash_s"), gflops(row, "torch_s")
                kind = ("causal" if row["causal"] else "full")
                if "mask" in row["label"]:
                    kind = row["label"].split(" mask")[0]
                lines.append(
                    f"| {row['label']} | {kind} | {row['flash_s'] * 1e3:.2f} | "
                    f"{row['torch_s'] * 1e3:.2f} | {fmt(ours)} | "
                    f"{fmt(torch_g)} | "
                    f"{fmt(ours / torch_g if ours and torch_g else None, '.2f')}× | "
                    f"{fmt(row.get('rel_err'), '.1e')} |")
            lines.append("")
    if mem:
        lines += ["## Memory", "",
                  f"{mem['shape']} f32 through the flash kernel, called from a "
                  f"C program (`bench/rss_probe.c`): peak RSS "
                  f"{mem['peak_rss_mib']:.1f} MiB for "
                  f"{mem['inputs_output_mib']:.1f} MiB of inputs + output "
                  f"(+{mem['peak_rss_mib'] - mem['inputs_output_mib']:.1f} MiB); "
                  f"the materialized score matrix alone would take "
                  f"{mem['materialized_scores_gib']:.0f} GiB. One call: "
                  f"{mem['seconds']:.1f} s.", ""]
    if args.png and runs:
        plot(runs, args.png)
        lines += [f"![GFLOP/s]({os.path.basename(args.png)})", ""]
    with open(args.md, "w") as f:
        f.write("\n".join(lines))
    log(f"wrote {args.md}")


def plot(runs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(runs), 1, figsize=(13, 4.2 * len(runs)),
                             squeeze=False)
    peers = [("flash_s", "ours flash"), ("reference_s", "ours reference"),
             ("torch_s", "torch"), ("iree_s", "iree"), ("sgemm_s", "sgemm")]
    for axis, run in zip(axes[:, 0], runs):
        rows = run["rows"]
        labels = [f"{r['shape'].replace(' S', chr(10) + 'S', 1)}\n"
                  f"{'causal' if r['causal'] else 'full'}" for r in rows]
        width = 0.16
        for i, (key, name) in enumerate(peers):
            values = [gflops(r, key) or 0 for r in rows]
            axis.bar([x + (i - 2) * width for x in range(len(rows))], values,
                     width, label=name)
        axis.set_xticks(range(len(rows)))
        axis.set_xticklabels(labels, fontsize=7)
        axis.set_ylabel("GFLOP/s")
        axis.set_title(f"f32 attention, {run['threads']} thread(s)")
        axis.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="time every peer for one thread count")
    m.add_argument("--threads", type=int, required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--quick", action="store_true",
                   help="two small shapes only (a smoke test)")
    m.add_argument("--skip-reference", action="store_true",
                   help="skip the (slow) reference lowering")
    mem = sub.add_parser("memory", help="peak RSS of the flash kernel")
    mem.add_argument("--seq", type=int, default=65536)
    mem.add_argument("--out", required=True)
    r = sub.add_parser("report", help="write docs/benchmarks.md and the plot")
    r.add_argument("results", nargs="+")
    r.add_argument("--md", required=True)
    r.add_argument("--png")
    args = parser.parse_args()
    {"measure": measure, "memory": memory, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
