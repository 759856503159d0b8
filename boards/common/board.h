/* What boards/common/main.c needs from a board. Every embedded board
 * provides these three functions (the QEMU boards in qemu_arm_board.c and
 * their own folder, the real boards in their startup.c). */
#ifndef TINYRT_BOARD_H
#define TINYRT_BOARD_H

#include <stdint.h>

/* Bring the board to its run state: clock tree at its run speed, console
 * UART ready for printf, cycle counter running. Called first thing in main. */
void board_init(void);

/* Free-running core-clock cycle counter. It wraps: the unsigned difference of
 * two readings is valid for intervals up to 2^32 cycles. Returns 0 on boards
 * with no counter (emulated boards where QEMU models none). */
uint32_t board_cycles(void);

/* Core clock in Hz after board_init(); 0 when unknown (emulation). */
uint32_t board_clock_hz(void);

/* Real boards only: the console UART (the board's uart.c), 115200 8N1.
 * board_init() calls board_uart_init() with the UART's kernel clock once the
 * clock tree is set; board_uart_putc() sends one byte, waiting while the
 * transmit FIFO is full, for the C library glue (newlib_uart.c, the picolibc
 * stream of hifive1-revb). */
void board_uart_init(uint32_t clock_hz);
void board_uart_putc(char c);

/* The serial server (serve_main.c) also needs, from every board it runs on
 * (the QEMU boards: cmsdk_uart.c, ns16550_uart.c): board_uart_getc(), the
 * next received byte or -1 when none is waiting (never blocks), and
 * board_time_us(), microseconds since boot from the board's timer (QEMU's
 * virtual clock under emulation). board_uart_putc() works without
 * board_init() having called board_uart_init() there. */
int board_uart_getc(void);
uint64_t board_time_us(void);

#endif
