"""tools/bench.py without running the models: its table, chart, baseline
comparison (a regression exits 1) and --update, on fake results."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tinyrt_bench_script", ROOT / "tools" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_script = load_script()


def fake_results() -> list[dict[str, Any]]:
    return [{"model": name, "board": "mps2-an386", "macs": 1000 * (i + 1), "instructions": 5_000_000 * (i + 1),
             "cycles_estimate": 7_000_000 * (i + 1), "arena_bytes": 1000 + i, "flash_code_bytes": 9000 + i,
             "bit_exact": True} for i, name in enumerate(bench_script.MODELS)]


def fake_models_dir(tmp_path: Path) -> Path:
    d = tmp_path / "models"
    d.mkdir(exist_ok=True)
    for name in bench_script.MODELS:
        (d / f"{name}.tflite").write_bytes(b"")
    return d


def run_main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, results: list[dict[str, Any]], *args: str) -> int:
    monkeypatch.setattr(bench_script, "run", lambda models_dir, kernels: copy.deepcopy(results))
    return int(bench_script.main(["--models-dir", str(fake_models_dir(tmp_path)), "--out", str(tmp_path / "out"),
                                  "--baseline", str(tmp_path / "baseline.json"), *args]))


def test_committed_baseline_covers_the_four_models() -> None:
    doc = json.loads((ROOT / "tools" / "bench_baseline.json").read_text())
    assert (doc["board"], doc["kernels"]) == ("mps2-an386", "board")
    assert set(doc["models"]) == set(bench_script.MODELS)
    for figures in doc["models"].values():
        assert all(isinstance(figures[k], int) and figures[k] > 0 for k in bench_script.GUARDED)


def test_compare_flags_each_guarded_figure_above_the_baseline() -> None:
    results = fake_results()
    baseline = bench_script.baseline_doc(results, None)
    assert bench_script.compare(results, baseline, None) == ([], [])
    for key in bench_script.GUARDED:
        worse = copy.deepcopy(results)
        worse[1][key] += 1
        regressions, _ = bench_script.compare(worse, baseline, None)
        assert len(regressions) == 1 and regressions[0].startswith(f"vww_96_int8: {key} ")
    better = copy.deepcopy(results)
    better[0]["instructions"] -= 10
    regressions, notes = bench_script.compare(better, baseline, None)
    assert regressions == [] and len(notes) == 1 and "--update" in notes[0]
    # The cycle estimate is recorded, not guarded: a change to the model is no regression.
    moved = copy.deepcopy(results)
    moved[0]["cycles_estimate"] += 1000
    assert bench_script.compare(moved, baseline, None) == ([], [])
    # Not bit-exact is a failure whatever the counts.
    wrong = copy.deepcopy(results)
    wrong[3]["bit_exact"] = False
    assert bench_script.compare(wrong, baseline, None)[0] == ["ad01_int8: output not bit-exact"]
    # A baseline for other kernels does not compare.
    regressions, _ = bench_script.compare(results, baseline, "ref")
    assert len(regressions) == 1 and "kernels board" in regressions[0]


def test_main_exits_1_on_a_regression_and_update_rewrites_the_baseline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    results = fake_results()
    # No baseline yet: an error, then --update makes one.
    assert run_main(tmp_path, monkeypatch, results) == 1
    assert run_main(tmp_path, monkeypatch, results, "--update") == 0
    doc = json.loads((tmp_path / "baseline.json").read_text())
    assert doc["models"]["kws_ref_model"]["instructions"] == 5_000_000
    assert run_main(tmp_path, monkeypatch, results) == 0
    assert "no regression" in capsys.readouterr().out

    worse = copy.deepcopy(results)
    worse[2]["flash_code_bytes"] += 4
    assert run_main(tmp_path, monkeypatch, worse) == 1
    assert "REGRESSION: pretrainedResnet_quant: flash_code_bytes 9,006 > baseline 9,002" in capsys.readouterr().err
    assert run_main(tmp_path, monkeypatch, worse, "--update") == 0
    assert run_main(tmp_path, monkeypatch, worse) == 0

    # The outputs: the table (also printed), the chart and the results.
    out = tmp_path / "out"
    table = (out / "bench.md").read_text()
    header = next(line for line in table.splitlines() if line.startswith("| model"))
    assert header.split(" | ")[1:5] == ["MACs", "instructions", "cycles (est.)", "ms (est.) at 120 MHz"]
    row = next(line for line in table.splitlines() if line.startswith("| kws_ref_model"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    # 7,000,000 cycles at 120 MHz = 58.3 ms; 5,000,000 instructions against CMSIS-NN's 7,581,267 = 0.66x, met.
    assert cells[:5] == ["kws_ref_model", "1,000", "5,000,000", "7,000,000", "58.3"]
    assert cells[8:] == ["42,215,647", "7,581,267", "0.66x", "met"]
    row = next(line for line in table.splitlines() if line.startswith("| ad01_int8"))
    assert row.endswith("| 34.31x | not met |")  # 20,000,000 against 582,960
    assert (out / "bench.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((out / "bench.json").read_text())[0]["model"] == "kws_ref_model"


def test_skips_without_the_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_script.main(["--models-dir", str(tmp_path / "absent"), "--out", str(tmp_path / "out")]) == 0
    assert "bench skipped" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_macs_of_a_small_graph() -> None:
    from cases import make_case
    from tinyrt.compiler import compile_tflite

    compiled = compile_tflite(make_case("conv", 5).model)
    (op,) = [o for o in compiled.graph.ops if o.type.name == "CONV_2D"]
    out = compiled.graph.tensors[op.outputs[0]]
    _, kh, kw, ic = compiled.graph.tensors[op.inputs[1]].shape
    assert bench_script.macs(compiled.graph) == out.elements * kh * kw * ic > 0
