"""Raspberry Pi Pico: RP2040, Cortex-M0+ at 125 MHz, 2 MB QSPI flash (execute
in place) + 264 KB SRAM. A real board with no QEMU model: firmware is built
and linked, not run here. The first 256 bytes of flash are boot2 (boot2.c);
the vector table follows at 0x10000100. Console: UART0 on GP0/GP1
(newlib-nano, no semihosting); cycle counter: SysTick extended to 32 bits."""

import os
import runpy

# DS §2.2 address map: XIP flash at 0x10000000 (the Pico's W25Q16JV, 2 MB);
# SRAM0-3 (striped, 256 KB) and SRAM4/5 (4 KB each) contiguous from 0x20000000.
_CODE, _CODE_SIZE = 0x10000000, 2 * 1024 * 1024
_RAM, _RAM_SIZE = 0x20000000, 264 * 1024
_STACK = 16 * 1024

_common = runpy.run_path(os.path.join(os.path.dirname(__file__), "..", "common", "cortex_m.py"))

BOARD = _common["cortex_m_board"](
    description="Raspberry Pi Pico: RP2040 Cortex-M0+ 125 MHz, 2 MB flash + 264 KB SRAM (real board, no QEMU)",
    cpu_flags=["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"],
    machine=None,
    code=(_CODE, _CODE_SIZE),
    ram=(_RAM, _RAM_SIZE),
    stack=_STACK,
    sources=["boot2.c", "startup.c", "uart.c"],
    uart={"name": "UART0", "tx": "GP0", "rx": "GP1", "baud": 115200},
    uf2_family_id=0xE48BFF56,
)
