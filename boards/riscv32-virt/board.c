/* board.h for QEMU riscv32 virt (board_cycles: ../common/riscv_mcycle.c).
 * The console is semihosting and needs no set-up. Without -icount QEMU's
 * mcycle follows host time, not executed instructions, and virt has no
 * defined core clock: board_clock_hz() says unknown. */
#include "../common/board.h"

void board_init(void)
{
}

uint32_t board_clock_hz(void)
{
    return 0;
}
