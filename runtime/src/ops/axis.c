#include "axis.h"

trt_axis_view_t trt_axis_view(const trt_tensor_desc_t *t, int32_t axis)
{
    trt_axis_view_t v;
    int32_t i;
    v.outer = 1;
    v.inner = 1;
    for (i = 0; i < (int32_t)t->rank; i++)
    {
        if (i < axis)
        {
            v.outer *= t->dims[i];
        }
        else if (i > axis)
        {
            v.inner *= t->dims[i];
        }
    }
    return v;
}

int trt_check_axis_part(const trt_tensor_desc_t *part, const trt_tensor_desc_t *whole, int32_t axis)
{
    int32_t i;
    if (part->type != whole->type || part->rank != whole->rank)
    {
        return 0;
    }
    for (i = 0; i < (int32_t)whole->rank; i++)
    {
        if (i != axis && part->dims[i] != whole->dims[i])
        {
            return 0;
        }
    }
    return 1;
}
