/* Test-vector firmware: runs the model blob of model_data.c on every vector
 * of vectors.c and prints each result, for comparison with the host runtime.
 *
 *   clock <core clock in Hz, 0 when unknown>
 *   out <i> <hex bytes of all outputs, concatenated>
 *   cycles <i> <board_cycles() spent in that trt_invoke>
 *   ...
 *   done
 *
 * then exit(0): a semihosting exit on the QEMU boards, a halt on the real
 * ones. board_init() (board.h) runs first: clocks, console, cycle counter.
 * Any runtime error prints "error ..." and exits with status 1. Each vector
 * holds all model inputs back to back, in input order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "model_data.h"
#include "tinyrt/tinyrt.h"

/* From the generated vectors.c. */
extern const uint32_t fw_num_vectors;
extern const uint32_t fw_vector_bytes;
extern const int8_t fw_vectors[];

static trt_model_t model;
static uint8_t arena[MODEL_DATA_ARENA_BYTES > 0 ? MODEL_DATA_ARENA_BYTES : 1] __attribute__((aligned(16)));
/* Long outputs are written in pieces of this size: small enough for 16 KB
 * RAM boards. */
static char line[512];

static void fail(const char *what, trt_status_t st)
{
    printf("error %s: %s\n", what, trt_status_str(st));
    exit(1);
}

int main(void)
{
    static const char hex[] = "0123456789abcdef";
    board_init();
    printf("clock %lu\n", (unsigned long)board_clock_hz());
    trt_status_t st = trt_model_init(&model, model_data, model_data_len, arena, sizeof arena);
    if (st != TRT_OK)
        fail("trt_model_init", st);

    for (uint32_t v = 0; v < fw_num_vectors; v++) {
        const int8_t *src = fw_vectors + (size_t)v * fw_vector_bytes;
        size_t used = 0;
        for (uint32_t i = 0; i < trt_num_inputs(&model); i++) {
            trt_tensor_t in;
            if ((st = trt_input(&model, i, &in)) != TRT_OK)
                fail("trt_input", st);
            if (used + in.bytes > fw_vector_bytes) {
                printf("error vector %lu: %lu bytes, the inputs need more\n", (unsigned long)v,
                       (unsigned long)fw_vector_bytes);
                exit(1);
            }
            memcpy(in.data, src + used, in.bytes);
            used += in.bytes;
        }
        uint32_t t0 = board_cycles();
        if ((st = trt_invoke(&model)) != TRT_OK)
            fail("trt_invoke", st);
        uint32_t cycles = board_cycles() - t0;

        int n = snprintf(line, sizeof line, "out %lu ", (unsigned long)v);
        size_t pos = n > 0 ? (size_t)n : 0;
        for (uint32_t o = 0; o < trt_num_outputs(&model); o++) {
            trt_tensor_t out;
            if ((st = trt_output(&model, o, &out)) != TRT_OK)
                fail("trt_output", st);
            const uint8_t *p = (const uint8_t *)out.data;
            for (size_t b = 0; b < out.bytes; b++) {
                if (pos + 3 >= sizeof line) {
                    line[pos] = '\0';
                    fputs(line, stdout);
                    pos = 0;
                }
                line[pos++] = hex[p[b] >> 4];
                line[pos++] = hex[p[b] & 0xF];
            }
        }
        line[pos] = '\0';
        puts(line);
        printf("cycles %lu %lu\n", (unsigned long)v, (unsigned long)cycles);
    }
    puts("done");
    fflush(stdout);
    exit(0);
}
