#!/usr/bin/python3
"""Regenerates the NumPy-written golden files of this directory.

Needs Debian's python3-numpy (apt-get install python3-numpy). The Go tests
recompute the same values with the same formulas and compare.
Run from this directory: /usr/bin/python3 make_golden.py
"""
import io
import json

import numpy as np
from numpy.lib import format as npformat


def ramp(n, dtype, scale=1.0, offset=0):
    return ((np.arange(n) - offset) * scale).astype(dtype)


np.save("f4_c_2x3.npy", ramp(6, "<f4", 0.25, 2).reshape(2, 3))
np.save("f4_fortran_2x3x4.npy", np.asfortranarray(ramp(24, "<f4", 0.5, 5).reshape(2, 3, 4)))
np.save("f4_be_3x2.npy", ramp(6, ">f4", 1.5, 3).reshape(3, 2))
np.save("f8_2x2.npy", ramp(4, "<f8", 0.1, 1).reshape(2, 2))
np.save("f2_4.npy", ramp(4, "<f2", 0.5, 2))
np.save("i1_5.npy", ramp(5, "|i1", 50, 2))
np.save("u1_5.npy", ramp(5, "|u1", 60, 0))
np.save("i2_be_2x2.npy", ramp(4, ">i2", 1000, 2).reshape(2, 2))
np.save("u2_3.npy", ramp(3, "<u2", 30000, 0))
np.save("i4_3.npy", ramp(3, "<i4", 16777217, 1))
np.save("i8_3.npy", ramp(3, "<i8", 2**40 + 1, 1))
np.save("f4_scalar.npy", np.float32(3.5))
np.save("f4_empty_0x4.npy", np.zeros((0, 4), "<f4"))
with open("f4_v2_2x2.npy", "wb") as f:
    npformat.write_array(f, ramp(4, "<f4", 2, 0).reshape(2, 2), version=(2, 0))
with open("f4_v3_2x2.npy", "wb") as f:
    npformat.write_array(f, ramp(4, "<f4", 3, 0).reshape(2, 2), version=(3, 0))
np.savez("pair.npz", a=ramp(6, "<f4", 0.25, 2).reshape(2, 3), b=ramp(3, "<i4", 7, 0))
np.savez_compressed("pair_compressed.npz", ramp(4, "<f8", 0.5, 0), w=ramp(8, "<f4", 1, 4).reshape(2, 2, 2))

# Header bytes numpy.save writes for float32 arrays of many shapes.
shapes = [(), (0,), (5,), (2, 3), (0, 4), (1, 2, 3, 4), (7, 64, 56, 56), (123456789,),
          (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), (99999, 3), (10**12, 2), (3,) * 30]
headers = []
for shape in shapes:
    buf = io.BytesIO()
    npformat._write_array_header(buf, {"descr": "<f4", "fortran_order": False, "shape": shape}, None)
    headers.append({"shape": list(shape), "hex": buf.getvalue().hex()})
with open("headers.json", "w") as f:
    json.dump(headers, f, indent=1)
    f.write("\n")
