/**
 * `pymecompress view`'s server: loopback only, read-only, and nothing outside the given file or
 * folder reachable (`..`, encoded `..`, backslashes, NUL, symlinks out).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewServer, type ViewServer } from '../src/commands/view.js';
import { tempDir } from './helpers.js';

describe('view server confinement', () => {
  let s: ViewServer;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    mkdirSync(join(dir, 'a.zarr'));
    writeFileSync(join(dir, 'a.zarr', '.zarray'), '{}');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'a.zarr', 'link'));
    symlinkSync(join(dir, 'a.zarr', '.zarray'), join(dir, 'a.zarr', 'inner-link'));
    s = await startViewServer(join(dir, 'a.zarr'), {});
  });
  afterAll(() => s.close());
  const get = async (p: string) => (await fetch(s.origin + p)).status;

  it('listens on 127.0.0.1 and serves the app and the folder', async () => {
    expect(s.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get('/')).toBe(200);
    expect(await get('/data/a.zarr/.zarray')).toBe(200);
    expect(await get('/data/a.zarr/inner-link')).toBe(200);
  });
  it.each([
    '/data/a.zarr/../secret.txt',
    '/data/a.zarr/%2e%2e/secret.txt',
    '/data/a.zarr/%2E%2E%2Fsecret.txt',
    '/data/a.zarr/..%5csecret.txt',
    '/data/a.zarr/link',
    '/data/a.zarr/%00',
    '/data/secret.txt',
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
  ])('refuses %s', async (p) => {
    expect(await get(p)).toBe(404);
  });
  it('is read-only', async () => {
    expect(
      (await fetch(`${s.origin}/data/a.zarr/.zarray`, { method: 'PUT', body: 'x' })).status,
    ).toBe(405);
  });
});
