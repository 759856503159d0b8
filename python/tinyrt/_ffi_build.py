"""cffi API-mode binding of the host library, out of line.

The cdef is read from the real public headers, so the binding cannot drift
from them; SCons (python/SConscript) compiles the emitted C and links it
against build/host/libtinyrt.a into tinyrt/_native.*.so.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import cffi

ROOT = Path(__file__).resolve().parents[2]
HEADERS = [
    ROOT / "runtime/include/tinyrt/status.h",
    ROOT / "runtime/include/tinyrt/format.h",
    ROOT / "kernels/include/tinyrt/kernels.h",
    ROOT / "runtime/include/tinyrt/tinyrt.h",
]


def header_cdef(text: str) -> str:
    """A C header as cffi's cdef: integer #defines stay, every other
    preprocessor line and the C++ guards go."""
    text = re.sub(r"#ifdef __cplusplus.*?#endif", "", text, flags=re.S)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            if re.match(r"#define\s+TRT_\w+\s+(0x[0-9a-fA-F]+|\d+)\s*$", line):
                lines.append(line)
            continue
        lines.append(line)
    return "\n".join(lines)


ffibuilder = cffi.FFI()
ffibuilder.cdef(
    "\n".join(header_cdef(h.read_text()) for h in HEADERS)
    # The per-op profiling hook, implemented in Python (native.py).
    + '\nextern "Python" void _trt_py_hook(void *, uint32_t, uint32_t, int);\n'
)
ffibuilder.set_source("tinyrt._native", "#include <tinyrt/tinyrt.h>\n#include <tinyrt/kernels.h>\n")


if __name__ == "__main__":
    ffibuilder.emit_c_code(sys.argv[1])
