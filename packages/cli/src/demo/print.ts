/** `pymecompress demo`, print step: the bound being checked and the result table. */
import { printTable } from '../format.js';
import { type DemoRow, GAIN, type Mode } from './measure.js';

export function printBound(): void {
  console.log(
    '\nBound: offset = dark level D, scale s, gain g: reconstruction levels are 2s/√g noise units apart, so every pixel\n' +
      "with D <= x <= D + (255.5 s)² must satisfy |x' - x| <= (s/√g)·σ + s²/4 + 1 ADU, σ = √(g·(x - D)): half a step plus\n" +
      'rounding (PYME dequantizes in float32 and truncates). Pixels below D are stored as D (error = read noise, listed\n' +
      'separately); pixels above D + (255.5 s)² saturate. Lossless rows must be bit-exact.\n',
  );
}

export function printDemoTable(rows: readonly DemoRow[], modes: readonly Mode[]): void {
  const head = [
    'backend',
    'mode',
    'ratio',
    'encode MB/s',
    'decode MB/s',
    'max err/σ',
    'bright',
    'bound/σ',
    'max err',
    'below D',
    'saturated',
    'check',
  ];
  const body = rows.map((r) => {
    const s = modes.find((m) => m.label === r.mode)!.quant?.scale;
    return [
      r.backend,
      r.mode,
      `${r.ratio.toFixed(2)}x`,
      r.encodeMBps.toFixed(0),
      r.decodeMBps.toFixed(0),
      r.errors ? r.errors.maxSigma.toFixed(3) : '0',
      r.errors ? r.errors.maxSigmaBright.toFixed(3) : '0',
      s !== undefined ? `${(s / Math.sqrt(GAIN)).toFixed(2)}+` : 'exact',
      r.errors ? `${r.errors.maxAdu} ADU` : '0',
      r.errors ? `${r.errors.below} (≤${r.errors.belowMaxAdu} ADU)` : '-',
      r.errors ? String(r.errors.saturated) : '-',
      r.pass ? 'PASS' : r.errors ? `FAIL (${r.errors.violations} px)` : 'FAIL (not exact)',
    ];
  });
  printTable(head, body);
  console.log(
    '\nmax err/σ: over pixels with x >= D+1; bright: x >= D+100 (σ >= 10), where the rounding terms vanish and the error\n' +
      "approaches half a step (s/√g σ); bound/σ: that half step (the '+' is s²/4 + 1 ADU). Single-threaded, in process.",
  );
}
