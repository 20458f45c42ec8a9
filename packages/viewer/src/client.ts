/** Promise-shaped calls into the decoding worker. */
import type {
  ColourRequest,
  Envelope,
  LensReply,
  OpenReply,
  ReadReply,
  Request,
} from './protocol.js';
import type { Pixels } from './sources/types.js';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** For a read: settles `pixels`, the second part of the reply. */
  rest?: { resolve: (v: Pixels) => void; reject: (e: Error) => void };
}

export class DecoderClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  /** The decoder the worker instantiated at start (it starts as the page loads). */
  readonly backend: Promise<string>;

  constructor() {
    let announce: (kind: string) => void = () => undefined;
    this.backend = new Promise((r) => {
      announce = r;
    });
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<Envelope>) => {
      const m = ev.data;
      if (m.id === 0 && m.ok) return announce((m.value as { backend: string }).backend);
      const p = this.pending.get(m.id);
      if (!p) return;
      const error = m.ok ? null : Object.assign(new Error(m.error), { code: m.code });
      if (p.rest && !(m.ok && m.more)) {
        // The second part of a read (or its failure after the first part).
        this.pending.delete(m.id);
        if (m.ok) p.rest.resolve(m.value as Pixels);
        else p.rest.reject(error!);
        return;
      }
      if (!m.ok) {
        this.pending.delete(m.id);
        return p.reject(error!);
      }
      if (!m.more) {
        this.pending.delete(m.id);
        return p.resolve(m.value);
      }
      const pixels = new Promise<Pixels>((resolve, reject) => {
        p.rest = { resolve, reject };
      });
      pixels.catch(() => undefined); // a caller that never awaits the pixels is no error
      p.resolve({ ...(m.value as object), pixels });
    };
    this.worker.onerror = (ev) => {
      const e = new Error(`decoder worker failed: ${ev.message}`);
      for (const p of this.pending.values()) (p.rest ?? p).reject(e);
      this.pending.clear();
    };
  }

  private call<T>(req: Request): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, req });
    });
  }

  open(input: Extract<Request, { op: 'open' }>['input']): Promise<OpenReply> {
    return this.call({ op: 'open', input });
  }
  read(
    frame: number,
    level: number,
    region: Extract<Request, { op: 'read' }>['region'],
    colour?: ColourRequest,
  ): Promise<ReadReply> {
    return this.call({ op: 'read', frame, level, region, colour });
  }
  /** The pixels of a region (the read's second part). */
  async pixels(
    frame: number,
    level: number,
    region: Extract<Request, { op: 'read' }>['region'],
  ): Promise<Pixels> {
    return (await this.read(frame, level, region)).pixels;
  }
  lens(frame: number, params: Extract<Request, { op: 'lens' }>['params']): Promise<LensReply> {
    return this.call({ op: 'lens', frame, params });
  }
}
