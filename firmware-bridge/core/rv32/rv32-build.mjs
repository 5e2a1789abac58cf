// Builds firmware-bridge/core for the Nano's instruction set (RV32IMC, ilp32, -Os, picolibc with
// semihosting) and runs it under qemu-system-riscv32; builds the same programs for the host with gcc; reads
// sizes (riscv64-unknown-elf-size, the linker map, -fstack-usage / -fcallgraph-info) off the results.
// Shared by the correctness test (firmware-bridge/test/core-rv32.test.ts) and the benchmark
// (bench/core-rv32.mjs). Plain JavaScript so that the benchmark can run it without a build; types in
// rv32-build.d.mts. Everything is written into temporary folders; nothing here touches the repository.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RV32_DIR = fileURLToPath(new URL('./', import.meta.url));
export const CORE_DIR = fileURLToPath(new URL('../', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The real capture the replay reads (google/bumble's hci_data_001, see ../shared/data/README.md). */
export const CAPTURE = join(ROOT, '..', 'shared', 'data', 'hci', 'bumble_hci_data_001.h4.bin');

/** The Debian packages that provide the cross toolchain, picolibc and QEMU. */
export const DEBIAN_PACKAGES = 'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc';

const CC = 'riscv64-unknown-elf-gcc';
const SIZE = 'riscv64-unknown-elf-size';
const QEMU = 'qemu-system-riscv32';

/** The flags of every C file the core is built from: C11, every warning an error. */
export const WARNINGS = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wconversion', '-Wpedantic'];

/** The Nano's code generation: RV32IMC, ilp32, size-optimised, one section per function and object. */
export const RV32_CFLAGS = [
  '-march=rv32imc',
  '-mabi=ilp32',
  '-Os',
  '-ffunction-sections',
  '-fdata-sections',
  '--specs=picolibc.specs',
];

/**
 * Linking for QEMU's `virt` machine: code and read-only data from 0x80000000 (where the reset vector
 * jumps with -bios none), RAM after it; picolibc's crt0 and stdio over semihosting, so printf reaches the
 * host and exit() becomes QEMU's exit status.
 */
export const RV32_LDFLAGS = [
  '--crt0=semihost',
  '--oslib=semihost',
  '-Wl,--gc-sections',
  '-Wl,--defsym=__flash=0x80000000',
  '-Wl,--defsym=__flash_size=0x200000',
  '-Wl,--defsym=__ram=0x80200000',
  '-Wl,--defsym=__ram_size=0x800000',
];

/**
 * QEMU 7.2 flags. `-nographic` would put the semihosting console on stderr (muxed with the monitor), so the
 * program's output gets its own stdio chardev instead and stdout carries only what the program printed.
 * `-icount shift=0` makes the virtual CPU retire exactly one instruction per virtual nanosecond, and QEMU
 * 7.2 reads instret/instreth from that count, so rdinstret counts instructions exactly.
 */
export const QEMU_FLAGS = [
  '-machine',
  'virt',
  '-display',
  'none',
  '-serial',
  'none',
  '-monitor',
  'none',
  '-bios',
  'none',
  '-chardev',
  'stdio,id=bsk',
  '-semihosting-config',
  'enable=on,target=native,chardev=bsk',
  '-icount',
  'shift=0,sleep=off',
];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, ...options });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    error: r.error,
  };
}

function must(cmd, args, options) {
  const r = run(cmd, args, options);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r;
}

/** What is missing for the RV32 build and run (empty when everything is there). */
export function missingToolchain() {
  const missing = [];
  if (run(CC, ['--version']).status !== 0) missing.push(CC);
  else if (!existsSync(run(CC, ['-print-file-name=picolibc.specs']).stdout.trim())) missing.push('picolibc');
  if (run(SIZE, ['--version']).status !== 0) missing.push(SIZE);
  if (run(QEMU, ['--version']).status !== 0) missing.push(QEMU);
  if (run('gcc', ['--version']).status !== 0) missing.push('gcc');
  return missing;
}

/** The first line of `--version` of the cross compiler and of QEMU. */
export function toolVersions() {
  const first = (cmd) => run(cmd, ['--version']).stdout.split('\n')[0]?.trim() ?? '';
  return { gcc: first(CC), qemu: first(QEMU) };
}

/** The core's sources (core/src/*.c), sorted. */
export async function coreSources() {
  const src = join(CORE_DIR, 'src');
  return (await readdir(src))
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(src, f));
}

/** True once core/src defines the session API (bsk_core_init), which the firmware calls. */
export async function hasSessionCore() {
  for (const f of await coreSources())
    if (/^void bsk_core_init\(/m.test(await readFile(f, 'utf8'))) return true;
  return false;
}

/**
 * A temporary folder with the generated bleshark_protocol.h (from the caller's writeProtocolHeader, the
 * bridge's own generator), optionally with maxDevices / maxClients replaced to build one device or one
 * client apart.
 */
export async function buildDir(
  writeProtocolHeader,
  { maxDevices, maxClients, prefix = 'bleshark-rv32-' } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeProtocolHeader(dir);
  const file = join(dir, 'bleshark_protocol.h');
  let text = await readFile(file, 'utf8');
  const set = (name, value) => {
    const re = new RegExp(`^#define ${name} \\d+$`, 'm');
    if (!re.test(text)) throw new Error(`bleshark_protocol.h has no ${name}`);
    text = text.replace(re, `#define ${name} ${value}`);
  };
  if (maxDevices !== undefined) set('BLESHARK_NANO_MAX_DEVICES', maxDevices);
  if (maxClients !== undefined) set('BLESHARK_NANO_MAX_CLIENTS', maxClients);
  await writeFile(file, text);
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** The value of a `#define NAME <integer>` in the folder's bleshark_protocol.h. */
export async function headerLimit(dir, name) {
  const text = await readFile(join(dir, 'bleshark_protocol.h'), 'utf8');
  const m = new RegExp(`^#define ${name} (\\d+)$`, 'm').exec(text);
  if (!m) throw new Error(`bleshark_protocol.h has no ${name}`);
  return Number(m[1]);
}

// ---- the capture ----

/**
 * The LE Advertising Reports (LE Meta subevent 0x02) of a raw H4 stream, controller to host, one entry per
 * report in capture order: the address as written (HCI carries it reversed), the address type reduced to
 * public/random (an identity type reports as its base type), scan response or not, connectable (ADV_IND,
 * ADV_DIRECT_IND), RSSI and the AD bytes.
 */
export function h4AdvertisingReports(bytes) {
  const reports = [];
  let at = 0;
  while (at < bytes.length) {
    const type = bytes[at];
    if (type === 0x04) {
      if (at + 3 > bytes.length) throw new Error(`H4 event header cut at byte ${at}`);
      const size = 3 + bytes[at + 2];
      if (at + size > bytes.length) throw new Error(`H4 event cut at byte ${at}`);
      if (bytes[at + 1] === 0x3e && bytes[at + 3] === 0x02)
        legacyReports(bytes.subarray(at + 3, at + size), reports);
      at += size;
    } else if (type === 0x02) {
      if (at + 5 > bytes.length) throw new Error(`H4 ACL header cut at byte ${at}`);
      at += 5 + (bytes[at + 3] | (bytes[at + 4] << 8));
    } else if (type === 0x01) {
      if (at + 4 > bytes.length) throw new Error(`H4 command header cut at byte ${at}`);
      at += 4 + bytes[at + 3];
    } else throw new Error(`H4 packet type 0x${type.toString(16)} at byte ${at}`);
  }
  return reports;
}

/** params: subevent, Num_Reports, then per report: event type, address type, address (6), length, data, rssi. */
function legacyReports(params, out) {
  let at = 2;
  for (let i = 0; i < params[1]; i++) {
    if (at + 9 > params.length) throw new Error('advertising report cut');
    const len = params[at + 8];
    if (at + 10 + len > params.length) throw new Error('advertising report data cut');
    const eventType = params[at];
    const rssi = params[at + 9 + len];
    out.push({
      addr: Array.from(params.subarray(at + 2, at + 8)).reverse(),
      addrType: params[at + 1] & 1,
      scanRsp: eventType === 4,
      conn: eventType === 0 || eventType === 1,
      rssi: rssi > 127 ? rssi - 256 : rssi,
      data: Array.from(params.subarray(at + 9, at + 9 + len)),
    });
    at += 10 + len;
  }
}

/** The capture's reports (see h4AdvertisingReports). */
export async function captureReports(file = CAPTURE) {
  return h4AdvertisingReports(new Uint8Array(await readFile(file)));
}

/**
 * The C header rv32-replay.c includes: the reports as an array (gap_ms apart; raw H4 has no times), how
 * often to replay them, whether each round renames the addresses, and the table's size.
 */
export function replayHeader(reports, { rounds = 1, rename = false, maxDevices, gapMs = 10 }) {
  const cString = (data) => `"${data.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`;
  const rows = reports.map(
    (r) =>
      `  {{${r.addr.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}}, ${r.addrType}, ${r.scanRsp ? 1 : 0}, ` +
      `${r.conn ? 1 : 0}, ${r.rssi}, ${gapMs}, ${r.data.length}, ${cString(r.data)}},`,
  );
  return [
    '/* Generated at test time from a capture; not kept in the repository. */',
    `#define BSK_REPLAY_COUNT ${reports.length}u`,
    `#define BSK_REPLAY_ROUNDS ${rounds}u`,
    `#define BSK_REPLAY_RENAME ${rename ? 1 : 0}`,
    `#define BSK_REPLAY_MAX_DEVICES ${maxDevices}u`,
    'static const bsk_replay_report_t bsk_replay[BSK_REPLAY_COUNT] = {',
    ...rows,
    '};',
    '',
  ].join('\n');
}

// ---- building ----

/**
 * Compiles `sources` for RV32IMC into objects in dir/<name>.obj/ (each with its .su stack usage and .ci
 * call graph) and links them into dir/<name>.elf with a linker map (dir/<name>.map). `includes` are extra
 * -I folders besides core/include and dir (which holds the generated headers).
 */
export async function buildRv32(dir, name, sources, { defines = [], includes = [] } = {}) {
  const objDir = join(dir, `${name}.obj`);
  await mkdir(objDir, { recursive: true });
  const inc = ['-I', join(CORE_DIR, 'include'), '-I', dir, ...includes.flatMap((i) => ['-I', i])];
  const objects = [];
  for (const src of sources) {
    const obj = join(objDir, `${basename(src, '.c')}.o`);
    must(
      CC,
      [
        ...WARNINGS,
        ...RV32_CFLAGS,
        ...defines.map((d) => `-D${d}`),
        ...inc,
        '-fstack-usage',
        '-fcallgraph-info=su',
        '-c',
        src,
        '-o',
        obj,
      ],
      { cwd: objDir },
    );
    objects.push(obj);
  }
  const elf = join(dir, `${name}.elf`);
  const map = join(dir, `${name}.map`);
  must(CC, [...RV32_CFLAGS, ...RV32_LDFLAGS, `-Wl,-Map=${map}`, ...objects, '-o', elf]);
  return { elf, map, objDir, objects };
}

/** Compiles `sources` into one host program dir/<name> with gcc (same warnings, -O1 -g). */
export function buildHost(dir, name, sources, { defines = [], flags = [] } = {}) {
  const out = join(dir, name);
  must('gcc', [
    ...WARNINGS,
    '-O1',
    '-g',
    ...flags,
    ...defines.map((d) => `-D${d}`),
    '-I',
    join(CORE_DIR, 'include'),
    '-I',
    dir,
    ...sources,
    '-o',
    out,
  ]);
  return out;
}

/** Runs an RV32 program under QEMU (killed after timeoutMs); stdout is what it printed. */
export function runQemu(elf, { timeoutMs = 60_000 } = {}) {
  return run(QEMU, [...QEMU_FLAGS, '-kernel', elf], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
}

/** Runs a host program (killed after timeoutMs). */
export function runHost(program, { timeoutMs = 60_000, env } = {}) {
  return run(program, [], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    ...(env ? { env } : {}),
  });
}

// ---- the replay ----

/**
 * Builds `program` (rv32-replay.c or rv32-session.c) with the core for RV32 and, unless host is false, for
 * the host, over the same generated replay; runs them and returns their outputs. `defines` go to both
 * builds; `hostFlags` / `hostEnv` let the test add sanitizers to the host build.
 */
async function runBoth(dir, program, reports, options, run) {
  const { hostFlags = [], hostEnv, timeoutMs = 120_000, host = true, defines = [] } = run;
  await writeFile(join(dir, 'bsk_replay_data.h'), replayHeader(reports, options));
  const sources = [...(await coreSources()), join(RV32_DIR, program)];
  const name = `${basename(program, '.c')}-${options.rounds ?? 1}-${options.rename ? 'rename' : 'same'}`;
  const { elf } = await buildRv32(dir, name, sources, { defines });
  const rv32 = runQemu(elf, { timeoutMs });
  const native = host
    ? runHost(buildHost(dir, `${name}-host`, sources, { flags: hostFlags, defines }), {
        timeoutMs,
        env: hostEnv,
      })
    : undefined;
  return { elf, rv32, host: native };
}

/** rv32-replay.c (the device table alone) on RV32 and the host; outputs parsed by parseReplay. */
export async function replayBoth(dir, reports, options, run = {}) {
  const r = await runBoth(dir, 'rv32-replay.c', reports, options, run);
  return {
    elf: r.elf,
    rv32: { ...r.rv32, parsed: parseReplay(r.rv32.stdout) },
    host: r.host && { ...r.host, parsed: parseReplay(r.host.stdout) },
  };
}

/**
 * rv32-session.c (the whole core, bsk_core_*) on RV32 and the host; outputs parsed by parseSession.
 * `clients` and `filter` set BSK_SESSION_CLIENTS / BSK_SESSION_FILTER.
 */
export async function sessionBoth(dir, reports, options, run = {}) {
  const defines = [...(run.defines ?? [])];
  if (run.clients !== undefined) defines.push(`BSK_SESSION_CLIENTS=${run.clients}`);
  if (run.filter) defines.push('BSK_SESSION_FILTER=1');
  const r = await runBoth(dir, 'rv32-session.c', reports, options, { ...run, defines });
  return {
    elf: r.elf,
    rv32: { ...r.rv32, parsed: parseSession(r.rv32.stdout) },
    host: r.host && { ...r.host, parsed: parseSession(r.host.stdout) },
  };
}

/**
 * Splits rv32-session's output: frames (client, bytes, instructions, type, hash), `frames` again as
 * lines without the instruction count (to compare builds), closes, digest, sizes, stack, advert costs.
 */
export function parseSession(text) {
  const frames = [];
  const comparable = [];
  const closes = [];
  const adverts = [];
  let digest;
  let stack;
  let sizeofCore;
  let sizeofClient;
  let ended = false;
  for (const line of text.split('\n')) {
    const f = /^frame (\d+) (\d+) (\d+) (\S+) ([0-9a-f]{8})$/.exec(line);
    if (f) {
      frames.push({
        client: Number(f[1]),
        bytes: Number(f[2]),
        instructions: Number(f[3]),
        type: f[4],
        hash: f[5],
      });
      comparable.push(`frame ${f[1]} ${f[2]} ${f[4]} ${f[5]}`);
    } else if (line.startsWith('close ')) {
      closes.push(line);
      comparable.push(line);
    } else if (line.startsWith('digest ')) {
      digest = line;
      comparable.push(line);
    } else if (line.startsWith('advert ')) for (const n of line.slice(7).split(' ')) adverts.push(Number(n));
    else if (line.startsWith('stack session=')) stack = Number(line.slice(14));
    else if (line.startsWith('sizeof ')) {
      sizeofCore = Number(/core=(\d+)/.exec(line)?.[1]);
      sizeofClient = Number(/client=(\d+)/.exec(line)?.[1]);
    } else if (line === 'end') ended = true;
  }
  return { frames, comparable, closes, adverts, digest, stack, sizeofCore, sizeofClient, ended };
}

/** Splits rv32-replay's output into its digest (the table), sizes, stack and per-report costs. */
export function parseReplay(text) {
  const digest = [];
  const costs = [];
  let stack;
  let sizeofTable;
  let sizeofDevice;
  let ended = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('digest ') || line.startsWith('dev ')) digest.push(line);
    else if (line.startsWith('cost '))
      for (const item of line.slice(5).split(' ')) {
        const [seen, n] = item.split(':').map(Number);
        costs.push({ seen, instructions: n });
      }
    else if (line.startsWith('stack advert=')) stack = Number(line.slice(13));
    else if (line.startsWith('sizeof ')) {
      sizeofTable = Number(/table=(\d+)/.exec(line)?.[1]);
      sizeofDevice = Number(/device=(\d+)/.exec(line)?.[1]);
    } else if (line === 'end') ended = true;
  }
  return { digest, costs, stack, sizeofTable, sizeofDevice, ended };
}

// ---- sizes ----

/** `size -A` of an ELF, summed: text (code + read-only data), data, bss. */
export function sectionSizes(elf) {
  const out = must(SIZE, ['-A', elf]).stdout;
  const sum = { text: 0, rodata: 0, data: 0, bss: 0 };
  for (const line of out.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line);
    if (!m) continue;
    const [, name, bytes] = m;
    const n = Number(bytes);
    if (/^\.(init|text|fini)/.test(name)) sum.text += n;
    else if (/^\.(rodata|srodata)/.test(name)) sum.rodata += n;
    else if (/^\.(data|sdata|tdata)/.test(name)) sum.data += n;
    else if (/^\.(bss|sbss|tbss)/.test(name)) sum.bss += n;
  }
  return sum;
}

/**
 * Per object file, what the link kept of it (after --gc-sections), from the linker map: text, rodata,
 * data and bss bytes; and per function (`.text.<name>` input sections) its code bytes.
 */
export async function mapSizes(mapFile) {
  const text = await readFile(mapFile, 'utf8');
  const start = text.indexOf('Linker script and memory map');
  const body = start < 0 ? text : text.slice(start);
  const objects = new Map();
  const functions = [];
  const re = /^ (\.[^\s]+)(?:\s*\n\s+|\s+)0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$/gm;
  for (const m of body.matchAll(re)) {
    const [, section, , sizeHex, file] = m;
    const size = Number.parseInt(sizeHex, 16);
    if (size === 0) continue;
    const o = objects.get(file) ?? { text: 0, rodata: 0, data: 0, bss: 0 };
    if (/^\.(text|init|fini)/.test(section)) {
      o.text += size;
      if (section.startsWith('.text.')) functions.push({ file, name: section.slice(6), size });
    } else if (/^\.(rodata|srodata)/.test(section)) o.rodata += size;
    else if (/^\.(data|sdata|tdata)/.test(section)) o.data += size;
    else if (/^\.(bss|sbss|tbss)/.test(section)) o.bss += size;
    objects.set(file, o);
  }
  return { objects, functions };
}

// ---- stack ----

/**
 * The call graph of the objects in objDir from gcc's -fcallgraph-info=su (.ci files, VCG): each function's
 * own frame and its callees; then for each function the deepest chain (own frame plus the deepest callee,
 * recursively). Calls through a pointer and recursion are reported, not followed.
 */
export async function stackGraph(objDir) {
  const nodes = new Map();
  const edges = [];
  for (const f of (await readdir(objDir)).filter((x) => x.endsWith('.ci'))) {
    const text = await readFile(join(objDir, f), 'utf8');
    for (const m of text.matchAll(/node: \{ title: "([^"]+)" label: "([^"]*)"/g)) {
      const [, title, label] = m;
      const frame = /(\d+) bytes \((static|dynamic[^)]*)\)/.exec(label.replace(/\\n/g, '\n'));
      const known = nodes.get(title);
      if (frame || !known)
        nodes.set(title, {
          title,
          name: label.split('\\n')[0],
          frame: frame ? Number(frame[1]) : 0,
          kind: frame ? frame[2] : 'external',
          defined: Boolean(frame),
        });
    }
    for (const m of text.matchAll(/edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"/g))
      edges.push({ from: m[1], to: m[2] });
  }
  const callees = new Map();
  for (const e of edges) {
    const list = callees.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    callees.set(e.from, list);
  }
  const memo = new Map();
  const notes = new Set();
  const deepest = (title, path) => {
    if (memo.has(title)) return memo.get(title);
    if (path.includes(title)) {
      notes.add(`recursion through ${title}`);
      return { bytes: 0, chain: [] };
    }
    const node = nodes.get(title);
    let best = { bytes: 0, chain: [] };
    for (const c of callees.get(title) ?? []) {
      if (c === '__indirect_call') {
        notes.add(`${node?.name ?? title} calls through a pointer`);
        continue;
      }
      const d = deepest(c, [...path, title]);
      if (d.bytes > best.bytes) best = d;
    }
    const own = node?.frame ?? 0;
    const r = { bytes: own + best.bytes, chain: [{ name: node?.name ?? title, frame: own }, ...best.chain] };
    memo.set(title, r);
    return r;
  };
  const functions = [...nodes.values()]
    .filter((n) => n.defined)
    .map((n) => ({ name: n.name, frame: n.frame, kind: n.kind, deepest: deepest(n.title, []) }));
  return { functions, notes: [...notes] };
}

// ---- footprint ----

/**
 * Links rv32-flash.c twice in `dir` (with the core's entry points and one static instance of its state,
 * and as a baseline without them) and returns both `size -A` sums, their difference and, from the linker
 * map, what the core's own object files contributed. `haveCore` selects the session API's entry points.
 */
export async function footprint(dir, { haveCore }) {
  const core = await coreSources();
  const flash = join(RV32_DIR, 'rv32-flash.c');
  const defines = haveCore ? ['BSK_RV32_HAVE_CORE'] : [];
  const full = await buildRv32(dir, 'flash', [...core, flash], { defines });
  const base = await buildRv32(dir, 'flash-baseline', [flash], { defines: ['BSK_RV32_BASELINE'] });
  const linked = sectionSizes(full.elf);
  const baseline = sectionSizes(base.elf);
  const delta = {
    text: linked.text - baseline.text,
    rodata: linked.rodata - baseline.rodata,
    data: linked.data - baseline.data,
    bss: linked.bss - baseline.bss,
  };
  const { objects, functions } = await mapSizes(full.map);
  const coreObjects = new Set(core.map((f) => `${basename(f, '.c')}.o`));
  const own = { text: 0, rodata: 0, data: 0, bss: 0 };
  const perObject = [];
  for (const [file, o] of objects) {
    if (!file.startsWith(full.objDir) || !coreObjects.has(basename(file))) continue;
    for (const k of Object.keys(own)) own[k] += o[k];
    perObject.push({ object: basename(file), ...o });
  }
  const coreFunctions = functions
    .filter((f) => f.file.startsWith(full.objDir) && coreObjects.has(basename(f.file)))
    .sort((a, b) => b.size - a.size)
    .map((f) => ({ object: basename(f.file), name: f.name, size: f.size }));
  return { linked, baseline, delta, own, perObject, coreFunctions, objDir: full.objDir, elf: full.elf };
}
