/**
 * The page-side code of the Chromium test and the browser bench (bundled by esbuild for the
 * browser: @pymecompress/wasm, core-ts and codecs' decodePzf, nothing of Node's).
 */
import { decodePzf } from '@pymecompress/codecs';
import { coreBackend } from '@pymecompress/core-ts';
import { syntheticCameraFrame } from '@pymecompress/core-ts/synthetic';
import { init, type WasmBuild, wasmInfo } from '@pymecompress/wasm';

export type { WasmBuild };
export { coreBackend, decodePzf, init, syntheticCameraFrame, wasmInfo };
