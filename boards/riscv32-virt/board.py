"""QEMU RISC-V `virt` machine with an RV32IMAC hart. QEMU only:
`qemu-system-riscv32 -M virt -bios none`; output and exit through RISC-V
semihosting (picolibc + libsemihost), linked with picolibc's own picolibc.ld
placed by the --defsym symbols below."""

# virt: DRAM at 0x80000000 (128 MB by default); the first 4 MB stand in for
# flash (code, constants, .data load image), the next 4 MB for RAM.
_FLASH, _FLASH_SIZE = 0x80000000, 4 * 1024 * 1024
_RAM, _RAM_SIZE = 0x80400000, 4 * 1024 * 1024

BOARD = {
    "description": "QEMU riscv32 virt: RV32IMAC, 4 MB 'flash' + 4 MB RAM carved from DRAM at 0x80000000",
    "toolchain_prefix": "riscv64-unknown-elf-",
    "cpu_flags": ["-march=rv32imac", "-mabi=ilp32", "-mcmodel=medany", "--specs=picolibc.specs"],
    "link_flags": [
        "--oslib=semihost", "--crt0=semihost", "-Wl,--gc-sections",
        f"-Wl,--defsym=__flash={_FLASH:#x}", f"-Wl,--defsym=__flash_size={_FLASH_SIZE:#x}",
        f"-Wl,--defsym=__ram={_RAM:#x}", f"-Wl,--defsym=__ram_size={_RAM_SIZE:#x}",
        "-Wl,--defsym=__stack_size=0x10000",
    ],
    "linker_script": None,  # picolibc.ld, from picolibc.specs
    # ns16550_uart.c: the polled UART and time base of the serial server (app
    # "serve"); the test and bench apps keep semihosting (--gc-sections drops it).
    "firmware_sources": ["board.c", "../common/riscv_mcycle.c", "../common/ns16550_uart.c"],
    "serve": {"ram_slot": 1024 * 1024, "ram_arena": 512 * 1024},
    "uart": {"name": "NS16550A", "address": 0x10000000, "baud": 115200},
    "memory": {
        "flash": {"origin": _FLASH, "length": _FLASH_SIZE},
        "ram": {"origin": _RAM, "length": _RAM_SIZE},
    },
    "kernel_dirs": ["ref"],
    "qemu": {
        "binary": "qemu-system-riscv32",
        "machine": "virt",
        # picolibc writes stdout with SYS_WRITEC/WRITE0, which QEMU sends to
        # stderr unless the semihosting console has a chardev: give it stdio.
        "args": ["-cpu", "rv32", "-bios", "none", "-nographic", "-monitor", "none",
                 "-chardev", "stdio,id=semihost", "-semihosting-config", "enable=on,target=native,chardev=semihost"],
    },
}
