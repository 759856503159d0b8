"""SiFive HiFive1 Rev B: FE310-G002, RV32IMAC at 320 MHz, 16 KB DTIM RAM,
4 MB SPI flash (execute in place) of which the board's bootloader keeps the
first 64 KB. Console: UART0 on the J-Link's virtual COM port (picolibc stdio
bound to it, no semihosting); cycle counter: mcycle. QEMU models the board
(`-M sifive_e,revb=true`: reset jumps to 0x20010000, UART0 on -serial);
there is no semihosting exit, so a run ends when the console prints "done"."""

# FE310-G002 manual ch. 4 memory map: DTIM at 0x80000000 (16 KB); QSPI0 flash
# XIP at 0x20000000, user code from 0x20010000 (the bootloader jumps there).
_FLASH, _FLASH_SIZE = 0x20010000, 4 * 1024 * 1024 - 0x10000
_RAM, _RAM_SIZE = 0x80000000, 16 * 1024
_STACK = 2 * 1024

BOARD = {
    "description": "SiFive HiFive1 Rev B: FE310-G002 RV32IMAC 320 MHz, 4 MB flash (from 0x20010000) + 16 KB RAM",
    "toolchain_prefix": "riscv64-unknown-elf-",
    "cpu_flags": ["-march=rv32imac", "-mabi=ilp32", "-mcmodel=medany", "--specs=picolibc.specs"],
    # picolibc's own picolibc.ld and crt0 (copies .data, zeroes .bss, runs
    # main and exit), placed by these symbols; stdio and _exit are uart.c's.
    "link_flags": [
        "-Wl,--gc-sections",
        f"-Wl,--defsym=__flash={_FLASH:#x}", f"-Wl,--defsym=__flash_size={_FLASH_SIZE:#x}",
        f"-Wl,--defsym=__ram={_RAM:#x}", f"-Wl,--defsym=__ram_size={_RAM_SIZE:#x}",
        f"-Wl,--defsym=__stack_size={_STACK:#x}",
    ],
    "linker_script": None,
    "firmware_sources": ["startup.c", "uart.c", "../common/riscv_mcycle.c"],
    "memory": {
        "flash": {"origin": _FLASH, "length": _FLASH_SIZE},
        "ram": {"origin": _RAM, "length": _RAM_SIZE},
    },
    "stack_bytes": _STACK,
    # Lower bounds of the test firmware's own code and data besides blob,
    # vectors, arena and stack (main, runtime, picolibc printf, the 512-byte
    # line buffer), for check_fit: 16.9 KB of code and 600 bytes of RAM
    # measured with ad01, more with kws.
    "firmware_overhead": {"code": 16 * 1024, "data": 600},
    "kernel_dirs": ["ref"],
    "uart": {"name": "UART0", "tx": "GPIO17", "rx": "GPIO16", "baud": 115200},
    "qemu": {
        "binary": "qemu-system-riscv32",
        "machine": "sifive_e,revb=true",
        "args": ["-nographic", "-monitor", "none", "-serial", "stdio"],
        "exit": "done-line",
    },
}
