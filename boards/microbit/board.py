"""BBC micro:bit v1: Nordic nRF51822 (Cortex-M0, ARMv6-M, no FPU), 256 KB
flash + 16 KB RAM. QEMU only: `qemu-system-arm -M microbit`. Most MLPerf Tiny
models do not fit: build_firmware() refuses them before linking;
output and exit through Arm semihosting (newlib + librdimon)."""

# nRF51822 (QFAA): 256 KB flash at 0x0, 16 KB RAM at 0x20000000.
_CODE, _CODE_SIZE = 0x00000000, 256 * 1024
_RAM, _RAM_SIZE = 0x20000000, 16 * 1024
_STACK = 2 * 1024

BOARD = {
    "description": "BBC micro:bit v1: nRF51822 Cortex-M0, 256 KB flash + 16 KB RAM (QEMU microbit)",
    "toolchain_prefix": "arm-none-eabi-",
    "cpu_flags": ["-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft"],
    # Firmware link: newlib with semihosted I/O and exit, the shared
    # Cortex-M linker script placed by the memory map above.
    "link_flags": [
        "--specs=rdimon.specs", "-Wl,--gc-sections",
        f"-Wl,--defsym=__code_origin={_CODE:#x}", f"-Wl,--defsym=__code_length={_CODE_SIZE:#x}",
        f"-Wl,--defsym=__ram_origin={_RAM:#x}", f"-Wl,--defsym=__ram_length={_RAM_SIZE:#x}",
        f"-Wl,--defsym=__stack_size={_STACK:#x}",
    ],
    "linker_script": "../common/cortex_m.ld",  # relative to this folder
    "firmware_sources": ["../common/arm_startup.c"],
    "memory": {
        "code": {"origin": _CODE, "length": _CODE_SIZE},
        "ram": {"origin": _RAM, "length": _RAM_SIZE},
    },
    "stack_bytes": _STACK,
    # Test-vector firmware besides the blob, vectors and arena, measured
    # (arm-none-eabi-gcc 12.2, newlib + rdimon, -O2) and rounded down so the
    # pre-link check in tinyrt.firmware.check_fit never refuses what links:
    # code ~68.7 KB (runtime, kernels, printf), data ~11.3 KB (main.c's 8 KB
    # line buffer, newlib's reent and stdio state).
    "firmware_overhead": {"code": 64 * 1024, "data": 10 * 1024},
    "kernel_dirs": ["ref"],
    "qemu": {
        "binary": "qemu-system-arm",
        "machine": "microbit",
        "args": ["-nographic", "-monitor", "none", "-serial", "none",
                 "-semihosting-config", "enable=on,target=native"],
    },
}
