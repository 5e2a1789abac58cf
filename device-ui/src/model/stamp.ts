// Local wall-clock stamps, pure (decode.js's export uses them without the page's model; clock.ts shows them).

const two = (n: number) => `${n}`.padStart(2, '0');

/** A wall-clock time as local "14:03". */
export const hhmm = (ms: number): string => {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}`;
};

/** A wall-clock time as a file-name stamp, local: "2026-12-05-1403". */
export const fileStamp = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}`;
};
