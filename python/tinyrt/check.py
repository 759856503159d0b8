"""Bit-exactness of the host C runtime against TFLM on random inputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .compiler import compile_tflite
from .format import DType
from .native import Model, TensorInfo
from .oracle import TflmRunner
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
    """Run `samples` random inputs through tinyrt (host) and TFLM and compare
    every output tensor whole, bit for bit. `kernels`: the kernel directories
    whose variants the blob may use (the host builds every portable one)."""
    tflite = model if isinstance(model, bytes) else Path(model).read_bytes()
    compiled = compile_tflite(tflite, kernels=kernels)
    host = Model(compiled.blob)
    tflm = TflmRunner(tflite)
    rng = np.random.default_rng(seed)
    result = CheckResult(samples, 0)
    for k in range(samples):
        inputs = random_inputs(host.inputs, rng)
        ours = host.run(inputs)
        theirs = tflm(inputs)
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
