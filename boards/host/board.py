"""The build machine itself: the host library, the cffi binding and the fuzz
harness. Every test that checks kernels against numpy and TFLM runs here."""

BOARD = {
    "description": "host (native gcc): tests, cffi binding, fuzzing",
    "toolchain_prefix": "",
    "cpu_flags": [],
    "kernel_dirs": ["ref"],
    "qemu": None,
}
