"""Coverage-guided fuzzing of the C loader and interpreter (libFuzzer, clang,
ASan + UBSan), bounded for CI: for the 64-bit and the 32-bit (-m32) build,
every input of the committed corpus (tools/fuzz/corpus) is replayed, then a
fixed number of fresh mutations from it run with a fixed seed. Any sanitizer
report or broken invariant (see tools/fuzz/fuzz_libfuzzer.c) fails the test.
tools/fuzz/run_libfuzzer.py campaign runs the long campaign."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, _missing

SCRIPT = ROOT / "tools" / "fuzz" / "run_libfuzzer.py"
CORPUS = ROOT / "tools" / "fuzz" / "corpus"


@pytest.fixture(scope="module")
def clang() -> str:
    path = shutil.which("clang")
    if path is None:
        _missing("clang not installed (tools/setup.sh installs clang and the libFuzzer runtimes)")
    return str(path)


def test_committed_corpus_is_small() -> None:
    files = list(CORPUS.iterdir())
    # A set cover of the edges: about one input per rejection path, since the
    # loader stops at the first violation.
    assert 3 <= len(files) <= 500
    assert sum(f.stat().st_size for f in files) < 1_500_000


def test_bounded_libfuzzer_run_64_and_32_bit(clang: str) -> None:
    proc = subprocess.run([sys.executable, str(SCRIPT), "check", "--runs", "150000", "--seed", "1", "--seconds", "30"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-6000:]
    runs = dict(re.findall(r"^(\d+)-bit: (\d+) executions", proc.stdout, re.M))
    assert set(runs) == {"64", "32"}, proc.stdout
    # Every committed input plus fresh ones (the time cap may stop a slow
    # machine early, never before the corpus is replayed).
    assert all(int(n) > len(list(CORPUS.iterdir())) for n in runs.values()), proc.stdout
