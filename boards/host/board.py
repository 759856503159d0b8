"""The build machine itself: the host library, the cffi binding and the fuzz
harness. Every test that checks kernels against numpy and TFLM runs here."""

BOARD = {
    "description": "host (native gcc): tests, cffi binding, fuzzing",
    "toolchain_prefix": "",
    "cpu_flags": [],
    # Every portable kernel directory: arm_dsp through the C model of its
    # instructions (kernels/arm_dsp/dsp.h), so host tests compare it too.
    "kernel_dirs": ["ref", "arm_dsp"],
    "qemu": None,
}
