"""The converter on malformed .tflite bytes: a bounded sample of
tools/fuzz_tflite.py's mutation campaign (the full one: `python
tools/fuzz_tflite.py -n 20000`), every truncation of a small model, and the
property that whatever the converter writes, the host loader accepts."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cases import LITERT_OPS, OPS, make_case
from models import all_ops_model
from tinyrt.compiler import compile_tflite, loader_check
from tinyrt.convert import ConvertError
from tinyrt.flatbuf import FlatbufferError, Spot, verify
from tinyrt.tflite import TfliteError, _op_name, read_tflite

ROOT = Path(__file__).resolve().parent.parent


def _fuzzer() -> ModuleType:
    if "fuzz_tflite" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fuzz_tflite", ROOT / "tools" / "fuzz_tflite.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["fuzz_tflite"] = module
        spec.loader.exec_module(module)
    return sys.modules["fuzz_tflite"]


def test_mutation_campaign_sample() -> None:
    """2,000 mutants of the shared and generated models on 2 processes: each
    is converted (and accepted by the loader) or refused with TfliteError /
    ConvertError; no raw exception, no blob the loader refuses, no hang."""
    fuzz = _fuzzer()
    counts, examples, _ = fuzz.campaign(2000, seed=7, jobs=2, timeout=10.0, n_cases=2)
    assert sum(v for k, v in counts.items() if ":" not in k) == 2000
    bad = {k: examples[k] for k in ("raw", "refused", "hang") if counts[k]}
    assert not bad, bad
    # The mutator reaches every stage: the verifier, the converter, and blobs.
    assert counts["TfliteError"] > 200 and counts["ConvertError"] > 100 and counts["ok"] > 100, counts


def test_mutants_are_deterministic() -> None:
    fuzz = _fuzzer()
    m = fuzz.Mutator(all_ops_model())
    assert m.mutant(12345) == m.mutant(12345)
    assert len({m.mutant(i)[0] for i in range(50)}) > 40


def test_every_truncation_is_a_tflite_error() -> None:
    data = all_ops_model()
    for cut in range(len(data)):
        with pytest.raises(TfliteError):
            read_tflite(data[:cut])


def test_verifier_names_the_malformed_place() -> None:
    data = all_ops_model()
    spots: list[Spot] = []
    verify(data, _op_name, spots)
    kinds = {s.kind for s in spots}
    assert {"root", "uoffset", "soffset", "vtable", "field", "length", "scalar", "elements4"} <= kinds
    # A vector length past the end of the file.
    length = next(s for s in spots if s.kind == "length")
    bad = bytearray(data)
    struct.pack_into("<I", bad, length.pos, 0x7FFFFFF0)
    with pytest.raises(FlatbufferError, match=r"claims 2147483632 elements"):
        verify(bytes(bad), _op_name)
    with pytest.raises(TfliteError, match=r"malformed \.tflite flatbuffer: Model\."):
        read_tflite(bytes(bad))
    # A vtable whose size runs off the end.
    vt = next(s for s in spots if s.kind == "vtable")
    bad = bytearray(data)
    struct.pack_into("<H", bad, vt.pos, 0xFFFE)
    with pytest.raises(TfliteError, match=r"vtable"):
        read_tflite(bytes(bad))
    # A string that is not UTF-8: overwrite the first byte of a tensor name.
    name = data.find(b"quantized")
    bad = bytearray(data)
    bad[name] = 0xFF
    with pytest.raises(TfliteError, match=r"tensors\[\d+\]\.name: string at byte \d+ is not valid UTF-8"):
        read_tflite(bytes(bad))


@pytest.mark.parametrize("op", sorted({**OPS, **LITERT_OPS}))
def test_converted_generated_models_load(op: str) -> None:
    """Converter and loader agree on valid models: compile_tflite ends with
    the loader's own validation, which must pass."""
    for seed in range(20):
        case = make_case(op, seed)
        compiled = compile_tflite(case.tinyrt_model or case.model)
        loader_check(compiled.blob)


def test_a_blob_the_loader_refuses_is_an_internal_error() -> None:
    blob = bytearray(compile_tflite(all_ops_model()).blob)
    blob[-1] ^= 0xFF  # the CRC no longer matches
    with pytest.raises(ConvertError, match=r"internal error: the loader refuses .*ERR_CRC"):
        loader_check(bytes(blob))


def test_verifier_schema_covers_every_field_the_reader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record each (table, field index) the `tflite` accessors look up while
    reading models with every op; each must be in flatbuf.SCHEMA (so verified
    before it is read). Guards a future reader change."""
    import flatbuffers.table

    from tinyrt.flatbuf import SCHEMA

    seen: set[tuple[str, int]] = set()
    original = flatbuffers.table.Table.Offset

    def offset(self: flatbuffers.table.Table, vtable_offset: int) -> int:
        caller = sys._getframe(1).f_locals.get("self")
        seen.add((type(caller).__name__, (vtable_offset - 4) // 2))
        return original(self, vtable_offset)

    monkeypatch.setattr(flatbuffers.table.Table, "Offset", offset)
    models = [all_ops_model()] + [make_case(op, 0).model for op in sorted({**OPS, **LITERT_OPS})]
    shared = ROOT.parent / "shared" / "models"
    models += [p.read_bytes() for p in sorted(shared.glob("*.tflite"))]
    for data in models:
        read_tflite(data)
    assert {"Model", "SubGraph", "Tensor", "Operator", "OperatorCode", "Conv2DOptions"} <= {t for t, _ in seen}
    missing = {(t, i) for t, i in seen if i not in SCHEMA.get(t, {})}
    assert not missing, f"read but not verified: {sorted(missing)}"


def test_a_slow_mutant_counts_as_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal
    import time

    fuzz = _fuzzer()
    previous = signal.getsignal(signal.SIGALRM)
    try:
        fuzz._init([("all_ops_model", all_ops_model())])
        monkeypatch.setattr(fuzz, "compile_tflite", lambda data: time.sleep(5))
        start = time.monotonic()
        outcome, detail = fuzz.run_one(0, 1, 0.2)
        assert outcome == "hang" and detail.startswith("all_ops_model #1 (")
        assert time.monotonic() - start < 2
    finally:
        signal.signal(signal.SIGALRM, previous)
        fuzz._MUTATORS.clear()
