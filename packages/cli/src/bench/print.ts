/** `pymecompress bench`, print step: the corpus table, the worst ratios and the compression ratios. */
import type { CorpusFrame } from '@pymecompress/core-ts/synthetic';
import { printTable } from '../format.js';
import { type BenchRow, CASES, REFERENCE, type WorstRatio } from './measure.js';

/** The rows, frame by frame, then the worst ratio per operation and backend. */
export function printBench(corpus: CorpusFrame[], rows: BenchRow[], worst: WorstRatio[]): void {
  const table: string[][] = [];
  for (const f of corpus)
    for (const { op, data } of CASES)
      for (const r of rows.filter((x) => x.frame === f.kind && x.op === op && x.data === data))
        table.push([
          `${f.kind} ${f.width}x${f.height}`,
          data,
          op,
          r.impl,
          r.mbps.toFixed(0),
          r.vsReference === null
            ? 'n/a'
            : r.impl === REFERENCE
              ? '1.00 (ref)'
              : r.vsReference.toFixed(2),
          r.note ?? '',
        ]);
  console.log('');
  printTable(
    ['frame', 'data', 'operation', 'implementation', 'MB/s', 'vs reference', 'note'],
    table,
  );
  console.log('\nworst ratio to the reference over the corpus (every frame, both data kinds):');
  printTable(
    ['operation', 'implementation', 'worst', 'on'],
    worst.map((w) => [w.op, w.impl, `${w.worst.toFixed(2)}x`, `${w.frame} ${w.data}`]),
  );
}

/** The compression ratio of every frame (lossless and quantized). */
export function printRatios(
  ratios: Array<{ frame: string; lossless: number; quantized: number }>,
): void {
  console.log('');
  printTable(
    ['frame', 'lossless ratio', 'quantized ratio (offset = dark level, scale 1)'],
    ratios.map((r) => [r.frame, `${r.lossless.toFixed(3)}x`, `${r.quantized.toFixed(3)}x`]),
  );
}
