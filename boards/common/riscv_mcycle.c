/* board_cycles() for the RISC-V boards: the low word of mcycle, the
 * machine-mode cycle counter, which runs from reset (mcountinhibit is zero at
 * reset where it exists) and wraps as board.h allows. */
#include "board.h"
#include "riscv_csr.h"

uint32_t board_cycles(void)
{
    return csr_read(mcycle);
}
