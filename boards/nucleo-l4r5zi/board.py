"""ST NUCLEO-L4R5ZI: STM32L4R5ZI, Cortex-M4F at 120 MHz, 2 MB flash + 640 KB
SRAM. A real board with no QEMU model: firmware is built and linked, not run
here. Console: LPUART1 on the ST-LINK virtual COM port (newlib-nano, no
semihosting); cycle counter: DWT CYCCNT."""

import os
import runpy

# RM0432 §2.2 memory map: flash bank 1+2 at 0x08000000 (2 MB); SRAM1 (192 KB),
# SRAM2 (64 KB) and SRAM3 (384 KB) are contiguous from 0x20000000.
_CODE, _CODE_SIZE = 0x08000000, 2 * 1024 * 1024
_RAM, _RAM_SIZE = 0x20000000, 0xA0000
_STACK = 16 * 1024

_common = runpy.run_path(os.path.join(os.path.dirname(__file__), "..", "common", "cortex_m.py"))

BOARD = _common["cortex_m_board"](
    description="ST NUCLEO-L4R5ZI: STM32L4R5ZI Cortex-M4F 120 MHz, 2 MB flash + 640 KB SRAM (real board, no QEMU)",
    cpu_flags=["-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"],
    machine=None,
    code=(_CODE, _CODE_SIZE),
    ram=(_RAM, _RAM_SIZE),
    stack=_STACK,
    sources=["startup.c", "uart.c", "../common/cycles_time.c"],
    uart={"name": "LPUART1", "tx": "PG7", "rx": "PG8", "baud": 115200},
    # The serial server (app "serve"): a RAM slot for uploaded blobs and its arena.
    serve={"ram_slot": 256 * 1024, "ram_arena": 64 * 1024},
    # For `tinyrt bench`'s cycle estimate: startup.c's SYSCLK and FLASH_ACR
    # latency (RM0432 "Read access latency": 5 wait states above 100 MHz in
    # range 1 boost mode), with the ART prefetch and caches on.
    clock_hz=120_000_000,
    flash_wait_states=5,
)
