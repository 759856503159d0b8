"""tinyrt: int8 neural-network inference for microcontrollers (host tooling).

    compiled = tinyrt.compile_tflite("model.tflite")   # convert + plan + blob
    model = tinyrt.Model(compiled.blob)                  # host C runtime (cffi)
    outputs = model.run([x])

The names below are imported on first use: `import tinyrt.format` or
`import tinyrt.target.boards` loads neither numpy, the .tflite parser nor
the host library binding."""

from __future__ import annotations

import importlib
from typing import Any

# name -> the submodule that defines it
_LAZY = {
    "Compiled": "compiler",
    "compile_tflite": "compiler",
    "ConvertError": "convert",
    "Graph": "ir",
    "Model": "native",
    "TinyrtError": "native",
}

__all__ = ["Compiled", "ConvertError", "Graph", "Model", "TinyrtError", "compile_tflite"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
