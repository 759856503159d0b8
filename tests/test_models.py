"""The MLPerf Tiny models: conversion, planning and bit-exactness with TFLM."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import MODEL_NAMES, model_path
from tinyrt.check import check_model, random_inputs
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType, Variant
from tinyrt.native import Model
from tinyrt.ref.graph import run_graph
from tinyrt.variants import PORTABLE

DSP = ("ref", "arm_dsp")

# TFLM's own planner needs 16,000 and 73,728 bytes of activations here. kws's
# peak is the input (490 bytes) with the first conv's output (8,000), once its
# pointwise layers run in place.
ARENA_LIMITS = {"kws_ref_model": 8_492, "vww_96_int8": 55_296}
# Pointwise layers with stride 1 and Cout <= Cin whose input dies there.
POINTWISE_IN_PLACE = {"kws_ref_model": 4, "vww_96_int8": 8}


@pytest.mark.parametrize("kernels", [PORTABLE, DSP], ids=["ref", "arm_dsp"])
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_bit_exact_with_tflm_on_50_inputs(name: str, kernels: tuple[str, ...]) -> None:
    """With the reference kernels, and with the arm_dsp variants a Cortex-M4
    blob takes (the host runs them through the C model of the instructions;
    tests/test_bench.py runs them on the cores)."""
    result = check_model(model_path(name), samples=50, seed=1, kernels=kernels)
    assert result.mismatches == []
    assert result.exact == 50


@pytest.mark.parametrize("kernels", [PORTABLE, DSP], ids=["ref", "arm_dsp"])
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_numpy_reference_graph_matches_c(name: str, kernels: tuple[str, ...]) -> None:
    compiled = compile_tflite(model_path(name), kernels=kernels)
    model = Model(compiled.blob)
    rng = np.random.default_rng(7)
    for _ in range(3):
        x = random_inputs(model.inputs, rng)
        for ours, ref in zip(model.run(x), run_graph(compiled.graph, x), strict=True):
            np.testing.assert_array_equal(ours, ref)


@pytest.mark.parametrize("name", sorted(ARENA_LIMITS))
def test_every_depthwise_runs_in_place_and_arena_fits(name: str) -> None:
    compiled = compile_tflite(model_path(name))
    kinds = [(op.type, op.variant) for op in compiled.graph.ops]
    assert (OpType.DEPTHWISE_CONV_2D, Variant.REF) not in kinds
    assert kinds.count((OpType.DEPTHWISE_CONV_2D, Variant.REF_INPLACE)) == {"kws_ref_model": 4, "vww_96_int8": 13}[name]
    assert kinds.count((OpType.CONV_2D, Variant.REF_INPLACE)) == POINTWISE_IN_PLACE[name]
    assert compiled.arena_bytes <= ARENA_LIMITS[name]


@pytest.mark.parametrize("name", ["kws_ref_model", "vww_96_int8"])
def test_in_place_output_equals_out_of_place(name: str) -> None:
    inplace = Model(compile_tflite(model_path(name)).blob)
    separate_compiled = compile_tflite(model_path(name), inplace=False)
    separate = Model(separate_compiled.blob)
    assert all(op.variant == Variant.REF for op in separate_compiled.graph.ops)
    # Out of place, the peak is a depthwise (vww) or pointwise (kws, 16,000
    # bytes) layer's input + output.
    assert inplace.arena_bytes < separate.arena_bytes
    assert separate.arena_bytes == {"kws_ref_model": 16_000, "vww_96_int8": 64_512}[name]
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = random_inputs(inplace.inputs, rng)
        np.testing.assert_array_equal(inplace.run(x)[0], separate.run(x)[0])


def test_blob_is_smaller_than_the_tflite_file() -> None:
    for name in MODEL_NAMES:
        path = model_path(name)
        assert len(compile_tflite(path).blob) < path.stat().st_size, name
