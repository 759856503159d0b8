/* board.h for the QEMU Arm boards (MPS2/MPS3, micro:bit). QEMU runs code
 * untimed and models no DWT cycle counter, and its SysTick follows the host's
 * virtual clock, not executed instructions, so any "cycle" count would be
 * meaningless: the counter reads 0 and the clock is unknown. Instruction
 * counts for these boards come from `tinyrt bench` (unicorn) instead. The
 * console is semihosting, which needs no set-up. */
#include "board.h"

void board_init(void)
{
}

uint32_t board_cycles(void)
{
    return 0;
}

uint32_t board_clock_hz(void)
{
    return 0;
}
