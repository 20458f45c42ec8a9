/** Promise-shaped calls into the decoding worker. */
import type {
  ColourRequest,
  Envelope,
  LensReply,
  OpenReply,
  ReadReply,
  Request,
} from './protocol.js';

export class DecoderClient {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<Envelope>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.pending.delete(ev.data.id);
      if (ev.data.ok) p.resolve(ev.data.value);
      else p.reject(Object.assign(new Error(ev.data.error), { code: ev.data.code }));
    };
    this.worker.onerror = (ev) => {
      for (const p of this.pending.values())
        p.reject(new Error(`decoder worker failed: ${ev.message}`));
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
  lens(frame: number, params: Extract<Request, { op: 'lens' }>['params']): Promise<LensReply> {
    return this.call({ op: 'lens', frame, params });
  }
}
