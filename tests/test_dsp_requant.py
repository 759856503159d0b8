"""The arm_dsp requantization (kernels/arm_dsp/dsp.h: TFLM's
MultiplyByQuantizedMultiplier as one SMLAL and a shift) against the
reference helper of fixedpoint.h, compiled for the host (the portable model
of the instructions) from tests/c/dsp_requant_check.c: every edge value of
x, multiplier and shift, then two million random triples. The instructions
themselves run in tests/test_variants_native.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT


def test_requantization_equals_the_reference(tmp_path: Path) -> None:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("needs a C compiler")
    exe = tmp_path / "dsp_requant_check"
    subprocess.run([cc, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-fsanitize=undefined",
                    "-fno-sanitize-recover=all", f"-I{ROOT / 'kernels'}", f"-I{ROOT / 'kernels/include'}",
                    f"-I{ROOT / 'runtime/include'}", str(ROOT / "tests/c/dsp_requant_check.c"), "-o", str(exe)],
                   check=True)
    out = subprocess.run([str(exe), "2000000"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip().endswith("0 mismatches"), out.stdout + out.stderr
