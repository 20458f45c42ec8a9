/** Fixtures for the viewer's Chromium tests: a Zarr v3 array, and a second (CORS) static server. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { Huffman } from '@pymecompress/codecs';
import { crc32c, zarrV3Codecs } from '@pymecompress/codecs/zarr';

/**
 * A plain static server on loopback (another origin than the view server's) that allows
 * cross-origin reads, as a Zarr host would: 404 for what is not there (FetchStore's "no key").
 */
export async function staticServer(
  root: string,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    res.setHeader('access-control-allow-origin', '*');
    if (path.includes('..')) return void res.writeHead(404).end();
    try {
      const body = readFileSync(join(root, path));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * A Zarr v3 array (zarr.json, default chunk keys `c/<i>/<j>/<k>`) of a [F, H, W] uint16 stack
 * (H, W even), chunked [1, H/2, W/2], with the codec list zarr-python 3 writes (docs/FORMAT.md, "Zarr v3
 * arrays with our codecs"; `zarrV3Codecs`): bytes, `numcodecs.pymecompress-huffman`, crc32c.
 */
export function writeZarrV3(
  path: string,
  stack: Uint16Array,
  [F, H, W]: [number, number, number],
): void {
  const [ch, cw] = [H / 2, W / 2];
  mkdirSync(path, { recursive: true });
  writeFileSync(
    join(path, 'zarr.json'),
    JSON.stringify({
      zarr_format: 3,
      node_type: 'array',
      shape: [F, H, W],
      data_type: 'uint16',
      chunk_grid: { name: 'regular', configuration: { chunk_shape: [1, ch, cw] } },
      chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
      fill_value: 0,
      codecs: zarrV3Codecs(new Huffman(), { dataType: 'uint16' }),
      attributes: {},
    }),
  );
  const codec = new Huffman();
  for (let f = 0; f < F; f++)
    for (let i = 0; i < H / ch; i++)
      for (let j = 0; j < W / cw; j++) {
        const chunk = new Uint16Array(ch * cw);
        for (let y = 0; y < ch; y++)
          for (let x = 0; x < cw; x++)
            chunk[y * cw + x] = stack[f * H * W + (i * ch + y) * W + j * cw + x]!;
        mkdirSync(join(path, 'c', String(f), String(i)), { recursive: true });
        const encoded = codec.encodeSync(chunk);
        const crc = Buffer.alloc(4);
        crc.writeUInt32LE(crc32c(encoded));
        writeFileSync(
          join(path, 'c', String(f), String(i), String(j)),
          Buffer.concat([encoded, crc]),
        );
      }
}
