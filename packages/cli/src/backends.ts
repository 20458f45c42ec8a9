/**
 * The backends available in this process, from @pymecompress/codecs's loader (the one loader:
 * native per dispatch body, wasm, core-ts): this module only adapts its answer for bench/demo.
 */
import { type BackendEntry, availableBackends as loaderBackends } from '@pymecompress/codecs';

export type { BackendEntry };

export interface AvailableBackends {
  entries: BackendEntry[];
  /** Why the native backend is not in the list (unset when it is). */
  nativeUnavailable?: string;
  /** Why the wasm backend is not in the list (unset when it is). */
  wasmUnavailable?: string;
}

export async function availableBackends(): Promise<AvailableBackends> {
  const { entries, info } = await loaderBackends();
  const why = (b: { available: boolean; message?: string; reason?: string }) =>
    b.available ? undefined : (b.message ?? b.reason ?? 'unavailable');
  const nativeUnavailable = why(info.backends.native);
  const wasmUnavailable = why(info.backends.wasm);
  return {
    entries,
    ...(nativeUnavailable ? { nativeUnavailable } : {}),
    ...(wasmUnavailable ? { wasmUnavailable } : {}),
  };
}
