// Every test that docs/DEVIATIONS.md cites as pinning a deviation must exist: a renamed or deleted
// test would otherwise leave a documented guarantee unpinned without anyone noticing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const deviations = readFileSync(join(root, 'docs/DEVIATIONS.md'), 'utf8');

/** Backticked spans of the "- **Tests**:" paragraphs, outside parentheses (those are prose). */
function citedTestNames(markdown: string): string[] {
  const names: string[] = [];
  for (const para of markdown.split(/\n(?=- \*\*|\n|#)/)) {
    if (!para.startsWith('- **Tests**:')) continue;
    const text = para.replace(/\s*\n\s*/g, ' ');
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '`') {
        const end = text.indexOf('`', i + 1);
        if (end < 0) break;
        if (depth === 0) names.push(text.slice(i + 1, end));
        i = end;
      } else if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
    }
  }
  return names;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

const packagesDir = join(root, 'packages');
const files = readdirSync(packagesDir).flatMap((pkg) =>
  ['test', 'src'].flatMap((sub) => {
    const d = join(packagesDir, pkg, sub);
    try {
      return statSync(d).isDirectory() ? sourceFiles(d) : [];
    } catch {
      return [];
    }
  }),
);
// This file is left out: its own examples of stale names must not count as tests.
const self = fileURLToPath(import.meta.url);
const sources = files
  .filter((f) => f !== self)
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const vectorNames: string[] = JSON.parse(
  readFileSync(join(root, 'packages/conformance/vectors/manifest.json'), 'utf8'),
).vectors.map((v: { name: string }) => v.name);

/** `<pair>`, `…` and `...` stand for any text (a vector name's tail, a long test name's rest). */
const PLACEHOLDER = /<[^>]*>|…|\.\.\./;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What is missing for one cited name (empty when it exists). */
function missingParts(cited: string): string[] {
  const missing: string[] = [];
  let rest = cited;
  // Vector suites name tests `${v.name}: …` (cited as `name: …` or `name …`): the name must be a
  // recorded vector.
  const prefix = /^([^\s:]+-[^\s:]*)(?:: | …$)/.exec(cited);
  if (prefix?.[1]?.includes('-')) {
    const pattern = new RegExp(
      `^${prefix[1].split(new RegExp(PLACEHOLDER.source, 'g')).map(escapeRegExp).join('.*')}$`,
    );
    if (!vectorNames.some((n) => pattern.test(n))) missing.push(`vector ${prefix[1]}`);
    rest = cited.slice(prefix[0].length);
  }
  for (const fragment of rest.split(new RegExp(PLACEHOLDER.source, 'g'))) {
    const f = fragment.trim();
    if (f.length >= 3 && !sources.includes(f)) missing.push(f);
  }
  return missing;
}

describe('docs/DEVIATIONS.md test citations', () => {
  const cited = citedTestNames(deviations).filter((n) => !/^[\w./-]+\.(test|suite)\.ts$/.test(n));

  it('finds the citations (the parser still understands the document)', () => {
    expect(cited.length).toBeGreaterThan(30);
    expect(cited).toContain('decoder rejects a tree with a repeated symbol');
  });

  it('cites test files that exist', () => {
    const cites = citedTestNames(deviations).filter((n) => /^[\w./-]+\.(test|suite)\.ts$/.test(n));
    const rel = files.map((f) => relative(packagesDir, f));
    for (const c of cites)
      expect(
        rel.some((r) => r.endsWith(c)),
        c,
      ).toBe(true);
  });

  it.each(cited)('`%s` names an existing test', (name) => {
    expect(missingParts(name), `stale citation in docs/DEVIATIONS.md: ${name}`).toEqual([]);
  });

  it('reports a renamed test', () => {
    expect(missingParts('decoder rejects a tree with a repeated symbol, renamed')).not.toEqual([]);
    expect(missingParts('no-such-vector-…: raw stream and trailer')).toEqual([
      'vector no-such-vector-…',
    ]);
  });
});
