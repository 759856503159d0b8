"""Models converted by TensorFlow (tests/data/keras_*.tflite, from
tools/make_tf_models.py): full int8 Keras 3 models with random weights. Every
one converts and runs bit-exact with TFLM; Keras 3 Flatten, Reshape,
expand_dims/squeeze and Conv2DTranspose emit shape arithmetic (SHAPE ->
STRIDED_SLICE -> PACK) that the converter folds offline, so no shape op is
left in the blob."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyrt.check import check_model
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType
from tinyrt.tflite import read_tflite

DATA = Path(__file__).resolve().parent / "data"
TF_MODELS = sorted(p.stem for p in DATA.glob("keras_*.tflite"))
SHAPE_OPS = {"SHAPE", "STRIDED_SLICE", "PACK", "GATHER"}
# .tflite operators lowered to another tinyrt op (the rest keep their name).
LOWERED_AS = {"EXPAND_DIMS": "RESHAPE", "SQUEEZE": "RESHAPE", "HARD_SWISH": "LUT", "LOGISTIC": "LUT",
              "LEAKY_RELU": "LUT", "TANH": "LUT"}

# The .tflite operators of each model, as TensorFlow 2.21 writes them.
EXPECTED_OPS = {
    "keras_cnn": {"CONV_2D", "MAX_POOL_2D", "FULLY_CONNECTED", "SOFTMAX", "RESHAPE", "SHAPE", "STRIDED_SLICE", "PACK"},
    "keras_reshape": {"CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SHAPE", "STRIDED_SLICE", "PACK"},
    "keras_expand_squeeze": {"CONV_2D", "FULLY_CONNECTED", "EXPAND_DIMS", "RESHAPE", "SHAPE", "STRIDED_SLICE",
                             "PACK"},
    "keras_mobilenet_v2": {"CONV_2D", "DEPTHWISE_CONV_2D", "ADD", "MEAN", "FULLY_CONNECTED", "SOFTMAX"},
    "keras_mobilenet_v3_small": {"CONV_2D", "DEPTHWISE_CONV_2D", "HARD_SWISH", "MEAN", "MUL", "ADD",
                                 "FULLY_CONNECTED"},
    "keras_efficientnet_block": {"CONV_2D", "DEPTHWISE_CONV_2D", "LOGISTIC", "MUL", "MEAN", "ADD",
                                 "FULLY_CONNECTED"},
    "keras_conv1d": {"EXPAND_DIMS", "CONV_2D", "RESHAPE", "MAX_POOL_2D", "MEAN", "FULLY_CONNECTED", "SOFTMAX"},
    "keras_encoder_decoder": {"CONV_2D", "LEAKY_RELU", "TRANSPOSE_CONV", "CONCATENATION", "RESIZE_BILINEAR", "TANH",
                              "SHAPE", "STRIDED_SLICE", "PACK"},
    "keras_upsampler": {"CONV_2D", "TRANSPOSE_CONV", "CONCATENATION", "SHAPE", "STRIDED_SLICE", "PACK"},
}

def test_the_corpus_is_there() -> None:
    assert set(TF_MODELS) == set(EXPECTED_OPS)
    for name in TF_MODELS:
        assert (DATA / f"{name}.tflite").stat().st_size < 60_000, name


@pytest.mark.parametrize("name", TF_MODELS)
def test_full_int8_with_the_expected_operators(name: str) -> None:
    """Nothing stays float: int8 input and output, every op on int8 (or the
    int32 shape arithmetic), and exactly the operators the model is for."""
    model = read_tflite(DATA / f"{name}.tflite")
    assert {op.name for op in model.ops} == EXPECTED_OPS[name]
    for i in model.inputs + model.outputs:
        assert model.tensors[i].dtype == "INT8"
    assert all(t.dtype != "FLOAT32" for t in model.tensors)


@pytest.mark.parametrize("name", TF_MODELS)
def test_shape_ops_fold_and_reshapes_alias(name: str) -> None:
    compiled = compile_tflite(DATA / f"{name}.tflite")
    lowered = {LOWERED_AS.get(n, n) for n in EXPECTED_OPS[name] - SHAPE_OPS}
    assert {op.type.name for op in compiled.graph.ops} == lowered  # no shape op left
    assert all(t.dtype.name != "INT64" for t in compiled.graph.tensors)
    for op in compiled.graph.ops:
        if op.type == OpType.RESHAPE:  # no copy: the planner gives input and output one buffer
            assert compiled.plan.tensor_offsets[op.inputs[0]] == compiled.plan.tensor_offsets[op.output]
    assert len(compiled.blob) < (DATA / f"{name}.tflite").stat().st_size


def test_conv1d_runs_without_a_copy() -> None:
    """Conv1D is EXPAND_DIMS + CONV_2D + RESHAPE, MaxPool1D EXPAND_DIMS +
    MAX_POOL_2D + RESHAPE: every one of those reshapes is an alias."""
    compiled = compile_tflite(DATA / "keras_conv1d.tflite")
    reshapes = [op for op in compiled.graph.ops if op.type == OpType.RESHAPE]
    assert len(reshapes) == 6
    assert all(compiled.plan.tensor_offsets[op.inputs[0]] == compiled.plan.tensor_offsets[op.output]
               for op in reshapes)


@pytest.mark.parametrize("name", TF_MODELS)
def test_bit_exact_with_tflm_on_50_inputs(name: str) -> None:
    result = check_model(DATA / f"{name}.tflite", samples=50, seed=3)
    assert result.mismatches == []
    assert result.exact == 50
