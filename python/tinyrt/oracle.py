"""The references ("oracles") tinyrt's outputs are compared with: TensorFlow
Lite Micro for every op it has an int8 kernel for, and the LiteRT (TFLite)
interpreter for the few it lacks (convert.LITERT_CHECKED_OPS)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

# Bytes per element by TFLite TensorType; anything else is budgeted at 8.
_ITEMSIZE = {0: 4, 1: 2, 2: 4, 3: 1, 4: 8, 6: 1, 7: 2, 9: 1, 10: 8, 15: 4, 16: 2}


def _import_tflm() -> tuple[ModuleType, ModuleType]:
    try:
        from tflite_micro.python.tflite_micro import runtime
        from tflite_micro.tensorflow.lite.micro.python import schema_py_generated
    except ImportError as exc:
        raise ImportError(
            "tinyrt.oracle needs the TensorFlow Lite Micro Python interpreter; "
            "install it with `pip install tflite-micro`"
        ) from exc
    return runtime, schema_py_generated


def _arena_size(model: Any, file_size: int) -> int:
    """A generous arena for `model` (a parsed schema Model of `file_size` bytes).

    TFLM's default (10x the file size) is far too small for models whose activations
    dwarf their weights, and a too-small arena fails allocation or, if tiny, crashes
    the process outright. Oversizing is free: unused arena pages are never touched.
    """
    activation_bytes = 0
    for s in range(model.SubgraphsLength()):
        graph = model.Subgraphs(s)
        for t in range(graph.TensorsLength()):
            tensor = graph.Tensors(t)
            if model.Buffers(tensor.Buffer()).DataLength() == 0:
                # max() budgets unknown (-1) dimensions as 1; scalars have an empty shape.
                elems = math.prod(max(int(d), 1) for d in tensor.ShapeAsNumpy()) if tensor.ShapeLength() else 1
                activation_bytes += elems * _ITEMSIZE.get(tensor.Type(), 8)
    # Per-tensor and per-op bookkeeping scales with the file; the rest is scratch
    # headroom: TRANSPOSE_CONV's int32 sums alone take 4 bytes per int8 output.
    return 6 * activation_bytes + 10 * file_size + 64 * 1024


class TflmRunner:
    """Runs one model in TFLM, reusing a single interpreter across calls.

    Every call starts from the model's initial state (variable tensors such as LSTM
    state are reset), so outputs depend only on that call's inputs. Pass
    stateful=True to carry state across calls instead, and reset() to clear it.
    """

    def __init__(self, model: bytes, *, arena_size: int | None = None, stateful: bool = False) -> None:
        runtime, schema = _import_tflm()
        # Held for the interpreter's lifetime: TFLM reads weights in place from the model.
        self._model = bytes(model)
        if not schema.Model.ModelBufferHasIdentifier(self._model, 0):
            # Otherwise garbage fails deep in flatbuffer parsing with a bare struct.error.
            raise ValueError("not a .tflite model (missing the TFL3 file identifier)")
        parsed = schema.Model.GetRootAs(self._model, 0)
        graph = parsed.Subgraphs(0)
        self.num_inputs: int = graph.InputsLength()
        self.num_outputs: int = graph.OutputsLength()
        self._stateful = stateful
        self._interpreter = runtime.Interpreter.from_bytes(
            self._model, arena_size=arena_size or _arena_size(parsed, len(self._model))
        )

    def __call__(self, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
        if len(inputs) != self.num_inputs:
            raise ValueError(f"model takes {self.num_inputs} input(s), got {len(inputs)}")
        if not self._stateful:
            self.reset()
        for i, x in enumerate(inputs):
            # TFLM checks dtype and shape itself and raises a clear ValueError.
            self._interpreter.set_input(np.ascontiguousarray(x), i)
        self._interpreter.invoke()
        # get_output already returns a fresh array today; copying keeps results
        # independent of later calls even if the binding starts returning views.
        return [np.array(self._interpreter.get_output(i), copy=True) for i in range(self.num_outputs)]

    def reset(self) -> None:
        """Restore the state right after construction (only stateful models have any)."""
        self._interpreter.reset()


def run_tflm(model: bytes, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Run `model` once on `inputs` in TFLM; returns copies of all outputs."""
    return TflmRunner(model)(inputs)


def _import_litert() -> ModuleType:
    try:
        from ai_edge_litert import interpreter
    except ImportError as exc:
        raise ImportError(
            "tinyrt.oracle.run_litert needs the LiteRT interpreter; install it with `pip install ai-edge-litert`"
        ) from exc
    return interpreter


class LiteRtRunner:
    """Runs one model in the LiteRT interpreter with its builtin reference
    kernels (BUILTIN_REF: no delegate, no optimized kernel, so the int8
    arithmetic is the one of tflite/kernels/internal/reference). The oracle
    for the ops TFLM has no int8 kernel for; each call starts from the
    model's initial state."""

    def __init__(self, model: bytes) -> None:
        interpreter = _import_litert()
        self._model = bytes(model)
        self._interpreter = interpreter.Interpreter(
            model_content=self._model, experimental_op_resolver_type=interpreter.OpResolverType.BUILTIN_REF)
        self._interpreter.allocate_tensors()
        self._inputs = [d["index"] for d in self._interpreter.get_input_details()]
        self._outputs = [d["index"] for d in self._interpreter.get_output_details()]

    def __call__(self, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
        if len(inputs) != len(self._inputs):
            raise ValueError(f"model takes {len(self._inputs)} input(s), got {len(inputs)}")
        self._interpreter.reset_all_variables()
        for index, x in zip(self._inputs, inputs, strict=True):
            self._interpreter.set_tensor(index, np.ascontiguousarray(x))
        self._interpreter.invoke()
        return [np.array(self._interpreter.get_tensor(i), copy=True) for i in self._outputs]


def run_litert(model: bytes, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Run `model` once on `inputs` in LiteRT; returns copies of all outputs."""
    return LiteRtRunner(model)(inputs)
