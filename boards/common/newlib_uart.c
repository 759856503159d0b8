/* newlib(-nano) system calls for the real Arm boards, which link without
 * semihosting (--specs=nano.specs --specs=nosys.specs): stdout and stderr go
 * to the board's console UART, and exit halts the core. Terminals expect
 * CR LF, so each LF is sent as CR LF. */
#include <stdint.h>

#include "board.h"

int _write(int fd, const char *buf, int len);
void _exit(int status);
void Fault_Handler(void);

int _write(int fd, const char *buf, int len)
{
    (void)fd; /* stdin is never written; stdout and stderr share the UART */
    for (int i = 0; i < len; i++) {
        if (buf[i] == '\n')
            board_uart_putc('\r');
        board_uart_putc(buf[i]);
    }
    return len;
}

/* Nothing to return to: sleep with interrupts masked, so the program's last
 * output stays on the terminal and a debugger finds the core parked here.
 * (A bkpt without a debugger attached would escalate to HardFault.) */
void _exit(int status)
{
    (void)status;
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;)
        __asm__ volatile("wfi");
}

/* Replaces the semihosting fault handler of arm_startup.c. */
void Fault_Handler(void)
{
    static const char msg[] = "\r\nfault\r\n";
    for (const char *p = msg; *p; p++)
        board_uart_putc(*p);
    _exit(1);
}
