/** The backends available in this process: core-ts always, the native addon per dispatch body. */
import { type Backend, coreBackend } from '@pymecompress/core-ts';

export interface BackendEntry {
  name: string;
  backend: Backend;
  /** Makes this entry's dispatch body current before it runs (native only). */
  activate(): void;
}

export interface AvailableBackends {
  entries: BackendEntry[];
  /** Why the native backend is not in the list (unset when it is). */
  nativeUnavailable?: string;
}

export async function availableBackends(): Promise<AvailableBackends> {
  const entries: BackendEntry[] = [{ name: 'core-ts', backend: coreBackend, activate: () => {} }];
  if (process.env.PYMECOMPRESS_BACKEND === 'core-ts') {
    return { entries, nativeUnavailable: 'disabled by PYMECOMPRESS_BACKEND=core-ts' };
  }
  try {
    const native = (await import('@pymecompress/native')) as typeof import('@pymecompress/native');
    const bodies: Array<'scalar' | 'avx2'> = native.hasAvx2 ? ['scalar', 'avx2'] : ['scalar'];
    for (const body of bodies) {
      entries.push({
        name: `native ${body}`,
        backend: native.nativeBackend,
        activate: () => native.setDispatch(body),
      });
    }
    return { entries };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const reason = /Cannot find (package|module)/.test(msg)
      ? '@pymecompress/native is not installed'
      : msg.split('\n').slice(0, 1).join(' ');
    return { entries, nativeUnavailable: reason };
  }
}
