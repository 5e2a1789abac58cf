// How a check ends other than passing: it throws one of these (a check's `run` resolves to its pass detail).
// Kept apart from types.ts so the connection code (app-connection.ts) can fail a check without importing
// the check types that name it.

export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

export class CheckSkip extends Error {
  override name = 'CheckSkip';
}

export const fail = (message: string): never => {
  throw new CheckFailure(message);
};

export const skip = (reason: string): never => {
  throw new CheckSkip(reason);
};
