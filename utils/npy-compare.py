#!/usr/bin/env python3
"""Compares two float32 .npy files (as attn-run --save-output writes them)
element by element, without numpy: |a - b| <= atol + rtol * |b| everywhere,
NaN only where both are NaN. Prints the shape, the largest difference and
"match" or "MISMATCH"; exit status 1 on a mismatch.

usage: npy-compare.py A.npy B.npy [--rtol R] [--atol A]"""
import argparse
import ast
import math
import struct
import sys


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        sys.exit("%s: not a .npy file" % path)
    major = data[6]
    if major == 1:
        (hlen,), start = struct.unpack_from("<H", data, 8), 10
    else:
        (hlen,), start = struct.unpack_from("<I", data, 8), 12
    header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    if header["descr"] != "<f4" or header["fortran_order"]:
        sys.exit("%s: expected little-endian float32 in C order, got %s" %
                 (path, header["descr"]))
    body = data[start + hlen:]
    count = len(body) // 4
    return tuple(header["shape"]), struct.unpack("<%df" % count, body[:4 * count])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--atol", type=float, default=1e-5)
    args = ap.parse_args()
    sa, a = load(args.a)
    sb, b = load(args.b)
    if sa != sb:
        print("MISMATCH: shapes %s and %s" % (sa, sb))
        return 1
    worst, bad = 0.0, 0
    for x, y in zip(a, b):
        if math.isnan(x) or math.isnan(y):
            bad += not (math.isnan(x) and math.isnan(y))
            continue
        d = abs(x - y)
        worst = max(worst, d)
        bad += d > args.atol + args.rtol * abs(y)
    print("shape %s, %d elements, max |a - b| = %.3g: %s" %
          (sa, len(a), worst, "MISMATCH (%d elements)" % bad if bad else "match"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
