/* The (outer, axis, inner) view of a tensor that CONCATENATION and SPLIT
 * cut along one axis (axis.c). */
#ifndef TINYRT_OPS_AXIS_H
#define TINYRT_OPS_AXIS_H

#include "../internal.h"

typedef struct
{
    int32_t outer; /* product of the dims before the axis */
    int32_t inner; /* product of the dims after it */
} trt_axis_view_t;

trt_axis_view_t trt_axis_view(const trt_tensor_desc_t *t, int32_t axis);

/* `part` has `whole`'s type, rank and dims except along `axis`. */
int trt_check_axis_part(const trt_tensor_desc_t *part, const trt_tensor_desc_t *whole, int32_t axis);

#endif /* TINYRT_OPS_AXIS_H */
