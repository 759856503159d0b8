"""The `tinyrt` CLI and the C array it writes for firmware."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, model_path
from models import all_ops_model
from tinyrt.cli import main
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
    assert "op 0 (CONV_2D)" in capsys.readouterr().out


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
