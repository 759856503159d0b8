/* Runtime-internal helpers shared by the loader and the interpreter. */
#ifndef TINYRT_INTERNAL_H
#define TINYRT_INTERNAL_H

#include "tinyrt/kernels.h"
#include "tinyrt/tinyrt.h"

/* Element size by trt_type_t; 0 marks an invalid type. */
static inline uint32_t trt_type_size(uint32_t type)
{
    switch (type)
    {
    case TRT_TYPE_INT8:
        return 1;
    case TRT_TYPE_INT32:
    case TRT_TYPE_FLOAT32:
        return 4;
    default:
        return 0;
    }
}

static inline int32_t trt_elements(const trt_tensor_desc_t *t)
{
    return (int32_t)(t->bytes / trt_type_size(t->type));
}

/* Tensor dims right-aligned into NHWC: [C] -> 1x1x1xC, [N, C] -> 1x1xNxC. */
static inline trt_dims_t trt_dims_of(const trt_tensor_desc_t *t)
{
    int32_t d[TRT_MAX_DIMS] = {1, 1, 1, 1};
    uint32_t i;
    trt_dims_t dims;
    for (i = 0; i < t->rank; i++)
    {
        d[TRT_MAX_DIMS - t->rank + i] = t->dims[i];
    }
    dims.n = d[0];
    dims.h = d[1];
    dims.w = d[2];
    dims.c = d[3];
    return dims;
}

uint32_t trt_crc32(const uint8_t *data, uint32_t len);

#endif /* TINYRT_INTERNAL_H */
