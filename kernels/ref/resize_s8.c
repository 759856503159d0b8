/*
 * RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR, int8: TFLM
 * reference_ops::ResizeBilinearInteger (double-rounding build: halves away
 * from zero) over a table of source rows, columns and weights computed
 * offline; nearest neighbour is the zero-weight case, a copy.
 */
#include <string.h>

#include "ref_internal.h"

void trt_resize_s8(const trt_ctx_t *ctx, const int32_t *table, const trt_dims_t *input_dims, const int8_t *input,
                   const trt_dims_t *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w, depth = input_dims->c;
    const int32_t out_h = output_dims->h, out_w = output_dims->w;
    const int32_t one = 1 << 10;
    int32_t b, y, x, c;
    int8_t *out = output;

    (void)ctx;
    for (b = 0; b < output_dims->n; b++)
    {
        const int8_t *image = input + b * in_h * in_w * depth;
        for (y = 0; y < out_h; y++)
        {
            const int32_t *ty = table + 3 * y;
            const int8_t *row0 = image + ty[0] * in_w * depth;
            const int8_t *row1 = image + ty[1] * in_w * depth;
            const int32_t wy = ty[2];
            for (x = 0; x < out_w; x++)
            {
                const int32_t *tx = table + 3 * (out_h + x);
                const int32_t x0 = tx[0] * depth, x1 = tx[1] * depth, wx = tx[2];
                if (wy == 0 && wx == 0)
                {
                    /* memmove: a hostile blob may overlap input and output; never UB. */
                    memmove(out, row0 + x0, (size_t)depth);
                    out += depth;
                    continue;
                }
                for (c = 0; c < depth; c++)
                {
                    const int32_t acc = row0[x0 + c] * (one - wy) * (one - wx) + row1[x0 + c] * wy * (one - wx) +
                                        row0[x1 + c] * (one - wy) * wx + row1[x1 + c] * wy * wx;
                    *out++ = (int8_t)((acc + (acc > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20));
                }
            }
        }
    }
}
