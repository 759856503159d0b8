"""Hostile blobs against the C loader, under ASan + UBSan (build/host-asan).

Truncation at every byte, every single-bit flip, and random mutations with the
CRC recomputed so that the structural checks, not the checksum, must catch
them. A blob is either rejected with a status or loads and runs inside its
buffers; any sanitizer report aborts the harness and fails the test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import host_tool, model_path
from models import all_ops_model
from tinyrt.compiler import compile_tflite


def fuzz(tmp_path: Path, blob: bytes, *args: str) -> tuple[int, int]:
    path = tmp_path / "model.trt"
    path.write_bytes(blob)
    proc = subprocess.run([str(host_tool("fuzz_blob", "asan")), str(path), *args], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    words = proc.stdout.split()
    assert words[0] == args[0] + ":", proc.stdout
    return int(words[2]), int(words[4])  # accepted, rejected


@pytest.fixture(scope="module")
def small_blob() -> bytes:
    return compile_tflite(all_ops_model()).blob


def test_every_truncation_is_rejected(tmp_path: Path, small_blob: bytes) -> None:
    accepted, rejected = fuzz(tmp_path, small_blob, "truncate")
    assert (accepted, rejected) == (0, len(small_blob))


def test_every_bit_flip_is_rejected_or_safe(tmp_path: Path, small_blob: bytes) -> None:
    accepted, rejected = fuzz(tmp_path, small_blob, "bitflip")
    assert accepted + rejected == 8 * len(small_blob)
    assert rejected > 0.99 * 8 * len(small_blob)  # the CRC catches nearly all


def test_100k_mutations_with_valid_crc(tmp_path: Path, small_blob: bytes) -> None:
    accepted, rejected = fuzz(tmp_path, small_blob, "mutate", "100000", "1")
    assert accepted + rejected == 100_000
    # Both outcomes must be exercised: mutated weights load and run, broken
    # structure is turned away.
    assert accepted > 1000 and rejected > 1000


def test_mutations_of_a_real_model(tmp_path: Path) -> None:
    blob = compile_tflite(model_path("kws_ref_model")).blob
    accepted, rejected = fuzz(tmp_path, blob, "mutate", "1000", "2")
    assert accepted + rejected == 1000 and accepted > 0 and rejected > 0
