/*
 * FULLY_CONNECTED, int8: TFLM reference_integer_ops::FullyConnected (per
 * tensor) and FullyConnectedPerChannel. Filter zero point is 0 (int8 weights
 * are symmetric), so there is no filter offset.
 */
#include "ref_internal.h"

void trt_fc_s8(const trt_ctx_t *ctx, const trt_fc_params_t *params, const trt_requant_t *quant,
               const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
               const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
               const trt_dims_t *output_dims, int8_t *output)
{
    /* Every output row is a batch, as TFLM flattens all but the last dim. */
    const int32_t batches = output_dims->n * output_dims->h * output_dims->w;
    const int32_t depth = filter_dims->c;
    const int32_t out_c = output_dims->c;
    int32_t b, oc, d;

    (void)ctx;
    (void)input_dims;
    (void)bias_dims;

    for (b = 0; b < batches; b++)
    {
        const int8_t *row = input + b * depth;
        for (oc = 0; oc < out_c; oc++)
        {
            const int8_t *weights = filter + oc * depth;
            /* TFLM's int32 accumulation, modulo 2^32 without UB. */
            uint32_t acc = 0;
            for (d = 0; d < depth; d++)
            {
                acc += (uint32_t)weights[d] * ((uint32_t)row[d] + (uint32_t)params->input_offset);
            }
            if (bias != NULL)
            {
                acc += (uint32_t)bias[oc];
            }
            output[b * out_c + oc] =
                trt_ref_requantize(acc, quant, oc, params->output_offset, params->act_min, params->act_max);
        }
    }
}
