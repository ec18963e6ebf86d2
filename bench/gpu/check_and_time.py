#!/usr/bin/env python3
"""On the GPU machine: loads each prebuilt kernel library (ctypes), runs it
on CUDA tensors from PyTorch, checks it against a float64 reference (every
output element written, within tolerance) and times it with CUDA events
(median) next to PyTorch SDPA: its default choice, the FlashAttention-2
backend and the cuDNN backend, measured in the same run."""
import ctypes, json, math, os, sys, time

try:
    import torch
except ImportError:  # the runner itself needs no torch (see --mock)
    torch = None

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = os.path.join(HERE, "kernels")
TOL = {"f32": 1e-5, "f16": 5e-3, "bf16": 2e-2}
DTYPE = {} if torch is None else {
    "f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def descriptor(t):
    rank = t.dim()
    cls = type(f"MemRef{rank}", (ctypes.Structure,), {"_fields_": [
        ("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
        ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * rank),
        ("strides", ctypes.c_int64 * rank)]})
    m = cls()
    m.allocated = m.aligned = t.data_ptr()
    m.offset = 0
    m.sizes[:] = list(t.shape)
    m.strides[:] = list(t.stride())
    return m


def visible(pattern, sq, skv, device="cpu"):
    """[sq, skv] bool: the keys each query row sees under `pattern` (None,
    "top_left", "bottom_right", "window:<align>:<left>:<right>" or
    "strided:<align>:<stride>")."""
    i = torch.arange(sq, device=device)[:, None]
    j = torch.arange(skv, device=device)[None, :]
    if not pattern:
        return torch.ones(sq, skv, dtype=torch.bool, device=device)
    if pattern.startswith("window"):
        _, align, left, right = pattern.split(":")
        off = 0 if align == "top_left" else skv - sq
        return (j >= i + off - int(left)) & (j <= i + off + int(right))
    if pattern.startswith("strided"):
        _, align, stride = pattern.split(":")
        off = 0 if align == "top_left" else skv - sq
        dist = i + off - j
        return (dist >= 0) & (dist % int(stride) == 0)
    off = 0 if pattern == "top_left" else skv - sq
    return j <= i + off


def reference(q, k, v, pattern, heads=None, mask=None):
    g = q.shape[1] // k.shape[1]
    if heads is not None:
        q = q[:1, :heads]
        if mask is not None:
            mask = mask[:1]
    kk = k.double().repeat_interleave(g, dim=1)[: q.shape[0], : q.shape[1]]
    vv = v.double().repeat_interleave(g, dim=1)[: q.shape[0], : q.shape[1]]
    s = (q.double() @ kk.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    s = s.masked_fill(~visible(pattern, q.shape[2], k.shape[2], q.device),
                      float("-inf"))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    mx = s.amax(-1, keepdim=True)
    safe = torch.where(torch.isinf(mx), torch.zeros_like(mx), mx)
    p = torch.exp(s - safe)
    l = p.sum(-1, keepdim=True)
    out = torch.where(l > 0, (p @ vv) / l, torch.zeros_like(p @ vv))
    lse = torch.where(l > 0, safe + torch.log(l), torch.full_like(l, float("-inf")))
    return out, lse.squeeze(-1)


def time_ms(call, reps):
    """Median of `reps` CUDA-event timings of `call` after one warm-up."""
    call(); torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record(); call(); e.record(); torch.cuda.synchronize()
        times.append(s.elapsed_time(e))
    return sorted(times)[len(times) // 2]


# FlexAttention (torch.compile'd, tens of seconds per shape) only on request.
FLEX = os.environ.get("ATTN_BENCH_FLEX") == "1"


def flex_time(q, k, v, causal, reps):
    from torch.nn.attention.flex_attention import create_block_mask, flex_attention
    compiled = torch.compile(flex_attention)
    block_mask = None
    if causal:
        block_mask = create_block_mask(lambda b, h, i, j: j <= i, None, None,
                                       q.shape[2], k.shape[2])
    return time_ms(lambda: compiled(q, k, v, block_mask=block_mask), reps)


def run_case(c):
    """Checks and times one manifest case; prints its table row. Returns
    whether it passed."""
    torch.manual_seed(0)
    dt = DTYPE[c["dtype"]]
    q = torch.randn(c["B"], c["Hq"], c["Sq"], c["D"], device="cuda", dtype=dt)
    k = torch.randn(c["B"], c["Hkv"], c["Skv"], c["D"], device="cuda", dtype=dt)
    v = torch.randn(c["B"], c["Hkv"], c["Skv"], c["Dv"], device="cuda", dtype=dt)
    out = torch.full((c["B"], c["Hq"], c["Sq"], c["Dv"]), float("nan"), device="cuda", dtype=dt)
    args = [q, k, v]
    mask = None
    if c.get("mask"):
        mask = torch.rand(c["B"], 1, c["Sq"], c["Skv"], device="cuda") < 0.7
        mask[:, :, ::5] = False  # some fully masked rows
        args.append(mask)
    args.append(out)
    lse = None
    if c["lse"]:
        lse = torch.full((c["B"], c["Hq"], c["Sq"]), float("nan"), device="cuda")
        args.append(lse)
    lib = ctypes.CDLL(os.path.join(KERNELS, f"lib{c['name']}.so"))
    fn = lib._mlir_ciface_attention
    descs = [descriptor(t) for t in args]
    ptrs = [ctypes.byref(d) for d in descs]
    torch.cuda.synchronize()
    fn(*ptrs)
    torch.cuda.synchronize()
    heads = c["check_heads"]
    ref_out, ref_lse = reference(q, k, v, c["pattern"], heads, mask)
    got = out[:1, :heads].double() if heads else out.double()
    unwritten = int(torch.isnan(got).sum())
    # Element by element (a single wrong row must fail): |got - ref| within
    # the dtype's tolerance relative to max(|ref|, 1).
    err = float(((got - ref_out).abs() / ref_out.abs().clamp_min(1.0)).nan_to_num(
        nan=float("inf")).max())
    lse_ok = True
    if lse is not None:
        gl = lse[:1, :heads].double() if heads else lse.double()
        finite = torch.isfinite(ref_lse)
        unwritten += int(torch.isnan(gl).sum())
        # f32 from the same rounded inputs: absolute, tight.
        lse_err = float((gl[finite] - ref_lse[finite]).abs().max()) if finite.any() else 0.0
        lse_ok = lse_err <= 1e-3
        if not torch.equal(torch.isinf(gl), torch.isinf(ref_lse)):
            unwritten += 1
    passed = unwritten == 0 and err <= TOL[c["dtype"]] and lse_ok
    pattern = c["pattern"] or ""
    # FLOPs of the visible (query, key) pairs, counted exactly.
    pairs = int(visible(c["pattern"], c["Sq"], c["Skv"]).sum())
    flops = 4.0 * c["B"] * c["Hq"] * pairs * c["D"]
    reps = 5 if (flops > 1e11 and c.get("kernel", "simt") == "simt") else 20
    ours = time_ms(lambda: fn(*ptrs), reps)
    causal = c["pattern"] is not None
    if pattern.startswith(("window", "strided")):
        causal = None  # no PyTorch SDPA peer for windows or strides
    from torch.nn.attention import SDPBackend, sdpa_kernel
    # Peers get K/V expanded to the query heads (not timed) when GQA.
    g = c["Hq"] // c["Hkv"]
    pk = k.repeat_interleave(g, dim=1) if g > 1 else k
    pv = v.repeat_interleave(g, dim=1) if g > 1 else v
    pm = None if mask is None else mask.expand(-1, c["Hq"], -1, -1)
    def peer(backend):
        if causal is None or (causal and c["Sq"] != c["Skv"]):
            return None  # a window, a stride, or bottom-right: torch's is_causal is top-left only
        def call():
            torch.nn.functional.scaled_dot_product_attention(
                q, pk, pv, attn_mask=pm, is_causal=causal)
        try:
            if backend is None:
                return time_ms(call, reps)
            with sdpa_kernel([backend]):
                return time_ms(call, reps)
        except Exception:  # noqa: BLE001 (backend does not take it)
            return None
    default = peer(None)
    fa2 = peer(SDPBackend.FLASH_ATTENTION)
    cudnn = peer(SDPBackend.CUDNN_ATTENTION)
    flex = flex_time(q, pk, pv, causal, reps) if FLEX and mask is None and causal is not None \
        and flops > 1e11 and (not causal or c["Sq"] == c["Skv"]) else None
    fmt = lambda x: "—" if x is None else f"{x:.3f}"
    tf = lambda ms: None if ms is None else flops / (ms * 1e-3) / 1e12
    peer_cell = lambda ms: "—" if ms is None else f"{ms:.3f} ms, {tf(ms):.1f}"
    print(f"| {c['name']} | {c.get('kernel', 'simt')} | {err:.1e} ({TOL[c['dtype']]:.0e}){'' if passed else ' FAIL'}{'' if lse_ok else ' (lse)'}"
          f"{'' if unwritten == 0 else f' unwritten={unwritten}'} | {fmt(ours)} | {fmt(tf(ours))} | "
          f"{peer_cell(default)} | {peer_cell(fa2)} | {peer_cell(cudnn)} | {peer_cell(flex)} | "
          f"{fmt(None if fa2 is None else fa2 / ours)} |")
    sys.stdout.flush()
    return passed


def mock_case(c):
    """--mock: stands in for run_case without a GPU (tests of the runner):
    a name containing "hang" hangs, "crash" exits, "raise" raises, "fail"
    fails."""
    if "raise" in c["name"]:
        raise RuntimeError("CUDA error: an illegal memory access (mock)")
    if "hang" in c["name"]:
        time.sleep(3600)
    if "crash" in c["name"]:
        os._exit(3)
    print(f"| {c['name']} | {c.get('kernel', 'simt')} | {'FAIL' if 'fail' in c['name'] else 'ok'} |")
    sys.stdout.flush()
    return "fail" not in c["name"]


def worker(names, cases, mock, deadline):
    """Runs `names` in order in this process, each between marker lines
    for the runner, none started past `deadline` (0: none); stops at the
    first exception (a kernel fault leaves the CUDA context unusable), exit
    status 4."""
    run = mock_case if mock else run_case
    for name in names:
        if deadline and time.time() > deadline:
            print(f"@@skip {name}", flush=True)
            continue
        print(f"@@start {name}", flush=True)
        try:
            passed = run(cases[name])
        except Exception as e:  # noqa: BLE001
            print(f"@@end {name} error {type(e).__name__}: {str(e)[:200]}", flush=True)
            return 4
        print(f"@@end {name} {'pass' if passed else 'fail'}", flush=True)
    return 0


def runner(names, cases, args):
    """Runs the cases in one worker process (one PyTorch start-up for all),
    starting a fresh worker after the case that crashed it, hung past
    --timeout, or raised. Prints each case's table row; returns whether
    all passed."""
    import selectors, subprocess, tempfile
    ok = True
    started = time.time()
    pending = list(names)
    kernel = lambda n: cases[n].get("kernel", "simt")
    while pending:
        if args.budget and time.time() - started > args.budget:
            for n in pending:
                print(f"| {n} | {kernel(n)} | skipped: --budget {args.budget} s spent |")
            return False
        err = tempfile.TemporaryFile(mode="w+")
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", ",".join(pending),
               "--manifest", args.manifest]
        if args.mock:
            cmd.append("--mock")
        if args.budget:
            cmd += ["--deadline", str(started + args.budget)]
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        fd = child.stdout.fileno()
        sel = selectors.DefaultSelector()
        sel.register(fd, selectors.EVENT_READ)
        current, since, buf, lines, eof = None, time.time(), b"", [], False
        while True:
            if not lines and not eof:
                # A case gets --timeout seconds; the worker's start-up
                # (PyTorch, CUDA) as long again before its first case.
                limit = since + args.timeout * (1 if current else 2)
                if not sel.select(timeout=max(0.0, limit - time.time())):  # hung
                    child.kill()
                    child.wait()
                    ok = False
                    if current:
                        print(f"| {current} | {kernel(current)} | TIMEOUT after {args.timeout} s |")
                        pending.remove(current)
                    else:
                        print(f"| (worker) | — | TIMEOUT starting up; {len(pending)} case(s) not run |")
                        return False
                    break
                chunk = os.read(fd, 1 << 16)
                eof = not chunk
                buf += chunk
                *done, buf = buf.split(b"\n")
                lines += [l.decode(errors="replace") + "\n" for l in done]
                continue
            if not lines:  # the worker exited
                child.wait()
                if current:
                    ok = False
                    err.seek(0)
                    last = (err.read().strip().splitlines() or ["?"])[-1][:200]
                    print(f"| {current} | {kernel(current)} | CRASH (exit {child.returncode}): {last} |")
                    pending.remove(current)
                elif pending and child.returncode not in (0, 4):
                    # (4: it stopped after a case that raised; go on.)
                    err.seek(0)
                    print(f"| (worker) | — | exit {child.returncode}: {err.read().strip()[-300:]} |")
                    return False
                break
            line = lines.pop(0)
            if line.startswith("@@start "):
                current, since = line.split()[1], time.time()
            elif line.startswith("@@skip "):
                name = line.split()[1]
                print(f"| {name} | {kernel(name)} | skipped: --budget {args.budget} s spent |")
                pending.remove(name)
                ok = False
            elif line.startswith("@@end "):
                _, name, result = line.split(maxsplit=2)
                if not result.startswith("pass"):
                    ok = False
                if result.startswith("error"):
                    print(f"| {name} | {kernel(name)} | ERROR: {result[6:].strip()} |")
                pending.remove(name)
                current = None
            else:
                sys.stdout.write(line)
            sys.stdout.flush()
        sel.close()
        err.close()
    return ok


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--case", help="run this one case in this process")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--deadline", type=float, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--mock", action="store_true",
                    help="no GPU: stand-in cases, to test the runner (hang / crash / fail in a name)")
    ap.add_argument("--manifest", default=os.path.join(KERNELS, "manifest.json"))
    ap.add_argument("--only", default="", help="run the cases whose name contains this")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per case")
    ap.add_argument("--budget", type=int, default=0,
                    help="stop starting cases after this many seconds in all (0: no limit)")
    args = ap.parse_args()
    if args.timeout <= 0 or args.budget < 0:
        sys.exit("check_and_time.py: --timeout must be positive and --budget "
                 "0 (none) or positive")
    try:
        with open(args.manifest) as f:
            manifest = json.load(f)
        cases = {c["name"]: c for c in manifest["cases"]}
        manifest["chip"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit(f"check_and_time.py: cannot use the manifest {args.manifest}: "
                 f"{type(e).__name__}: {e} (run bench/gpu/build_kernels.py)")
    if len(cases) != len(manifest["cases"]):
        sys.exit(f"check_and_time.py: {args.manifest} names a case twice")
    if args.worker:
        return worker(args.worker.split(","), cases, args.mock, args.deadline)
    if args.case:
        return 0 if run_case(cases[args.case]) else 1
    gpu = "mock" if args.mock else torch.cuda.get_device_name()
    print(f"GPU: {gpu}  chip: {manifest['chip']}  torch {getattr(torch, '__version__', '-')}")
    print("TFLOP/s with FLOPs = 4·B·Hq·D per visible (query, key) pair (about half of "
          "Sq·Skv when causal); error: max |ours - ref| / max(|ref|, 1); ratio = ours / peer")
    print("| case | kernel | max err (tol) | ours ms | ours TFLOP/s | SDPA default | FA2 backend | cuDNN backend | FlexAttention | ours/FA2 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    sys.stdout.flush()
    names = [n for n in cases if args.only in n]
    if not names:
        print(f"NO CASE: none of the {len(cases)} cases matches --only '{args.only}'")
        return 2
    ok = runner(names, cases, args)
    print("ALL PASS" if ok else "SOME FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
