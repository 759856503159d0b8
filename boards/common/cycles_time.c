/* board_time_us() for real boards with a cycle counter (board_cycles(),
 * board_clock_hz()): the 32-bit counter extended to 64 bits. It must be read
 * at least once per wrap (2^32 cycles: 35 s at 120 MHz); the serial server
 * reads it in its idle loop. */
#include <stdint.h>

#include "board.h"

uint64_t board_time_us(void)
{
    static uint32_t last;
    static uint64_t cycles;
    uint32_t now = board_cycles();
    cycles += (uint32_t)(now - last);
    last = now;
    uint32_t mhz = board_clock_hz() / 1000000u;
    return cycles / (mhz ? mhz : 1u);
}
