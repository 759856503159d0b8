/* The default op table: every (op, variant) pair of the kernel directories
 * this library builds (TRT_BUILD_KERNELS_<DIR>, set by the build from the
 * board's kernel_dirs), generated from the op list (tinyrt/op_list.h). Kept
 * alone in its object file so that a firmware's own trt_op_table (see
 * tinyrt/ops.h) replaces it at link time. */
#include "tinyrt/ops.h"

static const trt_op_run_fn_t runs[TRT_OP_COUNT_][TRT_VARIANT_COUNT_] = {
#define RUN_(OP, op, VARIANT, variant) [TRT_OP_##OP][TRT_VARIANT_##VARIANT] = trt_run_##op##_##variant,
#ifdef TRT_BUILD_KERNELS_REF
    TRT_KERNELS_REF(RUN_)
#endif
#ifdef TRT_BUILD_KERNELS_ARM_DSP
    TRT_KERNELS_ARM_DSP(RUN_)
#endif
#undef RUN_
};

#define IMPL_(NAME, name, bytes)                                                                                       \
    static const trt_op_impl_t impl_##name = {trt_check_##name, TRT_PARAMS_BYTES_##NAME, TRT_VARIANT_COUNT_,          \
                                              runs[TRT_OP_##NAME]};
TRT_OP_LIST(IMPL_)
#undef IMPL_

const trt_op_impl_t *const trt_op_table[TRT_OP_COUNT_] = {
#define ENTRY_(NAME, name, bytes) [TRT_OP_##NAME] = &impl_##name,
    TRT_OP_LIST(ENTRY_)
#undef ENTRY_
};
