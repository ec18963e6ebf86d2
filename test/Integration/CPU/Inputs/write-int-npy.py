"""Writes the .npy inputs of attn-run-diagnostics.mlir's integer-key-length
test (no numpy needed): PREFIXq.npy, PREFIXkv.npy (float32) and
PREFIXlen32.npy / PREFIXlen64.npy (int32 4, int64 3), PREFIXlen0.npy
(int32 0), PREFIXlenmax.npy
(int32 2^31 - 1, which a float would round to 2^31), and lengths no i32
holds: PREFIXlenbig.npy (2^31), PREFIXlenfrac.npy (2.5)."""
import struct
import sys


def write(path, shape, fmt, values, descr):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s,), }" % (
        descr, ", ".join(map(str, shape)))
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
                header.encode() + struct.pack("<%d%s" % (len(values), fmt), *values))


prefix = sys.argv[1]
write(prefix + "q.npy", [1, 1, 2, 8], "f", [0.1 * i for i in range(16)], "<f4")
write(prefix + "kv.npy", [1, 1, 6, 8], "f", [0.05 * i for i in range(48)], "<f4")
write(prefix + "len32.npy", [1], "i", [4], "<i4")
write(prefix + "len64.npy", [1], "q", [3], "<i8")
write(prefix + "len0.npy", [1], "i", [0], "<i4")
write(prefix + "lenmax.npy", [1], "i", [2**31 - 1], "<i4")
write(prefix + "lenbig.npy", [1], "q", [2**31], "<i8")
write(prefix + "lenfrac.npy", [1], "d", [2.5], "<f8")
