"""Arm MPS2+ AN505 (Cortex-M33, ARMv8-M Mainline with the Security Extension
and the single-precision FPU). QEMU only: `qemu-system-arm -M mps2-an505`;
the firmware runs in the Secure state it boots in;
output and exit through Arm semihosting (newlib + librdimon)."""

import os
import runpy

# The CPU boots Secure with its vector table at 0x10000000 (init-svtor):
# code in the Secure alias of 4 MB ZBT SSRAM1 (0x10000000; Non-secure alias
# 0x00000000), RAM in the Secure alias of SSRAM2 + SSRAM3, 2 MB each and
# contiguous at 0x38000000 (Non-secure alias 0x28000000).
_CODE, _CODE_SIZE = 0x10000000, 4 * 1024 * 1024
_RAM, _RAM_SIZE = 0x38000000, 4 * 1024 * 1024
_STACK = 64 * 1024

_common = runpy.run_path(os.path.join(os.path.dirname(__file__), "..", "common", "cortex_m.py"))

BOARD = _common["cortex_m_board"](
    description='Arm MPS2+ AN505: Cortex-M33 (FPv5-SP), 4 + 4 MB SSRAM, Secure aliases (QEMU mps2-an505)',
    cpu_flags=['-mcpu=cortex-m33', '-mthumb', '-mfpu=fpv5-sp-d16', '-mfloat-abi=hard'],
    machine='mps2-an505',
    code=(_CODE, _CODE_SIZE),
    ram=(_RAM, _RAM_SIZE),
    stack=_STACK,
)
