/* Polled serial console for QEMU riscv32 virt, for the serial server
 * (serve_main.c): the NS16550A UART at 0x10000000 (QEMU's first -serial)
 * and the CLINT's mtime (10 MHz on virt) as the time base. The test
 * firmware keeps using semihosting; these functions are dropped by
 * --gc-sections there. */
#include <stdint.h>

#include "board.h"

#define UART_BASE 0x10000000u
#define UART_REG(off) (*(volatile uint8_t *)(UART_BASE + (off)))
#define UART_RBR UART_REG(0u)
#define UART_THR UART_REG(0u)
#define UART_IER UART_REG(1u)
#define UART_FCR UART_REG(2u)
#define UART_LCR UART_REG(3u)
#define UART_LSR UART_REG(5u)
#define LSR_DR 0x01u
#define LSR_THRE 0x20u

#define MTIME_LO (*(volatile uint32_t *)0x0200BFF8u)
#define MTIME_HI (*(volatile uint32_t *)0x0200BFFCu)
#define MTIME_HZ 10000000u

static int ready;

static void serial_init(void)
{
    UART_IER = 0u;
    UART_LCR = 0x03u; /* 8N1 */
    UART_FCR = 0x01u; /* FIFOs on, not cleared: the host may have sent already */
    ready = 1;
}

void board_uart_init(uint32_t clock_hz)
{
    (void)clock_hz;
    serial_init();
}

void board_uart_putc(char c)
{
    if (!ready)
        serial_init();
    while (!(UART_LSR & LSR_THRE))
        ;
    UART_THR = (uint8_t)c;
}

int board_uart_getc(void)
{
    if (!ready)
        serial_init();
    if (!(UART_LSR & LSR_DR))
        return -1;
    return (int)UART_RBR;
}

uint64_t board_time_us(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (hi != MTIME_HI);
    return (((uint64_t)hi << 32) | lo) / (MTIME_HZ / 1000000u);
}
