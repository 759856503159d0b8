/*
 * SPLIT (and, with unequal sizes, SPLIT_V), int8: TFLM's SplitImpl, one
 * output at a time: a copy of its slice per outer index. Outputs keep the
 * input's bytes whatever their quantization, as in TFLM.
 */
#include <string.h>

#include "tinyrt/kernels.h"

void trt_split_s8(const trt_ctx_t *ctx, int32_t outer, int32_t inner, int32_t in_axis, int32_t at,
                  const int8_t *input, int32_t out_axis, int8_t *output)
{
    const int32_t size = out_axis * inner;
    int32_t k;

    (void)ctx;

    input += at * inner;
    for (k = 0; k < outer; k++)
    {
        /* memmove: a hostile blob may overlap the two; never UB. */
        memmove(output, input, (size_t)size);
        input += in_axis * inner;
        output += size;
    }
}
