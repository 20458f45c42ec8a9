import type { Backend } from '@pymecompress/core-ts';

/** Optional asynchronous entry points a backend module may offer (the native addon does). */
export interface AsyncBackend {
  huffmanCompressAsync?(data: Uint8Array): Promise<Uint8Array>;
  huffmanDecompressAsync?(
    stream: Uint8Array,
    outSize: number,
    out?: Uint8Array,
  ): Promise<Uint8Array>;
  huffmanCompressQuantAsync?(data: Uint16Array, offset: number, scale: number): Promise<Uint8Array>;
}

/** What the platform-specific loader found out about the native backend. */
export interface NativeLoadResult {
  /** `'node'` or `'browser'`: which loader module the package resolved to. */
  readonly platform: 'node' | 'browser';
  /** Whether `import('@pymecompress/native')` was tried at all. */
  readonly attempted: boolean;
  /** The native backend, when it loaded. */
  readonly backend?: Backend;
  /** Async variants found on the native module, when it loaded. */
  readonly async?: AsyncBackend;
  /** Why the native backend is not available (unset when it loaded). */
  readonly reason?: string;
  /** The raw `PYMECOMPRESS_BACKEND` value (Node only). */
  readonly env?: string;
}
