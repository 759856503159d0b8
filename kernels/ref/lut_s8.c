/*
 * LUT: an int8 -> int8 function as a table of its 256 results, indexed by
 * the input byte. TFLM computes RELU, LEAKY_RELU, LOGISTIC, TANH,
 * HARD_SWISH, ABS, RSQRT... per element from the input alone, so the table
 * the converter fills with TFLM's integer algorithm gives the same bytes.
 */
#include "tinyrt/kernels.h"

void trt_lut_s8(const trt_ctx_t *ctx, int32_t size, const int8_t *input, const int8_t *table, int8_t *output)
{
    int32_t i;

    (void)ctx;
    /* Element i is read before it is written: output may be input. */
    for (i = 0; i < size; i++)
    {
        output[i] = table[(uint8_t)input[i]];
    }
}
