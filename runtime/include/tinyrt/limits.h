/*
 * The loader's limits, defined once. trt_model_init refuses a blob that
 * exceeds one; the converter (python/tinyrt/limits.py) reads the same values
 * through the cffi binding and refuses such a model before writing it, naming
 * the op, the tensor and the limit. Each bound keeps the kernels' index and
 * accumulator arithmetic inside int32 for every input the blob allows.
 */
#ifndef TINYRT_LIMITS_H
#define TINYRT_LIMITS_H

#define TRT_MAX_DIMS 4             /* tensor rank */
#define TRT_MAX_DIM 65535          /* any one dimension */
#define TRT_MAX_ELEMENTS 536870911 /* elements per tensor: (2^31 - 1) / 4, int32 byte offsets */
#define TRT_MAX_WINDOW 1024        /* strides, dilations, filter and pooling windows, paddings */
#define TRT_MAX_PRODUCT 32640      /* |(x + input_offset) * w|: int8 x, w and input_offset in [-127, 128] */
#define TRT_MAX_SOFTMAX_DEPTH 8191 /* keeps softmax's int32 sum of exponentials from wrapping */
#define TRT_MIN_SHIFT (-31)        /* requantization shifts (TFLM's QuantizeMultiplier range) */
#define TRT_MAX_SHIFT 31
#define TRT_MAX_ADD_LEFT_SHIFT 21  /* ADD: (x + offset) << left_shift and the scaled sum stay in int32 */
#define TRT_MAX_SQUARED_DIFFERENCE_LEFT_SHIFT 7 /* TFLM's constant: with its input multipliers <= 1/2 the
                                                 squared difference stays in int32 (the kernel wraps otherwise) */
#define TRT_MAX_OP_OPERANDS 255    /* inputs or outputs of one op */
#define TRT_MAX_MEAN_COUNT 8421504 /* MEAN: elements averaged into one output; |sum of x - zp| <= 255 * count */
#define TRT_MAX_DOT_DEPTH 33025    /* sums of (x - zp) * (y - zp), |term| <= 255^2, inside int32: L2_NORMALIZATION
                                      depth, BATCH_MATMUL accumulation depth */

#endif /* TINYRT_LIMITS_H */
