// House rule (docs: "Modules small (~400 lines), one job"; issue 15): no source module under
// packages/*/src grows past MAX_LINES unless it is listed below with the reason it stays whole.
// Split a module by job rather than adding it here; remove an entry once its module is split.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 400;

/** Modules allowed past MAX_LINES (path from the repository root) and why. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  // 'packages/<pkg>/src/<module>.ts': 'why it stays one module',
};

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sourceModules(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'generated' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceModules(p, out);
    else if (/\.(ts|tsx|mts|mjs|js|cc|c|h)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const modules = readdirSync(join(root, 'packages')).flatMap((pkg) => {
  const src = join(root, 'packages', pkg, 'src');
  try {
    return statSync(src).isDirectory() ? sourceModules(src) : [];
  } catch {
    return [];
  }
});

describe(`source modules stay under ${MAX_LINES} lines`, () => {
  it('finds the source modules of every package', () => {
    // A walk that found nothing would pass everything.
    const rel = modules.map((f) => relative(root, f));
    expect(rel).toContain('packages/core-ts/src/index.ts');
    expect(rel).toContain('packages/codecs/src/pzf-decode.ts');
    expect(rel).toContain('packages/native/src/binding_sync.cc');
    expect(rel.length).toBeGreaterThan(50);
  });

  it(`no module over ${MAX_LINES} lines except the listed ones`, () => {
    const tooLong = modules
      .map((f) => ({ path: relative(root, f), lines: lineCount(f) }))
      .filter((m) => m.lines > MAX_LINES && !(m.path in EXCEPTIONS))
      .map((m) => `${m.path}: ${m.lines} lines`);
    expect(tooLong).toEqual([]);
  });

  it('every exception is still over the limit and gives its reason', () => {
    // A stale entry would let its module grow back unnoticed.
    for (const [path, reason] of Object.entries(EXCEPTIONS)) {
      expect(lineCount(join(root, path)), path).toBeGreaterThan(MAX_LINES);
      expect(reason.length, path).toBeGreaterThan(20);
    }
  });
});
