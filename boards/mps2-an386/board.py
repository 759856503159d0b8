"""Arm MPS2+ AN386 (Cortex-M4F), the default embedded board. QEMU only:
`qemu-system-arm -M mps2-an386`; output and exit through Arm semihosting
(newlib + librdimon)."""

import os
import runpy

# 4 MB ZBT SSRAM1 at 0x0 stands in for flash, 4 MB ZBT SSRAM2/3 for RAM.
_CODE, _CODE_SIZE = 0x00000000, 4 * 1024 * 1024
_RAM, _RAM_SIZE = 0x20000000, 4 * 1024 * 1024
_STACK = 64 * 1024

_common = runpy.run_path(os.path.join(os.path.dirname(__file__), "..", "common", "cortex_m.py"))

BOARD = _common["cortex_m_board"](
    description='Arm MPS2+ AN386: Cortex-M4F, 4 MB code SRAM + 4 MB data SRAM (QEMU mps2-an386)',
    cpu_flags=['-mcpu=cortex-m4', '-mthumb', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'],
    machine='mps2-an386',
    code=(_CODE, _CODE_SIZE),
    ram=(_RAM, _RAM_SIZE),
    stack=_STACK,
    # The serial server (app "serve", boards/common/serve_main.c): a RAM slot
    # for uploaded model blobs and its arena, out of the 4 MB data SRAM.
    serve={"ram_slot": 1024 * 1024, "ram_arena": 512 * 1024},
    uart={"name": "UART0", "address": 0x40004000, "baud": 115200, "qemu": "-serial (CMSDK APB UART)"},
    # For `tinyrt bench`'s cycle estimate: the MPS2+ FPGA image's 25 MHz system
    # clock (QEMU's model uses the same); code runs from zero-wait-state SSRAM.
    clock_hz=25_000_000,
    flash_wait_states=0,
)
# Polled UART0 and timer 0 for the serial server; the test and bench apps
# keep semihosting (--gc-sections drops these there).
BOARD["firmware_sources"].append("../common/cmsdk_uart.c")
