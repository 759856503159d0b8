"""Arm MPS3 AN547 (Cortex-M55 with MVE and the FPU, ARMv8.1-M). QEMU only:
`qemu-system-arm -M mps3-an547`;
output and exit through Arm semihosting (newlib + librdimon)."""

import os
import runpy

# The CPU boots with its vector table at 0x0: code in the 512 KB ITCM at
# 0x00000000, RAM in the 4 x 128 KB DTCM at 0x20000000 (QEMU's map also has
# 2 MB SRAM at 0x01000000 and 4 MB SRAM at 0x21000000, unused here).
_CODE, _CODE_SIZE = 0x00000000, 512 * 1024
_RAM, _RAM_SIZE = 0x20000000, 512 * 1024
_STACK = 64 * 1024

_common = runpy.run_path(os.path.join(os.path.dirname(__file__), "..", "common", "cortex_m.py"))

BOARD = _common["cortex_m_board"](
    description='Arm MPS3 AN547: Cortex-M55 (MVE), 512 KB ITCM code + 512 KB DTCM data (QEMU mps3-an547)',
    cpu_flags=['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard'],
    machine='mps3-an547',
    code=(_CODE, _CODE_SIZE),
    ram=(_RAM, _RAM_SIZE),
    stack=_STACK,
)
