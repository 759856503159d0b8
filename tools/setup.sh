#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian 12 machine: apt packages when missing
# (through sudo when not root), .venv with the pinned Python packages, and the
# host build (libtinyrt.a + the cffi extension). Downloads nothing but packages.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
[ -f "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] || missing+=(python3-dev)
# ASan/UBSan runtimes for the fuzz harness ship with gcc; check they link.
echo 'int main(void){return 0;}' > /tmp/tinyrt-asan-probe.c
if command -v gcc >/dev/null && ! gcc -fsanitize=address,undefined /tmp/tinyrt-asan-probe.c -o /tmp/tinyrt-asan-probe 2>/dev/null; then
  missing+=(libasan8 libubsan1)
fi
# Coverage-guided fuzzing (tools/fuzz/run_libfuzzer.py, tests/test_libfuzzer.py):
# clang with libFuzzer and the sanitizer runtimes, 64- and 32-bit (-m32),
# and llvm-cov/llvm-profdata for the coverage report; check both link.
command -v clang >/dev/null || missing+=(clang)
{ command -v llvm-cov >/dev/null && command -v llvm-profdata >/dev/null; } || missing+=(llvm)
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' > /tmp/tinyrt-fuzz-probe.c
if ! { command -v clang >/dev/null &&
       clang -fsanitize=fuzzer,address,undefined /tmp/tinyrt-fuzz-probe.c -o /tmp/tinyrt-fuzz-probe 2>/dev/null &&
       clang -m32 -fsanitize=fuzzer,address,undefined /tmp/tinyrt-fuzz-probe.c -o /tmp/tinyrt-fuzz-probe 2>/dev/null; }; then
  missing+=(libclang-rt-14-dev libc6-dev-i386 lib32gcc-12-dev lib32stdc++-12-dev)
fi
# Cross toolchains and QEMU for the embedded boards (boards/mps2-an386,
# boards/riscv32-virt): tests/test_boards.py builds and runs firmware with them.
command -v arm-none-eabi-gcc >/dev/null || missing+=(gcc-arm-none-eabi)
[ -f /usr/lib/arm-none-eabi/newlib/thumb/v7e-m+fp/hard/librdimon.a ] || missing+=(libnewlib-arm-none-eabi)
command -v riscv64-unknown-elf-gcc >/dev/null || missing+=(gcc-riscv64-unknown-elf)
[ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ] || missing+=(picolibc-riscv64-unknown-elf)
command -v qemu-system-arm >/dev/null || missing+=(qemu-system-arm)
command -v qemu-system-riscv32 >/dev/null || missing+=(qemu-system-misc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps -e .
  echo "$want" > "$stamp"
fi

.venv/bin/scons -Q -j"$(nproc)" board=host >/dev/null
