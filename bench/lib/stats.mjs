// Small statistics and table helpers shared by the benchmarks and the soak run.

/** The q-quantile (0..1) of numbers by nearest rank; NaN when empty. */
export function quantile(values, q) {
  if (!values.length) return Number.NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const round = (v, digits = 1) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);

/** Prints a titled table of rows (objects sharing keys) with aligned columns. */
export function printTable(title, rows) {
  const out = [`\n## ${title}`];
  if (!rows.length) {
    out.push('(no rows)');
    console.log(out.join('\n'));
    return;
  }
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v) =>
    v === undefined || v === null ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (vals) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  out.push(line(keys), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) out.push(line(keys.map((k) => cell(r[k]))));
  console.log(out.join('\n'));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
