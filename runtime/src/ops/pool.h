/* What AVERAGE_POOL_2D and MAX_POOL_2D share (pool.c). */
#ifndef TINYRT_OPS_POOL_H
#define TINYRT_OPS_POOL_H

#include "../internal.h"

trt_status_t trt_check_pool(const trt_model_t *m, const trt_op_desc_t *op);

#endif /* TINYRT_OPS_POOL_H */
