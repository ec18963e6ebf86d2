"""A lane-accurate SIMT interpreter for the generic-form MLIR that
`attn-opt -convert-attn-to-gpu=kernel=mma|wgmma ... -canonicalize -cse
-mlir-print-op-generic` (or the front of attn-lower-to-nvvm, up to
attn-host-to-gpu) produces: the host function (device buffers, copies,
views, tensor maps, launches) and every gpu.launch.

Every SSA value inside gpu.launch is a numpy array with a leading thread
dimension (T = blockDim.x). Threads of a block run in lock step, op by op;
divergent scf.if runs both sides under masks. gpu.barrier advances a
shared-memory epoch; shared accesses are checked for cross-thread races
within an epoch and for reads of never-written bytes; asynchronous copies
(cp.async groups, TMA on mbarriers) and wgmma operands are tracked until
they complete. Global stores are counted per element.
"""
import re
import numpy as np
import ml_dtypes

BF16 = ml_dtypes.bfloat16
F16 = np.float16


def run_attn_opt(attn_opt, text, passes):
    """Lowers MLIR `text` with `attn_opt` and `passes`; returns its output,
    raises RuntimeError with the diagnostics when it fails."""
    import os
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        p = subprocess.run([attn_opt, path] + list(passes), capture_output=True,
                           text=True, timeout=300)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise RuntimeError("attn-opt failed:\n" + p.stderr[-3000:])
    return p.stdout


class InterpError(Exception):
    pass


# ----------------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------------

class Op:
    __slots__ = ("name", "results", "operands", "attrs", "rtypes", "otypes",
                 "regions", "line")

    def __init__(self):
        self.regions = []


class Block:
    def __init__(self):
        self.args = []
        self.argtypes = []
        self.ops = []


def split_top(s, sep=","):
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "(<[{":
            depth += 1
        elif ch in ")>]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def parse_sig(sig):
    """'(a, b) -> (c, d)' or '(a) -> c' -> ([a, b], [c, d])"""
    sig = sig.strip()
    assert sig.startswith("("), sig
    depth = 0
    for i, ch in enumerate(sig):
        if ch in "(<[{":
            depth += 1
        elif ch in ")>]}":
            depth -= 1
            if depth == 0:
                break
    ins = split_top(sig[1:i])
    rest = sig[i + 1:].strip()
    assert rest.startswith("->"), sig
    rest = rest[2:].strip()
    if rest.startswith("(") and not rest.startswith("(!"):
        outs = split_top(rest[1:-1])
    else:
        outs = [rest]
    return ins, outs


RES_RE = re.compile(r'^(%[\w]+)(?::(\d+))?\s*=\s*(.*)$')
OPHEAD_RE = re.compile(r'^"([\w.]+)"\((.*?)\)(.*)$')


def parse_head(text):
    op = Op()
    m = RES_RE.match(text)
    op.results = []
    if m:
        name, cnt, text = m.group(1), m.group(2), m.group(3)
        if cnt is None:
            op.results = [name]
        else:
            op.results = ["%s#%d" % (name, i) for i in range(int(cnt))]
    m = OPHEAD_RE.match(text)
    if not m:
        raise InterpError("cannot parse op: " + text)
    op.name = m.group(1)
    ops = m.group(2).strip()
    op.operands = [o.strip() for o in ops.split(",")] if ops else []
    return op, m.group(3)


def finish(op, tail):
    # tail: '<{props}> {attrs} : (sig)'  -- signature after the last ' : ('
    idx = tail.rfind(" : (")
    if idx < 0:
        raise InterpError("no signature: " + tail)
    op.attrs = tail[:idx]
    op.otypes, op.rtypes = parse_sig(tail[idx + 3:])
    if op.rtypes == [""]:
        op.rtypes = []
    if len(op.results) == 1 and len(op.rtypes) > 1:
        op.results = ["%s#%d" % (op.results[0], i) for i in range(len(op.rtypes))]


def parse_module(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    root = Block()
    # stack of (op, current block)
    stack = []
    cur = root
    for line in lines:
        if line.startswith("^"):
            # block header
            m = re.match(r'^\^\w+\((.*)\):$', line)
            args = split_top(m.group(1)) if m else []
            blk = cur
            for a in args:
                n, t = a.split(":", 1)
                blk.args.append(n.strip())
                blk.argtypes.append(t.strip())
            continue
        if line == "}, {":
            op, _ = stack[-1]
            blk = Block()
            op.regions.append(blk)
            cur = blk
            continue
        if line.startswith("})"):
            op, parent = stack.pop()
            head = op.attrs
            finish(op, line[2:])
            op.attrs = head + " " + op.attrs
            cur = parent
            continue
        if line.endswith("({"):
            op, tail = parse_head(line[:-2].strip())
            op.line = line
            # keep props for ops with regions
            op.attrs = tail
            blk = Block()
            op.regions.append(blk)
            cur.ops.append(op)
            stack.append((op, cur))
            cur = blk
            continue
        op, tail = parse_head(line)
        op.line = line
        finish(op, tail)
        cur.ops.append(op)
    return root


# ----------------------------------------------------------------------------
# Types
# ----------------------------------------------------------------------------

def elem_dtype(e):
    return {"f32": np.float32, "bf16": BF16, "f16": F16, "i32": np.int32,
            "i64": np.int64, "index": np.int64, "i1": np.bool_,
            "i8": np.uint8}[e]


def parse_type(t):
    """-> (kind, shape, elem) kind in scalar/vector/memref/other"""
    t = t.strip()
    m = re.match(r'^(vector|memref|tensor)<(.*)>$', t)
    if m:
        kind = m.group(1)
        body = split_top(m.group(2))[0]
        parts = body.split("x")
        shape = []
        for p in parts[:-1]:
            shape.append(-1 if p == "?" else int(p))
        return kind, tuple(shape), parts[-1]
    return "scalar", (), t


def attr(op, key):
    m = re.search(r'\b' + key + r'\s*=\s*([^,}>]+(?:<[^>]*>)?)', op.attrs)
    return m.group(1).strip() if m else None


def attr_array(op, key):
    m = re.search(key + r'\s*=\s*array<i\d+(?::\s*([-\d,\s]*))?>', op.attrs)
    if not m or m.group(1) is None:
        return []
    return [int(x) for x in m.group(1).split(",") if x.strip()]


def parse_float_literal(s, dtype):
    s = s.strip()
    if s.startswith("0x"):
        bits = int(s, 16)
        if dtype == np.float32:
            return np.array([bits], np.uint32).view(np.float32)[0]
        if dtype == BF16:
            return np.array([bits], np.uint16).view(BF16)[0]
        if dtype == F16:
            return np.array([bits], np.uint16).view(F16)[0]
        raise InterpError("hex literal " + s)
    return dtype(float(s))


def const_value(op):
    m = re.search(r'value\s*=\s*(.*?)\s*:\s*([\w<>x.]+)\s*}>', op.attrs)
    if not m:
        m2 = re.search(r'value\s*=\s*(true|false)', op.attrs)
        if m2:
            return np.bool_(m2.group(1) == "true")
        raise InterpError("constant " + op.attrs)
    lit, ty = m.group(1), m.group(2)
    kind, shape, e = parse_type(op.rtypes[0])
    dt = elem_dtype(e)
    if lit.startswith("dense<"):
        inner = lit[len("dense<"):-1]
        if inner.startswith("["):
            raise InterpError("non-splat dense not supported")
        v = parse_float_literal(inner, dt) if dt in (np.float32, BF16, F16) \
            else dt(int(inner) if inner not in ("true", "false") else inner == "true")
        return np.full(shape, v, dtype=dt)
    if lit in ("true", "false"):
        return np.bool_(lit == "true")
    if dt in (np.float32, BF16, F16):
        return parse_float_literal(lit, dt)
    return dt(int(lit))


# ----------------------------------------------------------------------------
# Memory
# ----------------------------------------------------------------------------

class GlobalBuf:
    def __init__(self, arr, name, readonly):
        self.arr = arr
        self.name = name
        self.readonly = readonly
        self.writes = np.zeros(arr.shape, np.int64)


def view_of(buf, shape, name):
    """A reshaped view of a global buffer (memref.expand/collapse_shape)."""
    v = GlobalBuf.__new__(GlobalBuf)
    v.arr = buf.arr.reshape(shape)
    v.writes = buf.writes.reshape(shape)
    v.name = name
    v.readonly = buf.readonly
    if not np.shares_memory(v.arr, buf.arr):
        raise InterpError("reshape of a non-contiguous buffer")
    return v


class SharedMem:
    def __init__(self, nbytes, rng, base_addr=0):
        self.nbytes = nbytes
        # shared-window address of byte 0 (16-byte aligned, like the
        # dynamic shared memory after the static variables)
        self.base_addr = base_addr
        # garbage: NaN bf16/f16 bit patterns everywhere
        self.buf = np.full(nbytes // 2, 0x7FFF, np.uint16)
        n = nbytes // 2
        self.w_thread = np.full(n, -1, np.int64)
        self.w_epoch = np.full(n, -1, np.int64)
        self.r_thread = np.full(n, -1, np.int64)
        self.r_epoch = np.full(n, -1, np.int64)
        self.epoch = 0
        self.errors = []
        self.pending = np.zeros(n, np.int64)      # in-flight cp.async count
        self.pending_val = np.zeros(n, np.uint16)
        self.uncommitted = {}                     # thread -> [(idx, vals)]
        self.groups = {}                          # thread -> [[(idx, vals)]]
        # TMA: bytes of mbarrier tma_bar's phase tma_phase (1-based); a
        # thread may read them once it waited for that phase
        self.tma_bar = np.full(n, -1, np.int64)
        self.tma_phase = np.zeros(n, np.int64)
        self.tma_pending = np.zeros(n, bool)      # phase not complete yet
        self.observed = None                      # (T, barriers) phases seen
        # st.shared by a thread not yet followed by its fence.proxy.async
        self.gen_writer = np.full(n, -1, np.int64)
        # operands of issued wgmma not yet retired by wgmma.wait_group
        self.wgmma_reads = np.zeros(n, np.int64)
        # wgmma operand reads once retired, per warpgroup: the epoch and the
        # retirement's sequence number. A later write by thread t in the same
        # epoch must be ordered after it: acq[t, w] >= that number, where acq
        # (set by the interpreter) is what t's own wait_groups, mbarrier waits
        # and barriers have made visible to it (happens-before through
        # mbarrier phases: arrivals release, completed waits acquire).
        self.wgr_epoch = None
        self.wgr_seq = None
        self.acq = None

    def wgmma_retire(self, wg, fi, seq):
        if self.wgr_epoch is None:
            nwg = self.acq.shape[1]
            self.wgr_epoch = np.full((nwg, self.buf.size), -1, np.int64)
            self.wgr_seq = np.full((nwg, self.buf.size), -1, np.int64)
        self.wgr_epoch[wg, fi] = self.epoch
        self.wgr_seq[wg, fi] = seq

    def unordered_after_wgmma(self, th, fi):
        """True when a write of halfwords fi by threads th (same shapes) is
        not ordered after a retired wgmma read of them this epoch."""
        if self.wgr_epoch is None:
            return False
        for w in range(self.wgr_epoch.shape[0]):
            same = self.wgr_epoch[w, fi] == self.epoch
            if same.any() and (same & (self.wgr_seq[w, fi] > self.acq[th, w])).any():
                return True
        return False

    def check_not_wgmma_operand(self, idx, what):
        if (self.wgmma_reads[idx] > 0).any():
            self.err("%s over shared memory an in-flight wgmma still reads" % what)

    def issue_async(self, t, idx, vals):
        """A cp.async of thread t: may land any time until it is waited."""
        self.check_not_wgmma_operand(idx, "cp.async")
        war = (self.r_epoch[idx] == self.epoch) & (self.r_thread[idx] != t)
        if war.any() or self.unordered_after_wgmma(np.full(idx.size, t), idx):
            self.err("WAR race: cp.async issued over bytes read this epoch by another thread")
        wr = (self.w_epoch[idx] == self.epoch) & (self.w_thread[idx] != t)
        if wr.any():
            self.err("WAW race: cp.async over bytes written this epoch by another thread")
        ov = self.pending[idx] > 0
        if (ov & (self.pending_val[idx] != vals)).any():
            self.err("two in-flight cp.async with different data overlap")
        self.pending[idx] += 1
        self.pending_val[idx] = vals
        self.uncommitted.setdefault(t, []).append((idx, vals))

    def commit(self, t):
        self.groups.setdefault(t, []).append(self.uncommitted.pop(t, []))

    def wait_groups(self, t, keep):
        gs = self.groups.get(t, [])
        cut = max(0, len(gs) - keep)
        done, rest = gs[:cut], gs[cut:]
        self.groups[t] = rest
        for grp in done:
            for idx, vals in grp:
                self.pending[idx] -= 1
                self.write(np.array([t]), idx[None, :], vals[None, :], landing=True)

    def in_flight(self):
        return int((self.pending > 0).sum()) + sum(len(v) for v in self.uncommitted.values())

    def err(self, msg):
        if len(self.errors) < 20:
            self.errors.append(msg)

    def read(self, threads, idx):
        """threads: (k,), idx: (k, n) halfword indices -> (k, n) uint16"""
        if idx.size == 0:
            return np.zeros(idx.shape, np.uint16)
        if idx.min() < 0 or idx.max() >= self.buf.size:
            raise InterpError("shared read out of bounds")
        th = np.broadcast_to(threads[:, None], idx.shape)
        fi, ft = idx.ravel(), th.ravel()
        if (self.pending[fi] > 0).any():
            self.err("read of an in-flight cp.async destination (epoch %d)" % self.epoch)
        self.check_tma_visible(ft, fi, "read")
        never = self.w_epoch[fi] == -1
        if never.any():
            self.err("read of never-written shared halfwords %s" % np.unique(fi[never])[:8])
        raw = (self.w_epoch[fi] == self.epoch) & (self.w_thread[fi] != ft)
        if raw.any():
            self.err("RAW race in epoch %d" % self.epoch)
        # readers: mark -2 when a second distinct reader comes along
        order = np.lexsort((ft, fi))
        fi_s, ft_s = fi[order], ft[order]
        uniq, start = np.unique(fi_s, return_index=True)
        # per unique index: min and max reader among this access
        mins = np.minimum.reduceat(ft_s, start)
        maxs = np.maximum.reduceat(ft_s, start)
        prev_same = self.r_epoch[uniq] == self.epoch
        prev = self.r_thread[uniq]
        newr = np.where(mins == maxs, mins, -2)
        merged = np.where(prev_same & (prev != newr), -2, newr)
        self.r_thread[uniq] = merged
        self.r_epoch[uniq] = self.epoch
        return self.buf[idx]

    def check_tma_visible(self, ft, fi, what):
        """Thread ft[i] touches halfword fi[i]: TMA data must have landed
        and the thread must have waited for its mbarrier phase."""
        if self.tma_pending[fi].any():
            self.err("%s of a TMA destination whose mbarrier phase is not complete" % what)
        tagged = self.tma_bar[fi] >= 0
        if tagged.any():
            seen = self.observed[ft[tagged], self.tma_bar[fi[tagged]]]
            if (seen < self.tma_phase[fi[tagged]]).any():
                self.err("%s of TMA data by a thread that did not wait for its mbarrier phase" % what)

    def write(self, threads, idx, vals, landing=False):
        if idx.size == 0:
            return
        if not landing and (self.pending[idx.ravel()] > 0).any():
            self.err("store over an in-flight cp.async destination")
        if not landing:
            th = np.broadcast_to(threads[:, None], idx.shape).ravel()
            self.check_tma_visible(th, idx.ravel(), "store")
            self.check_not_wgmma_operand(idx.ravel(), "store")
            self.tma_bar[idx.ravel()] = -1
            self.gen_writer[idx.ravel()] = th
        if idx.min() < 0 or idx.max() >= self.buf.size:
            raise InterpError("shared write out of bounds")
        th = np.broadcast_to(threads[:, None], idx.shape).ravel()
        fi, fv = idx.ravel(), vals.ravel()
        war = (self.r_epoch[fi] == self.epoch) & (self.r_thread[fi] != th)
        if war.any() or (not landing and self.unordered_after_wgmma(th, fi)):
            self.err("WAR race in epoch %d" % self.epoch)
        waw = (self.w_epoch[fi] == self.epoch) & (self.w_thread[fi] != th) & \
              (self.buf[fi] != fv)
        if waw.any():
            self.err("WAW race (different values) in epoch %d" % self.epoch)
        # same-op conflicting writes
        order = np.argsort(fi, kind="stable")
        fs, vs = fi[order], fv[order]
        dup = fs[1:] == fs[:-1]
        if (dup & (vs[1:] != vs[:-1])).any():
            self.err("conflicting same-op shared writes")
        self.buf[fi] = fv
        self.w_thread[fi] = th
        self.w_epoch[fi] = self.epoch


class TensorMap:
    """A host-made TMA descriptor: the global buffer, the box (outermost
    first) and the swizzle."""
    def __init__(self, buf, box, swizzle):
        self.buf, self.box, self.swizzle = buf, box, swizzle


class Barriers:
    """nvgpu.mbarrier.group: arrival counts, transaction bytes, phases."""
    def __init__(self, n):
        self.n = n
        self.count = [None] * n
        self.pending = [0] * n
        self.expected = [0] * n
        self.landed = [0] * n
        self.completed = [0] * n
        self.init_epoch = [None] * n
        self.writes = [[] for _ in range(n)]     # (halfword idx, values)
        # happens-before: what the arrivals of the current phase release
        # (max of the arriving threads' acq), and what every completed
        # phase released so far (a completed wait acquires it)
        self.phase_rel = [None] * n
        self.done_rel = [None] * n
        self.init_fenced = False   # fence.mbarrier_init since the inits


class WgmmaAcc:
    """The accumulator registers of wgmma.mma_async: readable only after a
    wgmma.wait_group retired its group."""
    def __init__(self, arr):
        self.arr = arr
        self.done = False
        self.reads = []   # shared halfwords its operands occupy


class PendingArray(np.ndarray):
    """Values extracted from an in-flight wgmma accumulator: they may only
    be tied back into the next wgmma until wgmma.wait_group retires it."""
    def __array_finalize__(self, obj):
        self.acc = getattr(obj, "acc", None)


# mbarrier groups per block and barriers per group the emulator tracks.
kMaxBarrierGroups = 2
kMaxBarriersPerGroup = 8


def swizzle128(addr):
    """The 128-byte swizzle: 16-byte chunk bits [4, 7) ^= bits [7, 10)."""
    return addr ^ (((addr >> 7) & 7) << 4)


class SharedView:
    def __init__(self, mem, byte_off, shape, dtype):
        self.mem, self.shape, self.dtype = mem, shape, np.dtype(dtype)
        if byte_off % 2:
            raise InterpError("odd shared view offset")
        # elements of 2 bytes (f16, bf16) or 4 (f32): halfwords per element
        self.units = self.dtype.itemsize // 2
        if byte_off % self.dtype.itemsize:
            raise InterpError("misaligned shared view")
        self.base = byte_off // 2
        size = int(np.prod(shape)) * self.units
        if self.base + size > mem.buf.size:
            raise InterpError("shared view out of bounds")
        self.strides = [int(np.prod(shape[i + 1:])) for i in range(len(shape))]

    def lin(self, idxs):
        """The first halfword of the element at idxs."""
        out = 0
        for i, (ix, n) in enumerate(zip(idxs, self.shape)):
            out = out + ix * self.strides[i]
        return self.base + out * self.units

    def halfwords(self, lin, n):
        """(k,) first halfwords, n elements each -> (k, n * units) indices."""
        return lin[:, None] + np.arange(n * self.units)[None, :]


class PrivateBuf:
    """A gpu.launch private attribution: an array per thread, garbage
    (NaN) until written."""
    def __init__(self, T, shape, dtype):
        self.shape = shape
        self.arr = np.full((T,) + tuple(shape), np.nan, dtype)


# ----------------------------------------------------------------------------
# Interpreter
# ----------------------------------------------------------------------------

def to_bits16(a):
    return np.ascontiguousarray(a).view(np.uint16)


class Interp:
    def __init__(self, module, seed=0):
        self.module = module
        self.env = {}
        self.rng = np.random.default_rng(seed)
        self.errors = []
        self.stats = {"blocks": 0, "divergent_if": 0, "divergent_for": 0, "mma": 0,
                      "ldmatrix_conflicts": 0}

    def err(self, msg):
        if len(self.errors) < 50:
            self.errors.append(msg)

    # -- function level ------------------------------------------------------
    def run_func(self, args, writable=()):
        """Runs the module's function on `args` (numpy arrays); the
        arguments at the `writable` positions are out-parameters (written in
        place, with write counts)."""
        mod = self.module.ops[0]
        func = [o for o in mod.regions[0].ops if o.name == "func.func"][0]
        blk = func.regions[0]
        self.args = []
        for i, (n, a) in enumerate(zip(blk.args, args)):
            self.env[n] = GlobalBuf(np.asarray(a), n, i not in writable)
            self.args.append(self.env[n])
        for op in blk.ops:
            if op.name == "func.return":
                return [self.env[o] for o in op.operands]
            self.exec_host(op)
        raise InterpError("no return")

    def exec_host(self, op):
        n = op.name
        env = self.env
        if n == "arith.constant":
            env[op.results[0]] = const_value(op)
        elif n == "bufferization.to_buffer":
            env[op.results[0]] = env[op.operands[0]]
        elif n == "memref.alloc":
            env[op.results[0]] = self.fresh_buffer(op)
        elif n == "bufferization.to_tensor":
            env[op.results[0]] = env[op.operands[0]]
        elif n == "gpu.launch":
            self.launch(op)
        elif n == "gpu.wait":
            for res in op.results:
                env[res] = "token"
        elif n == "gpu.alloc":
            env[op.results[0]] = self.fresh_buffer(op)
            for res in op.results[1:]:
                env[res] = "token"
        elif n == "gpu.dealloc":
            for res in op.results:
                env[res] = "token"
        elif n == "gpu.memcpy":
            bufs = [env[o] for o in op.operands if isinstance(env[o], GlobalBuf)]
            dst, src = bufs
            if dst.readonly:
                raise InterpError("gpu.memcpy into a read-only buffer")
            dst.arr[...] = src.arr.reshape(dst.arr.shape)
            # The copy carries its source's write counts (an input counts as
            # written once): a kernel's missing or duplicate writes into a
            # buffer copied to the output still show.
            dst.writes += 1 if src.readonly else src.writes.reshape(dst.arr.shape)
            for res in op.results:
                env[res] = "token"
        elif n == "memref.cast":
            env[op.results[0]] = env[op.operands[0]]
        elif n == "nvgpu.tma.create.descriptor":
            buf = env[op.operands[0]]
            box = [int(env[o]) for o in op.operands[1:]]
            sw = re.search(r'swizzle = (\w+)', op.rtypes[0]).group(1)
            if sw != "swizzle_128b":
                raise InterpError("tensor map swizzle " + sw)
            arr = buf.arr
            if len(box) != arr.ndim or any(b < 1 or b > 256 for b in box):
                raise InterpError("tensor map box %s for a rank-%d tensor" % (box, arr.ndim))
            if box[-1] * arr.itemsize > 128:
                raise InterpError("128-byte swizzle with an inner box of %d bytes" % (box[-1] * arr.itemsize))
            if not arr.flags["C_CONTIGUOUS"] or (arr.shape[-1] * arr.itemsize) % 16:
                raise InterpError("tensor map strides must be multiples of 16 bytes")
            env[op.results[0]] = TensorMap(buf, box, sw)
        elif n == "llvm.mlir.poison":
            fields = op.rtypes[0].count("f32")
            env[op.results[0]] = np.full(fields, np.nan, np.float32)
        elif n in ("memref.expand_shape", "memref.collapse_shape"):
            kind, shape, e = parse_type(op.rtypes[0])
            env[op.results[0]] = view_of(env[op.operands[0]], shape, op.results[0])
        elif n in ("arith.addi", "arith.subi", "arith.muli", "arith.maxsi",
                   "arith.minsi", "arith.ceildivsi", "arith.divsi"):
            a, b = (int(env[o]) for o in op.operands)
            f = {"arith.addi": lambda x, y: x + y, "arith.subi": lambda x, y: x - y,
                 "arith.muli": lambda x, y: x * y, "arith.maxsi": max,
                 "arith.minsi": min, "arith.ceildivsi": lambda x, y: -(-x // y),
                 "arith.divsi": lambda x, y: int(x / y)}[n]
            env[op.results[0]] = np.int64(f(a, b))
        else:
            raise InterpError("host op " + n)

    def fresh_buffer(self, op):
        """A new buffer of the op's result type; floats start as NaN so that
        unwritten elements show."""
        kind, shape, e = parse_type(op.rtypes[0])
        dt = elem_dtype(e)
        arr = np.zeros(shape, dt)
        if dt in (np.float32, BF16, F16):
            arr[...] = np.nan
        return GlobalBuf(arr, op.results[0], False)

    def launch(self, op):
        env = self.env
        segs = attr_array(op, "operandSegmentSizes")
        vals = [env[o] for o in op.operands]
        # segments: async deps, gx, gy, gz, bx, by, bz, [cluster x3], dynSmem
        pos = segs[0]
        grid = [int(vals[pos + i]) for i in range(3)]
        blockd = [int(vals[pos + 3 + i]) for i in range(3)]
        smem = int(vals[-1]) if segs[-1] == 1 else 0
        if blockd[1] != 1 or blockd[2] != 1:
            raise InterpError("only 1-D blocks")
        T = blockd[0]
        if T % 32:
            raise InterpError("block not a whole number of warps")
        body = op.regions[0]
        self.T = T
        outer = dict(env)
        for bz in range(grid[2]):
            for by in range(grid[1]):
                for bx in range(grid[0]):
                    self.env = {}
                    for k, v in outer.items():
                        if isinstance(v, (GlobalBuf, SharedView, SharedMem, TensorMap)):
                            self.env[k] = v
                        else:
                            v = np.asarray(v)
                            self.env[k] = np.broadcast_to(v, (T,) + v.shape).copy()
                    ids = [bx, by, bz]
                    a = body.args
                    for i in range(3):
                        self.env[a[i]] = np.full(T, ids[i], np.int64)
                    self.env[a[3]] = np.arange(T, dtype=np.int64)
                    self.env[a[4]] = np.zeros(T, np.int64)
                    self.env[a[5]] = np.zeros(T, np.int64)
                    for i in range(3):
                        self.env[a[6 + i]] = np.full(T, grid[i], np.int64)
                        self.env[a[9 + i]] = np.full(T, blockd[i], np.int64)
                    base = 16 * int(self.rng.integers(1, 64))
                    # Workgroup attributions (static shared memory) after
                    # the dynamic bytes, each 16-byte aligned; private
                    # attributions an array per thread.
                    static = []
                    offset = (smem + 15) // 16 * 16
                    for name, t in zip(a[12:], body.argtypes[12:]):
                        kind, shape, e = parse_type(t)
                        dt = np.dtype(elem_dtype(e))
                        if "workgroup" in t:
                            static.append((name, offset, shape, dt))
                            offset += (int(np.prod(shape)) * dt.itemsize + 15) // 16 * 16
                        elif "private" in t:
                            self.env[name] = PrivateBuf(T, shape, dt)
                        else:
                            raise InterpError("gpu.launch attribution " + t)
                    self.smem = SharedMem(max(offset, 2), self.rng, base)
                    for name, off, shape, dt in static:
                        self.env[name] = SharedView(self.smem, off, shape, dt)
                    self.wg_fenced = {}
                    self.wg_open = {}
                    self.wg_groups = {}
                    self.barriers = []
                    self.map_fenced = set()   # (thread, tensor map)
                    # per thread and warpgroup: the last wgmma retirement
                    # (sequence number) ordered before the thread's next op
                    self.acq = np.full((T, max(1, T // 128)), -1, np.int64)
                    self.retire_seq = 0
                    self.smem.acq = self.acq
                    self.active = np.ones(T, bool)
                    self.run_block(body, np.ones(T, bool))
                    if self.smem.in_flight():
                        self.err("block (%d,%d,%d): cp.async still in flight at exit" % (bx, by, bz))
                    for bars in self.barriers:
                        for i in range(bars.n):
                            if bars.writes[i] or bars.landed[i]:
                                self.err("block (%d,%d,%d): TMA copy on mbarrier %d still in flight at exit" % (bx, by, bz, i))
                    if any(self.wg_open.values()) or any(self.wg_groups.values()):
                        self.err("block (%d,%d,%d): wgmma still in flight at exit" % (bx, by, bz))
                    for e in self.smem.errors:
                        self.err("block (%d,%d,%d): %s" % (bx, by, bz, e))
                    self.stats["blocks"] += 1
        self.env = outer

    # -- kernel level --------------------------------------------------------
    def run_block(self, blk, active):
        """Runs ops of blk under mask `active`; returns yielded values."""
        for op in blk.ops:
            if op.name in ("scf.yield", "gpu.terminator"):
                return [self.env[o] for o in op.operands]
            self.exec_dev(op, active)
        return []

    def uniform(self, v, active, what):
        va = v[active]
        if va.size == 0:
            return None
        if not np.all(va == va[0]):
            raise InterpError("non-uniform " + what)
        return va[0]

    def exec_dev(self, op, active):
        env = self.env
        n = op.name
        g = [env[o] for o in op.operands]
        if n != "llvm.inline_asm":
            for x in g:
                if isinstance(x, PendingArray) and x.acc is not None and not x.acc.done:
                    raise InterpError("wgmma result read before wgmma.wait_group retired it")
        r = op.results
        T = self.T

        def out(v):
            env[r[0]] = v

        if n == "arith.constant":
            v = np.asarray(const_value(op))
            out(np.broadcast_to(v, (T,) + v.shape).copy())
        elif n in ("arith.addi", "arith.subi", "arith.muli"):
            f = {"arith.addi": np.add, "arith.subi": np.subtract,
                 "arith.muli": np.multiply}[n]
            out(f(g[0], g[1]))
        elif n == "arith.ceildivsi":
            a, b = g
            if np.any(b[active] == 0):
                raise InterpError(n + " by zero")
            bb = np.where(b == 0, 1, b)
            out(-np.floor_divide(-a, bb))
        elif n in ("arith.divsi", "arith.remsi"):
            a, b = g
            if np.any(b[active] == 0):
                raise InterpError(n + " by zero")
            bb = np.where(b == 0, 1, b)
            q = np.trunc(a / bb).astype(np.int64)  # rounds toward zero
            out(q if n == "arith.divsi" else a - q * bb)
        elif n in ("arith.divui", "arith.remui"):
            a, b = g
            if np.any(a[active] < 0) or np.any(b[active] <= 0):
                raise InterpError(n + " on negative / zero")
            bb = np.where(b <= 0, 1, b)
            out(np.floor_divide(a, bb) if n == "arith.divui" else np.remainder(a, bb))
        elif n == "arith.minsi":
            out(np.minimum(g[0], g[1]))
        elif n == "arith.maxsi":
            out(np.maximum(g[0], g[1]))
        elif n == "arith.cmpi":
            p = int(attr(op, "predicate").split(":")[0])
            a, b = g
            f = [np.equal, np.not_equal, np.less, np.less_equal, np.greater,
                 np.greater_equal][p] if p < 6 else None
            if f is None:
                if np.any(a[active] < 0) or np.any(b[active] < 0):
                    raise InterpError("unsigned compare of negative")
                f = [np.less, np.less_equal, np.greater, np.greater_equal][p - 6]
            out(f(a, b))
        elif n in ("arith.andi", "arith.ori", "arith.xori"):
            f = {"arith.andi": np.bitwise_and, "arith.ori": np.bitwise_or,
                 "arith.xori": np.bitwise_xor}[n]
            out(f(g[0], g[1]))
        elif n == "arith.index_cast":
            out(g[0].astype(np.int64))
        elif n in ("arith.addf", "arith.subf", "arith.mulf", "arith.divf"):
            f = {"arith.addf": np.add, "arith.subf": np.subtract,
                 "arith.mulf": np.multiply, "arith.divf": np.divide}[n]
            dt = g[0].dtype
            if dt not in (np.float32, BF16, F16):
                raise InterpError(n + " on " + str(dt))
            # f16 / bf16 (elementwise kernels): computed in f32, rounded
            # once to the element type
            with np.errstate(all="ignore"):
                out(f(g[0].astype(np.float32), g[1].astype(np.float32)).astype(dt))
        elif n == "arith.maxnumf":
            out(np.fmax(g[0], g[1]))
        elif n == "arith.minnumf":
            out(np.fmin(g[0], g[1]))
        elif n == "arith.maximumf":  # NaN-propagating
            out(np.maximum(g[0], g[1]))
        elif n == "arith.minimumf":
            out(np.minimum(g[0], g[1]))
        elif n == "arith.cmpf":
            p = int(attr(op, "predicate").split(":")[0])
            a, b = g
            with np.errstate(all="ignore"):
                uno = np.isnan(a) | np.isnan(b)
                table = {0: np.zeros_like(uno), 1: (a == b) & ~uno,
                         2: (a > b) & ~uno, 3: (a >= b) & ~uno,
                         4: (a < b) & ~uno, 5: (a <= b) & ~uno,
                         6: (a != b) & ~uno, 7: ~uno, 8: (a == b) | uno,
                         9: (a > b) | uno, 10: (a >= b) | uno,
                         11: (a < b) | uno, 12: (a <= b) | uno,
                         13: (a != b) | uno, 14: uno, 15: np.ones_like(uno)}
            out(table[p])
        elif n == "arith.select":
            c, a, b = g
            c = c.reshape(c.shape + (1,) * (a.ndim - c.ndim))
            out(np.where(c, a, b))
        elif n == "arith.truncf":
            kind, shape, e = parse_type(op.rtypes[0])
            out(g[0].astype(elem_dtype(e)))  # ml_dtypes: round to nearest even
        elif n == "arith.extf":
            out(g[0].astype(np.float32))
        elif n == "math.log2":
            with np.errstate(all="ignore"):
                out(np.log2(g[0].astype(np.float64)).astype(np.float32))
        elif n == "math.exp2":
            with np.errstate(all="ignore"):
                out(np.exp2(g[0].astype(np.float64)).astype(np.float32))
        elif n == "math.fma":
            with np.errstate(all="ignore"):
                out((g[0].astype(np.float64) * g[1] + g[2]).astype(np.float32))
        elif n == "llvm.call_intrinsic":
            intr = re.search(r'intrin\s*=\s*"([^"]+)"', op.attrs).group(1)
            if intr != "llvm.nvvm.ex2.approx.ftz.f32":
                raise InterpError("intrinsic " + intr)
            with np.errstate(all="ignore"):
                out(np.exp2(g[0].astype(np.float64)).astype(np.float32))
        elif n == "gpu.shuffle":
            self.need_full(active, n)
            mode = attr(op, "mode")
            v, off, width = g
            off = self.uniform(off, active, "shuffle offset")
            width = self.uniform(width, active, "shuffle width")
            if "xor" not in mode or width != 32:
                raise InterpError("shuffle mode %s width %s" % (mode, width))
            src = np.arange(T) ^ off
            env[r[0]] = v[src]
            env[r[1]] = np.ones(T, bool)
        elif n == "gpu.barrier":
            self.need_full(active, n)
            self.smem.epoch += 1
            self.acq[:] = self.acq.max(axis=0)
        elif n == "gpu.dynamic_shared_memory":
            out(self.smem)
        elif n == "memref.view":
            kind, shape, e = parse_type(op.rtypes[0])
            off = self.uniform(g[1], active, "view offset")
            out(SharedView(g[0], int(off), shape, elem_dtype(e)))
        elif n == "vector.load":
            out(self.vload(op, g, active))
        elif n == "vector.store":
            self.vstore(op, g, active)
        elif n in ("memref.load", "tensor.extract"):
            out(self.mload(op, g, active))
        elif n == "memref.store":
            self.mstore(op, g, active)
        elif n == "vector.bitcast":
            kind, shape, e = parse_type(op.rtypes[0])
            src = np.ascontiguousarray(g[0])
            out(src.view(elem_dtype(e) if e != "i32" else np.int32).reshape((T,) + shape))
        elif n == "vector.extract":
            pos = attr_array(op, "static_position")
            if len(op.operands) != 1:
                raise InterpError("dynamic vector.extract")
            v = g[0]
            for p in pos:
                v = v[:, p]
            out(np.ascontiguousarray(v))
        elif n == "vector.shuffle":
            mask = attr_array(op, "mask")
            if g[0].ndim != 2 or g[1].ndim != 2:
                raise InterpError("vector.shuffle of n-d vectors")
            both = np.concatenate([g[0], g[1]], axis=1)
            out(np.ascontiguousarray(both[:, mask]))
        elif n == "vector.from_elements":
            kind, shape, e = parse_type(op.rtypes[0])
            out(np.stack(g, axis=1).reshape((T,) + shape))
        elif n == "vector.broadcast":
            kind, shape, e = parse_type(op.rtypes[0])
            out(np.broadcast_to(g[0].reshape((T,) + (1,) * len(shape)), (T,) + shape).copy())
        elif n == "llvm.extractvalue":
            p = attr_array(op, "position")[0]
            v = g[0]
            if isinstance(v, WgmmaAcc):
                if not v.done:
                    pending = v.arr[:, p].copy().view(PendingArray)
                    pending.acc = v
                    out(pending)
                    return
                v = v.arr
            out(v[:, p].copy())
        elif n == "llvm.insertvalue":
            p = attr_array(op, "position")[0]
            v = g[0]
            if isinstance(v, WgmmaAcc):
                if not v.done:
                    raise InterpError("wgmma result used before wgmma.wait_group retired it")
                v = v.arr
            v = v.copy()
            v[:, p] = g[1]
            out(v)
        elif n == "llvm.mlir.poison":
            fields = op.rtypes[0].count("f32")
            out(np.full((T, fields), np.nan, np.float32))
        elif n == "arith.shrui":
            if np.any(g[0][active] < 0):
                raise InterpError("shrui of a negative value")
            out(np.right_shift(g[0], g[1]))
        elif n == "arith.index_castui":
            if np.any(g[0][active] < 0):
                raise InterpError("index_castui of a negative value")
            out(g[0].astype(np.int64))
        elif n == "memref.extract_aligned_pointer_as_index":
            m = g[0]
            if isinstance(m, SharedMem):
                out(np.full(T, m.base_addr, np.int64))
            elif isinstance(m, SharedView):
                out(np.full(T, m.mem.base_addr + 2 * m.base, np.int64))
            else:
                raise InterpError("pointer of a non-shared memref")
        elif n == "nvgpu.mbarrier.create":
            count = int(re.search(r'num_barriers = (\d+)', op.rtypes[0]).group(1))
            bars = Barriers(count)
            self.barriers.append(bars)
            if self.smem.observed is None:
                self.smem.observed = np.zeros((T, kMaxBarriersPerGroup * kMaxBarrierGroups), np.int64)
            if len(self.barriers) > kMaxBarrierGroups or count > kMaxBarriersPerGroup:
                raise InterpError("more mbarriers than the emulator tracks")
            env[r[0]] = bars
        elif n in ("nvgpu.mbarrier.init", "nvgpu.mbarrier.arrive.expect_tx"):
            bars, value, bid = g[0], g[1], g[2]
            pred = g[3] if len(g) > 3 else np.ones(T, bool)
            who = np.nonzero(active & pred.astype(bool))[0]
            for t in who:
                i = int(bid[t])
                if n == "nvgpu.mbarrier.init":
                    if bars.init_epoch[i] is not None:
                        raise InterpError("mbarrier %d initialized twice" % i)
                    bars.count[i] = int(value[t])
                    bars.pending[i] = int(value[t])
                    bars.init_epoch[i] = (self.smem.epoch, int(t))
                else:
                    self.barrier_ready(bars, i, int(t))
                    bars.expected[i] += int(value[t])
                    self.arrive(bars, i, int(t))
        elif n == "nvgpu.mbarrier.arrive":
            bars, bid = g[0], g[1]
            for t in np.nonzero(active)[0]:
                i = int(bid[t])
                self.barrier_ready(bars, i, int(t))
                self.arrive(bars, i, int(t))
            out(np.zeros(T, np.int64))
        elif n == "nvvm.fence.mbarrier.init":
            for bars in self.barriers:
                bars.init_fenced = True
        elif n == "nvgpu.tma.fence.descriptor":
            for t in np.nonzero(active)[0]:
                self.map_fenced.add((int(t), id(g[0])))
        elif n == "nvgpu.tma.async.load":
            self.tma_load(op, g, active)
        elif n == "nvgpu.mbarrier.try_wait.parity":
            # (a wait by some threads only, e.g. the one issuing TMA, is
            # fine: in lock step the arrivals it needs came before it)
            bars, parity, bid = g[0], g[1], g[3]
            i = self.uniform(bid, active, "mbarrier id")
            P = self.uniform(parity.astype(np.int64), active, "wait parity")
            for t in np.nonzero(active)[0]:
                self.barrier_ready(bars, int(i), int(t))
            if bars.completed[i] % 2 == P:
                raise InterpError("deadlock: waiting for phase parity %d of mbarrier %d, "
                                  "which never completes" % (P, i))
            obs = self.smem.observed
            obs[active, self.barriers.index(bars) * kMaxBarriersPerGroup + i] = bars.completed[i]
            if bars.done_rel[i] is not None:
                self.acq[active] = np.maximum(self.acq[active], bars.done_rel[i])
        elif n == "nvvm.fence.proxy":
            if "async.shared" not in op.attrs:
                raise InterpError("fence.proxy " + op.attrs)
            gw = self.smem.gen_writer
            th = np.nonzero(active)[0]
            gw[np.isin(gw, th)] = -1
        elif n == "nvvm.wgmma.fence.aligned":
            self.need_full(active, n)
            for wg in range(T // 128):
                self.wg_fenced[wg] = True
        elif n == "nvvm.wgmma.mma_async":
            out(self.wgmma(op, g, active))
        elif n == "llvm.inline_asm":
            out(self.inline_asm(op, g, active))
        elif n == "nvvm.wgmma.commit.group.sync.aligned":
            self.need_full(active, n)
            for wg in range(T // 128):
                self.wg_groups.setdefault(wg, []).append(self.wg_open.pop(wg, []))
                self.wg_fenced[wg] = False
        elif n == "nvvm.wgmma.wait.group.sync.aligned":
            self.need_full(active, n)
            keep = int(attr(op, "group").split(":")[0])
            for wg in range(T // 128):
                gs = self.wg_groups.get(wg, [])
                done = gs[:len(gs) - keep] if keep else gs
                self.wg_groups[wg] = gs[len(gs) - keep:] if keep else []
                if done:
                    # the operands are read until now: a write over them
                    # must come after a barrier, or after an mbarrier wait
                    # whose phase this warpgroup's arrivals completed
                    self.retire_seq += 1
                    self.acq[wg * 128:(wg + 1) * 128, wg] = self.retire_seq
                for grp in done:
                    for acc in grp:
                        acc.done = True
                        for fi in acc.reads:
                            self.smem.wgmma_retire(wg, fi, self.retire_seq)
                            self.smem.wgmma_reads[fi] -= 1
        elif n == "nvgpu.device_async_copy":
            self.async_copy(op, g, active)
            out(np.zeros(T, np.int64))
        elif n == "nvgpu.device_async_create_group":
            for t in np.nonzero(active)[0]:
                self.smem.commit(int(t))
            out(np.zeros(T, np.int64))
        elif n == "nvgpu.device_async_wait":
            ng = attr(op, "numGroups")
            keep = int(ng.split(":")[0]) if ng is not None else 0
            for t in np.nonzero(active)[0]:
                self.smem.wait_groups(int(t), keep)
        elif n == "nvgpu.ldmatrix":
            out(self.ldmatrix(op, g, active))
        elif n == "nvvm.mma.sync":
            out(self.mma(op, g, active))
        elif n == "scf.for":
            self.scf_for(op, g, active)
        elif n == "scf.if":
            self.scf_if(op, g, active)
        else:
            raise InterpError("device op " + n)

    def need_full(self, active, what):
        if not active.all():
            raise InterpError(what + " under divergence")

    # -- control flow ----------------------------------------------------------
    def scf_for(self, op, g, active):
        va = [np.asarray(x)[active] for x in g[:3]]
        if any(v.size and not np.all(v == v[0]) for v in va):
            return self.scf_for_divergent(op, g, active)
        lb = self.uniform(g[0], active, "for lb")
        ub = self.uniform(g[1], active, "for ub")
        st = self.uniform(g[2], active, "for step")
        iters = list(g[3:])
        blk = op.regions[0]
        iv = lb
        while iv < ub:
            self.env[blk.args[0]] = np.full(self.T, iv, np.int64)
            for a, v in zip(blk.args[1:], iters):
                self.env[a] = v
            res = self.run_block(blk, active)
            iters = [self.merge(active, n, o) for n, o in zip(res, iters)]
            iv += st
        for name, v in zip(op.results, iters):
            self.env[name] = v

    def scf_for_divergent(self, op, g, active):
        """A loop whose bounds differ between threads (the SIMT kernel's
        per-row loops): each thread iterates while its own induction
        variable is below its own bound, the others masked off."""
        iv = np.array(g[0], np.int64, copy=True)
        ub = np.asarray(g[1], np.int64)
        st = np.asarray(g[2], np.int64)
        if np.any(st[active] <= 0):
            raise InterpError("scf.for with a non-positive step")
        iters = list(g[3:])
        blk = op.regions[0]
        self.stats["divergent_for"] += 1
        while True:
            cur = active & (iv < ub)
            if not cur.any():
                break
            self.env[blk.args[0]] = iv.copy()
            for a, v in zip(blk.args[1:], iters):
                self.env[a] = v
            res = self.run_block(blk, cur)
            iters = [self.merge(cur, n, o) for n, o in zip(res, iters)]
            iv = np.where(cur, iv + st, iv)
        for name, v in zip(op.results, iters):
            self.env[name] = v

    @staticmethod
    def merge(mask, new, old):
        """`new` where `mask`, else `old` (per thread), keeping the in-flight
        tag of a wgmma result."""
        merged = np.where(mask.reshape((-1,) + (1,) * (new.ndim - 1)), new, old)
        for v in (new, old):
            if isinstance(v, PendingArray) and v.acc is not None and not v.acc.done:
                merged = merged.view(PendingArray)
                merged.acc = v.acc
        return merged

    def scf_if(self, op, g, active):
        c = g[0].astype(bool)
        then_m = active & c
        else_m = active & ~c
        results = None
        if then_m.any() and else_m.any():
            self.stats["divergent_if"] += 1
        rt = re_ = None
        if then_m.any():
            rt = self.run_block(op.regions[0], then_m)
        if else_m.any() and len(op.regions) > 1 and op.regions[1].ops:
            re_ = self.run_block(op.regions[1], else_m)
        if op.results:
            out = []
            for i, name in enumerate(op.results):
                a = rt[i] if rt is not None else None
                b = re_[i] if re_ is not None else None
                if a is None:
                    v = b
                elif b is None:
                    v = a
                else:
                    v = self.merge(c, a, b)
                if v is None:  # no active thread at all
                    kind, shape, e = parse_type(op.rtypes[i])
                    v = np.zeros((self.T,) + shape, elem_dtype(e))
                self.env[name] = v
    # -- memory ----------------------------------------------------------------
    def global_index(self, buf, idxs, active, n, what):
        shape = buf.arr.shape
        idx = [i.copy() for i in idxs]
        bad = np.zeros(self.T, bool)
        for d, (ix, s) in enumerate(zip(idx, shape)):
            extent = n if d == len(shape) - 1 else 1
            bad |= (ix < 0) | (ix + extent > s)
        if np.any(bad & active):
            raise InterpError("%s out of bounds on %s" % (what, buf.name))
        for d, (ix, s) in enumerate(zip(idx, shape)):
            extent = n if d == len(shape) - 1 else 1
            np.clip(ix, 0, s - extent, out=ix)
        return idx

    def vload(self, op, g, active):
        kind, shape, e = parse_type(op.rtypes[0])
        n = shape[-1]
        if len(shape) != 1:
            raise InterpError("multi-d vector.load")
        mem = g[0]
        idxs = g[1:]
        if isinstance(mem, GlobalBuf):
            idx = self.global_index(mem, idxs, active, n, "vector.load")
            lead = tuple(i[:, None] for i in idx[:-1])
            last = idx[-1][:, None] + np.arange(n)[None, :]
            return mem.arr[lead + (last,)].copy()
        if isinstance(mem, SharedView):
            lin = mem.lin([i for i in idxs])
            if np.any(idxs[-1][active] + n > mem.shape[-1]):
                raise InterpError("shared vector.load crosses row")
            th = np.nonzero(active)[0]
            res = np.zeros((self.T, n * mem.units), np.uint16)
            res[th] = mem.mem.read(th, mem.halfwords(lin[th], n))
            return res.view(mem.dtype)
        raise InterpError("vector.load from " + str(type(mem)))

    def vstore(self, op, g, active):
        val, mem = g[0], g[1]
        idxs = g[2:]
        n = val.shape[-1]
        th = np.nonzero(active)[0]
        if isinstance(mem, GlobalBuf):
            if mem.readonly:
                raise InterpError("store to read-only buffer")
            idx = self.global_index(mem, idxs, active, n, "vector.store")
            for t in th:
                key = tuple(int(i[t]) for i in idx[:-1])
                c0 = int(idx[-1][t])
                mem.arr[key + (slice(c0, c0 + n),)] = val[t]
                mem.writes[key + (slice(c0, c0 + n),)] += 1
            return
        if isinstance(mem, SharedView):
            # alignment check
            lin = mem.lin(idxs)
            align = attr(op, "alignment")
            if align is not None:
                a = int(align.split(":")[0])
                if np.any(((lin[th] * 2) % a) != 0):
                    raise InterpError("misaligned shared vector.store")
            if np.any(idxs[-1][active] + n > mem.shape[-1]):
                raise InterpError("shared vector.store crosses row")
            if val.dtype != mem.dtype:
                raise InterpError("dtype mismatch in shared store")
            mem.mem.write(th, mem.halfwords(lin[th], n),
                          to_bits16(val[th]).reshape(len(th), n * mem.units))
            return
        raise InterpError("vector.store to " + str(type(mem)))

    def private_index(self, mem, idxs, active, what):
        th = np.nonzero(active)[0]
        idx = [np.asarray(i)[th] for i in idxs]
        for ix, n in zip(idx, mem.shape):
            if np.any((ix < 0) | (ix >= n)):
                raise InterpError("%s out of bounds on a private array" % what)
        return th, idx

    def mload(self, op, g, active):
        mem = g[0]
        if isinstance(mem, SharedView):
            th = np.nonzero(active)[0]
            lin = mem.lin(list(g[1:]))
            for ix, n in zip(g[1:], mem.shape):
                if np.any((ix[th] < 0) | (ix[th] >= n)):
                    raise InterpError("shared memref.load out of bounds")
            res = np.zeros((self.T, mem.units), np.uint16)
            res[th] = mem.mem.read(th, mem.halfwords(lin[th], 1))
            return res.view(mem.dtype).reshape(self.T)
        if isinstance(mem, PrivateBuf):
            th, idx = self.private_index(mem, g[1:], active, "memref.load")
            res = np.zeros(self.T, mem.arr.dtype)
            res[th] = mem.arr[(th,) + tuple(idx)]
            return res
        if not isinstance(mem, GlobalBuf):
            raise InterpError("memref.load from non-global")
        idx = self.global_index(mem, g[1:], active, 1, "memref.load")
        return mem.arr[tuple(idx)].copy()

    def mstore(self, op, g, active):
        val, mem = g[0], g[1]
        if isinstance(mem, SharedView):
            th = np.nonzero(active)[0]
            lin = mem.lin(list(g[2:]))
            for ix, n in zip(g[2:], mem.shape):
                if np.any((ix[th] < 0) | (ix[th] >= n)):
                    raise InterpError("shared memref.store out of bounds")
            v = np.ascontiguousarray(np.asarray(val, mem.dtype)[th])
            mem.mem.write(th, mem.halfwords(lin[th], 1),
                          to_bits16(v).reshape(len(th), mem.units))
            return
        if isinstance(mem, PrivateBuf):
            th, idx = self.private_index(mem, g[2:], active, "memref.store")
            mem.arr[(th,) + tuple(idx)] = np.asarray(val)[th]
            return
        if mem.readonly:
            raise InterpError("store to read-only buffer")
        idx = self.global_index(mem, g[2:], active, 1, "memref.store")
        for t in np.nonzero(active)[0]:
            key = tuple(int(i[t]) for i in idx)
            mem.arr[key] = val[t]
            mem.writes[key] += 1

    def async_copy(self, op, g, active):
        segs = attr_array(op, "operandSegmentSizes")
        if len(segs) != 5 or segs[0] != 1 or segs[2] != 1:
            raise InterpError("device_async_copy segments %s" % segs)
        p = 0
        dst = g[p]; p += 1
        didx = g[p:p + segs[1]]; p += segs[1]
        src = g[p]; p += 1
        sidx = g[p:p + segs[3]]; p += segs[3]
        nsrc = g[p] if segs[4] else None
        ndst = int(attr(op, "dstElements").split(":")[0])
        if not isinstance(dst, SharedView) or not isinstance(src, GlobalBuf):
            raise InterpError("cp.async must go global -> shared")
        if ndst * 2 not in (4, 8, 16):
            raise InterpError("cp.async size")
        if "bypassL1" in op.attrs and ndst * 2 != 16:
            raise InterpError("cp.async.cg needs 16 bytes")
        lin = dst.lin(didx)
        for t in np.nonzero(active)[0]:
            t = int(t)
            if (int(lin[t]) * 2) % (ndst * 2):
                raise InterpError("cp.async dst misaligned")
            if int(didx[-1][t]) + ndst > dst.shape[-1]:
                raise InterpError("cp.async dst crosses tile row")
            k = ndst if nsrc is None else int(nsrc[t])
            if k < 0 or k > ndst:
                raise InterpError("cp.async src-size %d" % k)
            data = np.zeros(ndst, dst.dtype)
            if k > 0:
                key = tuple(int(i[t]) for i in sidx)
                shape = src.arr.shape
                if any(x < 0 or x >= s_ for x, s_ in zip(key, shape)) or key[-1] + k > shape[-1]:
                    raise InterpError("cp.async src out of bounds")
                flat = np.ravel_multi_index(key, shape)
                if (flat * src.arr.itemsize) % (ndst * 2):
                    raise InterpError("cp.async src misaligned")
                if src.arr.dtype != dst.dtype:
                    raise InterpError("cp.async dtype mismatch")
                data[:k] = src.arr[key[:-1]][key[-1]:key[-1] + k]
            self.smem.issue_async(t, lin[t] + np.arange(ndst), to_bits16(data))

    # -- TMA and mbarriers -----------------------------------------------------
    def barrier_ready(self, bars, i, t):
        if bars.init_epoch[i] is None:
            raise InterpError("mbarrier %d used before mbarrier.init" % i)
        epoch, who = bars.init_epoch[i]
        if epoch == self.smem.epoch and who != t:
            self.err("mbarrier %d used by another thread before a barrier after its init" % i)

    def arrive(self, bars, i, t):
        """An arrival of thread t on mbarrier i: it releases what t has
        seen (its acq) to whoever waits for this phase."""
        rel = self.acq[t]
        bars.phase_rel[i] = rel.copy() if bars.phase_rel[i] is None else \
            np.maximum(bars.phase_rel[i], rel)
        bars.pending[i] -= 1
        if bars.pending[i] < 0:
            raise InterpError("more arrivals than mbarrier %d expects" % i)
        self.try_complete(bars, i)

    def try_complete(self, bars, i):
        if bars.pending[i] != 0:
            return
        if bars.landed[i] > bars.expected[i]:
            raise InterpError("mbarrier %d: %d bytes landed, %d expected" %
                              (i, bars.landed[i], bars.expected[i]))
        if bars.landed[i] != bars.expected[i]:
            return  # more copies to come
        sm = self.smem
        for idx, vals in bars.writes[i]:
            sm.tma_pending[idx] = False
            sm.buf[idx] = vals
            sm.w_epoch[idx] = -3        # ordered by the mbarrier, not an epoch
            sm.w_thread[idx] = -5
        bars.writes[i] = []
        if bars.phase_rel[i] is not None:
            bars.done_rel[i] = bars.phase_rel[i] if bars.done_rel[i] is None \
                else np.maximum(bars.done_rel[i], bars.phase_rel[i])
        bars.phase_rel[i] = None
        bars.completed[i] += 1
        bars.pending[i] = bars.count[i]
        bars.expected[i] = bars.landed[i] = 0

    def tma_load(self, op, g, active):
        segs = attr_array(op, "operandSegmentSizes")
        p = 0
        dst = g[p]; p += 1
        bars = g[p]; p += 1
        tmap = g[p]; p += 1
        coords = g[p:p + segs[3]]; p += segs[3]
        bid = g[p]; p += 1
        if segs[5]:
            raise InterpError("TMA multicast")
        pred = g[p] if segs[6] else np.ones(self.T, bool)
        if not isinstance(dst, SharedView) or not isinstance(tmap, TensorMap):
            raise InterpError("tma.async.load operands")
        if tuple(dst.shape) != tuple(tmap.box):
            raise InterpError("TMA box %s into a %s tile" % (tmap.box, dst.shape))
        sm = self.smem
        addr0 = sm.base_addr + 2 * dst.base
        if addr0 % 1024:
            raise InterpError("TMA destination at shared address %d: the 128-byte "
                              "swizzle needs 1024-byte alignment" % addr0)
        arr = tmap.buf.arr
        for t in np.nonzero(active & pred.astype(bool))[0]:
            i = int(bid[t])
            self.barrier_ready(bars, i, int(t))
            if not bars.init_fenced:
                self.err("TMA completes on an mbarrier whose init was not made "
                         "visible to the async proxy (fence.mbarrier_init)")
            if (int(t), id(tmap)) not in self.map_fenced:
                self.err("TMA through a host-written tensor map without "
                         "tma.fence.descriptor (fence.proxy.tensormap)")
            c = [int(x[t]) for x in coords][::-1]   # innermost first -> outermost first
            box = np.zeros(tmap.box, arr.dtype)
            src, dstsl = [], []
            for d, (ci, bi, si) in enumerate(zip(c, tmap.box, arr.shape)):
                lo, hi = max(ci, 0), min(ci + bi, si)
                if hi <= lo:
                    src = None
                    break
                src.append(slice(lo, hi))
                dstsl.append(slice(lo - ci, hi - ci))
            if src is not None:
                box[tuple(dstsl)] = arr[tuple(src)]
            lin = np.arange(box.size)
            addr = swizzle128(addr0 + 2 * lin)
            idx = (addr - sm.base_addr) // 2
            if idx.max() >= sm.buf.size:
                raise InterpError("TMA destination out of bounds")
            war = (sm.r_epoch[idx] == sm.epoch)
            if war.any() or sm.unordered_after_wgmma(np.full(idx.size, int(t)), idx):
                self.err("WAR race: TMA issued over shared bytes read this epoch")
            if sm.tma_pending[idx].any() or (sm.pending[idx] > 0).any():
                self.err("TMA over a destination still in flight")
            sm.check_not_wgmma_operand(idx, "TMA")
            if (sm.gen_writer[idx] >= 0).any() and (sm.w_epoch[idx] == sm.epoch).any():
                self.err("WAW race: TMA over bytes stored this epoch")
            sm.tma_pending[idx] = True
            sm.tma_bar[idx] = self.barriers.index(bars) * kMaxBarriersPerGroup + i
            sm.tma_phase[idx] = bars.completed[i] + 1
            bars.writes[i].append((idx, to_bits16(box).ravel()))
            bars.landed[i] += box.size * box.itemsize
            self.try_complete(bars, i)

    # -- wgmma -------------------------------------------------------------------
    def wgmma_operand(self, desc, rows, cols, mn_major, what, warpgroup):
        """The rows x cols matrix (row = M or N, col = K) a descriptor names."""
        sm = self.smem
        d = int(desc)
        if d >> 62 != 1:
            raise InterpError("%s descriptor: swizzle mode %d (only 128-byte)" % (what, d >> 62))
        start = (d & 0x3FFF) << 4
        lead = ((d >> 16) & 0x3FFF) << 4
        stride = ((d >> 32) & 0x3FFF) << 4
        r = np.arange(rows)[:, None]
        k = np.arange(cols)[None, :]
        if mn_major:   # element (r = n, k): 64-wide groups `lead` apart
            addr = start + (r % 64) * 2 + (r // 64) * lead + (k % 8) * 128 + (k // 8) * stride
        else:          # K-major: 128-byte rows, 8-row groups `stride` apart
            addr = start + (r % 8) * 128 + (r // 8) * stride + k * 2
        addr = swizzle128(addr)
        idx = (addr - sm.base_addr) // 2
        if idx.min() < 0 or idx.max() >= sm.buf.size:
            raise InterpError("%s descriptor outside shared memory" % what)
        fi = idx.ravel()
        if sm.tma_pending[fi].any():
            self.err("wgmma reads a TMA destination whose phase is not complete")
        tagged = sm.tma_bar[fi] >= 0
        if tagged.any():
            seen = sm.observed[warpgroup][:, sm.tma_bar[fi[tagged]]].min(axis=0)
            if (seen < sm.tma_phase[fi[tagged]]).any():
                self.err("wgmma reads TMA data before every thread of the "
                         "warpgroup waited for its mbarrier phase")
        if (sm.gen_writer[fi] >= 0).any():
            self.err("wgmma reads shared memory stored without fence.proxy.async")
        if (sm.w_epoch[fi] == sm.epoch).any():
            self.err("wgmma reads shared memory stored this epoch (no barrier)")
        if (sm.w_epoch[fi] == -1).any():
            self.err("wgmma reads never-written shared memory")
        return sm.buf[idx], fi

    WGMMA_REG_A = re.compile(
        r'^\{\\0A\.reg \.pred p;\\0Asetp\.ne\.b32 p, \$(\d+), 0;\\0A'
        r'wgmma\.mma_async\.sync\.aligned\.m64n(\d+)k16\.f32\.(bf16|f16)\.(bf16|f16) '
        r'\{([$\d, ]+)\}, \{\$(\d+), \$(\d+), \$(\d+), \$(\d+)\}, \$(\d+), p, 1, 1, ([01]);\\0A\}\\0A$')

    def inline_asm(self, op, g, active):
        """The one inline PTX the kernels use: wgmma.mma_async with A in
        registers (operands: D outputs, A words, B descriptor, scale-d,
        then the accumulators tied to the outputs)."""
        text = re.search(r'asm_string = "((?:[^"\\]|\\.)*)"', op.attrs).group(1)
        m = self.WGMMA_REG_A.match(text)
        if not m:
            raise InterpError("inline asm: " + text[:80])
        scale_op, n, ta, tb = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        outs = [int(x.strip()[1:]) for x in m.group(5).split(",")]
        count = n // 2
        a_ops = [int(m.group(i)) for i in range(6, 10)]
        desc_op, trans_b = int(m.group(10)), m.group(11) == "1"
        cons = re.search(r'constraints = "([^"]*)"', op.attrs).group(1).split(",")
        expect = ["=f"] * count + ["r"] * 4 + ["l", "r"] + [str(i) for i in range(count)]
        if outs != list(range(count)) or a_ops != [count, count + 1, count + 2, count + 3] \
                or desc_op != count + 4 or scale_op != count + 5 or cons != expect or ta != tb:
            raise InterpError("inline wgmma operands / constraints")
        inputs = g   # operand $count + i is input i
        if not np.all(inputs[5][active] == 1):
            raise InterpError("inline wgmma with scale-d 0")
        return self.wgmma_core(n, ta, inputs[0:4], None, inputs[4], trans_b,
                               np.stack(inputs[6:6 + count], axis=1).astype(np.float32),
                               active)

    def wgmma(self, op, g, active):
        self.need_full(active, "wgmma.mma_async")
        self.stats["mma"] += 1
        m, n, k = (int(x) for x in re.search(r'm = (\d+), n = (\d+), k = (\d+)', op.attrs).groups())
        if (m, k) != (64, 16) or n % 8 or n > 256:
            raise InterpError("wgmma shape %d %d %d" % (m, n, k))
        ta = re.search(r'typeA = #nvvm.wgmma_type<(\w+)>', op.attrs).group(1)
        tb = re.search(r'typeB = #nvvm.wgmma_type<(\w+)>', op.attrs).group(1)
        if ta != tb or ta not in ("bf16", "f16") or "typeD = #nvvm.wgmma_type<f32>" not in op.attrs:
            raise InterpError("wgmma types %s %s" % (ta, tb))
        zero_d = "scaleD = #nvvm.wgmma_scale_out<zero>" in op.attrs
        if not (zero_d or "scaleD = #nvvm.wgmma_scale_out<one>" in op.attrs) \
                or "wgmma_scale_in<neg>" in op.attrs:
            raise InterpError("wgmma scales")
        if "layoutA = #nvvm.mma_layout<row>" not in op.attrs:
            raise InterpError("wgmma A must be K-major")
        b_mn = "layoutB = #nvvm.mma_layout<row>" in op.attrs
        acc, da, db = g
        if isinstance(acc, WgmmaAcc):
            acc = acc.arr
        if zero_d:   # D = A B: the accumulator's values are not read
            acc = np.zeros_like(acc)
        return self.wgmma_core(n, ta, None, da, db, b_mn, acc, active)

    def wgmma_core(self, n, ta, a_regs, da, db, b_mn, acc, active):
        """D = A B + C for every warpgroup: A from the descriptor `da` or
        from the registers `a_regs` (4 words per thread, the mma.m16n8k16
        A layout per warp), B from the descriptor `db`."""
        self.need_full(active, "wgmma.mma_async")
        dt = BF16 if ta == "bf16" else F16
        T = self.T
        if acc.shape != (T, n // 2):
            raise InterpError("wgmma accumulator of %s for n = %d" % (acc.shape, n))
        res = np.zeros((T, n // 2), np.float32)
        reads = []
        l = np.arange(32)
        gg, tt = l // 4, l % 4
        for wg in range(T // 128):
            s = slice(wg * 128, wg * 128 + 128)
            if not self.wg_fenced.get(wg):
                self.err("wgmma.mma_async without a wgmma.fence before it")
            b_desc = db[s]
            if not np.all(b_desc == b_desc[0]):
                raise InterpError("wgmma descriptors differ across the warpgroup")
            if a_regs is None:
                a_desc = da[s]
                if not np.all(a_desc == a_desc[0]):
                    raise InterpError("wgmma descriptors differ across the warpgroup")
                A, fa = self.wgmma_operand(a_desc[0], 64, 16, False, "A", s)
                reads.append(fa)
                A = A.view(dt).astype(np.float64)
            else:
                A = np.full((64, 16), np.nan)
                for w in range(4):
                    th = slice(wg * 128 + w * 32, wg * 128 + w * 32 + 32)
                    regs = [self.decode_pair(r[th], ta) for r in a_regs]
                    for h in range(2):
                        A[16 * w + gg, 2 * tt + h] = regs[0][:, h]
                        A[16 * w + gg + 8, 2 * tt + h] = regs[1][:, h]
                        A[16 * w + gg, 2 * tt + 8 + h] = regs[2][:, h]
                        A[16 * w + gg + 8, 2 * tt + 8 + h] = regs[3][:, h]
            B, fb = self.wgmma_operand(b_desc[0], n, 16, b_mn, "B", s)
            reads.append(fb)
            B = B.view(dt).astype(np.float64)    # [n, k]
            C = np.full((64, n), np.nan)
            idx_cols = np.arange(n // 2)
            for w in range(4):
                th = np.arange(wg * 128 + w * 32, wg * 128 + w * 32 + 32)
                rows = 16 * w + gg[:, None] + 8 * ((idx_cols[None, :] // 2) % 2)
                cols = 8 * (idx_cols[None, :] // 4) + 2 * tt[:, None] + idx_cols[None, :] % 2
                C[rows, cols] = acc[th].astype(np.float64)
            D = (A @ B.T + C).astype(np.float32)
            for w in range(4):
                th = np.arange(wg * 128 + w * 32, wg * 128 + w * 32 + 32)
                rows = 16 * w + gg[:, None] + 8 * ((idx_cols[None, :] // 2) % 2)
                cols = 8 * (idx_cols[None, :] // 4) + 2 * tt[:, None] + idx_cols[None, :] % 2
                res[th] = D[rows, cols]
        result = WgmmaAcc(res)
        result.reads = reads
        for fi in reads:
            self.smem.wgmma_reads[fi] += 1
        for wg in range(T // 128):
            self.wg_open.setdefault(wg, []).append(result)
        return result

    # -- warp-level ops --------------------------------------------------------
    def ldmatrix(self, op, g, active):
        self.need_full(active, "ldmatrix")
        tile, row, col = g
        count = int(attr(op, "numTiles").split(":")[0])
        trans = attr(op, "transpose").startswith("true")
        if not isinstance(tile, SharedView):
            raise InterpError("ldmatrix from non-shared")
        T = self.T
        lin = tile.lin([row, col])  # halfword index of each lane's row start
        if np.any((lin * 2) % 16):
            raise InterpError("ldmatrix row address not 16-byte aligned")
        if np.any(col + 8 > tile.shape[1]) or np.any(row >= tile.shape[0]):
            raise InterpError("ldmatrix row out of tile")
        W = T // 32
        lanes = np.arange(32)
        out = np.zeros((T, count, 2), np.uint16)
        # An 8x8 matrix is one shared-memory wavefront when its 8 rows
        # (16 bytes each) fall in 8 different groups of 4 banks.
        chunk = ((tile.mem.base_addr + 2 * lin) // 16) % 8
        for w in range(W):
            for i in range(count):
                rows = chunk[w * 32 + i * 8: w * 32 + i * 8 + 8]
                if len(np.unique(rows)) < 8:
                    self.stats["ldmatrix_conflicts"] += 1
        for w in range(W):
            base = w * 32
            for i in range(count):
                src = base + i * 8 + np.arange(8)  # lanes supplying rows
                idx = lin[src][:, None] + np.arange(8)[None, :]
                rows = self.smem.read(src, idx)  # (8,8)
                # the rows go to every lane of the warp: all of them read
                self.smem.r_thread[idx.ravel()] = -2
                if not trans:
                    # lane l: row l/4, cols 2(l%4), 2(l%4)+1
                    out[base + lanes, i, 0] = rows[lanes // 4, 2 * (lanes % 4)]
                    out[base + lanes, i, 1] = rows[lanes // 4, 2 * (lanes % 4) + 1]
                else:
                    out[base + lanes, i, 0] = rows[2 * (lanes % 4), lanes // 4]
                    out[base + lanes, i, 1] = rows[2 * (lanes % 4) + 1, lanes // 4]
        return out.view(tile.dtype).reshape(T, count, 2)

    def decode_pair(self, v, ptx):
        """operand register -> (T, 2) float64"""
        if v.dtype == np.int32:
            bits = v.view(np.uint32)
            lo = (bits & 0xFFFF).astype(np.uint16)
            hi = (bits >> 16).astype(np.uint16)
            pair = np.stack([lo, hi], axis=1)
            dt = BF16 if ptx == "bf16" else F16
            return pair.view(dt).astype(np.float64)
        if v.ndim == 2 and v.shape[1] == 2:
            if ptx == "f16" and v.dtype != F16:
                raise InterpError("f16 mma operand of type " + str(v.dtype))
            return v.astype(np.float64)
        raise InterpError("mma operand shape %s %s" % (v.shape, v.dtype))

    def mma(self, op, g, active):
        self.need_full(active, "mma.sync")
        self.stats["mma"] += 1
        shape = re.search(r'm = (\d+), n = (\d+), k = (\d+)', op.attrs).groups()
        if shape != ("16", "8", "16"):
            raise InterpError("mma shape " + str(shape))
        if "layoutA = #nvvm.mma_layout<row>" not in op.attrs or \
           "layoutB = #nvvm.mma_layout<col>" not in op.attrs:
            raise InterpError("mma layouts")
        pa = re.search(r'multiplicandAPtxType = #nvvm.mma_type<(\w+)>', op.attrs).group(1)
        pb = re.search(r'multiplicandBPtxType = #nvvm.mma_type<(\w+)>', op.attrs).group(1)
        segs = attr_array(op, "operandSegmentSizes")
        if segs != [4, 2, 4]:
            raise InterpError("mma segments " + str(segs))
        A = [self.decode_pair(x, pa) for x in g[0:4]]
        B = [self.decode_pair(x, pb) for x in g[4:6]]
        C = [x.astype(np.float64) for x in g[6:10]]
        T = self.T
        W = T // 32
        l = np.arange(32)
        gg, tt = l // 4, l % 4
        res = np.zeros((T, 4), np.float32)
        for w in range(W):
            s = slice(w * 32, w * 32 + 32)
            Am = np.full((16, 16), np.nan)
            Bm = np.full((16, 8), np.nan)
            Cm = np.full((16, 8), np.nan)
            for h in range(2):
                Am[gg, 2 * tt + h] = A[0][s][:, h]
                Am[gg + 8, 2 * tt + h] = A[1][s][:, h]
                Am[gg, 2 * tt + 8 + h] = A[2][s][:, h]
                Am[gg + 8, 2 * tt + 8 + h] = A[3][s][:, h]
                Bm[2 * tt + h, gg] = B[0][s][:, h]
                Bm[2 * tt + 8 + h, gg] = B[1][s][:, h]
                Cm[gg, 2 * tt + h] = C[h][s]
                Cm[gg + 8, 2 * tt + h] = C[2 + h][s]
            D = (Am @ Bm + Cm).astype(np.float32)
            res[s, 0] = D[gg, 2 * tt]
            res[s, 1] = D[gg, 2 * tt + 1]
            res[s, 2] = D[gg + 8, 2 * tt]
            res[s, 3] = D[gg + 8, 2 * tt + 1]
        return res
