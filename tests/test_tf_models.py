"""Models converted by TensorFlow (tests/data/*.tflite, from tools/make_tf_models.py):
Keras 3 Flatten, Reshape and expand_dims/squeeze emit shape arithmetic
(SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE) that the converter folds offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyrt.check import check_model
from tinyrt.compiler import compile_tflite
from tinyrt.format import OpType
from tinyrt.tflite import read_tflite

DATA = Path(__file__).resolve().parent / "data"
TF_MODELS = sorted(p.stem for p in DATA.glob("*.tflite"))
SHAPE_OPS = {"SHAPE", "STRIDED_SLICE", "PACK", "GATHER"}


def test_the_corpus_is_there() -> None:
    assert {"keras_cnn", "keras_reshape", "keras_expand_squeeze"} <= set(TF_MODELS)


@pytest.mark.parametrize("name", TF_MODELS)
def test_shape_ops_fold_and_reshapes_alias(name: str) -> None:
    path = DATA / f"{name}.tflite"
    assert {op.name for op in read_tflite(path).ops} & SHAPE_OPS  # the model has shape arithmetic
    compiled = compile_tflite(path)
    types = {op.type for op in compiled.graph.ops}
    assert types <= {OpType.CONV_2D, OpType.MAX_POOL_2D, OpType.FULLY_CONNECTED, OpType.SOFTMAX, OpType.RESHAPE}
    assert all(t.dtype.name != "INT64" for t in compiled.graph.tensors)
    reshapes = [op for op in compiled.graph.ops if op.type == OpType.RESHAPE]
    assert reshapes
    for op in reshapes:  # no copy: the planner gives input and output one buffer
        assert compiled.plan.tensor_offsets[op.inputs[0]] == compiled.plan.tensor_offsets[op.output]
    assert len(compiled.blob) < (DATA / f"{name}.tflite").stat().st_size


@pytest.mark.parametrize("name", TF_MODELS)
def test_bit_exact_with_tflm_on_50_inputs(name: str) -> None:
    result = check_model(DATA / f"{name}.tflite", samples=50, seed=3)
    assert result.mismatches == []
    assert result.exact == 50
