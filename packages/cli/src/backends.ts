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
}

export async function availableBackends(): Promise<AvailableBackends> {
  const { entries, info } = await loaderBackends();
  const native = info.backends.native;
  return native.available
    ? { entries }
    : { entries, nativeUnavailable: native.message ?? native.reason ?? 'unavailable' };
}
