/* Serial server firmware: the board's UART serves the model of model_data.c
 * (and, on boards with RAM to spare, a model uploaded into a RAM slot) to a
 * host runner (python/tinyrt/hil). Two modes on the same UART, picked by the
 * first byte the host sends after boot (or fixed with SERVE_MODE):
 *
 * - tinyrt binary protocol (first byte 0x00). Every frame on the wire is
 *   COBS(body) followed by a 0x00 delimiter, where
 *     body = type u8 | seq u8 | length u16 LE | payload[length] | CRC-32 LE
 *   (CRC-32/ISO-HDLC, zlib's crc32, of everything before it). A reply has
 *   the request's type | 0x80 and its seq; a refusal is a NAK (type 0x7F,
 *   payload: code u8, request type u8, reason text). Garbage, partial or
 *   oversize frames, bad CRCs, bad lengths and unknown types get a NAK; the
 *   server resynchronises on the next 0x00 and never writes past a buffer.
 *   The last reply is kept: a request repeated with the same seq, type and
 *   CRC (a host retry) gets the same reply again without running twice.
 * - MLPerf Tiny / EEMBC DUT text mode (any other first byte): commands end
 *   with '%', replies end with "m-ready" (see dut_command below). A 0x00
 *   switches to the binary protocol.
 *
 * Boot prints the DUT banner (m-timestamp-mode-performance, m-lap-us-<t>,
 * m-init-done, m-ready) whatever the mode; a binary host skips it as garbage.
 * serve_config.h (written by python/tinyrt/target/firmware.py) names the
 * board, model id and buffer sizes; without it the defaults below apply. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "model_data.h"
#include "tinyrt/tinyrt.h"

#if defined(__has_include)
#if __has_include("serve_config.h")
#include "serve_config.h"
#endif
#endif

#ifndef SERVE_BOARD
#define SERVE_BOARD "unknown"
#endif
#ifndef SERVE_VERSION
#define SERVE_VERSION "0.1.0"
#endif
#ifndef SERVE_MODEL_ID
#define SERVE_MODEL_ID "unknown"
#endif
#ifndef SERVE_VENDOR
#define SERVE_VENDOR "tinyrt"
#endif
/* Input staging buffer: all inputs of one inference, back to back. */
#ifndef SERVE_IO_BYTES
#define SERVE_IO_BYTES 1024u
#endif
/* RAM slot for an uploaded blob and its arena (0: no slot). */
#ifndef SERVE_RAM_SLOT_BYTES
#define SERVE_RAM_SLOT_BYTES 0u
#endif
#ifndef SERVE_RAM_ARENA_BYTES
#define SERVE_RAM_ARENA_BYTES 0u
#endif
#ifndef SERVE_MAX_OPS
#define SERVE_MAX_OPS MODEL_DATA_NUM_OPS
#endif
/* 0: chosen by the host's first byte, 1: binary only, 2: DUT text only. */
#ifndef SERVE_MODE
#define SERVE_MODE 0
#endif

#define PROTO_VERSION 1u
#define MAX_PAYLOAD 256u
#define BODY_MAX (4u + MAX_PAYLOAD + 4u)
#define WIRE_MAX (BODY_MAX + BODY_MAX / 254u + 2u)

enum {
    T_INFO = 0x01,
    T_SET_INPUT = 0x02,
    T_INVOKE = 0x03,
    T_READ_OUTPUT = 0x04,
    T_READ_CYCLES = 0x05,
    T_RESET_STATE = 0x06,
    T_LOAD_BEGIN = 0x07,
    T_LOAD_DATA = 0x08,
    T_LOAD_COMMIT = 0x09,
    T_SELECT = 0x0A,
    T_TENSOR = 0x0B,
    T_DUT_MODE = 0x0C,
    T_NAK = 0x7F,
};

enum {
    NAK_FRAME = 1,    /* COBS error, short or oversize frame */
    NAK_CRC = 2,      /* CRC mismatch */
    NAK_LENGTH = 3,   /* length field disagrees with the frame */
    NAK_TYPE = 4,     /* unknown type */
    NAK_ARG = 5,      /* bad argument (offset, size, index) */
    NAK_RUNTIME = 6,  /* a trt_* call failed */
    NAK_NO_SLOT = 7,  /* no RAM slot, or none loaded */
    NAK_UPLOAD = 8,   /* incomplete or corrupt upload */
};

/* ---- models ----------------------------------------------------------- */

static trt_model_t flash_model;
static uint8_t flash_arena[MODEL_DATA_ARENA_BYTES > 0 ? MODEL_DATA_ARENA_BYTES : 1] __attribute__((aligned(16)));
static trt_status_t flash_status;
static uint32_t flash_hash;

#if SERVE_RAM_SLOT_BYTES > 0
static trt_model_t slot_model;
static uint8_t slot_blob[SERVE_RAM_SLOT_BYTES] __attribute__((aligned(16)));
static uint8_t slot_arena[SERVE_RAM_ARENA_BYTES > 0 ? SERVE_RAM_ARENA_BYTES : 1] __attribute__((aligned(16)));
static uint32_t slot_len, slot_received, slot_crc, slot_hash;
static int slot_valid;
#endif

static trt_model_t *active;
static uint32_t active_slot, active_hash, active_len;
static uint32_t in_total, out_total;

static uint8_t input_buf[SERVE_IO_BYTES];
static uint32_t op_cycles[SERVE_MAX_OPS > 0 ? SERVE_MAX_OPS : 1];
static uint32_t op_start, runs_total, cycles_total, us_total;

/* ---- CRC-32 (zlib's), nibble table ------------------------------------ */

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t tab[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
        0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
    };
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ tab[crc & 0xFu];
        crc = (crc >> 4) ^ tab[crc & 0xFu];
    }
    return ~crc;
}

/* ---- little-endian helpers -------------------------------------------- */

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t get_u16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static uint8_t *put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put_str(uint8_t *p, const char *s)
{
    size_t n = strlen(s);
    if (n > 32)
        n = 32;
    *p++ = (uint8_t)n;
    memcpy(p, s, n);
    return p + n;
}

/* ---- console text ----------------------------------------------------- */

static void out_str(const char *s)
{
    while (*s)
        board_uart_putc(*s++);
}

static void out_u32(uint32_t v)
{
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        board_uart_putc(buf[--n]);
}

static void out_hex2(uint8_t b)
{
    static const char hex[] = "0123456789abcdef";
    board_uart_putc(hex[b >> 4]);
    board_uart_putc(hex[b & 0xF]);
}

static void out_line(const char *s)
{
    out_str(s);
    out_str("\r\n");
}

/* ---- model activation ------------------------------------------------- */

static void op_hook(void *user, uint32_t op_index, uint32_t op_type, int end)
{
    (void)user;
    (void)op_type;
    uint32_t now = board_cycles();
    if (!end)
        op_start = now;
    else if (op_index < SERVE_MAX_OPS)
        op_cycles[op_index] += now - op_start;
}

static uint32_t tensors_bytes(const trt_model_t *m, int outputs)
{
    uint32_t total = 0, n = outputs ? trt_num_outputs(m) : trt_num_inputs(m);
    for (uint32_t i = 0; i < n; i++) {
        trt_tensor_t t;
        if ((outputs ? trt_output(m, i, &t) : trt_input(m, i, &t)) == TRT_OK)
            total += t.bytes;
    }
    return total;
}

static void clear_stats(void)
{
    memset(op_cycles, 0, sizeof op_cycles);
    runs_total = cycles_total = us_total = 0;
}

/* Make `m` the served model; NULL-safe for a flash model that failed. */
static const char *activate(trt_model_t *m, uint32_t slot, uint32_t hash, uint32_t len)
{
    uint32_t ib = tensors_bytes(m, 0);
    if (ib > SERVE_IO_BYTES)
        return "model inputs larger than the input buffer";
    active = m;
    active_slot = slot;
    active_hash = hash;
    active_len = len;
    in_total = ib;
    out_total = tensors_bytes(m, 1);
    trt_set_op_hook(m, op_hook, 0);
    clear_stats();
    return 0;
}

static trt_status_t run_model(uint32_t count)
{
    if (!active)
        return TRT_ERR_NOT_READY;
    clear_stats();
    for (uint32_t r = 0; r < count; r++) {
        uint32_t used = 0;
        for (uint32_t i = 0; i < trt_num_inputs(active); i++) {
            trt_tensor_t t;
            trt_status_t st = trt_input(active, i, &t);
            if (st != TRT_OK)
                return st;
            memcpy(t.data, input_buf + used, t.bytes);
            used += t.bytes;
        }
        uint64_t u0 = board_time_us();
        uint32_t c0 = board_cycles();
        trt_status_t st = trt_invoke(active);
        cycles_total += board_cycles() - c0;
        us_total += (uint32_t)(board_time_us() - u0);
        if (st != TRT_OK)
            return st;
        runs_total++;
    }
    return TRT_OK;
}

/* Byte `pos` of all outputs back to back. */
static int output_bytes(uint32_t pos, uint8_t *dst, uint32_t n)
{
    uint32_t base = 0;
    for (uint32_t o = 0; o < trt_num_outputs(active) && n; o++) {
        trt_tensor_t t;
        if (trt_output(active, o, &t) != TRT_OK)
            return -1;
        while (n && pos < base + t.bytes) {
            *dst++ = ((const uint8_t *)t.data)[pos - base];
            pos++;
            n--;
        }
        base += t.bytes;
    }
    return n ? -1 : 0;
}

/* ---- binary protocol -------------------------------------------------- */

static uint8_t rx_wire[WIRE_MAX];
static uint32_t rx_len;
static int rx_overflow;
static uint8_t rx_body[WIRE_MAX];
static uint8_t tx_body[BODY_MAX];
static uint8_t tx_wire[WIRE_MAX];
static uint32_t tx_wire_len;
static int have_last;
static uint8_t last_type, last_seq;
static uint32_t last_crc;

static void send_wire(void)
{
    board_uart_putc(0);
    for (uint32_t i = 0; i < tx_wire_len; i++)
        board_uart_putc((char)tx_wire[i]);
    board_uart_putc(0);
}

/* Frame tx_body[4 .. 4+len) as type/seq, COBS-encode it into tx_wire, send. */
static void send_frame(uint8_t type, uint8_t seq, uint32_t len)
{
    tx_body[0] = type;
    tx_body[1] = seq;
    put_u16(tx_body + 2, len);
    put_u32(tx_body + 4 + len, crc32_update(0, tx_body, 4 + len));
    uint32_t n = 4 + len + 4, out = 1, code_pos = 0;
    uint8_t code = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (tx_body[i] == 0) {
            tx_wire[code_pos] = code;
            code_pos = out++;
            code = 1;
        } else {
            tx_wire[out++] = tx_body[i];
            if (++code == 0xFF) {
                tx_wire[code_pos] = code;
                code_pos = out++;
                code = 1;
            }
        }
    }
    tx_wire[code_pos] = code;
    tx_wire_len = out;
    send_wire();
}

static void nak(uint8_t seq, uint8_t req_type, uint8_t code, const char *why, const char *detail)
{
    uint8_t *p = tx_body + 4;
    *p++ = code;
    *p++ = req_type;
    size_t room = MAX_PAYLOAD - 2;
    for (const char *s = why; s && *s && room; s++, room--)
        *p++ = (uint8_t)*s;
    if (detail && room > 2) {
        *p++ = ':';
        *p++ = ' ';
        room -= 2;
        for (const char *s = detail; *s && room; s++, room--)
            *p++ = (uint8_t)*s;
    }
    send_frame(T_NAK, seq, (uint32_t)(p - (tx_body + 4)));
}

/* COBS-decode rx_wire[0..rx_len) into rx_body; returns the length or -1. */
static int cobs_decode(void)
{
    uint32_t in = 0, out = 0;
    while (in < rx_len) {
        uint8_t code = rx_wire[in++];
        if (code == 0)
            return -1;
        for (uint32_t k = 1; k < code; k++) {
            if (in >= rx_len || out >= sizeof rx_body)
                return -1;
            rx_body[out++] = rx_wire[in++];
        }
        if (code != 0xFF && in < rx_len) {
            if (out >= sizeof rx_body)
                return -1;
            rx_body[out++] = 0;
        }
    }
    return (int)out;
}

static void tensor_info(uint8_t **pp, const trt_tensor_t *t)
{
    uint8_t *p = *pp;
    uint32_t scale_bits;
    memcpy(&scale_bits, &t->scale, 4);
    *p++ = (uint8_t)t->type;
    *p++ = (uint8_t)t->rank;
    for (uint32_t d = 0; d < TRT_MAX_DIMS; d++)
        p = put_u32(p, d < t->rank ? (uint32_t)t->dims[d] : 0u);
    p = put_u32(p, t->bytes);
    p = put_u32(p, scale_bits);
    p = put_u32(p, (uint32_t)t->zero_point);
    *pp = p;
}

static int dut_mode;
static void dut_ready(void);

#define NAK_RETURN(...)                                                                                                \
    do {                                                                                                               \
        nak(__VA_ARGS__);                                                                                              \
        return;                                                                                                        \
    } while (0)

/* One request: reply (or NAK) into tx_body and send it. */
static void handle_request(uint8_t type, uint8_t seq, const uint8_t *a, uint32_t n)
{
    uint8_t *p = tx_body + 4;
    uint8_t rt = (uint8_t)(type | 0x80u);
    switch (type) {
    case T_INFO:
        *p++ = PROTO_VERSION;
        *p++ = (uint8_t)active_slot;
        p = put_u16(p, MAX_PAYLOAD);
        p = put_u32(p, active_hash);
        p = put_u32(p, active_len);
        p = put_u32(p, active ? active->arena_bytes : 0u);
        p = put_u32(p, SERVE_RAM_SLOT_BYTES);
        p = put_u32(p, SERVE_RAM_ARENA_BYTES);
        p = put_u32(p, SERVE_IO_BYTES);
        p = put_u32(p, board_clock_hz());
        p = put_u32(p, (uint32_t)(active ? TRT_OK : flash_status));
        p = put_u16(p, active ? trt_num_ops(active) : 0u);
        *p++ = (uint8_t)(active ? trt_num_inputs(active) : 0u);
        *p++ = (uint8_t)(active ? trt_num_outputs(active) : 0u);
        p = put_u32(p, in_total);
        p = put_u32(p, out_total);
        p = put_str(p, SERVE_BOARD);
        p = put_str(p, SERVE_VERSION);
        p = put_str(p, SERVE_MODEL_ID);
        break;
    case T_TENSOR: {
        trt_tensor_t t;
        if (n != 2 || !active)
            NAK_RETURN(seq, type, NAK_ARG, "tensor: want is_output u8, index u8", 0);
        trt_status_t st = a[0] ? trt_output(active, a[1], &t) : trt_input(active, a[1], &t);
        if (st != TRT_OK)
            NAK_RETURN(seq, type, NAK_ARG, "tensor", trt_status_str(st));
        tensor_info(&p, &t);
        break;
    }
    case T_SET_INPUT: {
        if (n < 4)
            NAK_RETURN(seq, type, NAK_ARG, "set input: want offset u32 + bytes", 0);
        uint32_t off = get_u32(a), len = n - 4;
        if (off > in_total || len > in_total - off)
            NAK_RETURN(seq, type, NAK_ARG, "set input: past the end of the model inputs", 0);
        memcpy(input_buf + off, a + 4, len);
        p = put_u32(p, off + len);
        break;
    }
    case T_INVOKE: {
        uint32_t count = n >= 4 ? get_u32(a) : 1u;
        if (count == 0 || count > 100000u)
            NAK_RETURN(seq, type, NAK_ARG, "invoke: count must be 1..100000", 0);
        trt_status_t st = run_model(count);
        if (st != TRT_OK)
            NAK_RETURN(seq, type, NAK_RUNTIME, "trt_invoke", trt_status_str(st));
        p = put_u32(p, runs_total);
        p = put_u32(p, cycles_total);
        p = put_u32(p, us_total);
        break;
    }
    case T_READ_OUTPUT: {
        if (n != 6 || !active)
            NAK_RETURN(seq, type, NAK_ARG, "read output: want offset u32, max u16", 0);
        uint32_t off = get_u32(a), max = get_u16(a + 4);
        if (off > out_total)
            NAK_RETURN(seq, type, NAK_ARG, "read output: offset past the end", 0);
        uint32_t len = out_total - off;
        if (len > max)
            len = max;
        if (len > MAX_PAYLOAD - 8)
            len = MAX_PAYLOAD - 8;
        p = put_u32(p, off);
        p = put_u32(p, out_total);
        if (output_bytes(off, p, len) != 0)
            NAK_RETURN(seq, type, NAK_RUNTIME, "read output", 0);
        p += len;
        break;
    }
    case T_READ_CYCLES: {
        uint32_t first = n >= 2 ? get_u16(a) : 0u;
        uint32_t ops = active ? trt_num_ops(active) : 0u;
        if (ops > SERVE_MAX_OPS)
            ops = SERVE_MAX_OPS;
        uint32_t count = first < ops ? ops - first : 0u;
        if (count > (MAX_PAYLOAD - 16) / 4)
            count = (MAX_PAYLOAD - 16) / 4;
        p = put_u32(p, runs_total);
        p = put_u32(p, cycles_total);
        p = put_u32(p, us_total);
        p = put_u16(p, ops);
        p = put_u16(p, first);
        for (uint32_t i = 0; i < count; i++)
            p = put_u32(p, op_cycles[first + i]);
        break;
    }
    case T_RESET_STATE: {
        trt_status_t st = active ? trt_reset_state(active) : TRT_ERR_NOT_READY;
        if (st != TRT_OK)
            NAK_RETURN(seq, type, NAK_RUNTIME, "trt_reset_state", trt_status_str(st));
        break;
    }
#if SERVE_RAM_SLOT_BYTES > 0
    case T_LOAD_BEGIN: {
        if (n != 8)
            NAK_RETURN(seq, type, NAK_ARG, "load begin: want length u32, crc32 u32", 0);
        uint32_t len = get_u32(a);
        if (len == 0 || len > SERVE_RAM_SLOT_BYTES)
            NAK_RETURN(seq, type, NAK_ARG, "load begin: blob does not fit the RAM slot", 0);
        if (active_slot == 1 && flash_status == TRT_OK)
            activate(&flash_model, 0, flash_hash, (uint32_t)model_data_len);
        else if (active_slot == 1)
            active = 0;
        slot_valid = 0;
        slot_len = len;
        slot_crc = get_u32(a + 4);
        slot_received = 0;
        p = put_u32(p, SERVE_RAM_SLOT_BYTES);
        break;
    }
    case T_LOAD_DATA: {
        if (n < 4 || slot_len == 0)
            NAK_RETURN(seq, type, NAK_ARG, "load data: no upload begun", 0);
        uint32_t off = get_u32(a), len = n - 4;
        if (off > slot_received || off > slot_len || len > slot_len - off)
            NAK_RETURN(seq, type, NAK_ARG, "load data: offset out of order or past the blob", 0);
        memcpy(slot_blob + off, a + 4, len);
        if (off + len > slot_received)
            slot_received = off + len;
        p = put_u32(p, slot_received);
        break;
    }
    case T_LOAD_COMMIT: {
        if (slot_len == 0 || slot_received != slot_len)
            NAK_RETURN(seq, type, NAK_UPLOAD, "load commit: incomplete upload", 0);
        uint32_t crc = crc32_update(0, slot_blob, slot_len);
        if (crc != slot_crc)
            NAK_RETURN(seq, type, NAK_UPLOAD, "load commit: upload CRC mismatch", 0);
        trt_status_t st = trt_model_init(&slot_model, slot_blob, slot_len, slot_arena, sizeof slot_arena);
        if (st != TRT_OK)
            NAK_RETURN(seq, type, NAK_UPLOAD, "trt_model_init", trt_status_str(st));
        const char *why = activate(&slot_model, 1, crc, slot_len);
        if (why)
            NAK_RETURN(seq, type, NAK_UPLOAD, why, 0);
        slot_valid = 1;
        slot_hash = crc;
        p = put_u32(p, crc);
        break;
    }
#endif
    case T_SELECT: {
        const char *why = "select: slot 0 (flash) or 1 (RAM, once loaded)";
        if (n == 1 && a[0] == 0 && flash_status == TRT_OK)
            why = activate(&flash_model, 0, flash_hash, (uint32_t)model_data_len);
#if SERVE_RAM_SLOT_BYTES > 0
        else if (n == 1 && a[0] == 1 && slot_valid)
            why = activate(&slot_model, 1, slot_hash, slot_len);
#endif
        if (why)
            NAK_RETURN(seq, type, NAK_NO_SLOT, why, 0);
        p = put_u32(p, active_hash);
        break;
    }
    case T_DUT_MODE: /* the reply, then text commands (no m-ready: the host already knows) */
        send_frame(rt, seq, 0);
        dut_mode = 1;
        return;
    default:
        NAK_RETURN(seq, type, NAK_TYPE, "unknown message type", 0);
    }
    send_frame(rt, seq, (uint32_t)(p - (tx_body + 4)));
}

static void process_frame(void)
{
    int n = cobs_decode();
    if (n < 0)
        NAK_RETURN(0xFF, 0, NAK_FRAME, "bad COBS encoding", 0);
    if (n < 8)
        NAK_RETURN(0xFF, 0, NAK_FRAME, "short frame", 0);
    uint8_t type = rx_body[0], seq = rx_body[1];
    uint32_t len = get_u16(rx_body + 2);
    uint32_t crc = crc32_update(0, rx_body, (size_t)n - 4);
    if (crc != get_u32(rx_body + n - 4))
        NAK_RETURN(seq, type, NAK_CRC, "bad CRC", 0);
    if (len > MAX_PAYLOAD)
        NAK_RETURN(seq, type, NAK_LENGTH, "payload too long", 0);
    if (len != (uint32_t)n - 8)
        NAK_RETURN(seq, type, NAK_LENGTH, "length field does not match the frame", 0);
    if (have_last && type == last_type && seq == last_seq && crc == last_crc) {
        send_wire(); /* a retry: the same reply, not a second run */
        return;
    }
    handle_request(type, seq, rx_body + 4, len);
    have_last = 1;
    last_type = type;
    last_seq = seq;
    last_crc = crc;
}

static void binary_byte(uint8_t c)
{
    if (c == 0) {
        if (rx_overflow)
            nak(0xFF, 0, NAK_FRAME, "frame too long", 0);
        else if (rx_len > 0)
            process_frame();
        rx_len = 0;
        rx_overflow = 0;
    } else if (rx_len < sizeof rx_wire) {
        rx_wire[rx_len++] = c;
    } else {
        rx_overflow = 1;
    }
}

/* ---- MLPerf Tiny / EEMBC DUT text mode -------------------------------- */

#define DUT_CMD_MAX 80u

static char dut_cmd[DUT_CMD_MAX + 1];
static uint32_t dut_len;
static int dut_too_long;
static uint32_t db_expect, db_have;
static int have_results;

static void dut_ready(void)
{
    out_line("m-ready");
}

static void dut_error(const char *why, const char *detail)
{
    out_str("e-[");
    out_str(why);
    if (detail) {
        out_str(": ");
        out_str(detail);
    }
    out_line("]");
}

static void lap(void)
{
    out_str("m-lap-us-");
    out_u32((uint32_t)board_time_us());
    out_str("\r\n");
}

static int parse_u32(const char *s, uint32_t *v)
{
    uint32_t x = 0;
    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > 429496728u)
            return -1;
        x = x * 10u + (uint32_t)(*s - '0');
    }
    *v = x;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One dequantized output value with three decimals (rounded half away from zero). */
static void out_fixed3(float v)
{
    float a = v < 0.0f ? -v : v;
    if (a > 4000000.0f)
        a = 4000000.0f;
    uint32_t m = (uint32_t)(a * 1000.0f + 0.5f);
    if (v < 0.0f && m != 0)
        board_uart_putc('-');
    out_u32(m / 1000u);
    board_uart_putc('.');
    board_uart_putc((char)('0' + m / 100u % 10u));
    board_uart_putc((char)('0' + m / 10u % 10u));
    board_uart_putc((char)('0' + m % 10u));
}

static void print_results(void)
{
    out_str("m-results-[");
    int first = 1;
    for (uint32_t o = 0; active && o < trt_num_outputs(active); o++) {
        trt_tensor_t t;
        if (trt_output(active, o, &t) != TRT_OK)
            break;
        uint32_t count = t.type == TRT_TYPE_FLOAT32 ? t.bytes / 4u : t.bytes;
        for (uint32_t i = 0; i < count; i++) {
            float v;
            if (t.type == TRT_TYPE_FLOAT32)
                memcpy(&v, (const uint8_t *)t.data + 4u * i, 4);
            else
                v = t.scale * (float)((int32_t)((const int8_t *)t.data)[i] - t.zero_point);
            if (!first)
                board_uart_putc(',');
            first = 0;
            out_fixed3(v);
        }
    }
    out_line("]");
}

static void dut_command(char *cmd)
{
    char *tok[8];
    uint32_t nt = 0;
    for (char *s = cmd; *s && nt < 8;) {
        while (*s == ' ')
            *s++ = '\0';
        if (!*s)
            break;
        tok[nt++] = s;
        while (*s && *s != ' ')
            s++;
    }
    if (nt == 0)
        return; /* an empty command: no reply, as EEMBC's parser */
    if (!strcmp(tok[0], "name")) {
        out_line("m-name-dut-[" SERVE_VENDOR "]");
    } else if (!strcmp(tok[0], "profile")) {
        out_line("m-profile-[" SERVE_VERSION "]");
        out_line("m-model-[" SERVE_MODEL_ID "]");
    } else if (!strcmp(tok[0], "timestamp")) {
        lap();
    } else if (!strcmp(tok[0], "db") && nt >= 2 && !strcmp(tok[1], "load")) {
        uint32_t n;
        if (nt != 3 || parse_u32(tok[2], &n) != 0)
            dut_error("db load: want a byte count", 0);
        else if (n > in_total || n == 0) {
            db_expect = 0;
            out_str("e-[db load: ");
            out_u32(n);
            out_str(" bytes, the input buffer holds ");
            out_u32(in_total);
            out_line("]");
        } else {
            db_expect = n;
            db_have = 0;
            out_str("m-[Expecting ");
            out_u32(n);
            out_line(" bytes]");
        }
    } else if (!strcmp(tok[0], "db") && nt >= 2 && !strcmp(tok[1], "print")) {
        uint32_t n = db_have, off = 0;
        if ((nt >= 3 && parse_u32(tok[2], &n) != 0) || (nt >= 4 && parse_u32(tok[3], &off) != 0))
            dut_error("db print: want [count] [offset]", 0);
        else {
            if (off > in_total)
                off = in_total;
            if (n > in_total - off)
                n = in_total - off;
            for (uint32_t i = 0; i < n; i++) {
                if (i % 16u == 0)
                    out_str(i ? "\r\nm-buffer-" : "m-buffer-");
                else
                    board_uart_putc('-');
                out_hex2(input_buf[off + i]);
            }
            if (n)
                out_str("\r\n");
        }
    } else if (!strcmp(tok[0], "db") && nt == 2) {
        const char *h = tok[1];
        size_t len = strlen(h);
        if (db_expect == 0)
            dut_error("db: no db load", 0);
        else if (len % 2u != 0)
            dut_error("db: odd number of hex digits", 0);
        else {
            int bad = 0;
            for (size_t i = 0; i < len && !bad; i += 2) {
                int hi = hexval(h[i]), lo = hexval(h[i + 1]);
                if (hi < 0 || lo < 0)
                    bad = 1;
                else if (db_have >= db_expect)
                    bad = 2;
                else
                    input_buf[db_have++] = (uint8_t)(hi << 4 | lo);
            }
            if (bad == 1)
                dut_error("db: not a hex byte", 0);
            else if (bad == 2)
                dut_error("db: more bytes than db load announced", 0);
            else if (db_have == db_expect)
                out_line("m-load-done");
        }
    } else if (!strcmp(tok[0], "infer")) {
        uint32_t n = 1, w = 0;
        if ((nt >= 2 && parse_u32(tok[1], &n) != 0) || (nt >= 3 && parse_u32(tok[2], &w) != 0) || n == 0)
            dut_error("infer: want N [W], N >= 1", 0);
        else if (!active)
            dut_error("infer: no model", trt_status_str(flash_status));
        else {
            out_str("m-warmup-start-");
            out_u32(w);
            out_str("\r\n");
            trt_status_t st = w ? run_model(w) : TRT_OK;
            out_line("m-warmup-done");
            out_str("m-infer-start-");
            out_u32(n);
            out_str("\r\n");
            if (st == TRT_OK) {
                lap();
                st = run_model(n);
                lap();
            }
            if (st != TRT_OK) {
                have_results = 0;
                dut_error("infer", trt_status_str(st));
            } else {
                out_line("m-infer-done");
                have_results = 1;
                print_results();
            }
        }
    } else if (!strcmp(tok[0], "results")) {
        if (have_results)
            print_results();
        else
            dut_error("results: no inference yet", 0);
    } else {
        dut_error("Unknown command", tok[0]);
    }
    dut_ready();
}

static void dut_byte(uint8_t c)
{
    if (c == '%') {
        if (dut_too_long) {
            dut_error("command longer than 80 characters", 0);
            dut_ready();
        } else {
            dut_cmd[dut_len] = '\0';
            dut_command(dut_cmd);
        }
        dut_len = 0;
        dut_too_long = 0;
    } else if (c == '\r' || c == '\n') {
        /* line ends between commands are not part of them */
    } else if (dut_len < DUT_CMD_MAX) {
        dut_cmd[dut_len++] = (char)c;
    } else {
        dut_too_long = 1;
    }
}

/* ---- main ------------------------------------------------------------- */

int main(void)
{
    board_init();
    (void)board_time_us(); /* starts the time base */
    flash_hash = crc32_update(0, model_data, model_data_len);
    flash_status = trt_model_init(&flash_model, model_data, model_data_len, flash_arena, sizeof flash_arena);
    const char *why = flash_status == TRT_OK ? activate(&flash_model, 0, flash_hash, (uint32_t)model_data_len)
                                             : trt_status_str(flash_status);
    out_line("m-timestamp-mode-performance");
    lap();
    if (why)
        dut_error("model", why);
    out_line("m-init-done");
    dut_ready();

    int mode = SERVE_MODE; /* 0 unknown, 1 binary, 2 DUT */
    for (;;) {
        int c = board_uart_getc();
        if (c < 0) {
            (void)board_time_us(); /* keeps a 32-bit time base from missing a wrap */
            continue;
        }
        if (mode == 0)
            mode = c == 0 ? 1 : 2;
        if (mode == 2 && c == 0 && SERVE_MODE == 0) {
            mode = 1;
            rx_len = 0;
            rx_overflow = 0;
        }
        if (mode == 1) {
            binary_byte((uint8_t)c);
            if (dut_mode) {
                dut_mode = 0;
                mode = 2;
                dut_len = 0;
            }
        } else {
            dut_byte((uint8_t)c);
        }
    }
}
