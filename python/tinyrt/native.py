"""The host C runtime through cffi: numpy in, numpy out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .format import DType, Status

try:
    from ._native import ffi, lib
except ImportError as exc:  # pragma: no cover - depends on the build
    raise ImportError(
        "tinyrt's host library is not built: run `scons board=host` at the repository root "
        "(tools/setup.sh does it for you)"
    ) from exc

_NUMPY = {DType.INT8: np.int8, DType.INT16: np.int16, DType.INT32: np.int32, DType.FLOAT32: np.float32,
          DType.INT64: np.int64}


class TinyrtError(RuntimeError):
    """A C call returned a non-OK trt_status_t."""

    def __init__(self, status: int, what: str = "") -> None:
        self.status = Status(status)
        self.message = ffi.string(lib.trt_status_str(status)).decode()
        super().__init__(f"{what + ': ' if what else ''}{self.status.name} ({status}): {self.message}")


def check(status: int, what: str = "") -> None:
    if status != lib.TRT_OK:
        raise TinyrtError(status, what)


@dataclass(frozen=True)
class TensorInfo:
    dtype: DType
    shape: tuple[int, ...]
    scale: float
    zero_point: int


@dataclass
class OpEvent:
    index: int
    op_type: int
    end: bool


@ffi.def_extern()  # type: ignore[misc]
def _trt_py_hook(user: Any, op_index: int, op_type: int, end: int) -> None:
    ffi.from_handle(user).append(OpEvent(int(op_index), int(op_type), bool(end)))


def arena_required(blob: bytes) -> int:
    buf = _aligned(blob)
    n = ffi.new("size_t *")
    check(lib.trt_arena_required(buf, len(blob), n), "trt_arena_required")
    return int(n[0])


def _aligned(blob: bytes) -> Any:
    """A 4-byte aligned copy of the blob, as the loader requires."""
    words = ffi.new("uint32_t[]", max(1, (len(blob) + 3) // 4))
    ffi.memmove(words, blob, len(blob))
    return words


class Model:
    """A model blob loaded into the host C runtime with its own arena."""

    def __init__(self, blob: bytes, arena_bytes: int | None = None) -> None:
        self._blob = _aligned(blob)
        need = arena_required(blob) if arena_bytes is None else arena_bytes
        self._arena = ffi.new("uint32_t[]", max(1, (need + 3) // 4))
        self._model = ffi.new("trt_model_t *")
        check(lib.trt_model_init(self._model, self._blob, len(blob), self._arena, need), "trt_model_init")
        self.inputs = [self._info(lib.trt_input, i) for i in range(lib.trt_num_inputs(self._model))]
        self.outputs = [self._info(lib.trt_output, i) for i in range(lib.trt_num_outputs(self._model))]
        self.arena_bytes = need
        self.num_ops = int(lib.trt_num_ops(self._model))

    def _tensor(self, getter: Any, index: int) -> Any:
        t = ffi.new("trt_tensor_t *")
        check(getter(self._model, index, t))
        return t

    def _info(self, getter: Any, index: int) -> TensorInfo:
        t = self._tensor(getter, index)
        return TensorInfo(DType(t.type), tuple(t.dims[i] for i in range(t.rank)), float(t.scale), int(t.zero_point))

    def run(self, inputs: Sequence[np.ndarray], trace: list[OpEvent] | None = None) -> list[np.ndarray]:
        """Invoke on `inputs` (one array per model input, of its dtype and
        size); returns copies of the outputs. With `trace`, the per-op hook
        appends an OpEvent before and after every op."""
        if len(inputs) != len(self.inputs):
            raise ValueError(f"model takes {len(self.inputs)} inputs, got {len(inputs)}")
        for i, (x, info) in enumerate(zip(inputs, self.inputs, strict=True)):
            arr = np.ascontiguousarray(x, dtype=_NUMPY[info.dtype])
            if arr.size != int(np.prod(info.shape)):
                raise ValueError(f"input {i}: expected shape {info.shape}, got {np.shape(x)}")
            t = self._tensor(lib.trt_input, i)
            ffi.memmove(t.data, arr.tobytes(), t.bytes)
        handle = None
        if trace is not None:
            handle = ffi.new_handle(trace)
            lib.trt_set_op_hook(self._model, lib._trt_py_hook, handle)
        try:
            check(lib.trt_invoke(self._model), "trt_invoke")
        finally:
            if handle is not None:
                lib.trt_set_op_hook(self._model, ffi.NULL, ffi.NULL)
        outs = []
        for i, info in enumerate(self.outputs):
            t = self._tensor(lib.trt_output, i)
            raw = bytes(ffi.buffer(t.data, t.bytes))
            outs.append(np.frombuffer(raw, dtype=_NUMPY[info.dtype]).reshape(info.shape).copy())
        return outs

    def reset_state(self) -> None:
        """trt_reset_state: persistent tensors back to real zero."""
        check(lib.trt_reset_state(self._model), "trt_reset_state")

    def arena(self, offset: int, nbytes: int) -> Any:
        """A writable view of `nbytes` of the arena from `offset`: for tests
        and debugging (e.g. reading or setting state)."""
        if offset < 0 or nbytes < 0 or offset + nbytes > self.arena_bytes:
            raise ValueError(f"arena bytes [{offset}, {offset + nbytes}) outside its {self.arena_bytes}")
        return ffi.buffer(ffi.cast("uint8_t *", self._arena) + offset, nbytes)

    def __call__(self, *inputs: np.ndarray) -> list[np.ndarray]:
        return self.run(list(inputs))
