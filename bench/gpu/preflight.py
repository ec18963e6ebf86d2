#!/usr/bin/env python3
"""Here, before the GPU machine: drives every prebuilt kernel library of
bench/gpu/kernels (the files run.sh will use there) over the stand-in CUDA
driver of utils/fake-cuda, which checks each driver call the host code
makes (cubin arch, launch limits, registers x threads, the shared-memory
opt-in, pointer parameters, tensor maps) without running a kernel. A case
that breaks a precondition would fail on the GPU before computing
anything; this finds it without spending device time. No PyTorch needed.

usage: preflight.py [--only SUBSTRING] [--sm 90]
Prints one line per case and "preflight: N cases, M failed"; exit status
1 when a case fails."""
import argparse, ctypes, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KERNELS = os.environ.get("ATTN_BENCH_KERNELS", os.path.join(HERE, "kernels"))
BYTES = {"f32": 4, "f16": 2, "bf16": 2}


def descriptor(pointer, shape):
    rank = len(shape)
    cls = type(f"MemRef{rank}", (ctypes.Structure,), {"_fields_": [
        ("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
        ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * rank),
        ("strides", ctypes.c_int64 * rank)]})
    m = cls()
    m.allocated = m.aligned = pointer
    m.offset = 0
    m.sizes[:] = shape
    stride, strides = 1, []
    for s in reversed(shape):
        strides.insert(0, stride)
        stride *= s
    m.strides[:] = strides
    return m


def run_one(c):
    """In the child process: allocate device buffers through the runtime,
    call the entry point once."""
    rt = ctypes.CDLL(os.path.join(KERNELS, "libattn_cuda_runtime.so"))
    rt.mgpuMemAlloc.restype = ctypes.c_void_p
    rt.mgpuMemAlloc.argtypes = [ctypes.c_uint64, ctypes.c_void_p, ctypes.c_bool]
    rt.mgpuMemFree.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    e = BYTES[c["dtype"]]
    shapes = [([c["B"], c["Hq"], c["Sq"], c["D"]], e),
              ([c["B"], c["Hkv"], c["Skv"], c["D"]], e),
              ([c["B"], c["Hkv"], c["Skv"], c["Dv"]], e)]
    if c.get("mask"):
        shapes.append(([c["B"], 1, c["Sq"], c["Skv"]], 1))
    shapes.append(([c["B"], c["Hq"], c["Sq"], c["Dv"]], e))
    if c["lse"]:
        shapes.append(([c["B"], c["Hq"], c["Sq"]], 4))
    buffers, descs = [], []
    for shape, size in shapes:
        n = size
        for s in shape:
            n *= s
        p = rt.mgpuMemAlloc(max(n, 1), None, False)
        buffers.append(p)
        descs.append(descriptor(p, shape))
    lib = ctypes.CDLL(os.path.join(KERNELS, f"lib{c['name']}.so"))
    lib._mlir_ciface_attention(*[ctypes.byref(d) for d in descs])
    for p in buffers:
        rt.mgpuMemFree(p, None)


def _compute_capability(text):
    if not (text.isdigit() and 2 <= len(text) <= 3 and int(text) >= 50):
        raise argparse.ArgumentTypeError(
            "expected a compute capability such as 80 or 90, got %r" % text)
    return text


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="",
                    help="check the cases whose name contains this")
    ap.add_argument("--sm", default="90", type=_compute_capability,
                    help="the stand-in device's compute capability, e.g. 80 or "
                         "90 (default 90)")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    a = ap.parse_args()
    try:
        with open(os.path.join(KERNELS, "manifest.json")) as f:
            cases = {c["name"]: c for c in json.load(f)["cases"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit(f"preflight.py: cannot use {KERNELS}/manifest.json: "
                 f"{type(e).__name__}: {e} (run bench/gpu/build_kernels.py)")
    if a.case:
        run_one(cases[a.case])
        return 0
    clang = shutil.which("clang-22") or shutil.which("clang") or "/usr/lib/llvm-22/bin/clang"
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([clang, "-shared", "-fPIC", "-O1",
                        os.path.join(ROOT, "utils", "fake-cuda", "fake-cuda-driver.c"),
                        "-o", os.path.join(tmp, "libcuda.so.1")], check=True)
        env = dict(os.environ, LD_LIBRARY_PATH=tmp, FAKE_CUDA_SM=a.sm, FAKE_CUDA_TRACE="1")
        names = [n for n in cases if a.only in n]
        if not names:
            sys.exit(f"preflight.py: no case matches --only '{a.only}' "
                     f"({len(cases)} in the manifest)")
        for name in names:
            p = subprocess.run([sys.executable, os.path.abspath(__file__), "--case", name],
                               env=env, capture_output=True, text=True, timeout=600)
            log = p.stderr.splitlines()
            errors = [l for l in log if "error" in l]
            launches = [l.split(" registers")[0].replace("fake-cuda: launch ", "")
                        for l in log if l.startswith("fake-cuda: launch")]
            ok = p.returncode == 0 and not errors and launches
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: " +
                  ("; ".join(launches) if ok else
                   " | ".join(errors or log[-3:] or [f"exit {p.returncode}"])), flush=True)
    print(f"preflight: {len(names)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
