"""BBC micro:bit v1: Nordic nRF51822 (Cortex-M0, ARMv6-M, no FPU), 256 KB
flash + 16 KB RAM. QEMU only: `qemu-system-arm -M microbit`. Of the MLPerf Tiny
models only kws fits (8,492-byte arena with its pointwise layers in place);
build_firmware() refuses the others before linking;
output and exit through Arm semihosting (newlib + librdimon)."""

import os
import runpy

# nRF51822 (QFAA): 256 KB flash at 0x0, 16 KB RAM at 0x20000000.
_CODE, _CODE_SIZE = 0x00000000, 256 * 1024
_RAM, _RAM_SIZE = 0x20000000, 16 * 1024
_STACK = 2 * 1024

_common = runpy.run_path(os.path.join(os.path.dirname(__file__), "..", "common", "cortex_m.py"))

BOARD = _common["cortex_m_board"](
    description='BBC micro:bit v1: nRF51822 Cortex-M0, 256 KB flash + 16 KB RAM (QEMU microbit)',
    cpu_flags=['-mcpu=cortex-m0', '-mthumb', '-mfloat-abi=soft'],
    machine='microbit',
    code=(_CODE, _CODE_SIZE),
    ram=(_RAM, _RAM_SIZE),
    stack=_STACK,
    # Measured on the test firmware (tinyrt size): RAM besides arena and stack
    # is 3,616 bytes whatever the model; flash besides blob and vectors is
    # 59,792 bytes with a single CONV_2D (800 bytes of kernel), 65,958 for kws,
    # so 58,992 (runtime, startup, newlib) is the floor for any model.
    firmware_overhead={'code': 58992, 'data': 3616},
)
