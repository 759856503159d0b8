/*
 * CONCATENATION, int8: TFLM reference_ops::Concatenation, one input at a
 * time (as CMSIS-NN's arm_concatenation_s8_*): a copy of its slice per outer
 * index. TFLM's Prepare refuses an input whose scale or zero point differs
 * from the output's; tinyrt instead requantizes that input's slices with
 * trt_requantize_s8, which gives exactly what TFLM computes for
 * QUANTIZE(input) -> CONCATENATION.
 */
#include <string.h>

#include "tinyrt/kernels.h"

/* Requantization parameters that map every int8 value to itself, as
 * quant.requantize_params gives for equal quantization: doubling x +
 * input_offset and multiplying by one half in Q0.31 is exact while nothing
 * wraps, and output_offset undoes input_offset. trt_requantize_s8 would
 * return the same bytes; copying is just faster. */
static int is_identity(const trt_requantize_params_t *p)
{
    const int32_t bound = (int32_t)1 << 29;
    return p->multiplier == (int32_t)1 << 30 && p->shift == 1 && p->output_offset >= -bound &&
           p->output_offset <= bound && p->input_offset == -p->output_offset;
}

void trt_concat_s8(const trt_ctx_t *ctx, const trt_requantize_params_t *requant, int32_t outer, int32_t inner,
                   int32_t in_axis, const int8_t *input, int32_t out_axis, int32_t at, int8_t *output)
{
    const int32_t size = in_axis * inner;
    const int copy = requant == NULL || is_identity(requant);
    int32_t k;

    output += at * inner;
    for (k = 0; k < outer; k++)
    {
        if (copy)
        {
            /* memmove: a hostile blob may overlap the two; never UB. */
            memmove(output, input, (size_t)size);
        }
        else
        {
            trt_requantize_s8(ctx, requant, size, input, output);
        }
        input += size;
        output += out_axis * inner;
    }
}
