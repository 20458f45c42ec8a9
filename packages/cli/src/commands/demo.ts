/**
 * `pymecompress demo`: a seeded sCMOS-like stack (the benchmark corpus's dim frame), compressed
 * losslessly and with sqrt quantization on every available backend, decoded, and checked against
 * the noise bound. The steps live in ../demo/: stack.ts, measure.ts, print.ts, write.ts.
 */
import { checkOutput } from '../atomic.js';
import { availableBackends } from '../backends.js';
import { demoModes, GAIN, measureDemo } from '../demo/measure.js';
import { printBound, printDemoTable } from '../demo/print.js';
import { demoStack } from '../demo/stack.js';
import { writeDemoJson, writeDemoPng } from '../demo/write.js';
import { EXIT } from '../errors.js';
import { parseInteger } from '../options.js';

export type { DemoRow } from '../demo/measure.js';

export interface DemoOptions {
  frames?: string | undefined;
  size?: string | undefined;
  seed?: string | undefined;
  png?: string | undefined;
  json?: string | undefined;
  force?: boolean | undefined;
}

export async function demo(o: DemoOptions): Promise<number> {
  const frames = parseInteger('frames', o.frames, 1, 1000) ?? 8;
  const size = parseInteger('size', o.size, 16, 8192) ?? 1024;
  const seed = parseInteger('seed', o.seed, 0, 2 ** 31) ?? 1;
  const force = o.force === true;
  if (o.png) await checkOutput(o.png, force);
  if (o.json) await checkOutput(o.json, force);

  const t0 = performance.now();
  const stack = demoStack(frames, size, seed);
  const dark = stack.darkLevel;
  const rawBytes = frames * size * size * 2;
  console.log(
    `pymecompress demo: ${frames} synthetic sCMOS frames of ${size}x${size} uint16 (${(rawBytes / 1e6).toFixed(1)} MB, seeds ${seed}..${seed + frames - 1}), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `camera (benchmark corpus 'dim' frame): dark level ${dark} ADU, gain ${GAIN} ADU/e-, read noise ${stack.readNoise} ADU, Poisson background ${stack.background} e- + ${stack.spots} spots, ${stack.hotPixels} hot pixels per frame; ` +
      `${stack.below} pixels (${((100 * stack.below) / (frames * size * size)).toFixed(1)}%) below the dark level, max ${stack.maxValue} ADU`,
  );

  const { entries, nativeUnavailable } = await availableBackends();
  if (nativeUnavailable)
    console.log(`native backend unavailable: ${nativeUnavailable} (rows for core-ts only)`);
  const modes = demoModes(dark);
  printBound();
  const { rows, pngFrame } = measureDemo(entries, modes, stack.frames);
  printDemoTable(rows, modes);

  if (o.png && pngFrame) {
    await writeDemoPng(o.png, pngFrame, size, force);
    console.log(
      `\nwrote ${o.png}: frame 0 | its reconstruction (offset ${dark}, scale 1) | error in σ units (grey = 0, black/white = ∓ half a step)`,
    );
  }
  if (o.json) {
    const result = { frames, size, seed, darkLevel: dark, gain: GAIN, nativeUnavailable, rows };
    await writeDemoJson(o.json, result, force);
  }
  const failed = rows.filter((r) => !r.pass).length;
  console.log(failed === 0 ? '\nAll checks PASS.' : `\n${failed} row(s) FAILED.`);
  return failed === 0 ? EXIT.OK : EXIT.FAILURE;
}
