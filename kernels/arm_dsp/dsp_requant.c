/* The condition of the DSP kernels' short requantization (dsp.h). */
#include "dsp.h"

int trt_dsp_requant_fits(int64_t acc_bound, const int32_t *shift, int32_t count)
{
    int32_t i;

    for (i = 0; i < count; i++)
    {
        const int32_t left = shift[i] > 0 ? shift[i] : 0;
        if (left > 28 || acc_bound >= ((int64_t)1 << (29 - left)))
        {
            return 0;
        }
    }
    return 1;
}
