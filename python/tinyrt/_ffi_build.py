"""cffi API-mode binding of the host library, out of line.

The cdef is the real public headers run through the C preprocessor (the op
list is X-macros), so the binding cannot drift from them; SCons
(python/SConscript) compiles the emitted C and links it against
build/host/libtinyrt.a into tinyrt/_native.*.so.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import cffi

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["tinyrt/tinyrt.h", "tinyrt/ops.h", "tinyrt/kernels.h"]  # with what they include
INCLUDE = [ROOT / "runtime/include", ROOT / "kernels/include"]


def headers_cdef(headers: list[str]) -> str:
    """The headers as cffi's cdef: preprocessed (without the system headers,
    whose types cffi knows), each integer #define TRT_* kept for the compiler
    to fill in, and every value cffi cannot evaluate itself (sizeof, enum
    names) left to the compiler as `...`."""
    with tempfile.TemporaryDirectory() as stubs:
        for h in ("stdint.h", "stddef.h"):
            Path(stubs, h).write_text("")
        text = subprocess.run(
            [os.environ.get("CC", "cc"), "-E", "-P", "-dD", "-nostdinc", "-I", stubs,
             *(f"-I{d}" for d in INCLUDE), "-x", "c", "-"],
            input="".join(f'#include "{h}"\n' for h in headers), capture_output=True, text=True, check=True,
        ).stdout
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.match(r"#define\s+(TRT_\w+)\s+\(?-?(0x[0-9a-fA-F]+|\d+)\)?\s*$", line)
            if m:
                lines.append(f"#define {m.group(1)} ...")
            continue
        line = re.sub(r"= \(sizeof\(\w+\)\)", "= ...", line)
        lines.append(re.sub(r"\[TRT_\w+\]", "[...]", line))
    return "\n".join(lines)



def inline_prototypes(header: str) -> str:
    """Prototypes of a header's `static inline` functions (the fixed-point
    helpers), so that the tests call the C code itself."""
    text = (ROOT / "kernels/include" / header).read_text()
    found = re.findall(r"^static inline ([\w ]+?\s*\**)(trt_\w+)\(([^)]*)\)", text, flags=re.M)
    return "".join(f"{ret} {name}({args});\n" for ret, name, args in found)


ffibuilder = cffi.FFI()
ffibuilder.cdef(
    headers_cdef(HEADERS)
    + inline_prototypes("tinyrt/fixedpoint.h")
    # The per-op profiling hook, implemented in Python (native.py).
    + '\nextern "Python" void _trt_py_hook(void *, uint32_t, uint32_t, int);\n'
)
ffibuilder.set_source("tinyrt._native", "".join(f"#include <{h}>\n" for h in [*HEADERS, "tinyrt/fixedpoint.h"]))


if __name__ == "__main__":
    ffibuilder.emit_c_code(sys.argv[1])
