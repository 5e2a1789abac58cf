// Types of rv32-build.mjs (plain JavaScript so that bench/ can run it without a build).

export declare const RV32_DIR: string;
export declare const CORE_DIR: string;
export declare const CAPTURE: string;
export declare const DEBIAN_PACKAGES: string;
export declare const WARNINGS: readonly string[];
export declare const RV32_CFLAGS: readonly string[];
export declare const RV32_LDFLAGS: readonly string[];
export declare const QEMU_FLAGS: readonly string[];

export type Report = {
  /** as written: addr[0] is the first pair of "aa:bb:cc:dd:ee:ff" */
  addr: number[];
  addrType: number;
  scanRsp: boolean;
  conn: boolean;
  rssi: number;
  data: number[];
};

export type ReplayOptions = { rounds?: number; rename?: boolean; maxDevices: number; gapMs?: number };

export type RunResult = {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
};

export type ReplayOutput = {
  digest: string[];
  costs: { seen: number; instructions: number }[];
  stack: number | undefined;
  sizeofTable: number | undefined;
  sizeofDevice: number | undefined;
  ended: boolean;
};

export type Sizes = { text: number; rodata: number; data: number; bss: number };

export type Footprint = {
  linked: Sizes;
  baseline: Sizes;
  delta: Sizes;
  own: Sizes;
  perObject: ({ object: string } & Sizes)[];
  coreFunctions: { object: string; name: string; size: number }[];
  objDir: string;
  elf: string;
};

export type StackFunction = {
  name: string;
  frame: number;
  kind: string;
  deepest: { bytes: number; chain: { name: string; frame: number }[] };
};

export declare function missingToolchain(): string[];
export declare function toolVersions(): { gcc: string; qemu: string };
export declare function coreSources(): Promise<string[]>;
export declare function hasSessionCore(): Promise<boolean>;
export declare function buildDir(
  writeProtocolHeader: (dir: string) => Promise<unknown>,
  options?: { maxDevices?: number; maxClients?: number; prefix?: string },
): Promise<{ dir: string; dispose: () => Promise<void> }>;
export declare function headerLimit(dir: string, name: string): Promise<number>;
export declare function h4AdvertisingReports(bytes: Uint8Array): Report[];
export declare function captureReports(file?: string): Promise<Report[]>;
export declare function replayHeader(reports: Report[], options: ReplayOptions): string;
export declare function buildRv32(
  dir: string,
  name: string,
  sources: string[],
  options?: { defines?: string[]; includes?: string[] },
): Promise<{ elf: string; map: string; objDir: string; objects: string[] }>;
export declare function buildHost(
  dir: string,
  name: string,
  sources: string[],
  options?: { defines?: string[]; flags?: string[] },
): string;
export declare function runQemu(elf: string, options?: { timeoutMs?: number }): RunResult;
export declare function runHost(
  program: string,
  options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv },
): RunResult;
export type RunOptions = {
  hostFlags?: string[];
  hostEnv?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** build and run the host program too (default true) */
  host?: boolean;
  defines?: string[];
};

export type SessionFrame = {
  client: number;
  bytes: number;
  instructions: number;
  type: string;
  hash: string;
};

export type SessionOutput = {
  frames: SessionFrame[];
  /** frames, closes and the digest without instruction counts: equal between builds */
  comparable: string[];
  closes: string[];
  adverts: number[];
  digest: string | undefined;
  stack: number | undefined;
  sizeofCore: number | undefined;
  sizeofClient: number | undefined;
  ended: boolean;
};

export declare function replayBoth(
  dir: string,
  reports: Report[],
  options: ReplayOptions,
  run?: RunOptions,
): Promise<{
  elf: string;
  rv32: RunResult & { parsed: ReplayOutput };
  host: (RunResult & { parsed: ReplayOutput }) | undefined;
}>;
export declare function sessionBoth(
  dir: string,
  reports: Report[],
  options: ReplayOptions,
  run?: RunOptions & { clients?: number; filter?: boolean },
): Promise<{
  elf: string;
  rv32: RunResult & { parsed: SessionOutput };
  host: (RunResult & { parsed: SessionOutput }) | undefined;
}>;
export declare function parseSession(text: string): SessionOutput;
export declare function parseReplay(text: string): ReplayOutput;
export declare function sectionSizes(elf: string): Sizes;
export declare function mapSizes(mapFile: string): Promise<{
  objects: Map<string, Sizes>;
  functions: { file: string; name: string; size: number }[];
}>;
export declare function stackGraph(objDir: string): Promise<{ functions: StackFunction[]; notes: string[] }>;
export declare function footprint(dir: string, options: { haveCore: boolean }): Promise<Footprint>;
