/** The conformance-suite targets of this package: one per build, forced with `init({ build })`. */
import type { SuiteTarget } from '@pymecompress/conformance';
import { init, type WasmBuild, wasmInfo } from '../src/index.js';

export function wasmTarget(build: WasmBuild): SuiteTarget {
  return {
    name: `wasm[${build}]`,
    backend: async () => {
      const b = await init({ build });
      if (wasmInfo().build !== build)
        throw new Error(`init({ build: '${build}' }) did not load it`);
      return b;
    },
  };
}
