/**
 * Output formatting shared by the commands: byte counts, `info`'s key/value listing and the
 * aligned tables of `bench` and `demo`.
 */
export function fmtBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** A throughput: whole MB/s, two significant digits below 10 (small inputs are not "0 MB/s"). */
export function fmtRate(bytes: number, seconds: number): string {
  const mbs = seconds > 0 ? bytes / 1e6 / seconds : 0;
  return `${mbs >= 10 || mbs === 0 ? mbs.toFixed(0) : mbs.toPrecision(2)} MB/s`;
}

const bigints = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/** Prints `o` as aligned `key  value` lines, or as JSON. */
export function printRecord(o: Record<string, unknown>, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(o, bigints, 2));
    return;
  }
  const width = Math.max(...Object.keys(o).map((k) => k.length));
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const text = typeof v === 'object' && v !== null ? JSON.stringify(v, bigints) : String(v);
    console.log(`${k.padEnd(width)}  ${text}`);
  }
}

/** Prints an aligned table: the first two columns left-aligned (labels), the rest right-aligned. */
export function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}
