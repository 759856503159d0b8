"""The op coverage table (tinyrt/coverage.py, `tinyrt ops --markdown`): it
covers every TFLM builtin op and every tinyrt op, TFLM's list is the
installed oracle's, and the README holds the current output."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from tinyrt import coverage
from tinyrt import format as fmt
from tinyrt.cli import main
from tinyrt.convert import SUPPORTED_OPS
from tinyrt.tflite import _OP_NAMES


def test_every_tflm_builtin_and_every_tinyrt_op_has_a_row() -> None:
    rows = {r.op: r for r in coverage.rows()}
    assert set(coverage.TFLM_BUILTIN_OPS) | set(SUPPORTED_OPS) == set(rows)
    # A runtime op named unlike the operators lowered to it needs convert.LOWERED_AS entries.
    assert {o for r in rows.values() for o in r.runtime_ops} == set(fmt.OpType) - fmt.LEGACY_OPS
    for name in SUPPORTED_OPS:
        assert bool(rows[name].runtime_ops) == (rows[name].support == "yes"), name
    for name in SUPPORTED_OPS:
        assert rows[name].support in ("yes", "offline-only")
    assert rows["SHAPE"].support == "offline-only" and rows["SQUEEZE"].runtime_ops == (fmt.OpType.RESHAPE,)
    assert rows["CONV_2D"].in_place == "yes" and rows["HARD_SWISH"].support in ("yes", "no")
    # Of the ops lowered to COPY only the pads run in place.
    assert {name for name, r in rows.items() if r.runtime_ops == (fmt.OpType.COPY,) and r.in_place} == {"PAD", "PADV2"}
    assert {name for name, r in rows.items() if r.oracle == "LiteRT"} == {"EXP", "NEG", "RELU_N1_TO_1", "TILE"}
    assert rows["TILE"].oracle == "LiteRT" and rows["CONV_2D"].oracle == "TFLM" and rows["L2_POOL_2D"].oracle == ""


def test_tflm_list_is_the_installed_oracles() -> None:
    """TFLM_BUILTIN_OPS: the Register_<OP> functions the tflite-micro Python
    interpreter exports whose name is a builtin operator."""
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("needs nm")
    import tflite_micro.python.tflite_micro as tm

    lib = next(Path(tm.__path__[0]).glob("_runtime*.so"))
    symbols = subprocess.run([nm, "-D", "--defined-only", "-C", str(lib)], capture_output=True, text=True,
                             check=True).stdout
    registered = set(re.findall(r"Register_([A-Za-z0-9_]+)\(", symbols))
    assert set(coverage.TFLM_BUILTIN_OPS) == registered & set(_OP_NAMES.values())


def test_readme_holds_the_generated_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ops", "--markdown"]) == 0
    printed = capsys.readouterr().out
    assert printed == coverage.markdown()
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- tinyrt ops --markdown -->\n", 1)[1].split("<!-- end tinyrt ops --markdown -->", 1)[0]
    assert block == printed, "README op coverage is stale: paste `tinyrt ops --markdown` between its markers"
