// Page side of the browser bench (bundled by browser-bench.mjs with esbuild for the browser):
// frames.mjs `runPasses`, core-ts against each wasm build, then `decodeBreakdown`.
import { decodeBreakdown, runPasses } from './frames.mjs';

globalThis.runBench = async (builds, only) => ({
  rows: await runPasses(builds, undefined, only ?? undefined),
  breakdown: only === undefined || only === 'decode' ? await decodeBreakdown() : [],
  userAgent: navigator.userAgent,
});
