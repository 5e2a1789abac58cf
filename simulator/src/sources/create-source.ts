// The lazy source factory: each source's module (and what it needs, such as noble) is imported only when
// that source is asked for, so a machine without Bluetooth never loads the Bluetooth stack.
import {
  type ScanSource,
  SOURCE_NAMES,
  SourceError,
  type SourceName,
  type SourceOptions,
} from './scan-source.js';

type SourceClass = new (options: SourceOptions) => ScanSource;

/** Runs `importer` and returns its export `name` when it is a class; a failed import becomes a SourceError. */
async function load(
  source: SourceName,
  importer: () => Promise<object>,
  spec: string,
  name: string,
): Promise<SourceClass> {
  let mod: Record<string, unknown>;
  try {
    mod = (await importer()) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof SourceError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new SourceError('source-unavailable', `the ${source} source could not be loaded: ${why}`, {
      cause: err,
    });
  }
  const ctor = mod[name];
  if (typeof ctor !== 'function')
    throw new SourceError(
      'source-unavailable',
      `the ${source} source could not be loaded: ${spec} has no ${name}`,
    );
  return ctor as SourceClass;
}

const LOADERS: Record<SourceName, () => Promise<SourceClass>> = {
  demo: async () => (await import('./demo-source.js')).DemoSource,
  replay: async () => (await import('./replay-source.js')).ReplaySource,
  noble: () => load('noble', () => import('./noble-source.js'), './noble-source.js', 'NobleSource'),
  'hci-replay': () =>
    load('hci-replay', () => import('./hci-replay-source.js'), './hci-replay-source.js', 'HciReplaySource'),
};

export const isSourceName = (name: string): name is SourceName =>
  (SOURCE_NAMES as readonly string[]).includes(name);

/**
 * Creates the named source. `name` may be any string (a CLI argument): an unknown one rejects with a
 * SourceError (`unknown-source`) that lists the valid names. Invalid options reject with the source's own
 * SourceError. `auto` is not a source: the caller tries `noble` and falls back to `demo`.
 */
export async function createSource(
  name: SourceName | (string & {}),
  options: SourceOptions = {},
): Promise<ScanSource> {
  if (!isSourceName(name))
    throw new SourceError(
      'unknown-source',
      `unknown source "${name}"; valid sources: ${SOURCE_NAMES.join(', ')}`,
    );
  const Source = await LOADERS[name]();
  return new Source(options);
}
