// The simulator's one logging shape: every component takes a LogFn; simulator.ts turns it into stderr lines
// filtered by --log-level. Components never write to the console themselves.

/** Log levels, least severe first (the order --log-level filters by). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where a component's log lines go. `message` never holds message contents or the pairing token. */
export type LogFn = (level: LogLevel, message: string) => void;
