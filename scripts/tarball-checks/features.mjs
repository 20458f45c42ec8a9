// The user-facing features of issues 11-13, used from the installed tarballs as a user would
// (called by scripts/test-tarballs.mjs with its helpers): every `exports` subpath from ESM and
// CommonJS; Zarr v2/v3, crc32c, register() and PYME pyramids through codecs + the user's zarrita
// (0.7 with native, 0.5 with wasm and no native); backendInfo() saying native / wasm / core-ts;
// @pymecompress/wasm alone; the conformance bin against wasm; the CLI's OME-Zarr, tiled Zarr,
// --level and README flows; `pymecompress view --no-open` serving the app from the package.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const ESM_HEADER = 'const load = (n) => import(n);';
const CJS_HEADER = 'const load = async (n) => require(n);';

/** Writes scripts/tarball-checks/<name>.js into `dir` as name.mjs and name.cjs (see zarr-user.js). */
function userScripts(dir, name, extra = '') {
  const body = readFileSync(join(here, `${name}.js`), 'utf8');
  writeFileSync(join(dir, `${name}.mjs`), `${ESM_HEADER}\n${extra}\n${body}`);
  writeFileSync(join(dir, `${name}.cjs`), `${CJS_HEADER}\n${extra}\n${body}`);
  return [`${name}.mjs`, `${name}.cjs`];
}

/** A seeded uint16 stack as .npy (C order, little-endian). */
function writeNpy(file, [n, h, w]) {
  const dict = `{'descr': '<u2', 'fortran_order': False, 'shape': (${n}, ${h}, ${w}), }`;
  const header = `${dict}${' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64)}\n`;
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  const data = new Uint16Array(n * h * w);
  let s = 5;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = 100 + (s >>> 23);
  }
  writeFileSync(
    file,
    Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]),
  );
  return data;
}

function readNpy(file) {
  const b = readFileSync(file);
  const len = b.readUInt16LE(8);
  const header = b.toString('latin1', 10, 10 + len);
  const body = b.subarray(10 + len);
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .filter((x) => x.trim())
    .map(Number);
  return {
    shape,
    data: new Uint16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)),
  };
}

/** 2x2 mean binning rounded half up, the CLI's --levels rule (docs/FORMAT.md). */
function bin2(data, [n, h, w]) {
  const out = new Uint16Array(n * (h / 2) * (w / 2));
  let o = 0;
  for (let f = 0; f < n; f++) {
    for (let r = 0; r < h; r += 2) {
      for (let c = 0; c < w; c += 2) {
        const at = (rr, cc) => data[f * h * w + rr * w + cc];
        out[o++] = Math.floor((at(r, c) + at(r, c + 1) + at(r + 1, c) + at(r + 1, c + 1) + 2) / 4);
      }
    }
  }
  return out;
}

const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/** `npx pymecompress view PATH --no-open` in its own process group; fetches, then Ctrl-C. */
async function viewCheck(cwd, env, input) {
  const child = spawn('npx', ['--no-install', 'pymecompress', 'view', input, '--no-open'], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise((ok) => child.on('exit', (code, signal) => ok(code ?? signal)));
  try {
    const url = await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL within 30 s: ${out}`)), 30_000);
      const onData = (d) => {
        out += d;
        const m = /pymecompress view: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (d) => {
        out += d;
      });
      exited.then(() => fail(new Error(`view exited: ${out}`)));
    });
    const origin = new URL(url).origin;
    const target = new URL(url).searchParams.get('url');
    const index = await fetch(`${origin}/`);
    const html = await index.text();
    const script = /<script[^>]*src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
    if (!index.ok || !script) throw new Error(`index: ${index.status} ${html.slice(0, 200)}`);
    const js = await fetch(`${origin}/${script}`);
    const type = js.headers.get('content-type') ?? '';
    const code = await js.text();
    if (!js.ok || !type.startsWith('text/javascript') || code.length < 1000)
      throw new Error(`${script}: ${js.status} ${type} ${code.length} bytes`);
    // The decoding Web Worker (wasm inside), referenced relative to the entry chunk.
    const worker = /worker-[\w-]+\.js/.exec(code)?.[0];
    if (!worker || !(await fetch(`${origin}/assets/${worker}`)).ok)
      throw new Error(`worker chunk ${worker}: not referenced or not served`);
    const attrs = await fetch(`${origin}${target}.zattrs`);
    if (!attrs.ok || !(await attrs.json()).multiscales)
      throw new Error(`${target}.zattrs: ${attrs.status}`);
    const outside = await fetch(`${origin}${target}..%2F..%2Fpackage.json`);
    if (outside.status !== 404) throw new Error(`path escape answered ${outside.status}`);
    return { ok: true, detail: `${url}: /, ${script}, assets/${worker}, ${target}.zattrs` };
  } catch (e) {
    return { ok: false, detail: `${e.message}\n${out}` };
  } finally {
    try {
      process.kill(-child.pid, 'SIGINT'); // Ctrl-C: the whole foreground group, as a terminal does
    } catch {}
    const how = await Promise.race([
      exited,
      new Promise((ok) => setTimeout(() => ok('hung'), 10_000)),
    ]);
    if (how === 'hung') process.kill(-child.pid, 'SIGKILL');
  }
}

export async function checkFeatures(t) {
  const { run, npmInstall, check, tail, project, env, tarballs, npmDir, pnpmDir, bareDir } = t;
  const runScripts = (dir, files, label, extraEnv = {}) => {
    for (const f of files) {
      const r = run('node', [f], { cwd: dir, env: { ...env, ...extraEnv } });
      check(
        `${label} (${f.endsWith('.cjs') ? 'CommonJS' : 'ESM'})`,
        r.status === 0,
        tail(r.out, r.status === 0 ? 1 : 20),
      );
    }
  };

  // Every exports subpath of every package, by require() and by import().
  const subpaths = [];
  for (const name of Object.keys(tarballs)) {
    const pkg = JSON.parse(
      readFileSync(join(npmDir, 'node_modules', name, 'package.json'), 'utf8'),
    );
    for (const key of Object.keys(pkg.exports ?? {})) {
      if (!key.endsWith('.json')) subpaths.push(key === '.' ? name : `${name}/${key.slice(2)}`);
    }
  }
  writeFileSync(
    join(npmDir, 'exports.cjs'),
    `const names = ${JSON.stringify(subpaths)};
const bad = [];
for (const n of names) { try { require(n); } catch (e) { bad.push('require ' + n + ': ' + e.code); } }
Promise.all(names.map((n) => import(n).catch((e) => bad.push('import ' + n + ': ' + e.code)))).then(() => {
  if (bad.length) { console.error(bad.join('\\n')); process.exit(1); }
  console.log(names.length + ' subpaths: ' + names.join(' '));
});`,
  );
  let r = run('node', ['exports.cjs'], { cwd: npmDir, env });
  check(
    'every exports subpath loads by require() and import()',
    r.status === 0,
    tail(r.out, r.status === 0 ? 1 : 20),
  );

  // codecs + zarrita 0.7 + native (npmDir): v3 + crc32c, register(), v2 writer, pyramid.
  runScripts(
    npmDir,
    userScripts(npmDir, 'zarr-user', "const EXPECT_BACKEND = 'native';"),
    'codecs + zarrita 0.7 + native: Zarr v3/crc32c, v2 writer, pyramid',
  );

  // codecs + wasm, no native, zarrita 0.5 (Viv's pin): wasm after ready().
  const wasmDir = project('codecs-wasm');
  r = npmInstall(wasmDir, [
    tarballs['@pymecompress/core-ts'],
    tarballs['@pymecompress/codecs'],
    tarballs['@pymecompress/wasm'],
    'zarrita@^0.5.4',
  ]);
  check(
    'npm install codecs + wasm + zarrita 0.5 (no native)',
    r.status === 0,
    r.status === 0 ? '' : tail(r.out),
  );
  runScripts(
    wasmDir,
    userScripts(wasmDir, 'zarr-user', "const EXPECT_BACKEND = 'wasm';"),
    'codecs + zarrita 0.5 + wasm, no native: same checks, backendInfo wasm',
  );

  // Neither native (no prebuild, no compiler) nor wasm: core-ts even after ready().
  r = run(
    'node',
    [
      '--input-type=module',
      '-e',
      "import { ready, backendInfo } from '@pymecompress/codecs'; await ready(); console.log(JSON.stringify(backendInfo()));",
    ],
    { cwd: bareDir, env },
  );
  check(
    'no native addon, no wasm: backendInfo() after ready() is core-ts',
    r.status === 0 && r.out.includes('"kind":"core-ts"') && r.out.includes('"not-installed"'),
    r.out.split('\n').find((l) => l.startsWith('{')) ?? tail(r.out),
  );

  // @pymecompress/wasm alone (with its core-ts dependency).
  const wasmAlone = project('wasm-alone');
  r = npmInstall(wasmAlone, [tarballs['@pymecompress/core-ts'], tarballs['@pymecompress/wasm']]);
  check('npm install @pymecompress/wasm alone', r.status === 0, r.status === 0 ? '' : tail(r.out));
  runScripts(
    wasmAlone,
    userScripts(wasmAlone, 'wasm-user'),
    'wasm alone: init(), decode/encode = core-ts, typed error',
  );

  // The conformance bin against wasm (a user's module exporting the initialised backend).
  writeFileSync(
    join(npmDir, 'wasm-backend.mjs'),
    "import { init } from '@pymecompress/wasm';\nexport default await init();\n",
  );
  r = run(
    'npx',
    [
      '--no-install',
      'pymecompress-conformance',
      '--backend',
      './wasm-backend.mjs',
      '--backend-only',
      '--runs',
      '20',
    ],
    { cwd: npmDir, env },
  );
  check(
    'npx pymecompress-conformance --backend ./wasm-backend.mjs (wasm) passes',
    r.status === 0 && /Tests\s.*passed/.test(r.out),
    tail(r.out, r.status === 0 ? 3 : 30),
  );

  // The CLI: OME-Zarr with levels and tiles, info, --level, tiled Zarr v2, README examples.
  const cli = join(npmDir, 'cli');
  mkdirSync(cli);
  const shape = [3, 128, 128];
  const input = writeNpy(join(cli, 'in.npy'), shape);
  const pyme = (...args) =>
    run('npx', ['--no-install', 'pymecompress', ...args], { cwd: cli, env });
  r = pyme('compress', 'in.npy', '-o', 'x.ome.zarr', '--levels', '2', '--chunks', '1,64,64', '-q');
  check(
    'cli compress in.npy -o x.ome.zarr --levels 2 --chunks 1,64,64',
    r.status === 0,
    tail(r.out),
  );
  r = pyme('info', 'x.ome.zarr', '--json');
  let info = {};
  try {
    info = JSON.parse(r.out.slice(r.out.indexOf('{')));
  } catch {}
  check(
    'cli info x.ome.zarr: OME-Zarr, 3 levels, chunks [1,64,64]',
    r.status === 0 &&
      /OME-Zarr/.test(info.format) &&
      info.levels?.length === 3 &&
      same(info.chunks ?? [], [1, 64, 64]),
    r.status === 0
      ? `${info.format}, levels ${info.levels?.map((l) => l.shape.join('x')).join(' ')}`
      : tail(r.out),
  );
  r = pyme('decompress', 'x.ome.zarr', '--level', '1', '-o', 'y.npy', '-q');
  let y = { shape: [], data: [] };
  if (r.status === 0) y = readNpy(join(cli, 'y.npy'));
  check(
    'cli decompress x.ome.zarr --level 1: 2x2 mean-binned level, exact values',
    r.status === 0 && same(y.shape, [3, 64, 64]) && same(y.data, bin2(input, shape)),
    r.status === 0 ? `shape ${y.shape}` : tail(r.out),
  );
  r = pyme('compress', 'in.npy', '-o', 't.zarr', '--chunks', '1,32,32', '-q');
  const r2 = r.status === 0 ? pyme('decompress', 't.zarr', '-o', 'z.npy', '-q') : r;
  check(
    'cli compress --chunks 1,32,32 (non-frame chunks) -> decompress: same pixels',
    r2.status === 0 && same(readNpy(join(cli, 'z.npy')).data, input),
    r2.status === 0 ? '' : tail(r2.out),
  );
  // README "Quick start: cli" (a .tif stack, camera quantization, info, decompress).
  const steps = [
    ['decompress', 't.zarr', '-o', 'stack.tif', '-q'],
    [
      'compress',
      'stack.tif',
      '-o',
      'stack.zarr',
      '--dark-level',
      '100',
      '--gain',
      '2',
      '--step',
      '0.5',
      '-q',
    ],
    ['compress', 'in.npy', '-o', 'frame.pzf', '--lossless', '--frame', '1', '-q'],
    ['info', 'stack.zarr'],
    ['info', 'frame.pzf'],
    ['decompress', 'stack.zarr', '-o', 'stack.npy', '-q'],
  ];
  const failedStep = steps.map((a) => [a, pyme(...a)]).find(([, s]) => s.status !== 0);
  check(
    'README cli examples (tif, --dark-level/--gain/--step, .pzf, info, decompress)',
    !failedStep,
    failedStep ? `${failedStep[0].join(' ')}${tail(failedStep[1].out)}` : '',
  );
  const v = await viewCheck(cli, env, 'x.ome.zarr');
  check(
    'npx pymecompress view x.ome.zarr --no-open serves the installed viewer app and the data',
    v.ok,
    v.detail,
  );

  // pnpm (strict node_modules): the CLI finds the viewer's app through its own dependency.
  const pv = await viewCheck(pnpmDir, env, join(cli, 'x.ome.zarr'));
  check('pnpm: pymecompress view --no-open serves the viewer app', pv.ok, pv.detail);

  // pnpm: zarrita is the user's own dependency; codecs' peer must resolve to that very copy.
  runScripts(
    pnpmDir,
    userScripts(pnpmDir, 'zarr-user', "const EXPECT_BACKEND = 'native';"),
    "pnpm: codecs + the user's zarrita 0.7 (peer)",
  );
}
