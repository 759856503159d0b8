/*
 * tinyrt kernels: signatures and parameter structs.
 *
 * Every kernel has the same shape: scratch context, op params, quantization
 * params, then dims/pointer pairs for input, filter, bias and output. Tensors
 * are NHWC int8. Param structs hold plain int32_t fields only: they are stored
 * as-is in the model blob (see tinyrt/format.h) and mirrored in
 * python/tinyrt/format.py.
 *
 * Kernels assume valid arguments: the loader validated every shape, offset and
 * parameter range once, at load time.
 */
#ifndef TINYRT_KERNELS_H
#define TINYRT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Tensor dims, NHWC. Rank-2 tensors [N, C] use h = w = 1. */
typedef struct
{
    int32_t n, h, w, c;
} trt_dims_t;

/* Scratch memory handed to a kernel; size is in bytes. */
typedef struct
{
    void *buf;
    int32_t size;
} trt_ctx_t;

/* Requantization of int32 accumulators: per output channel when count equals
 * the channel count, per tensor (index 0 for every channel) when count == 1.
 * result = MultiplyByQuantizedMultiplier(acc, multiplier, shift): TFLM's
 * double-rounding fixed-point multiply; shift > 0 is a left shift. */
typedef struct
{
    const int32_t *multiplier;
    const int32_t *shift;
    int32_t count;
} trt_requant_t;

/* CONV_2D and DEPTHWISE_CONV_2D.
 * Conv filter: [Cout, KH, KW, Cin] (dims n=Cout, h=KH, w=KW, c=Cin).
 * Depthwise filter: [1, KH, KW, Cin * depth_multiplier] (dims n=1, c=Cout);
 * output channel oc = ic * depth_multiplier + m.
 * Input pixels outside the image (padding) contribute nothing, as in TFLM.
 * input_offset is -input_zero_point, or 0 when the converter folded
 * -zp * sum(filter) into the bias (exact only when no padding is read). */
typedef struct
{
    int32_t stride_h, stride_w;
    int32_t dilation_h, dilation_w;
    int32_t pad_top, pad_left;
    int32_t input_offset;
    int32_t output_offset;
    int32_t act_min, act_max;
    int32_t depth_multiplier;
} trt_conv_params_t;

/* FULLY_CONNECTED. Input [N, Cin] (dims n=N, c=Cin), filter [Cout, Cin]
 * (dims n=Cout, c=Cin), bias [Cout], output [N, Cout]. */
typedef struct
{
    int32_t input_offset;
    int32_t output_offset;
    int32_t act_min, act_max;
} trt_fc_params_t;

/* AVERAGE_POOL_2D and MAX_POOL_2D: window filter_h x filter_w; only the
 * in-image part of a window counts (the average divides by that count, with
 * TFLM's round-half-away-from-zero). Input and output share quantization. */
typedef struct
{
    int32_t stride_h, stride_w;
    int32_t filter_h, filter_w;
    int32_t pad_top, pad_left;
    int32_t act_min, act_max;
} trt_pool_params_t;

/* ADD with requantization (TFLM's int8 add: inputs shifted left by
 * left_shift, scaled by their multipliers, summed, rescaled to the output).
 * Each input dim equals the output dim or is 1 (broadcast). */
typedef struct
{
    int32_t input1_offset, input1_multiplier, input1_shift;
    int32_t input2_offset, input2_multiplier, input2_shift;
    int32_t left_shift;
    int32_t output_offset, output_multiplier, output_shift;
    int32_t act_min, act_max;
} trt_add_params_t;

/* SOFTMAX over the innermost dim (c), int8 in, int8 out with output scale
 * 1/256 and zero point -128: TFLM's gemmlowp fixed-point algorithm. */
typedef struct
{
    int32_t input_multiplier;
    int32_t input_left_shift;
    int32_t diff_min;
} trt_softmax_params_t;

/* QUANTIZE float32 -> int8: q = round_half_away(x / scale) + zero_point,
 * saturated. scale_bits is the IEEE-754 bit pattern of the float scale. */
typedef struct
{
    int32_t scale_bits;
    int32_t zero_point;
} trt_quantize_params_t;

/* QUANTIZE int8 -> int8 (requantize):
 * q = MultiplyByQuantizedMultiplier(x + input_offset, multiplier, shift)
 *     + output_offset, saturated to int8. */
typedef struct
{
    int32_t input_offset;
    int32_t multiplier, shift;
    int32_t output_offset;
} trt_requantize_params_t;

/* DEQUANTIZE int8 -> float32: x = scale * (q - zero_point). */
typedef struct
{
    int32_t scale_bits;
    int32_t zero_point;
} trt_dequantize_params_t;

void trt_conv_s8(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                 const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                 const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                 const trt_dims_t *output_dims, int8_t *output);

void trt_dwconv_s8(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                   const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                   const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                   const trt_dims_t *output_dims, int8_t *output);

/* In-place depthwise convolution, depth multiplier 1: the output overwrites
 * the input. `data` holds the input on entry and the output on return; the
 * output needs output_dims elements from `data` on (never more than the
 * input, since out_h * out_w <= in_h * in_w). ctx->buf must hold
 * trt_dwconv_s8_inplace_scratch_size(output_dims) bytes: one output channel
 * plane, computed before it replaces that channel of the input. */
void trt_dwconv_s8_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                           const trt_dims_t *input_dims, const trt_dims_t *filter_dims, const int8_t *filter,
                           const trt_dims_t *bias_dims, const int32_t *bias, const trt_dims_t *output_dims,
                           int8_t *data);
int32_t trt_dwconv_s8_inplace_scratch_size(const trt_dims_t *output_dims);

/* In-place pointwise convolution: 1x1 filter, stride 1, no padding, the
 * output's N, H, W equal to the input's and Cout <= Cin. The output
 * overwrites the input: `data` holds the input on entry and the output on
 * return, from the same address (output pixel p at data + p * Cout, which
 * covers only input pixels <= p). ctx->buf must hold
 * trt_conv1x1_s8_inplace_scratch_size(output_dims) bytes (Cout) outside
 * `data`: one output pixel, computed before it is stored over the input. */
void trt_conv1x1_s8_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                            const trt_dims_t *input_dims, const trt_dims_t *filter_dims, const int8_t *filter,
                            const trt_dims_t *bias_dims, const int32_t *bias, const trt_dims_t *output_dims,
                            int8_t *data);
int32_t trt_conv1x1_s8_inplace_scratch_size(const trt_dims_t *output_dims);

void trt_fc_s8(const trt_ctx_t *ctx, const trt_fc_params_t *params, const trt_requant_t *quant,
               const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
               const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
               const trt_dims_t *output_dims, int8_t *output);

void trt_avgpool_s8(const trt_ctx_t *ctx, const trt_pool_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, const trt_dims_t *output_dims, int8_t *output);

void trt_maxpool_s8(const trt_ctx_t *ctx, const trt_pool_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, const trt_dims_t *output_dims, int8_t *output);

void trt_add_s8(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output);

/* SUB (TFLM's int8 sub): ADD's params (the same Prepare) and arithmetic with
 * the scaled input 2 subtracted instead of added. */
void trt_sub_s8(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output);

/* MAXIMUM and MINIMUM (TFLM's maximum_minimum.cc, int8): the larger or
 * smaller raw int8 value, no requantization (the converter requires inputs
 * and output quantized alike); broadcast as for ADD. */
void trt_maximum_s8(const trt_ctx_t *ctx, const trt_dims_t *input1_dims, const int8_t *input1,
                    const trt_dims_t *input2_dims, const int8_t *input2, const trt_dims_t *output_dims,
                    int8_t *output);

void trt_minimum_s8(const trt_ctx_t *ctx, const trt_dims_t *input1_dims, const int8_t *input1,
                    const trt_dims_t *input2_dims, const int8_t *input2, const trt_dims_t *output_dims,
                    int8_t *output);

void trt_softmax_s8(const trt_ctx_t *ctx, const trt_softmax_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, int8_t *output);

void trt_quantize_f32_s8(const trt_ctx_t *ctx, const trt_quantize_params_t *params, int32_t size,
                         const float *input, int8_t *output);

void trt_requantize_s8(const trt_ctx_t *ctx, const trt_requantize_params_t *params, int32_t size,
                       const int8_t *input, int8_t *output);

void trt_dequantize_s8_f32(const trt_ctx_t *ctx, const trt_dequantize_params_t *params, int32_t size,
                           const int8_t *input, float *output);

/* --- MUL, CONCATENATION, SPLIT --- */

/* MUL (TFLM's int8 mul): out = MultiplyByQuantizedMultiplier((x1 +
 * input1_offset) * (x2 + input2_offset), output_multiplier, output_shift) +
 * output_offset, clamped to [act_min, act_max]. The multiplier is
 * s1 * s2 / s_out, which may exceed 1: output_shift in [-31, 31] (> 0 is a
 * left shift, which wraps as in TFLM). Offsets are -zero_point in
 * [-127, 128] for the inputs and zero_point in [-128, 127] for the output;
 * -128 <= act_min <= act_max <= 127. Each input dim equals the output dim or
 * is 1 (broadcast), dims right-aligned into NHWC as for ADD. */
typedef struct
{
    int32_t input1_offset, input2_offset;
    int32_t output_offset;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
} trt_mul_params_t;

void trt_mul_s8(const trt_ctx_t *ctx, const trt_mul_params_t *params, const trt_dims_t *input1_dims,
                const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                const trt_dims_t *output_dims, int8_t *output);

/* CONCATENATION and SPLIT see a tensor cut along one axis as (outer, axis,
 * inner): outer is the product of the dims before the axis, inner of those
 * after it. Both kernels move one part at a time, so an op has any number
 * of parts without an array of them: part p of a whole is outer x part_axis x
 * inner, at axis offset `at` (the sum of the earlier parts' axis dims) of the
 * whole's outer x whole_axis x inner. The part and the whole do not overlap. */
typedef struct
{
    int32_t axis; /* 0 .. rank - 1 */
} trt_concat_params_t;

typedef struct
{
    int32_t axis; /* 0 .. rank - 1 */
} trt_split_params_t;

/* CONCATENATION: copies one input into its place in the output. TFLM allows
 * no fused activation here and requires every input to be quantized like the
 * output. tinyrt also takes inputs quantized otherwise: with `requant`
 * non-NULL the input is requantized as trt_requantize_s8 does, bit-exact with
 * TFLM's QUANTIZE(input) -> CONCATENATION; NULL (or the identity parameters
 * quant.requantize_params gives for equal quantization: multiplier 1 << 30,
 * shift 1, input_offset == -output_offset) copies it. */
void trt_concat_s8(const trt_ctx_t *ctx, const trt_requantize_params_t *requant, int32_t outer, int32_t inner,
                   int32_t in_axis, const int8_t *input, int32_t out_axis, int32_t at, int8_t *output);

/* SPLIT (equal parts) or SPLIT_V: copies one output's slice out of the input.
 * Bytes are copied whatever the output's quantization, as TFLM does. */
void trt_split_s8(const trt_ctx_t *ctx, int32_t outer, int32_t inner, int32_t in_axis, int32_t at,
                  const int8_t *input, int32_t out_axis, int8_t *output);

/* --- COPY: data movement as strided copies --- */

/* Loop dims of one COPY piece. */
#define TRT_COPY_DIMS 6

/* One piece of a COPY op (PAD, STRIDED_SLICE, TRANSPOSE, GATHER, TILE, ...,
 * all lowered offline to such pieces): for every multi-index i of the
 * count[] box (row-major, the last dim innermost),
 *   output[out_offset + sum i_k * out_stride_k] =
 *       input[in_offset + sum i_k * in_stride_k]
 * in elements of the op's input and output slots. Strides are signed (0
 * repeats, negative runs backwards). The loader checks that every element a
 * piece reads or writes lies inside its tensors. */
typedef struct
{
    int32_t input;  /* data input slot */
    int32_t output; /* output slot */
    int32_t in_offset, out_offset;
    int32_t count[TRT_COPY_DIMS];
    int32_t in_stride[TRT_COPY_DIMS];
    int32_t out_stride[TRT_COPY_DIMS];
} trt_copy_piece_t;

/* COPY's params: with `fill` set, every output is first filled with
 * fill_value (a padding value, -128..127), then the pieces run in order. */
typedef struct
{
    int32_t fill;       /* 0 or 1 */
    int32_t fill_value; /* int8 */
} trt_copy_params_t;

/* One piece: bytes copied whatever the quantization, as TFLM does. */
void trt_copy_s8(const trt_ctx_t *ctx, const trt_copy_piece_t *piece, const int8_t *input, int8_t *output);

/* One piece in place (PAD, PADV2): `data` holds the input from its first
 * byte and receives the output, `size` elements, every one written: from
 * the piece or, with params->fill, the fill value (without it the others
 * keep their bytes). Needs every element's output index at least its input
 * index, and output indices rising with the box's row-major order; no
 * scratch. */
void trt_copy_s8_inplace(const trt_ctx_t *ctx, const trt_copy_piece_t *piece, const trt_copy_params_t *params,
                         int32_t size, int8_t *data);

/* --- Reductions: MEAN, SUM, REDUCE_MAX, REDUCE_MIN, ARG_MAX, ARG_MIN --- */

/* MEAN and SUM (TFLM's int8 reference_ops::QuantizedMeanOrSum, compute_sum
 * false and true), over the dims of input_dims (NHWC, right-aligned) set in
 * `axes`: bit 0 is n, bit 1 h, bit 2 w, bit 3 c. For each output element
 * (the kept dims in row-major order, which is the layout with or without
 * keep_dims):
 *   acc = sum over the reduced elements of (x + input_offset)
 *   out = MultiplyByQuantizedMultiplier(acc, multiplier, shift) + output_offset,
 *         saturated to int8.
 * multiplier and shift are TFLM's QuantizeMultiplier(s_in / s_out); for MEAN
 * then, with n the count of reduced elements and k = min(floor(log2 n), 32,
 * 31 + shift): multiplier = (multiplier << k) / n (int64, truncated),
 * shift -= k. SUM keeps them as they are: the same kernel computes both.
 * input_offset is -zero_point in [-127, 128], output_offset the output zero
 * point in [-128, 127]; the loader keeps n <= TRT_MAX_MEAN_COUNT so acc
 * cannot leave int32. No scratch. */
typedef struct
{
    int32_t axes; /* bitmask of reduced NHWC dims, 1 .. 15 */
    int32_t input_offset;
    int32_t output_offset;
    int32_t multiplier, shift;
} trt_mean_params_t;

void trt_mean_s8(const trt_ctx_t *ctx, const trt_mean_params_t *params, const trt_dims_t *input_dims,
                 const int8_t *input, int8_t *output);

/* --- TRANSPOSE_CONV --- */

/* TRANSPOSE_CONV (TFLM's reference_integer_ops::TransposeConv): every input
 * pixel (iy, ix) scatters into output pixels (iy * stride_h - pad_top + ky,
 * ix * stride_w - pad_left + kx) inside the output; taps landing outside are
 * dropped. Filter [Cout, KH, KW, Cin] (dims n=Cout, h=KH, w=KW, c=Cin), bias
 * [Cout] or NULL. Each output is the int32 sum of its (x + input_offset) * w
 * products plus the bias, requantized per channel (or per tensor), plus
 * output_offset, clamped to [act_min, act_max]. input_offset is -zero_point
 * in [-127, 128] (never folded into the bias: an edge output receives fewer
 * taps than an inner one). ctx->buf holds the int32 sums: it must be 4-byte
 * aligned, outside input and output, and hold
 * trt_tconv_s8_scratch_size(output_dims) bytes. */
typedef struct
{
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left;
    int32_t input_offset;
    int32_t output_offset;
    int32_t act_min, act_max;
} trt_tconv_params_t;

void trt_tconv_s8(const trt_ctx_t *ctx, const trt_tconv_params_t *params, const trt_requant_t *quant,
                  const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                  const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                  const trt_dims_t *output_dims, int8_t *output);
int32_t trt_tconv_s8_scratch_size(const trt_dims_t *output_dims);

/* REDUCE_MAX and REDUCE_MIN (TFLM's int8 reference_ops::ReduceGeneric): the
 * largest or smallest raw int8 value over the dims set in `axes` (as for
 * MEAN). TFLM requires input and output quantized alike, so no
 * requantization. No scratch. */
typedef struct
{
    int32_t axes; /* bitmask of reduced NHWC dims, 1 .. 15 */
} trt_reduce_params_t;

void trt_reduce_max_s8(const trt_ctx_t *ctx, const trt_reduce_params_t *params, const trt_dims_t *input_dims,
                       const int8_t *input, int8_t *output);

void trt_reduce_min_s8(const trt_ctx_t *ctx, const trt_reduce_params_t *params, const trt_dims_t *input_dims,
                       const int8_t *input, int8_t *output);

/* ARG_MAX and ARG_MIN (TFLM's reference_ops::ArgMinMax, int8 input): along
 * dim `axis` of input_dims (0 n .. 3 c, NHWC right-aligned), the index of the
 * first largest (smallest) raw int8 value: a later equal value does not
 * replace it. The output holds the other dims in row-major order, as int32,
 * or as int64 when `int64_output` is set (stored with memcpy: the arena
 * aligns tensors to 4 bytes only). */
typedef struct
{
    int32_t axis;         /* 0 .. 3 */
    int32_t int64_output; /* 0: INT32 indices, 1: INT64 */
} trt_arg_params_t;

void trt_arg_max_s8(const trt_ctx_t *ctx, const trt_arg_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, void *output);

void trt_arg_min_s8(const trt_ctx_t *ctx, const trt_arg_params_t *params, const trt_dims_t *input_dims,
                    const int8_t *input, void *output);

/* --- RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR --- */

/* Both resizes of NHWC int8 (batch and channels kept), one kernel: TFLM's
 * reference_ops::ResizeBilinearInteger with the source rows, columns and
 * weights of every output row and column decided offline. `table` holds
 * out_h rows of (y0, y1, wy) and then out_w rows of (x0, x1, wx); weights are
 * in 1/1024 (TFLM's input_y - 1024 * y0, in [-512, 1023]). Each output is
 *   acc = x[y0][x0] * (1024 - wy) * (1024 - wx) + x[y1][x0] * wy * (1024 - wx)
 *       + x[y0][x1] * (1024 - wy) * wx + x[y1][x1] * wy * wx
 *   out = (acc + (acc > 0 ? 2^19 : -2^19)) / 2^20   (C division, truncating)
 * which is x[y0][x0] exactly when wy = wx = 0: the pixel is then copied.
 * Nearest neighbour (TFLM's GetNearestNeighbor, float math done offline) is
 * a table of zero weights. |acc| <= 128 * 2048 * 2048 = 2^29: int32 holds it
 * (TFLM accumulates in int64, to the same value). No scratch. */
void trt_resize_s8(const trt_ctx_t *ctx, const int32_t *table, const trt_dims_t *input_dims, const int8_t *input,
                   const trt_dims_t *output_dims, int8_t *output);

/* --- L2_NORMALIZATION --- */

/* L2_NORMALIZATION (TFLM's reference_integer_ops::L2Normalization) along the
 * last dim (`depth`) of `outer` rows: per row acc = sum((x + input_offset)^2),
 * GetInvSqrtQuantizedMultiplierExp(acc) -> (m, s) by gemmlowp's fixed-point
 * Newton-Raphson, then each out = MultiplyByQuantizedMultiplier(x +
 * input_offset, m, s + 7) saturated to int8: the output scale is 1/128, zero
 * point 0. input_offset is -zero_point in [-127, 128]; the loader keeps depth
 * <= TRT_MAX_DOT_DEPTH so acc cannot leave int32. No scratch. */
typedef struct
{
    int32_t input_offset;
} trt_l2norm_params_t;

void trt_l2norm_s8(const trt_ctx_t *ctx, const trt_l2norm_params_t *params, int32_t outer, int32_t depth,
                   const int8_t *input, int8_t *output);

/* --- BATCH_MATMUL --- */

/* BATCH_MATMUL (TFLM's int8 reference_ops::BatchMatMul): out[b][a][c] =
 * sum over k of (lhs[b][a][k] + lhs_offset) * (rhs[b][k][c] + rhs_offset),
 * MultiplyByQuantizedMultiplier(acc, multiplier, shift) + output_offset,
 * saturated to int8. Dims NHWC right-aligned: n and h are batch dims,
 * broadcast where one side has 1; w and c the matrix. adj_x: lhs is stored
 * [.., K, A] (transposed); adj_y: rhs is stored [.., C, K]. Offsets are
 * -zero_point in [-127, 128]; the loader keeps K <= TRT_MAX_DOT_DEPTH so acc
 * cannot leave int32. No scratch: the transposes are strides. */
typedef struct
{
    int32_t lhs_offset, rhs_offset, output_offset;
    int32_t multiplier, shift;
    int32_t adj_x, adj_y;
} trt_batch_matmul_params_t;

void trt_batch_matmul_s8(const trt_ctx_t *ctx, const trt_batch_matmul_params_t *params, const trt_dims_t *lhs_dims,
                         const int8_t *lhs, const trt_dims_t *rhs_dims, const int8_t *rhs,
                         const trt_dims_t *output_dims, int8_t *output);

/* --- LUT, PRELU, SQUARED_DIFFERENCE --- */

/* Element-wise kernels of two inputs (ADD, SUB, MUL, MAXIMUM, MINIMUM,
 * PRELU, SQUARED_DIFFERENCE) also run in place: output may be input1 when
 * input1_dims equal output_dims and input2 does not overlap output. The
 * broadcast loop writes output element i only after reading element i of
 * each input, and with equal dims input1's element i is output's element i,
 * so no element is overwritten before it is read. */

/* LUT: out[i] = table[(uint8_t)in[i]]. Every int8 -> int8 unary function
 * (RELU, RELU6, LEAKY_RELU, LOGISTIC, TANH, HARD_SWISH, ABS, ELU, RSQRT) is
 * the table of its 256 results, which the converter computes offline with
 * TFLM's integer algorithm. output may be input (in place). */
void trt_lut_s8(const trt_ctx_t *ctx, int32_t size, const int8_t *input, const int8_t *table, int8_t *output);

/* PRELU (TFLM's reference_ops::BroadcastPrelu4DSlow, int8): with
 * x = in + input_offset, out = MultiplyByQuantizedMultiplier(x,
 * output_multiplier_1, output_shift_1) when x >= 0, else
 * MultiplyByQuantizedMultiplier(x * (alpha + alpha_offset),
 * output_multiplier_2, output_shift_2); plus output_offset, saturated to
 * int8. Multiplier 1 is s_in / s_out, multiplier 2 s_in * s_alpha / s_out.
 * alpha broadcasts to the output as input2 does for ADD. */
typedef struct
{
    int32_t input_offset, alpha_offset, output_offset;
    int32_t output_multiplier_1, output_shift_1;
    int32_t output_multiplier_2, output_shift_2;
} trt_prelu_params_t;

void trt_prelu_s8(const trt_ctx_t *ctx, const trt_prelu_params_t *params, const trt_dims_t *input_dims,
                  const int8_t *input, const trt_dims_t *alpha_dims, const int8_t *alpha,
                  const trt_dims_t *output_dims, int8_t *output);

/* SQUARED_DIFFERENCE (TFLM's squared_difference.cc, int8): ADD's fields with
 * left_shift 7; each input scaled as for ADD, the difference squared, then
 * MultiplyByQuantizedMultiplier(d * d, output_multiplier, output_shift) (the
 * output multiplier (2 max(s1, s2))^2 / (2^14 s_out) may exceed 1) +
 * output_offset, clamped to [act_min, act_max] (the int8 range). */
void trt_squared_difference_s8(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *input1_dims,
                               const int8_t *input1, const trt_dims_t *input2_dims, const int8_t *input2,
                               const trt_dims_t *output_dims, int8_t *output);

/* ---- kernels/arm_dsp: ARMv7E-M DSP variants (portable C models elsewhere) ----
 * They leave the input offset to the bias: the converter folds
 * input_offset * sum(filter) into each channel's bias for every shape, and
 * params->input_offset only gives the value of taps outside the image
 * (-input_offset, the input zero point, whose contribution the folded bias
 * already holds). */

/* CONV_2D, any filter, stride, dilation and padding (no groups). In place
 * when input == output, for 1x1 filters, stride 1, no padding and
 * Cout <= Cin (a pass's output pixels p .. p + n - 1 land over input
 * pixels <= p + n - 1, which the kernel has read by then). ctx->buf:
 * trt_conv_s8_dsp_scratch_size(params, filter_dims) bytes, 4-byte aligned,
 * outside input and output. */
void trt_conv_s8_dsp(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                     const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                     const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                     const trt_dims_t *output_dims, int8_t *output);
int32_t trt_conv_s8_dsp_scratch_size(const trt_conv_params_t *params, const trt_dims_t *filter_dims);

/* ADD and SUB, both inputs of the output's dims (no broadcast); in place when
 * output == input1. ctx->buf: trt_add_s8_dsp_scratch_size() bytes, 4-byte
 * aligned. */
void trt_add_s8_dsp(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *dims,
                    const int8_t *input1, const int8_t *input2, int8_t *output);
void trt_sub_s8_dsp(const trt_ctx_t *ctx, const trt_add_params_t *params, const trt_dims_t *dims,
                    const int8_t *input1, const int8_t *input2, int8_t *output);
int32_t trt_add_s8_dsp_scratch_size(void);

/* AVERAGE_POOL_2D with a multiple of 4 channels and windows of at most
 * TRT_AVGPOOL_DSP_MAX_WINDOW pixels (halfword sums: 255 * 128 stays inside
 * int16). No scratch. */
#define TRT_AVGPOOL_DSP_MAX_WINDOW 255
void trt_avgpool_s8_dsp(const trt_pool_params_t *params, const trt_dims_t *input_dims, const int8_t *input,
                        const trt_dims_t *output_dims, int8_t *output);

/* The depthwise and fully connected constants are laid out offline for the
 * inner loop (the layouts are in kernels/arm_dsp/dwconv_s8_dsp.h and
 * fc_s8_dsp.c, and python/tinyrt/layout.py writes them); the converter picks
 * a variant where its *_takes predicate holds, and the loader checks the same
 * predicate. */

/* DEPTHWISE_CONV_2D, DSP: bias always present with input_offset *
 * sum(filter) folded in (whatever the padding: with padding read as the zero
 * point, -input_offset, whose offset input is 0, the fold is exact
 * everywhere); input_offset stays -input_zero_point, for the windows that
 * reach into the padding (they sum their in-image taps with the offset, on
 * the bias less the fold: the same value). Filter laid out per
 * group of four input channels. Needs input_dims->c >= 4 (the _takes
 * predicates). The in-place forms have trt_dwconv_s8_inplace's aliasing and
 * conditions (depth multiplier 1) and need
 * trt_dwconv_s8_dsp_inplace_scratch_size() bytes of scratch: one plane of
 * four channels. The 3x3 form takes 3x3 filters only. */
int trt_dwconv_s8_dsp_takes(const trt_conv_params_t *params, const trt_dims_t *input_dims,
                            const trt_dims_t *filter_dims, const trt_dims_t *output_dims);
int trt_dwconv_s8_dsp_3x3_takes(const trt_conv_params_t *params, const trt_dims_t *input_dims,
                                const trt_dims_t *filter_dims, const trt_dims_t *output_dims);
int32_t trt_dwconv_s8_dsp_inplace_scratch_size(const trt_dims_t *output_dims);

void trt_dwconv_s8_dsp(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                       const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                       const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                       const trt_dims_t *output_dims, int8_t *output);
void trt_dwconv_s8_dsp_3x3(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                           const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                           const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                           const trt_dims_t *output_dims, int8_t *output);
void trt_dwconv_s8_dsp_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params, const trt_requant_t *quant,
                               const trt_dims_t *input_dims, const trt_dims_t *filter_dims, const int8_t *filter,
                               const trt_dims_t *bias_dims, const int32_t *bias, const trt_dims_t *output_dims,
                               int8_t *data);
void trt_dwconv_s8_dsp_3x3_inplace(const trt_ctx_t *ctx, const trt_conv_params_t *params,
                                   const trt_requant_t *quant, const trt_dims_t *input_dims,
                                   const trt_dims_t *filter_dims, const int8_t *filter, const trt_dims_t *bias_dims,
                                   const int32_t *bias, const trt_dims_t *output_dims, int8_t *data);

/* FULLY_CONNECTED, DSP: any shape; bias present with input_offset *
 * sum(row) folded in and input_offset 0; filter laid out four units at a
 * time (fc_s8_dsp.c). */
void trt_fc_s8_dsp(const trt_ctx_t *ctx, const trt_fc_params_t *params, const trt_requant_t *quant,
                   const trt_dims_t *input_dims, const int8_t *input, const trt_dims_t *filter_dims,
                   const int8_t *filter, const trt_dims_t *bias_dims, const int32_t *bias,
                   const trt_dims_t *output_dims, int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* TINYRT_KERNELS_H */
