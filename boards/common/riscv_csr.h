/* CSR access for the RISC-V boards. Binutils 2.38+ file the CSR instructions
 * under the Zicsr extension, but adding _zicsr to -march would make GCC 12
 * miss picolibc's rv32imac multilib, so each access enables it locally. */
#ifndef TINYRT_RISCV_CSR_H
#define TINYRT_RISCV_CSR_H

#include <stdint.h>

#define RISCV_CSR_ASM(insn) ".option push\n\t.option arch, +zicsr\n\t" insn "\n\t.option pop"

#define csr_read(csr)                                                                                                  \
    __extension__({                                                                                                    \
        uint32_t v_;                                                                                                   \
        __asm__ volatile(RISCV_CSR_ASM("csrr %0, " #csr) : "=r"(v_));                                                  \
        v_;                                                                                                            \
    })
#define csr_write(csr, val) __asm__ volatile(RISCV_CSR_ASM("csrw " #csr ", %0") ::"r"(val) : "memory")
#define csr_clear(csr, bits) __asm__ volatile(RISCV_CSR_ASM("csrc " #csr ", %0") ::"r"(bits) : "memory")

#endif
