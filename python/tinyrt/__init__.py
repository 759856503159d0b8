"""tinyrt: int8 neural-network inference for microcontrollers (host tooling).

    compiled = tinyrt.compile_tflite("model.tflite")   # convert + plan + blob
    model = tinyrt.Model(compiled.blob)                  # host C runtime (cffi)
    outputs = model.run([x])
"""

from __future__ import annotations

from typing import Any

from .compiler import Compiled, compile_tflite
from .convert import ConvertError, Graph, convert

__all__ = ["Compiled", "ConvertError", "Graph", "Model", "TinyrtError", "compile_tflite", "convert"]


def __getattr__(name: str) -> Any:
    # The native binding needs the host build; import it only when asked for.
    if name in ("Model", "TinyrtError"):
        from . import native

        return getattr(native, name)
    raise AttributeError(name)
