/*
 * COPY, int8: one strided-copy piece (trt_copy_piece_t). The outer five
 * loop dims are walked as an odometer that keeps both element offsets
 * running (a step adds a stride, a wrap takes its span back), the innermost
 * as a row: a memmove when both strides are 1 and the run is long enough to
 * pay for the call, else a strided loop. Every offset formed is that of an
 * element of the box (the loader checked each one's lowest and highest), so
 * the int32 arithmetic cannot overflow.
 */
#include <string.h>

#include "tinyrt/kernels.h"

void trt_copy_s8(const trt_ctx_t *ctx, const trt_copy_piece_t *piece, const int8_t *input, int8_t *output)
{
    const trt_copy_piece_t p = *piece;
    const int32_t last = TRT_COPY_DIMS - 1;
    const int32_t n = p.count[last];
    const int32_t si = p.in_stride[last];
    const int32_t so = p.out_stride[last];
    int32_t idx[TRT_COPY_DIMS - 1] = {0};
    int32_t in = p.in_offset;
    int32_t out = p.out_offset;
    int32_t k;

    (void)ctx;
    for (;;)
    {
        if (si == 1 && so == 1 && n >= 16)
        {
            /* memmove: a hostile blob may overlap input and output; never UB. */
            memmove(output + out, input + in, (size_t)n);
        }
        else
        {
            int32_t j;
            for (j = 0; j < n; j++)
            {
                output[out + j * so] = input[in + j * si];
            }
        }
        for (k = last - 1; k >= 0; k--)
        {
            if (++idx[k] < p.count[k])
            {
                in += p.in_stride[k];
                out += p.out_stride[k];
                break;
            }
            idx[k] = 0;
            in -= (p.count[k] - 1) * p.in_stride[k];
            out -= (p.count[k] - 1) * p.out_stride[k];
        }
        if (k < 0)
        {
            return;
        }
    }
}
