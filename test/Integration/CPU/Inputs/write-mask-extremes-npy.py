"""Writes the .npy inputs of additive-mask-extremes.mlir (no numpy
needed): PREFIXq.npy [1,2,6,8], PREFIXk.npy and PREFIXv.npy [1,2,7,8]
(float32, fixed pseudo-random values) and PREFIXm.npy [1,1,6,7] (float32):
additive mask rows of finite values past what the log2 domain holds
(+-FLT_MAX, 3e38), mixed with ordinary ones and -inf; PREFIXpinf.npy the
same shape, 0 but for one +inf entry in row 0; PREFIXnan.npy the same
shape, 0 but for NaN in every entry of row 2 and one of row 4; PREFIXqnan.npy PREFIXq.npy with
one NaN in row 3 of head 0."""
import math
import struct
import sys

FMAX = 3.4028234663852886e38


def write(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s,), }" % (
        ", ".join(map(str, shape)))
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
                header.encode() + struct.pack("<%df" % len(values), *values))


def data(n, salt):
    return [math.sin(0.7 * i + salt) * 1.5 for i in range(n)]


prefix = sys.argv[1]
write(prefix + "q.npy", [1, 2, 6, 8], data(96, 0.1))
write(prefix + "k.npy", [1, 2, 7, 8], data(112, 1.3))
write(prefix + "v.npy", [1, 2, 7, 8], data(112, 2.9))
inf = float("inf")
rows = [
    [FMAX] * 7,                                   # all saturate: uniform
    [-FMAX] * 7,                                  # finfo.min everywhere
    [0.0, -FMAX, 1.0, -FMAX, -inf, 2.0, -FMAX],   # finfo.min as "masked"
    [FMAX, 0.0, FMAX, -FMAX, 5.0, -inf, FMAX],    # +FLT_MAX keys dominate
    [-1e30, 3.0, -3e38, 1e38, 2.0, -inf, 0.0],    # 1e38 dominates
    [3e38, 2.5e38, 0.0, -2.5e38, -FMAX, 1e38, 3e38],  # 3e38, 2.5e38: a tie
]
write(prefix + "m.npy", [1, 1, 6, 7], [x for r in rows for x in r])
pinf = [0.0] * 42
pinf[1] = inf
write(prefix + "pinf.npy", [1, 1, 6, 7], pinf)
nan = float("nan")
masknan = [0.0] * 42
masknan[2 * 7:3 * 7] = [nan] * 7
masknan[4 * 7 + 4] = nan
write(prefix + "nan.npy", [1, 1, 6, 7], masknan)
qnan = data(96, 0.1)
qnan[3 * 8 + 5] = nan
write(prefix + "qnan.npy", [1, 2, 6, 8], qnan)
