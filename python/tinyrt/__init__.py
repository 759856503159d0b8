"""tinyrt: int8 neural-network inference for microcontrollers (host tooling).

    compiled = tinyrt.compile_tflite("model.tflite")   # convert + plan + blob
    model = tinyrt.Model(compiled.blob)                  # host C runtime (cffi)
    outputs = model.run([x])

The names below are imported on first use: `import tinyrt.format` or
`import tinyrt.target.boards` loads neither numpy, the .tflite parser nor
the host library binding."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

# name -> the submodule that defines it
_LAZY = {
    "Compiled": "compiler",
    "compile_tflite": "compiler",
    "ConvertError": "convert",
    "convert": "convert",
    "Graph": "ir",
    "Model": "native",
    "TinyrtError": "native",
}

__all__ = ["Compiled", "ConvertError", "Graph", "Model", "TinyrtError", "compile_tflite", "convert"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """`tinyrt.convert` is the function, as the eager `from .convert import
    convert` made it: importing the submodule tinyrt.convert (which
    tinyrt.compiler does) must not rebind the package attribute to the module
    (it stays in sys.modules)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
