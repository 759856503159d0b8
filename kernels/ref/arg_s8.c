/*
 * ARG_MAX and ARG_MIN, int8 input, INT32 or INT64 indices: TFLM
 * reference_ops::ArgMinMax with std::greater / std::less, so the first of
 * equal extremes wins.
 */
#include <string.h>

#include "ref_internal.h"

static void arg_s8(int is_max, const trt_arg_params_t *params, const trt_dims_t *input_dims, const int8_t *input,
                   void *output)
{
    const int32_t dims[4] = {input_dims->n, input_dims->h, input_dims->w, input_dims->c};
    const int32_t axis_size = dims[params->axis];
    int32_t outer = 1, inner = 1;
    int32_t o, i, k;

    for (k = 0; k < params->axis; k++)
    {
        outer *= dims[k];
    }
    for (k = params->axis + 1; k < 4; k++)
    {
        inner *= dims[k];
    }
    for (o = 0; o < outer; o++)
    {
        for (i = 0; i < inner; i++)
        {
            const int8_t *x = input + o * axis_size * inner + i;
            const int32_t at = o * inner + i;
            int8_t best = x[0];
            int32_t index = 0;
            for (k = 1; k < axis_size; k++)
            {
                const int8_t v = x[k * inner];
                if (is_max ? v > best : v < best)
                {
                    best = v;
                    index = k;
                }
            }
            if (params->int64_output)
            {
                const int64_t wide = index;
                memcpy((uint8_t *)output + (size_t)at * sizeof(wide), &wide, sizeof(wide));
            }
            else
            {
                ((int32_t *)output)[at] = index;
            }
        }
    }
}

void trt_arg_max_s8(const trt_ctx_t *ctx, const trt_arg_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, void *output)
{
    (void)ctx;
    arg_s8(1, params, input_dims, input, output);
}

void trt_arg_min_s8(const trt_ctx_t *ctx, const trt_arg_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, void *output)
{
    (void)ctx;
    arg_s8(0, params, input_dims, input, output);
}
