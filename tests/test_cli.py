"""The `tinyrt` CLI and the C array it writes for firmware."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, model_path
from models import all_ops_model
from tinyrt.cli import main
from tinyrt.compiler import compile_tflite
from tinyrt.native import Model


def test_check_prints_bit_exact_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(model_path("kws_ref_model")), "--samples", "5"]) == 0
    assert "bit-exact: 5/5" in capsys.readouterr().out


def test_plan_prints_in_place_layers_and_plots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "plan.png"
    assert main(["plan", str(model_path("kws_ref_model")), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert out.count("ref_inplace") == 8 and "arena_bytes: 8492" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_unsupported_model_exits_2_with_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from test_errors import conv_model

    path = tmp_path / "float.tflite"
    path.write_bytes(conv_model("float32"))
    assert main(["convert", str(path)]) == 2
    err = capsys.readouterr().err
    assert "op 0 (CONV_2D)" in err and err.count("\n") == 1


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A float-input model (all_ops), an int8-input one (scale 0.1, zero
    point 0, [1, 4, 4, 2]) and the bad inputs of the CLI matrix."""
    from test_errors import conv_model

    d = tmp_path_factory.mktemp("bad")
    tflite = all_ops_model()
    (d / "m.tflite").write_bytes(tflite)
    (d / "int8.tflite").write_bytes(conv_model("int8"))
    (d / "trunc.tflite").write_bytes(tflite[: len(tflite) // 2])
    (d / "tiny.tflite").write_bytes(tflite[:20])
    (d / "junk.tflite").write_bytes(b"\xff" * 64)
    (d / "old.trt").write_bytes(b"TRT1" + bytes(60))
    np.save(d / "shape.npy", np.zeros((1, 6, 5, 4), np.float32))
    (d / "text.npy").write_text("not an array")
    np.save(d / "f64_big.npy", np.full((1, 4, 4, 2), 1000.7))
    np.save(d / "f64_edge.npy", np.full((1, 4, 4, 2), 12.76))  # 127.6 rounds to 128: out of int8
    np.save(d / "f64_ok.npy", np.full((1, 4, 4, 2), -1.26))  # quantizes to -13
    np.save(d / "i64.npy", np.full((1, 4, 4, 2), 300, np.int64))
    np.save(d / "i64_small.npy", np.full((1, 4, 4, 2), 3, np.int64))
    np.save(d / "f32_for_float.npy", np.zeros((1, 6, 5, 3), np.float64))
    np.savez(d / "two.npz", a=np.zeros(3))
    (d / "not.elf").write_text("hello")
    return d


# Every user error: one line on stderr, exit status 2, nothing on stdout,
# nothing written (no --output, no blob, no firmware folder).
BAD_CASES = {
    "npy of the wrong shape": (["run", "m.tflite", "--input", "shape.npy", "--output", "y.npy"], "shape [1, 6, 5, 4]"),
    "not an npy": (["run", "m.tflite", "--input", "text.npy", "--output", "y.npy"], "not a .npy array"),
    "an npz": (["run", "m.tflite", "--input", "two.npz", "--output", "y.npy"], "an .npz archive"),
    "missing npy": (["run", "m.tflite", "--input", "none.npy"], "none.npy: no such file"),
    "too many inputs": (["run", "m.tflite", "--input", "shape.npy", "shape.npy"], "2 --input files"),
    "float64 for a float32 input": (["run", "m.tflite", "--input", "f32_for_float.npy"], "dtype float64"),
    "float64 1000.7 for int8": (["run", "int8.tflite", "--input", "f64_big.npy", "--output", "y.npy"],
                                "--quantize"),
    "float64 1000.7 quantized": (["run", "int8.tflite", "--input", "f64_big.npy", "--quantize", "--output", "y.npy"],
                                 "32 values quantize outside int8 [-128, 127]"),
    "float64 127.6 quantized": (["run", "int8.tflite", "--input", "f64_edge.npy", "--quantize"], "outside int8"),
    "int64 300 for int8": (["run", "int8.tflite", "--input", "i64.npy", "--output", "y.npy"], "dtype int64"),
    "int64 3 for int8": (["run", "int8.tflite", "--input", "i64_small.npy"], "dtype int64"),
    "truncated tflite: run": (["run", "trunc.tflite", "--output", "y.npy"], "trunc.tflite: "),
    "truncated tflite: convert": (["convert", "trunc.tflite", "-o", "out.trt"], "trunc.tflite: "),
    "20-byte tflite: convert": (["convert", "tiny.tflite", "-o", "out.trt", "--c-array", "out.c"], "tiny.tflite: "),
    "junk tflite: convert": (["convert", "junk.tflite", "-o", "out.trt"], "junk.tflite: "),
    "truncated tflite: qemu": (["qemu", "trunc.tflite", "--board", "mps2-an386"], "trunc.tflite: "),
    "truncated tflite: build": (["build", "trunc.tflite", "--board", "mps2-an386"], "trunc.tflite: "),
    "bad blob: run": (["run", "old.trt"], "old.trt: not a valid tinyrt blob"),
    "size of a non-ELF": (["size", "not.elf"], "not.elf: not a readable ELF file"),
    "size of a missing file": (["size", "none.elf"], "none.elf: no such file"),
    "unknown board: build": (["build", "m.tflite", "--board", "nope"], "unknown board 'nope'"),
    "unknown board: qemu": (["qemu", "m.tflite", "--board", "nope"], "unknown board 'nope'"),
    "unknown board: size": (["size", "m.tflite", "--board", "nope"], "unknown board 'nope'"),
}


def _tree(d: Path) -> set[str]:
    return {str(p.relative_to(d)) for p in d.rglob("*")}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_is_one_line_exit_2_nothing_written(bad_inputs: Path, case: str, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    argv, expected = BAD_CASES[case]
    monkeypatch.chdir(bad_inputs)
    before, fw_before = _tree(bad_inputs), _tree(ROOT / "build") if (ROOT / "build").exists() else set()
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert expected in err
    assert _tree(bad_inputs) == before
    assert not {p for p in _tree(ROOT / "build") - fw_before if "/fw/" in p or p.startswith("nope")}


def test_quantize_uses_the_input_scale_and_zero_point(bad_inputs: Path, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from test_errors import conv_model

    monkeypatch.chdir(bad_inputs)
    assert main(["run", "int8.tflite", "--input", "f64_ok.npy", "--quantize", "--output", str(tmp_path / "y.npy")]) == 0
    x = np.full((1, 4, 4, 2), -13, np.int8)  # round(-1.26 / 0.1)
    expected = Model(compile_tflite(conv_model("int8")).blob).run([x])[0]
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), expected)


def test_argparse_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["convert", "m.tflite", "--bogus"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unrecognized arguments: --bogus" in err


def test_cli_process_exit_status_and_debug_traceback(bad_inputs: Path) -> None:
    """The installed `tinyrt` script: exit 2 and one stderr line; --debug
    (before or after the command) shows the traceback instead."""
    tinyrt = Path(sys.executable).parent / "tinyrt"
    cmd = [str(tinyrt), "run", "int8.tflite", "--input", "i64.npy"]
    proc = subprocess.run(cmd, cwd=bad_inputs, capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "error: i64.npy: dtype int64, but the model input 0 is int8 [1, 4, 4, 2]\n"
    for debug in ([*cmd, "--debug"], [cmd[0], "--debug", *cmd[1:]]):
        proc = subprocess.run(debug, cwd=bad_inputs, capture_output=True, text=True)
        assert proc.returncode == 1 and "Traceback" in proc.stderr and "UsageError" in proc.stderr


def test_convert_and_run_blob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "m.tflite"
    src.write_bytes(all_ops_model())
    assert main(["convert", str(src), "-o", str(tmp_path / "m.trt")]) == 0
    x = np.linspace(-3, 3, 90, dtype=np.float32).reshape(1, 6, 5, 3)
    np.save(tmp_path / "x.npy", x)
    assert main(["run", str(tmp_path / "m.trt"), "--input", str(tmp_path / "x.npy"), "--output",
                 str(tmp_path / "y.npy")]) == 0
    expected = Model((tmp_path / "m.trt").read_bytes()).run([x])[0]
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), expected)


FIRMWARE_MAIN = r"""
#include <stdio.h>
#include <string.h>
#include "tinyrt/tinyrt.h"
#include "model_data.h"

static uint8_t arena[MODEL_DATA_ARENA_BYTES] __attribute__((aligned(4)));

int main(void)
{
    trt_model_t model;
    trt_tensor_t in, out;
    trt_status_t st = trt_model_init(&model, model_data, model_data_len, arena, sizeof arena);
    if (st != TRT_OK) { printf("init: %s\n", trt_status_str(st)); return 1; }
    trt_input(&model, 0, &in);
    memset(in.data, 0, in.bytes);
    if (trt_invoke(&model) != TRT_OK) return 1;
    trt_output(&model, 0, &out);
    for (uint32_t i = 0; i < out.bytes; i++) printf("%d ", ((int8_t *)out.data)[i]);
    printf("\n");
    return 0;
}
"""


def _link(tmp_path: Path, name: str, *sources: Path) -> Path:
    exe = tmp_path / name
    subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", str(ROOT / "runtime/include"),
                    "-I", str(ROOT / "kernels/include"), "-I", str(tmp_path), *map(str, sources),
                    str(ROOT / "build/host/libtinyrt.a"),
                    "-Wl,--gc-sections", "-o", str(exe)], check=True)
    return exe


def _symbols(exe: Path) -> set[str]:
    out = subprocess.run(["nm", str(exe)], capture_output=True, text=True, check=True).stdout
    return {ln.split()[-1] for ln in out.splitlines() if ln.strip()}


def test_c_array_links_into_a_program_with_the_same_output(tmp_path: Path) -> None:
    path = model_path("kws_ref_model")
    assert main(["convert", str(path), "-o", str(tmp_path / "kws.trt"), "--c-array", str(tmp_path / "model_data.c"),
                 "--name", "model_data"]) == 0
    source = (tmp_path / "model_data.c").read_text()
    assert "__attribute__((aligned(4))) const uint8_t model_data[" in source
    (tmp_path / "main.c").write_text(FIRMWARE_MAIN)
    expected = Model((tmp_path / "kws.trt").read_bytes()).run([np.zeros((1, 49, 10, 1), np.int8)])[0]
    # With the default op table (every kernel) and with the model's own.
    full = _link(tmp_path, "kws_all", tmp_path / "main.c", tmp_path / "model_data.c")
    own = _link(tmp_path, "kws_own", tmp_path / "main.c", tmp_path / "model_data.c", tmp_path / "model_ops.c")
    for exe in (full, own):
        printed = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()
        assert [int(v) for v in printed] == expected.reshape(-1).tolist()
    # Kernels, run functions and checks: only those of the model's (op,
    # variant) pairs are linked with its own table.
    kernels = {"trt_conv_s8", "trt_conv1x1_s8_inplace", "trt_dwconv_s8_inplace", "trt_fc_s8", "trt_avgpool_s8",
               "trt_softmax_s8", "trt_run_depthwise_conv_2d_ref_inplace", "trt_run_conv_2d_ref",
               "trt_check_depthwise_conv_2d", "trt_check_softmax"}
    unused = {"trt_dwconv_s8", "trt_maxpool_s8", "trt_add_s8", "trt_mul_s8", "trt_concat_s8", "trt_split_s8",
              "trt_quantize_f32_s8", "trt_requantize_s8", "trt_dequantize_s8_f32", "trt_run_depthwise_conv_2d_ref",
              "trt_check_add", "trt_check_max_pool_2d", "trt_check_mul", "trt_check_concatenation",
              "trt_check_split", "trt_check_quantize"}
    assert kernels | unused <= _symbols(full)
    assert kernels <= _symbols(own) and not unused & _symbols(own)


def test_op_table_without_an_op_rejects_the_blob(tmp_path: Path) -> None:
    """A firmware whose op table leaves out an op the blob uses refuses it at
    load, with its own status, instead of running off a NULL entry."""
    from tinyrt.blob import kernels_of, write_op_table
    from tinyrt.compiler import compile_tflite

    kws_ops = kernels_of(compile_tflite(model_path("kws_ref_model").read_bytes()).blob)
    src = tmp_path / "all.tflite"
    src.write_bytes(all_ops_model())
    assert main(["convert", str(src), "-o", str(tmp_path / "all.trt"), "--c-array", str(tmp_path / "model_data.c"),
                 "--name", "model_data"]) == 0
    assert set(kernels_of((tmp_path / "all.trt").read_bytes())) - set(kws_ops)
    # all_ops_model's blob, linked with kws's op table (no MAX_POOL_2D, ADD, ...).
    (tmp_path / "kws_ops.c").write_text(write_op_table(kws_ops))
    (tmp_path / "main.c").write_text(FIRMWARE_MAIN)
    exe = _link(tmp_path, "mismatch", tmp_path / "main.c", tmp_path / "model_data.c", tmp_path / "kws_ops.c")
    proc = subprocess.run([str(exe)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.strip() == "init: op or kernel variant not linked in this build (not in its op table)"


def test_op_table_without_a_variant_rejects_the_blob(tmp_path: Path) -> None:
    """kws's table has DEPTHWISE_CONV_2D in place only: the same model
    converted out of place names a variant the firmware lacks."""
    from tinyrt.blob import kernels_of, write_c_array, write_op_table
    from tinyrt.compiler import compile_tflite
    from tinyrt.format import OpType, Variant

    tflite = model_path("kws_ref_model").read_bytes()
    kws_kernels = kernels_of(compile_tflite(tflite).blob)
    assert (OpType.DEPTHWISE_CONV_2D, Variant.REF) not in kws_kernels
    separate = compile_tflite(tflite, inplace=False).blob
    assert (OpType.DEPTHWISE_CONV_2D, Variant.REF) in kernels_of(separate)
    source, header = write_c_array(separate, "model_data")
    (tmp_path / "model_data.c").write_text(source)
    (tmp_path / "model_data.h").write_text(header)
    (tmp_path / "kws_ops.c").write_text(write_op_table(kws_kernels))
    (tmp_path / "main.c").write_text(FIRMWARE_MAIN)
    exe = _link(tmp_path, "variant", tmp_path / "main.c", tmp_path / "model_data.c", tmp_path / "kws_ops.c")
    proc = subprocess.run([str(exe)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.strip() == "init: op or kernel variant not linked in this build (not in its op table)"


def test_ops_lists_every_op_its_variants_and_the_offline_ones(capsys: pytest.CaptureFixture[str]) -> None:
    from tinyrt import format as fmt

    assert main(["ops"]) == 0
    out = capsys.readouterr().out
    # A cell too long for the terminal continues on lines of its own (no op name).
    rows = {line.split("│")[1].strip(): line for line in out.splitlines()
            if line.count("│") >= 4 and line.split("│")[1].strip()}
    assert set(rows) - {"op"} == {op.name for op in fmt.OpType}
    in_place = {name for name, line in rows.items() if line.split("│")[3].strip() == "yes"}
    assert in_place == {"CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "LUT", "PRELU",
                        "SQUARED_DIFFERENCE", "COPY"}
    offline = out.split("lowered to another op): ", 1)[1].replace("\n", " ")
    lowered_to_lut = {"RELU", "RELU6", "LEAKY_RELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "ELU", "RSQRT", "EXP",
                      "NEG", "RELU_N1_TO_1"}
    assert {"SHAPE", "STRIDED_SLICE", "PACK", "SQUEEZE", "EXPAND_DIMS"} | lowered_to_lut <= set(
        offline.replace(",", " ").split())
