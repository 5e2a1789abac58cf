// The core as an ESP-IDF component, on a machine without ESP-IDF: the glue (core/esp-idf/) compiled
// against the stub SDK headers (core/esp-idf/stub/) for new and old SDKs, its undefined symbols compared
// with what the stubs declare, its SDK-free parts run under ASan + UBSan, the CMakeLists' ESP-IDF branch
// driven by a stand-in idf_component_register that compiles what it registers, and the plain host build.
// The generated headers come from writeProtocolHeader and pack into a temporary folder, never copied.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCompiler } from '../src/core-host/build-core-host.js';
import { pack } from '../src/pack/pack.js';
import { CORE_DIR, CORE_FLAGS, type CoreBuild, coreBuildDir, HAS_GCC, SANITIZER_ENV } from './core-build.js';
import { makeFixtureDist } from './fixture-dist.js';

const HAS_CMAKE = hasCompiler('cmake');
if (!HAS_CMAKE) {
  if (process.env.CI === 'true') throw new Error('cmake is required under CI=true (Debian package: cmake)');
  console.warn('skipping the C core CMake builds: cmake not found (Debian package: cmake)');
}

const IDF = join(CORE_DIR, 'esp-idf');
const STUB = join(IDF, 'stub');
const STRICT = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wconversion', '-Wpedantic'];

let build: CoreBuild;
/** build.dir/gen: bleshark_protocol.h and pack's bleshark_web_ui.{h,c} for a fixture page. */
let gen = '';

beforeAll(async () => {
  build = await coreBuildDir();
  gen = join(build.dir, 'gen');
  const fx = await makeFixtureDist();
  const r = await pack({ input: fx.dist, out: gen, budget: 14336 });
  if (!r.ok) throw new Error(`pack failed: ${r.problem}`);
  await writeFile(join(gen, 'bleshark_protocol.h'), await readFile(join(build.dir, 'bleshark_protocol.h')));
});
afterAll(async () => {
  await build?.dispose();
});

function run(cmd: string, args: string[], cwd = build.dir, env = process.env) {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

function mustRun(cmd: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): string {
  const r = run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

const glueIncludes = () => ['-I', join(CORE_DIR, 'include'), '-I', IDF, '-I', STUB, '-I', gen];

/** Compiles bleshark_idf.c against the stubs with extra -D flags; the compiler's result. */
const compileGlue = (defines: string[], out?: string) =>
  run('gcc', [
    ...STRICT,
    ...defines,
    ...glueIncludes(),
    ...(out ? ['-c', '-o', out] : ['-fsyntax-only']),
    join(IDF, 'bleshark_idf.c'),
  ]);

/** Function names the stub headers declare (a name followed by `(` at the start of a declaration, typedefs aside). */
async function stubFunctions(): Promise<Set<string>> {
  const names = new Set<string>();
  const files = ['esp_http_server.h', 'esp_timer.h', 'esp_random.h', 'host/ble_gap.h', 'host/ble_hs.h'];
  for (const f of files) {
    const text = await readFile(join(STUB, f), 'utf8');
    for (const m of text.matchAll(/^(?!typedef)[A-Za-z_][\w ]*?[ *](\w+)\(/gm)) names.add(m[1] ?? '');
  }
  return names;
}

describe.skipIf(!HAS_GCC)('the ESP-IDF glue against the stub SDK headers', () => {
  it('compiles for ESP-IDF 6.0.2 with the pre- and post-handshake callbacks (C11, every warning an error)', () => {
    const r = compileGlue([]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('compiles for an SDK without the handshake callbacks (ESP-IDF 5.3: checks after the 101)', () => {
    const r = compileGlue([
      '-DESP_IDF_VERSION_MAJOR=5',
      '-DESP_IDF_VERSION_MINOR=3',
      '-DESP_IDF_VERSION_PATCH=0',
      '-DCONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT=0',
      '-DCONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT=0',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('compiles with extended advertising built in (CONFIG_BT_NIMBLE_EXT_ADV: the BLE_GAP_EVENT_EXT_DISC path), new and old SDK', () => {
    const ext = '-DCONFIG_BT_NIMBLE_EXT_ADV=1';
    const old = [
      '-DESP_IDF_VERSION_MAJOR=5',
      '-DESP_IDF_VERSION_MINOR=3',
      '-DESP_IDF_VERSION_PATCH=0',
      '-DCONFIG_HTTPD_WS_PRE_HANDSHAKE_CB_SUPPORT=0',
      '-DCONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT=0',
    ];
    for (const defines of [[ext], [ext, ...old]]) {
      const r = compileGlue(defines);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    // The option reaches the glue (the stub sdkconfig.h only defaults it): the extended branch, which
    // reads event->ext_disc and the legacy mask, is in the preprocessed source with it and absent without.
    const preprocessed = (defines: string[]) =>
      mustRun('gcc', ['-std=c11', ...defines, ...glueIncludes(), '-E', '-P', join(IDF, 'bleshark_idf.c')]);
    const gapEvent = (text: string) => {
      const at = text.indexOf('static int gap_event(');
      expect(at).toBeGreaterThan(0);
      return text.slice(at);
    };
    const withExt = gapEvent(preprocessed([ext]));
    expect(withExt).toMatch(/->\s*ext_disc\b/);
    expect(withExt).toMatch(/->\s*legacy_event_type\b/);
    expect(gapEvent(preprocessed([]))).not.toMatch(/ext_disc/);
  });

  it('refuses to build, naming the option, where the SDK no longer calls the handler for the handshake', () => {
    for (const [major, minor, patch] of [
      [6, 0, 1],
      [5, 5, 5],
    ]) {
      const r = compileGlue([
        `-DESP_IDF_VERSION_MAJOR=${major}`,
        `-DESP_IDF_VERSION_MINOR=${minor}`,
        `-DESP_IDF_VERSION_PATCH=${patch}`,
        '-DCONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT=0',
      ]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('CONFIG_HTTPD_WS_POST_HANDSHAKE_CB_SUPPORT');
    }
  });

  it('refuses to build without WebSocket support or NimBLE', () => {
    const ws = compileGlue(['-DCONFIG_HTTPD_WS_SUPPORT=0']);
    expect(ws.status).not.toBe(0);
    expect(ws.stderr).toContain('CONFIG_HTTPD_WS_SUPPORT');
    const ble = compileGlue(['-DCONFIG_BT_NIMBLE_ENABLED=0']);
    expect(ble.status).not.toBe(0);
    expect(ble.stderr).toContain('CONFIG_BT_NIMBLE_ENABLED');
  });

  it('calls exactly the SDK functions the stubs declare, and besides them only the core, pack and string.h', async () => {
    const declared = [...(await stubFunctions())].sort();
    for (const [name, defines] of [
      ['bleshark_idf.o', []],
      ['bleshark_idf_ext.o', ['-DCONFIG_BT_NIMBLE_EXT_ADV=1']],
    ] as const) {
      const obj = join(build.dir, name);
      const r = compileGlue([...defines], obj);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const undefinedSymbols = mustRun('nm', ['-u', obj])
        .split('\n')
        .map((l) => l.trim().split(/\s+/).pop() ?? '')
        .filter((s) => s !== '' && s !== '_GLOBAL_OFFSET_TABLE_');
      const ours = (s: string) => /^(bsk_|bleshark_)/.test(s);
      const libc = new Set(['memcpy', 'memmove', 'memset', 'memcmp', 'strlen', 'strcmp', 'strncmp']);
      const sdk = undefinedSymbols.filter((s) => !ours(s) && !libc.has(s)).sort();
      expect(sdk).toEqual(declared);
    }
  });
});

describe.skipIf(!HAS_GCC)("the glue's SDK-free parts on the host", () => {
  it('checks Host, Origin, tokens, the throttle, If-None-Match and close codes, and keeps the advert ring in order', () => {
    const exe = join(build.dir, 'idf-plain-test');
    mustRun('gcc', [
      ...CORE_FLAGS,
      '-I',
      join(CORE_DIR, 'include'),
      '-I',
      IDF,
      '-I',
      build.dir,
      join(IDF, 'test', 'idf-plain-test.c'),
      join(IDF, 'bsk_idf_guard.c'),
      join(IDF, 'bsk_idf_ring.c'),
      '-o',
      exe,
    ]);
    expect(mustRun(exe, [], build.dir, SANITIZER_ENV)).toBe('ok\n');
  });
});

describe.skipIf(!HAS_GCC || !HAS_CMAKE)('core/CMakeLists.txt', () => {
  it("registers core, glue and pack's page table as an ESP-IDF component, and that component compiles", async () => {
    // A stand-in for ESP-IDF's build: ESP_PLATFORM set, the component's Kconfig values as CONFIG_*
    // variables, and an idf_component_register that records its arguments and compiles the sources it
    // is given against the stub headers (compile only: nothing of the SDK is linked).
    const project = join(build.dir, 'fake-idf');
    await mkdir(project, { recursive: true });
    const cmake = `cmake_minimum_required(VERSION 3.16)
project(fake_idf C)
set(ESP_PLATFORM 1)
set(CONFIG_BLESHARK_GENERATED_DIR "gen")
set(CONFIG_BLESHARK_ADV_RING 64)
function(idf_build_get_property var prop)
  if(prop STREQUAL "PROJECT_DIR")
    set(\${var} "${build.dir.replaceAll('\\', '/')}" PARENT_SCOPE)
  endif()
endfunction()
macro(idf_component_register)
  cmake_parse_arguments(REG "" "" "SRCS;INCLUDE_DIRS;REQUIRES;PRIV_REQUIRES" \${ARGN})
  file(WRITE "\${CMAKE_BINARY_DIR}/registered.txt"
       "SRCS=\${REG_SRCS}\\nINCLUDE_DIRS=\${REG_INCLUDE_DIRS}\\nREQUIRES=\${REG_REQUIRES}\\nPRIV_REQUIRES=\${REG_PRIV_REQUIRES}\\n")
  add_library(fake_component STATIC \${REG_SRCS})
  target_include_directories(fake_component PRIVATE \${REG_INCLUDE_DIRS} "${STUB.replaceAll('\\', '/')}")
  target_compile_options(fake_component PRIVATE -std=c11 -Wall -Wextra -Werror -Wconversion -Wpedantic)
  set(COMPONENT_LIB fake_component)
endmacro()
add_subdirectory("${CORE_DIR.replaceAll('\\', '/')}" core)
`;
    await writeFile(join(project, 'CMakeLists.txt'), cmake);
    const bin = join(project, 'build');
    mustRun('cmake', ['-S', project, '-B', bin]);
    const registered = await readFile(join(bin, 'registered.txt'), 'utf8');
    const field = (k: string) =>
      (registered.match(new RegExp(`^${k}=(.*)$`, 'm'))?.[1] ?? '').split(';').filter(Boolean);
    const srcs = field('SRCS').map((s) => s.replaceAll('\\', '/'));
    const coreSources = (await readdir(join(CORE_DIR, 'src'))).filter((f) => f.endsWith('.c'));
    for (const f of coreSources) expect(srcs.some((s) => s.endsWith(`/src/${f}`))).toBe(true);
    expect(srcs).toContain('esp-idf/bleshark_idf.c');
    expect(srcs).toContain('esp-idf/bsk_idf_guard.c');
    expect(srcs).toContain('esp-idf/bsk_idf_ring.c');
    expect(srcs).toContain(`${gen.replaceAll('\\', '/')}/bleshark_web_ui.c`);
    expect(field('INCLUDE_DIRS')).toEqual(['include', 'esp-idf', gen.replaceAll('\\', '/')]);
    expect(field('REQUIRES')).toEqual(['esp_http_server']);
    expect(field('PRIV_REQUIRES').sort()).toEqual(['bt', 'esp_hw_support', 'esp_timer']);
    mustRun('cmake', ['--build', bin, '--target', 'fake_component']);
  }, 240_000);

  it('stops with a message naming the missing generated file', async () => {
    const project = join(build.dir, 'fake-idf-missing');
    await mkdir(project, { recursive: true });
    await writeFile(
      join(project, 'CMakeLists.txt'),
      `cmake_minimum_required(VERSION 3.16)
project(fake_idf_missing C)
set(ESP_PLATFORM 1)
set(CONFIG_BLESHARK_GENERATED_DIR "${join(build.dir, 'nowhere').replaceAll('\\', '/')}")
macro(idf_component_register)
endmacro()
add_subdirectory("${CORE_DIR.replaceAll('\\', '/')}" core)
`,
    );
    const r = run('cmake', ['-S', project, '-B', join(project, 'build')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('bleshark_protocol.h is missing');
  });

  it('configures and builds on the host: the core library, the glue checks and the stdio harness', () => {
    const bin = join(build.dir, 'host-build');
    mustRun('cmake', ['-S', CORE_DIR, '-B', bin, `-DBLESHARK_GENERATED_DIR=${build.dir}`]);
    mustRun('cmake', [
      '--build',
      bin,
      '--target',
      'bleshark_core',
      'bleshark_idf_plain',
      'bleshark-core-host',
    ]);
    const lib = ['libbleshark_core.a', 'bleshark_core.lib'].map((f) => join(bin, f));
    expect(lib.some((f) => existsSync(f))).toBe(true);
    expect(existsSync(join(bin, 'bleshark-core-host'))).toBe(true);
  }, 240_000);
});
