/*
 * bleshark_core.h: the device side of /scan/live in portable C11: UTF-8, JSON output, the command
 * parser, the device table, the filter, device records and the sessions (bsk_core_*).
 *
 * Contract for every function here:
 * - No heap. Every byte the core uses is a static or caller-provided buffer, sized by the Nano's limits
 *   in the generated bleshark_protocol.h (`npx bleshark-bridge protocol-header`, never hand-copied).
 * - Only string.h-level libc (memcpy, memset, memcmp, strlen).
 * - Single-threaded by contract: the firmware serialises every call into the core (on ESP-IDF through
 *   httpd_queue_work); no call is reentrant and none blocks.
 * - Pointers passed in are borrowed for the call only unless a comment says otherwise.
 * "Cost" below is the work per call; "memory" is what the call needs besides its arguments.
 */
#ifndef BLESHARK_CORE_H
#define BLESHARK_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bleshark_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- UTF-8 ---- */

/* What bsk_utf8_next reports for a maximal invalid subpart (one U+FFFD in the WHATWG decoder). */
#define BSK_UTF8_INVALID 0xFFFFFFFFu

/*
 * Decodes the code point at s[0] (n >= 1 bytes available) into *cp and returns the bytes it takes
 * (1..4). Invalid input (a bad lead byte, a missing or wrong continuation, an overlong form, a
 * surrogate, a value over U+10FFFF, a sequence cut by the end) gives *cp = BSK_UTF8_INVALID and the
 * length of its maximal subpart, exactly as the WHATWG decoder (TextDecoder) replaces it with one
 * U+FFFD. With allow_surrogates, ED A0..BF xx decodes to U+D800..DFFF (WTF-8, see bsk_cmd_t).
 * Cost O(1); memory none.
 */
size_t bsk_utf8_next(const uint8_t *s, size_t n, uint32_t *cp, bool allow_surrogates);

/* True when s[0..n) is valid UTF-8 (surrogates refused). Cost O(n); memory none. */
bool bsk_utf8_valid(const uint8_t *s, size_t n);

/* ---- JSON output, streamed into a caller-provided buffer ---- */

/*
 * A writer over buf[0..cap). The buffer is the caller's and stays borrowed while the writer is used.
 * Every write either fits whole or writes nothing and sets `truncated`; the writer never writes at or
 * past buf + cap and never writes a NUL. A caller cutting records to a frame remembers `len` before a
 * record and restores it (and clears `truncated`) when the record did not fit.
 */
typedef struct {
  char *buf;
  size_t cap;
  size_t len;
  bool truncated;
} bsk_json_t;

/* Escape U+D800..DFFF (from WTF-8 input) as \udxxx as JSON.stringify does, instead of U+FFFD. */
#define BSK_JSON_WTF8 1u

/* Starts an empty writer over buf[0..cap). Cost O(1). */
void bsk_json_init(bsk_json_t *w, char *buf, size_t cap);

/* Appends s[0..n) as it is (JSON punctuation, keys the caller knows are clean). Cost O(n). */
bool bsk_json_raw(bsk_json_t *w, const char *s, size_t n);

/* Appends the NUL-terminated s as it is. Cost O(strlen(s)). */
bool bsk_json_lit(bsk_json_t *w, const char *s);

/* Appends a decimal integer. Cost O(digits); memory 21 bytes of stack. */
bool bsk_json_int(bsk_json_t *w, int64_t v);

/*
 * Appends s[0..n) (untrusted bytes, e.g. an advertised name) as one quoted JSON string: invalid UTF-8
 * repaired to U+FFFD per maximal subpart (as TextDecoder does), `"` `\` and every control character
 * below U+0020 escaped (\b \f \n \r \t or \u00xx), U+2028 and U+2029 escaped so the text is also safe
 * inside a script. Returns false (writing nothing, setting `truncated`) when the whole string does
 * not fit. flags: 0 or BSK_JSON_WTF8. Cost O(n) twice (measure, then write); memory none.
 */
bool bsk_json_str(bsk_json_t *w, const uint8_t *s, size_t n, unsigned flags);

/*
 * Like bsk_json_str, but when the whole string does not fit it writes the longest prefix of whole
 * characters whose quoted form leaves `reserve` bytes free, and sets `truncated`. Returns the input
 * bytes written (n when it all fit). Writes nothing (returns 0, sets `truncated`) when not even `""`
 * plus `reserve` fits. Cost O(n); memory none.
 */
size_t bsk_json_str_cut(bsk_json_t *w, const uint8_t *s, size_t n, unsigned flags, size_t reserve);

/* ---- commands, page -> device ---- */

/*
 * Scan interval and window bounds in ms (shared-protocol MIN_SCAN_TIMING_MS / MAX_SCAN_TIMING_MS). The
 * generated header does not carry them yet; until it does they are stated here, and the differential
 * test against parseUp's fixtures (scan-start-bounds, interval-low/high) proves they agree.
 */
#ifndef BLESHARK_SCAN_TIMING_MIN_MS
#define BLESHARK_SCAN_TIMING_MIN_MS 3
#endif
#ifndef BLESHARK_SCAN_TIMING_MAX_MS
#define BLESHARK_SCAN_TIMING_MAX_MS 10240
#endif

/* Longest command id or filter text in UTF-8 bytes: 32 UTF-16 units of at most 3 bytes each. */
#define BSK_ID_MAX_BYTES (BLESHARK_PROTOCOL_MAX_ID_LENGTH * 3)
#define BSK_FILTER_TEXT_MAX_BYTES (BLESHARK_FILTER_TEXT_MAX_LEN * 3)

typedef enum {
  BSK_CMD_SCAN_START = 1,
  BSK_CMD_SCAN_STOP,
  BSK_CMD_FILTER,
  BSK_CMD_SNAPSHOT_REQUEST,
  BSK_CMD_CLEAR
} bsk_cmd_type_t;

/* A connection's filter (shared-protocol filterSchema); has_* false means the field was absent. */
typedef struct {
  bool has_text, has_min_rssi, has_company, has_service, has_connectable, has_named, has_exclude;
  bool connectable, named;
  int8_t min_rssi;
  uint16_t company;
  uint8_t text_len, service_len, exclude_count;
  char text[BSK_FILTER_TEXT_MAX_BYTES]; /* WTF-8: a lone \ud800 escape is kept as ED A0 80 */
  char service[BLESHARK_FILTER_SERVICE_MAX_LEN]; /* as sent (ASCII hex and '-'), not NUL-terminated */
  uint16_t exclude[BLESHARK_FILTER_EXCLUDE_MAX_ITEMS];
} bsk_filter_t;

/* A parsed command: the fields of its type are set, the others are zero. */
typedef struct {
  bsk_cmd_type_t type;
  bool has_id;
  uint8_t id_len;
  char id[BSK_ID_MAX_BYTES]; /* WTF-8, not NUL-terminated; echo it with BSK_JSON_WTF8 */
  /* scan-start */
  bool has_mode, passive, has_interval, has_window, has_duration, has_duplicates, duplicates;
  uint16_t interval, window; /* ms */
  uint32_t duration;         /* s; 0 = until stopped */
  /* filter */
  bsk_filter_t filter;
} bsk_cmd_t;

/* Why a command was refused. */
typedef struct {
  const char *code;    /* a BLESHARK_ERR_* string: answer `error` with it and keep the socket open */
  const char *message; /* a short static text naming the problem (the `message` of the error) */
  int close;           /* 0, or the BLESHARK_CLOSE_* to close with instead of answering */
} bsk_cmd_error_t;

/*
 * Parses one inbound text frame s[0..n) (hostile bytes) as a command, with the meaning of
 * shared-protocol's parseUp: n over BLESHARK_NANO_MAX_INBOUND_BYTES is too-large (close 1009); bytes
 * that are not UTF-8 close with 1007 (the core validates, the HTTP server need not); then strict
 * JSON (RFC 8259, any nesting the length allows, duplicate keys: the last wins, `__proto__` is an
 * ordinary key that no schema has), a top-level object, a known `type`, each field of the type's
 * schema checked (numbers must be integers after the rounding JSON.parse does, within range; strings
 * counted in UTF-16 units); unknown fields and unknown filter keys are ignored. On success fills *out
 * and returns true. On failure fills *err, and *out->id / has_id when the frame carried a valid id
 * (to echo with the error), and returns false.
 * Cost O(n) (plus O(n) per number in the worst hostile case); memory: no static state, stack about
 * 600 bytes on x86-64 at -Os (-fstack-usage: bsk_parse_command 288 + find_keys 112 + skip_value 176,
 * whose bit stack is maxInboundBytes / 8 + 1 bytes); on RV32 (-march=rv32imc -Os, bench/core-rv32.mjs)
 * 464 bytes: bsk_parse_command 176 + find_keys 48 + skip_value 192 + scan_string 48. The tokenizer is
 * our own: cJSON (what ESP-IDF bundles) allocates a node per value on the heap and has no bound on nesting except recursion, both wrong for hostile input on the Nano, while
 * the five commands need only a validating scan and a look at a handful of known keys.
 */
bool bsk_parse_command(const uint8_t *s, size_t n, bsk_cmd_t *out, bsk_cmd_error_t *err);

/*
 * Writes cmd as the JSON object parseUp would return with unknown keys dropped (shared-protocol's
 * `known`), keys in schema order. For tests and logs. Cost O(size of the command).
 */
bool bsk_json_command(bsk_json_t *w, const bsk_cmd_t *cmd);

/* ---- device table ---- */

/* Largest legacy advertising or scan-response payload stored per device. */
#define BSK_AD_MAX 31
/* Hash buckets of the table's address index (a power of two, about half of maxDevices). */
#define BSK_TABLE_BUCKETS 256u
/* "No slot" in the table's links (slot numbers take 10 bits in a device entry). */
#define BSK_NIL 0x3FFu

#if BLESHARK_NANO_MAX_DEVICES >= 0x3FF
#error "the device table links slots in 10 bits: at most 1022 devices (96 B each on the Nano)"
#endif

/* Clients the core serves at once (the Nano's maxClients). */
#define BSK_MAX_CLIENTS BLESHARK_NANO_MAX_CLIENTS

/*
 * Each client's state of each device, kept in the device's entry (bsk_device_t.cl, written only by the
 * core's sessions, never by the table): 6 bits per client, a 2-bit state then a 4-bit number.
 * state BSK_ST_PENDING alone: new to the client, one record waits (number unused, 0).
 * state BSK_ST_HELD alone: the page holds the device, nothing waits (number 0).
 * state BSK_ST_HELD | BSK_ST_PENDING: an item waits; the number is the advertisements behind the update
 *   `u` (0..14), or BSK_CL_RECORD: send the whole record `d` instead (it changed beyond rssi / last /
 *   count, or 15 advertisements piled up: the record carries the absolute count, so none is lost).
 * state 0: nothing, with number 0, BSK_CL_SNAP (marked for the snapshot under way, not yet in a part) or
 *   BSK_CL_XSEL (chosen as a filter removal while one batch is built).
 */
#define BSK_ST_PENDING 1u
#define BSK_ST_HELD 2u
#define BSK_CL_SNAP 1u
#define BSK_CL_XSEL 2u
#define BSK_CL_RECORD 15u
/* Bytes of bsk_device_t.cl: the states (4 clients a byte), then the numbers (2 clients a byte). */
#define BSK_CL_STATE_BYTES ((BSK_MAX_CLIENTS + 3) / 4)
#define BSK_CL_BYTES (BSK_CL_STATE_BYTES + (BSK_MAX_CLIENTS + 1) / 2)

/* bsk_device_t.flags */
#define BSK_DEV_CONN 1u    /* the newest advertisement was connectable */
#define BSK_DEV_HAS_ADV 2u /* adv[0..adv_len) holds the newest advertising data */
#define BSK_DEV_HAS_RSP 4u /* rsp[0..rsp_len) holds the newest scan response */
/* Set and cleared only by the core (bsk_core_*), never by the table: */
#define BSK_DEV_SENT_ADV 8u  /* duplicates off: an advertisement was passed on since the scan (re)started */
#define BSK_DEV_SENT_RSP 16u /* duplicates off: a scan response was passed on since then */
#define BSK_DEV_IN_SCAN 32u  /* counted in the current scan's distinct devices (scan-complete.devices) */

/*
 * One device. The AD bytes are kept raw and parsed only when a record is encoded or a filter needs a
 * name, company or service, so a device costs sizeof(bsk_device_t) bytes: 96 on RV32 and x86-64 at the
 * Nano's 4 clients, and that is all a device costs (issue 12's goal, 96 B per device). 93 of them are
 * the device (4 times of 32 bits, 3 slot links of 10 bits, the address, 5 bytes of type / flags / rssi /
 * lengths, 2 x 31 AD bytes), the last 3 each client's state of it (6 bits per client, see BSK_ST_*).
 * Every field the table keeps is needed to send the simulator's record or to evict the stalest, so
 * 93 B is the floor of this layout; a fifth client would take the entry to 100 B.
 * Times are uptime ms as uint32_t (they wrap after 49.7 days of uptime).
 */
typedef struct {
  uint32_t id;    /* 1..2^31-1, assigned in order on entry, never reused while the core runs */
  uint32_t first; /* uptime ms of the first sighting */
  uint32_t last;  /* uptime ms of the newest sighting (never goes back) */
  uint32_t count; /* advertisements seen since entry (a scan response does not count); saturates */
  unsigned older : 10, newer : 10, chain : 10; /* internal: last-seen order and the address index */
  uint8_t addr[6];   /* as written: addr[0] is the first pair of "aa:bb:cc:dd:ee:ff" */
  uint8_t addr_type; /* 0 public, 1 random */
  uint8_t flags;     /* BSK_DEV_* */
  int8_t rssi;       /* newest, -127..20 */
  uint8_t adv_len, rsp_len;
  uint8_t adv[BSK_AD_MAX], rsp[BSK_AD_MAX];
  uint8_t cl[BSK_CL_BYTES]; /* internal to the core: each client's state of this device (BSK_ST_*) */
} bsk_device_t;

/*
 * The bounded device table: one entry per address + address type, at most `max` devices (at most
 * BLESHARK_NANO_MAX_DEVICES); when full, a new device evicts the stalest (the oldest newest sighting).
 * Give it static storage (96 B per device, the clients' state included, plus 2 B per bucket) and
 * start it with bsk_table_init.
 */
typedef struct {
  bsk_device_t dev[BLESHARK_NANO_MAX_DEVICES];
  uint16_t bucket[BSK_TABLE_BUCKETS];
  uint16_t max, count;
  uint16_t stalest, newest, free; /* slot lists */
  uint32_t next_id;
  uint32_t seed;    /* keys the address index (bsk_table_init) */
  uint32_t evicted; /* devices evicted because the table was full, since init */
  uint32_t refused; /* sightings refused: payload over BSK_AD_MAX bytes, or address type above 1 */
} bsk_table_t;

/* One advertising report as the controller delivers it (NimBLE: a BLE_GAP_EVENT_DISC). */
typedef struct {
  uint8_t addr[6];     /* as written (NimBLE's ble_addr_t.val is reversed: val[5] comes first) */
  uint8_t addr_type;   /* 0 public, 1 random (an identity type is reported as its base type) */
  bool scan_rsp;       /* a scan response (merged into its device's advertisement) */
  bool conn;           /* connectable advertising (ignored for a scan response) */
  int8_t rssi;         /* dBm; clamped to -127..20 */
  const uint8_t *data; /* the AD bytes, borrowed for the call */
  size_t len;          /* at most BSK_AD_MAX (legacy advertising) */
} bsk_advert_t;

/* What bsk_table_seen did. */
typedef enum {
  BSK_SEEN_REFUSED = 0, /* nothing stored: see bsk_table_t.refused */
  BSK_SEEN_NEW,         /* a device entered the table (maybe evicting the stalest) */
  BSK_SEEN_CHANGED,     /* a known device whose record changed beyond rssi / last / count */
  BSK_SEEN_SAME         /* a known device heard again: only rssi / last / count changed */
} bsk_seen_t;

/*
 * Empties the table and sets its size: max_devices clamped to 1..BLESHARK_NANO_MAX_DEVICES. hash_seed
 * keys the address index: pass a random value per boot (esp_random()), since random addresses are
 * chosen by whoever advertises and a fixed hash lets them crowd one bucket. Cost
 * O(BLESHARK_NANO_MAX_DEVICES + BSK_TABLE_BUCKETS); memory none. Ids restart at 1.
 */
void bsk_table_init(bsk_table_t *t, uint16_t max_devices, uint32_t hash_seed);

/*
 * Records one report at uptime now_ms. An advertisement replaces the stored advertising data, conn and
 * rssi and counts one; a scan response replaces the stored scan response and rssi and does not count
 * (a scan response from an unknown device enters it with count 1, not connectable). *dev (if not NULL)
 * gets the entry; *evicted_id (if not NULL) gets the id of the device evicted to make room, or 0.
 * Cost O(1) expected (hash of the address, a copy of at most 31 bytes), O(max) at worst (every device
 * in one bucket); memory none.
 */
bsk_seen_t bsk_table_seen(bsk_table_t *t, const bsk_advert_t *a, uint32_t now_ms, bsk_device_t **dev,
                          uint32_t *evicted_id);

/* The entry for addr + addr_type, or NULL. Cost O(1) expected, O(max) at worst. */
bsk_device_t *bsk_table_find(bsk_table_t *t, const uint8_t addr[6], uint8_t addr_type);

/* Iteration in last-seen order: the stalest entry (or NULL), then the next newer one (or NULL). O(1). */
bsk_device_t *bsk_table_stalest(bsk_table_t *t);
bsk_device_t *bsk_table_newer(bsk_table_t *t, const bsk_device_t *d);

/* Removes every device; ids are not reused. Cost O(BLESHARK_NANO_MAX_DEVICES + BSK_TABLE_BUCKETS). */
void bsk_table_clear(bsk_table_t *t);

/* ---- device record, device -> page ---- */

/* Bytes a batch or snapshot frame needs around one record (shared-protocol FRAME_ENVELOPE_BYTES). */
#define BSK_FRAME_ENVELOPE_BYTES 128
/* Largest record the core sends: a frame of the Nano's maxFrameBytes minus the envelope (3968). */
#define BSK_RECORD_MAX_BYTES (BLESHARK_NANO_MAX_FRAME_BYTES - BSK_FRAME_ENVELOPE_BYTES)

/*
 * Appends d as the DeviceRecord JSON the simulator sends for the same AD bytes, keys in its order:
 * id, addr ("aa:bb:cc:dd:ee:ff"), addrType ("public" / "random"), rssi, conn, then name, tx, mfr,
 * uuids, svc, adv, rsp when present, then first, last, count. The AD fields are read as
 * parseAdvertisement reads them over the newest advertising data, then the newest scan response (the
 * table keeps only those: a newer advertisement replaces every advertised field, unlike the
 * simulator's field-by-field merge): name = the complete local name, else the shortened one,
 * decoded with U+FFFD per invalid subpart and cut to BLESHARK_PROTOCOL_MAX_NAME_BYTES bytes of UTF-8
 * between characters; tx absent when not advertised or 127 (-128 reads as -127); the first 8
 * manufacturer and service data entries; the first 16 distinct UUIDs (16/32-bit and 128-bit on the
 * SIG base as 4 or 8 hex digits, others in the dashed lowercase form); adv / rsp as hex when not empty.
 * Strings are escaped as bsk_json_str does (which also escapes U+2028/2029, which JSON.stringify
 * leaves as they are: such a name takes 3 more bytes each here than in the simulator's count).
 * A record over max_bytes (or over the room left in w, when that is less) is cut as the simulator's
 * encodeRecordWithin cuts it: without adv and rsp; then the longest name prefix that fits (no name
 * when none does); then service data, manufacturer data and UUID entries from the end.
 * Returns false and writes nothing (w->len unchanged, `truncated` set) when not even the smallest
 * form fits. Cost O(record bytes) for a record that fits; a cut one costs about 12 more encodings
 * (a binary search over the name); memory: no static state, stack about 1.6 KB (-fstack-usage, x86-64
 * -Os: bsk_json_record 1,216, holding pointers to the AD fields, + try_shape 112 + the writers about
 * 250); on RV32 (-Os, bench/core-rv32.mjs) 832 B: bsk_json_record 608 + try_shape 64 + bsk_json_str 48
 * + bsk_json_str_cut 64 + escape_one 48.
 */
bool bsk_json_record(bsk_json_t *w, const bsk_device_t *d, size_t max_bytes, unsigned flags);

/* bsk_json_record flags: leave adv and rsp out (a firmware without the "raw" cap). */
#define BSK_RECORD_NO_RAW 1u

/* ---- filter ---- */

/*
 * True when d passes every present field of f, with the meaning of shared-protocol's matchesFilter:
 * minRssi (rssi >= minRssi), connectable, named (a name with a code point outside BLANK_CODE_POINTS),
 * company (some manufacturer data from it), exclude (none from a listed company), text (a substring of
 * "aa:bb:cc:dd:ee:ff" or of the name, compared in UTF-16 units as JavaScript does, A-Z folded to a-z
 * only), service (any 16/32/128-bit spelling, in a UUID list or as service data). The name is the
 * complete local name if any, else the shortened one, over advertising data then scan response, decoded
 * with U+FFFD for invalid bytes. Like the simulator's record, it sees only the first 8 manufacturer and
 * service data entries and the first 16 distinct UUIDs (BLESHARK_PROTOCOL_MAX_DATA_ENTRIES / _MAX_UUIDS).
 * A device heard only by its scan response is not connectable. Cost O(adv_len + rsp_len) for the AD
 * fields (times 16 for UUID lists), times the text length for text; memory no static state, stack
 * about 1.2 KB (-fstack-usage, x86-64 -Os: bsk_filter_match 976, holding the name in UTF-16 units and
 * the UUIDs seen, + scan_chunk 144 + folded_units 96); on RV32 (-Os, bench/core-rv32.mjs) 1,024 B:
 * bsk_filter_match 896 (the name's 248 UTF-16 units, the 16 UUIDs seen, the text's 32 units) +
 * scan_chunk 112 + uuid_from_le 16.
 */
bool bsk_filter_match(const bsk_filter_t *f, const bsk_device_t *d);

/* True when the code point shows in a name (outside BLANK_CODE_POINTS). Cost O(log 40); memory none. */
bool bsk_code_point_shows(uint32_t cp);

/* The blank ranges, for tests: fills *n and returns [lo, hi] pairs. */
const uint32_t (*bsk_blank_ranges(size_t *n))[2];


/* ---- the core: scan state, clients, frames (the whole of /scan/live above the WebSocket) ---- */

/*
 * How the firmware drives the core (every call from one task, see the contract at the top):
 *
 *   static bsk_core_t core;                        // static storage, 57,664 B on RV32 at the Nano's limits
 *   bsk_core_init(&core, &config, now_ms);
 *   on a GAP discovery event:   bsk_core_advert(&core, &advert, now_ms);
 *   on the scan ending by itself: bsk_core_scan_ended (its duration ran out) / bsk_core_scan_failed;
 *   on a WebSocket upgrade:     c = bsk_core_client_open(&core, now_ms);  (c < 0: close 1013 at once)
 *   on a text / binary frame:   bsk_core_client_text(&core, c, data, len, now_ms) / _client_binary,
 *                               then the loop below for that client at once (its replies leave first);
 *   on the socket closing:      bsk_core_client_close(&core, c);
 *   every few ms (a timer) and after every call above, for EVERY open client (a send in flight or not):
 *       n = bsk_core_next_frame(&core, c, now_ms, buf, sizeof buf, &out);
 *       out.close != 0 -> send a close frame with that code and out.reason, then close the socket
 *                         (this may come while a send is in flight: a stuck client, see below);
 *       n > 0          -> send buf[0..n) as one text frame; when its send completed: bsk_core_sent(&core, c).
 *       (while a send is in flight next_frame returns 0 bytes, so calling it is always safe)
 *   bsk_core_wait_ms tells how long the firmware may sleep before the next call can have work.
 *
 * Backpressure by design: a client gets its next frame only after bsk_core_sent for the previous one,
 * and what waits for it is at most one item per device plus a few short replies, so a paused tab costs
 * a fixed amount of memory. A client whose frame is not sent for BLESHARK_PROTOCOL_STUCK_CLIENT_MS is
 * closed with 1013: next_frame returns that close while the frame is still in flight, which is why the
 * loop above asks for every open client, not only those that may send.
 */

/*
 * Replies (ack, error, scan-complete) that may wait for one client: a whole legal burst of commands
 * answered while no frame leaves (commandBurst acks, the strikes' rate-limited errors, one more), plus a
 * scan-complete for every second command of it (a burst alternating scan-start and scan-stop). One more
 * closes the client with 1013 (not reading). Each waits as a 16-byte entry (24 on x86-64); its id (or a
 * scan-complete's 16 bytes of numbers) is kept in the client's byte pool, BSK_REPLY_POOL bytes: a full
 * burst whose ids are up to maxIdLength ASCII characters fits; only a burst of longer (non-ASCII) ids,
 * up to BSK_ID_MAX_BYTES each, can fill the pool first, and then the reply that does not fit closes the
 * client with 1013 as well.
 */
#define BSK_REPLY_QUEUE                                                                               \
  (BLESHARK_NANO_COMMAND_BURST + BLESHARK_PROTOCOL_RATE_STRIKES + 1 + BLESHARK_NANO_COMMAND_BURST / 2)
/* Bytes a scan-complete keeps in the pool: t, adverts, devices, ms. */
#define BSK_REPLY_COMPLETE_BYTES 16
#define BSK_REPLY_POOL                                                                                \
  ((BLESHARK_NANO_COMMAND_BURST + BLESHARK_PROTOCOL_RATE_STRIKES + 1) * BLESHARK_PROTOCOL_MAX_ID_LENGTH + \
   BLESHARK_NANO_COMMAND_BURST / 2 * BSK_REPLY_COMPLETE_BYTES)
#if BSK_REPLY_QUEUE > 255 || BSK_REPLY_POOL > 65535
#error "the reply queue counts in 8 bits and its pool in 16"
#endif
/* Removals (`x` ids) that may wait for one client; past it the client gets a fresh snapshot instead. */
#define BSK_REMOVAL_QUEUE 64

/* The scan parameters the radio is asked to use (scan-start after validation, merged with the current). */
typedef struct {
  bool passive;
  uint16_t interval, window; /* ms */
  uint32_t duration;         /* s; 0 = until stopped; the core ends the scan itself when it elapses */
  bool duplicates;
} bsk_scan_params_t;

/*
 * What the core needs from the firmware. The radio callbacks run inside the core call that needs them
 * (bsk_core_client_text or bsk_core_tick) and must not call back into the core.
 * scan_start: start scanning with p, or re-apply p while scanning; return NULL on success or a short
 *   static message (the `scan-failed` error's text). scan_stop: stop (idempotent).
 */
typedef struct {
  const char *model;    /* hello.device.model, e.g. "BLEShark Nano" */
  const char *firmware; /* hello.device.firmware, e.g. "1.4.0" */
  const char *address;  /* hello.device.address, "aa:bb:cc:dd:ee:ff" */
  const char *epoch;    /* hello.epoch: different on every boot (e.g. 6 base-36 chars of esp_random()) */
  const char *source;   /* hello.device.source: one of shared-protocol's source names, "radio" on the
                           device ("demo", "replay", ... for the simulator's harness); NULL, "" or more
                           than 32 bytes: "radio" */
  bool demo;            /* hello.device.demo: the data is synthetic (the page says "demo data"); false
                           on the device */
  uint16_t max_devices; /* 1..BLESHARK_NANO_MAX_DEVICES */
  uint32_t hash_seed;   /* per-boot random (bsk_table_init) */
  bool scan_on_init;    /* start the default scan in bsk_core_init, as the simulator does at launch */
  uint8_t caps_off;     /* BSK_CAP_* bits this firmware cannot do (0: all six, hello.caps lists them) */
  const char *(*scan_start)(void *ctx, const bsk_scan_params_t *p);
  void (*scan_stop)(void *ctx);
  void *ctx;
} bsk_core_config_t;

/* hello.caps, in the simulator's order; a command needing one that is off gets `unsupported`. */
#define BSK_CAP_PASSIVE 1u
#define BSK_CAP_DURATION 2u
#define BSK_CAP_DUPLICATES 4u
#define BSK_CAP_FILTER 8u
#define BSK_CAP_RAW 16u /* records carry adv / rsp (off: records leave them out) */
#define BSK_CAP_CLEAR 32u

/* The scan at launch (the simulator's DEFAULT_SCAN): active, 100 ms interval, 50 ms window, until
 * stopped, duplicates on. */
#define BSK_DEFAULT_INTERVAL_MS 100
#define BSK_DEFAULT_WINDOW_MS 50

/* What next_frame asks of the firmware besides sending the bytes. */
typedef struct {
  uint16_t close;     /* 0, or the close code to close this client with (after sending nothing more) */
  const char *reason; /* static text for the close frame when close != 0 */
} bsk_frame_out_t;

/*
 * One short frame waiting for a client: an ack, an error or a scan-complete. Its variable part (the id,
 * or a scan-complete's numbers) waits in the client's pool (bsk_client_t.pool), `len` bytes of it.
 */
typedef struct {
  const char *code; /* error: BLESHARK_ERR_*; scan-complete: the reason */
  const char *msg;  /* error / scan-complete: static text, or NULL */
  uint16_t a, b;    /* error: numbers of a made message */
  uint8_t kind;     /* internal: ack, error, scan-complete */
  uint8_t sub;      /* ack: the bsk_cmd_type_t acknowledged; error: how `message` is made (internal) */
  uint8_t len;      /* bytes in the pool: the id, or BSK_REPLY_COMPLETE_BYTES */
  bool has_id;
} bsk_reply_t;

/* One client (a WebSocket on /scan/live). Private to the core. */
typedef struct {
  bool open, closing, in_flight;
  bool hello_due, status_due, snap_active, batch_more, has_last_data, any_filter;
  uint8_t index; /* its slot in bsk_core_t.client (and its bits in bsk_device_t.cl) */
  uint8_t strikes, snap_due, snap_reason;
  uint8_t q_head, q_count;
  uint16_t pool_head, pool_used; /* the pool's oldest byte and its bytes in use (a ring) */
  uint16_t close_code;
  const char *close_reason;
  uint16_t rm_head, rm_count, pending, snap_cursor;
  uint32_t snap_total;
  uint32_t number, sent_at, last_data, status_at;
  uint32_t tokens, bucket_at; /* token bucket in thousandths of a command */
  uint32_t seq, coalesced;
  uint32_t busy; /* bit g: a slot of group g (BSK_GROUP slots) may have an item or a snapshot mark */
  bsk_filter_t filter;
  bsk_reply_t q[BSK_REPLY_QUEUE];
  uint32_t rm[BSK_REMOVAL_QUEUE];
  uint8_t pool[BSK_REPLY_POOL]; /* the waiting replies' ids and numbers, in their order */
} bsk_client_t;

/* Slots per bit of bsk_client_t.busy: the table in 32 groups, so a batch looks only at busy groups. */
#define BSK_GROUP ((BLESHARK_NANO_MAX_DEVICES + 31) / 32)

/*
 * The whole core. Give it static storage and start it with bsk_core_init. sizeof(bsk_core_t) at 512
 * devices and 4 clients: 57,664 B on ILP32 (RV32 and gcc -m32), 58,824 B on x86-64 (sizeof;
 * core-session.test.ts checks <= 64 KB): the table 49,692 B (96 B per device, each client's state of
 * the device included, see bsk_device_t, + 2 B per bucket), each client 1,968 B on ILP32 (2,248 on
 * x86-64): 34 reply entries of 16 B and their 928-byte pool (BSK_REPLY_QUEUE, BSK_REPLY_POOL), 64
 * removals of 4 B, its filter. Nothing of a client grows with the devices but its 6 bits in each
 * entry, so a device costs 96 B in all at the Nano's limits (issue 12's goal).
 *
 * Meaning, where the simulator (batcher.ts / client-session.ts / scan-engine.ts) leaves a choice:
 * - Snapshot: marked at the start of its first part (the devices passing the filter then; `total` is
 *   their number), sent part by part in slot order, at most maxBatchItems records and
 *   BATCH_TARGET_BYTES each. A marked device heard again before its part leaves is sent as it is when
 *   the part is written (no separate update); one that no longer passes the filter then is still sent
 *   and removed (`x`) by the next batch; one evicted (or cleared) before its part is simply not sent,
 *   so the parts may carry fewer records than `total`. No batch goes out between parts, and a snapshot
 *   asked for meanwhile (filter, request, clear) starts after the last part, since the page assembles
 *   parts until `more` is false. A device is therefore never lost or listed twice in the page's table.
 * - Clear: its snapshot is empty ({reason: clear, total: 0, d: []}), decided at the clear even though it
 *   is written when the client is next free; devices heard after the clear wait as new items and go out
 *   in the batches after it. A client whose first snapshot has not started gets that one (connect).
 * - Batch: removals are chosen first (the queue of evictions, then held devices that stopped matching),
 *   then new and changed records, then RSSI-only updates, in slot order, while the frame's budget
 *   lasts; the frame's keys are written d, u, x as the simulator writes them. A frame cut by the budget
 *   is followed at once by the next (one send), otherwise the interval rule (leading edge) applies.
 *   `seen` counts advertisements (not scan responses) up to 14; a 15th behind one update, like a
 *   change beyond rssi / last / count, sends the whole record instead (`d`, with the absolute count),
 *   so a client that is slow to read gets the same table, never a wrong count.
 * - Order of a client's frames: a close, hello, status after a scan-state change, replies and
 *   scan-complete in the order they arose, snapshot parts, the periodic status, batches.
 * - duplicates off: one advertisement and one scan response per device pass per scan (re)start; a
 *   clear forgets that, so cleared devices come back (the engine's set survives a clear).
 * - A scan response counts as a sighting for the clients but not as an advertisement (count, adverts).
 */
typedef struct bsk_core {
  bsk_table_t table;
  bsk_core_config_t cfg;
  bsk_scan_params_t scan;
  bool scanning;
  uint8_t clients;
  uint32_t since, scan_adverts, scan_devices;
  uint32_t adverts, drops;
  uint32_t rate_tenths, rate_at, rate_adverts; /* adverts/s over the last sample, in tenths */
  uint32_t next_client;
  bsk_client_t client[BSK_MAX_CLIENTS];
} bsk_core_t;

/* Starts the core: empty table, not scanning, no clients. Cost O(max devices); memory none. */
void bsk_core_init(bsk_core_t *c, const bsk_core_config_t *config, uint32_t now_ms);

/*
 * One advertising report from the radio (copied; `a` is borrowed). Updates the table and marks what each
 * client must be told (at most one pending item per device per client). Counted in status.drops, not
 * stored: a report while not scanning, and every report the core refuses (a payload over BSK_AD_MAX,
 * i.e. extended advertising, legacy only as issue 12 has it; an address type above 1), the latter also
 * in bsk_table_t.refused, before the duplicate filter (duplicates off) could pass over them.
 * Cost O(1) expected plus O(clients) filter checks for a device new to a client; memory: no static
 * state, stack 1,088 B on RV32 (-Os, bench/core-rv32.mjs: bsk_core_advert 64 + a filter check 1,024).
 */
void bsk_core_advert(bsk_core_t *c, const bsk_advert_t *a, uint32_t now_ms);

/* Reports that n advertisements were lost before reaching the core (status.drops). Cost O(1). */
void bsk_core_drops(bsk_core_t *c, uint32_t n);

/*
 * Reports that the radio failed while scanning: scan-complete {reason: error, message} to all, not
 * scanning. `message` must be static (it is kept until sent). Nothing while not scanning. O(clients).
 */
void bsk_core_scan_failed(bsk_core_t *c, const char *message, uint32_t now_ms);

/*
 * Reports that the scan ended normally without the core asking (the controller's own duration ran out;
 * a replay's end in the simulator): scan-complete {reason: stopped} to all, as a scan-stop gives, and not
 * scanning; scan_stop is not called. Nothing while not scanning. Cost O(clients); memory none.
 */
void bsk_core_scan_ended(bsk_core_t *c, uint32_t now_ms);

/* Timers: ends a scan whose duration elapsed (scan-complete), refills token buckets. Cost O(clients). */
void bsk_core_tick(bsk_core_t *c, uint32_t now_ms);

/*
 * A WebSocket was upgraded: returns its client slot (0..BSK_MAX_CLIENTS-1), whose first frames are hello
 * and the snapshot, or -1 when maxClients are connected (close it with 1013). Cost O(max devices).
 */
int bsk_core_client_open(bsk_core_t *c, uint32_t now_ms);

/* The socket of client `slot` closed (any reason): its slot is free again. Cost O(max devices). */
void bsk_core_client_close(bsk_core_t *c, int slot);

/*
 * One inbound text frame (hostile bytes, borrowed): too long (1009), invalid UTF-8 (1007), rate limits
 * (rate-limited, then 1008 after BLESHARK_PROTOCOL_RATE_STRIKES more), the command itself with the
 * simulator's texts (scanTimingProblem, missingCap's `unsupported`, scan-failed with scan_start's
 * text), answered with ack / error carrying the command's id. What to answer comes out of next_frame
 * (send it right after this call: see the loop above); a client whose waiting replies exceed
 * BSK_REPLY_QUEUE entries or BSK_REPLY_POOL bytes is closed with 1013. Cost O(len) plus the command's own
 * work (a clear: O(max devices) per client); memory: stack about 1 KB (a bsk_cmd_t plus the parser;
 * on RV32 -Os 800 B: bsk_core_client_text 336 + the parser 464).
 */
void bsk_core_client_text(bsk_core_t *c, int slot, const uint8_t *data, size_t len, uint32_t now_ms);

/* One inbound binary frame: the client is closed with 1003 (text only). Cost O(1). */
void bsk_core_client_binary(bsk_core_t *c, int slot, uint32_t now_ms);

/*
 * The next frame for client `slot`, written into buf[0..cap) (cap >= BLESHARK_NANO_MAX_FRAME_BYTES),
 * or 0 when nothing is due now or a frame is still in flight (no bsk_core_sent yet). Call it for every
 * open client, a send in flight or not: a due close comes out either way (out->close, 0 bytes), among
 * them the 1013 of a client whose frame has been in flight for BLESHARK_PROTOCOL_STUCK_CLIENT_MS. Order: a pending
 * close, hello, replies, scan-complete, snapshot parts, status, then a batch when one is due (leading
 * edge, at most one per batchIntervalMs, frames of at most maxBatchItems items aimed at
 * BLESHARK_PROTOCOL_BATCH_TARGET_BYTES). Cost O(bytes written) plus the slots of the groups holding
 * pending items (BSK_GROUP slots per group, up to three passes, a filter check per pending device),
 * O(max devices) filter checks for a status with a filter or a snapshot's start; memory: stack about 2 KB at worst (x86-64 -Os: next_frame
 * 80 + frame 160 + a record 1.6 KB, or a filter check 1.2 KB); on RV32 (-Os, bench/core-rv32.mjs)
 * 1,280 B, the worst of any bsk_core_* call: bsk_core_next_frame 48 > bsk__frame 128 > status 64 >
 * bsk__matches 16 > bsk_filter_match 896 > scan_chunk 112 > uuid_from_le 16 (a record: 1,008 B).
 */
size_t bsk_core_next_frame(bsk_core_t *c, int slot, uint32_t now_ms, char *buf, size_t cap,
                           bsk_frame_out_t *out);

/* The frame last returned for `slot` was sent (or dropped by the transport): the next may go. O(1). */
void bsk_core_sent(bsk_core_t *c, int slot);

/*
 * Milliseconds until a call to next_frame or tick may have new work without any other event (a batch
 * interval ending, a status or a scan duration due), for the firmware's timer; 0 = call now. O(clients).
 */
uint32_t bsk_core_wait_ms(const bsk_core_t *c, uint32_t now_ms);

#ifdef __cplusplus
}
#endif

#endif /* BLESHARK_CORE_H */
