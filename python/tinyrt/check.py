"""Bit-exactness of the host C runtime against TFLM on random inputs (or
against LiteRT for a model with an op TFLM has no int8 kernel for)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .compiler import compile_tflite
from .convert import LITERT_CHECKED_OPS
from .format import DType
from .native import Model, TensorInfo
from .oracle import LiteRtRunner, TflmRunner
from .tflite import read_tflite
from .variants import PORTABLE


def random_inputs(infos: Sequence[TensorInfo], rng: np.random.Generator) -> list[np.ndarray]:
    """Uniform int8 over the whole range; float inputs spread over about the
    range their quantization covers."""
    out = []
    for info in infos:
        if info.dtype == DType.INT8:
            out.append(rng.integers(-128, 128, size=info.shape, dtype=np.int8))
        else:
            out.append(rng.normal(0.0, 2.0, size=info.shape).astype(np.float32))
    return out


@dataclass
class CheckResult:
    samples: int
    exact: int
    mismatches: list[str] = field(default_factory=list)
    oracle: str = "TFLM"

    @property
    def ok(self) -> bool:
        return self.exact == self.samples


def check_model(
    model: bytes | Path | str,
    samples: int,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    kernels: Sequence[str] = PORTABLE,
) -> CheckResult:
    """Run `samples` random inputs through tinyrt (host) and the oracle and
    compare every output tensor whole, bit for bit: TFLM, or LiteRT when the
    model has an op TFLM has no int8 kernel for (convert.LITERT_CHECKED_OPS).
    `kernels`: the kernel directories whose variants the blob may use (the
    host builds every portable one)."""
    tflite = model if isinstance(model, bytes) else Path(model).read_bytes()
    compiled = compile_tflite(tflite, kernels=kernels)
    host = Model(compiled.blob)
    litert = sorted({op.name for op in read_tflite(tflite).ops} & LITERT_CHECKED_OPS)
    oracle = LiteRtRunner(tflite) if litert else TflmRunner(tflite)
    rng = np.random.default_rng(seed)
    result = CheckResult(samples, 0, oracle=f"LiteRT (TFLM has no int8 {', '.join(litert)})" if litert else "TFLM")
    for k in range(samples):
        inputs = random_inputs(host.inputs, rng)
        ours = host.run(inputs)
        theirs = oracle(inputs)
        bad = [
            f"sample {k}, output {i}: {int(np.count_nonzero(a.view(np.uint8) != b.view(np.uint8)))} bytes differ"
            for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
            if a.shape != b.shape or a.tobytes() != np.ascontiguousarray(b, dtype=a.dtype).tobytes()
        ]
        if bad:
            result.mismatches.extend(bad)
        else:
            result.exact += 1
        if progress is not None:
            progress(k + 1)
    return result
