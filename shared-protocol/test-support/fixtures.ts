// Loads the golden wire fixtures (shared-protocol/fixtures) for any package's tests. Node only.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, type ErrorCode } from '../src/codes.js';
import type { DownMessage } from '../src/messages/down.js';
import type { UpMessage } from '../src/messages/up.js';

/** A valid message: `fixtures/up/*.json` (page -> device) or `fixtures/down/*.json` (device -> page). */
export type ValidFixture<M = UpMessage | DownMessage> = {
  /** File name without `.json`. */
  name: string;
  description: string;
  message: M;
};

/** A frame the parser of `direction` must refuse with `code`: `fixtures/reject/*.json`. */
export type RejectFixture = {
  name: string;
  description: string;
  direction: 'up' | 'down';
  /** The raw text of the frame (not necessarily JSON). */
  frame: string;
  code: ErrorCode;
};

export type Fixtures = {
  up: ValidFixture<UpMessage>[];
  down: ValidFixture<DownMessage>[];
  reject: RejectFixture[];
};

/** Absolute path of the fixtures folder. */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each `.json` file of one fixture folder, sorted by name, as [name, parsed content]. */
function readFolder(folder: string): [string, Record<string, unknown>][] {
  const dir = new URL(`../fixtures/${folder}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const value: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      const where = `fixtures/${folder}/${file}`;
      if (!isRecord(value) || typeof value.description !== 'string' || value.description === '')
        throw new Error(`${where}: expected an object with a non-empty "description"`);
      return [file.slice(0, -'.json'.length), value];
    });
}

function valid<M>(folder: 'up' | 'down'): ValidFixture<M>[] {
  return readFolder(folder).map(([name, v]) => {
    if (!isRecord(v.message)) throw new Error(`fixtures/${folder}/${name}.json: "message" must be an object`);
    return { name, description: v.description as string, message: v.message as M };
  });
}

function rejects(): RejectFixture[] {
  return readFolder('reject').map(([name, v]) => {
    const where = `fixtures/reject/${name}.json`;
    if (v.direction !== 'up' && v.direction !== 'down')
      throw new Error(`${where}: "direction" must be up or down`);
    if (typeof v.frame !== 'string') throw new Error(`${where}: "frame" must be a string`);
    if (typeof v.code !== 'string' || !Object.hasOwn(ERROR_CODES, v.code))
      throw new Error(`${where}: "code" must be one of ${Object.keys(ERROR_CODES).join(', ')}`);
    return {
      name,
      description: v.description as string,
      direction: v.direction,
      frame: v.frame,
      code: v.code as ErrorCode,
    };
  });
}

/** Reads every fixture from disk (fresh objects on each call, so tests may mutate them). */
export function loadFixtures(): Fixtures {
  return { up: valid<UpMessage>('up'), down: valid<DownMessage>('down'), reject: rejects() };
}
