"""The lowered graph: what the converter produces and the planner, the blob
writer and the numpy reference consume. Its ops are tinyrt ops (format.OpType)
with their params already folded into the C param structs' fields."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .format import DType, OpType, Storage, Variant


@dataclass
class Tensor:
    name: str
    dtype: DType
    shape: tuple[int, ...]
    scale: float = 0.0
    zero_point: int = 0
    data: np.ndarray | None = None  # constants only
    persistent: bool = False  # state kept across invocations (a .tflite variable tensor)

    @property
    def storage(self) -> Storage:
        if self.data is not None:
            return Storage.CONST
        return Storage.PERSISTENT if self.persistent else Storage.ARENA

    @property
    def elements(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def bytes(self) -> int:
        return self.dtype.nbytes(self.elements)


@dataclass
class Op:
    type: OpType
    inputs: list[int]  # tensor ids by position (see op_list.h), -1 for an absent optional input
    outputs: list[int]
    params: dict[str, int] = field(default_factory=dict)
    variant: Variant = Variant.REF
    scratch_bytes: int = 0
    source: str = ""  # the .tflite op it came from, for messages

    @property
    def output(self) -> int:
        """The first (for most ops the only) output."""
        return self.outputs[0]


@dataclass
class Graph:
    tensors: list[Tensor]
    ops: list[Op]
    inputs: list[int]
    outputs: list[int]

    def consumers(self, tensor: int) -> list[int]:
        return [i for i, op in enumerate(self.ops) if tensor in op.inputs]
