/**
 * Public-API snapshot: every runtime export of every entry point, by name and type, so that an
 * accidental export or removal fails here (issue 9 item 6). Update it on purpose, with a changeset.
 */
import { describe, expect, it } from 'vitest';

const surface = (m: Record<string, unknown>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}: ${typeof m[k]}`);

describe('public API of @pymecompress/cli', () => {
  it('@pymecompress/cli', async () => {
    expect(surface(await import('../src/index.js'))).toEqual([
      'CliError: function',
      'EXIT: object',
      'VERSION: string',
      'main: function',
      'npyHeaderBytes: function',
      'openInput: function',
      'parseInf: function',
      'parseNpyHeader: function',
      'resolveQuant: function',
      'run: function',
      'saturationLevel: function',
    ]);
  });
});
