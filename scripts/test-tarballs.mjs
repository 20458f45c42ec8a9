// Install-from-tarball test (issue 9): what users get from npm, not what the workspace has.
// Packs every public package, installs the tarballs with npm (and once with pnpm) into fresh
// projects outside the workspace on a PATH without cc/gcc/g++/clang/make, and runs a user's
// checks. Prints one line per check and a count; exits 1 on any failure.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFeatures } from './tarball-checks/features.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'pmc-tarballs-'));
const results = [];
function check(name, ok, detail = '') {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    out: `${r.stdout ?? ''}${r.stderr ?? ''}`,
  };
}
/** `npm install` of `specs` into a fresh project, quiet and from the cache where it can be. */
function npmInstall(dir, specs) {
  return run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], {
    cwd: dir,
    env,
  });
}
function tail(text, n = 15) {
  return `\n${text.trim().split('\n').slice(-n).join('\n')}`;
}

// 1. Pack every public package.
const tarDir = join(work, 'tarballs');
mkdirSync(tarDir);
const publics = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => {
    try {
      return !JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).private;
    } catch {
      return false;
    }
  });
const tarballs = {};
for (const dir of publics) {
  const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  const r = run('pnpm', ['pack', '--pack-destination', tarDir], { cwd: dir });
  const file = readdirSync(tarDir).find((f) =>
    f.startsWith(name.replace('@', '').replace('/', '-')),
  );
  check(`pack ${name}`, r.status === 0 && !!file, r.status === 0 ? '' : tail(r.out));
  if (file) tarballs[name] = join(tarDir, file);
}
for (const [name, file] of Object.entries(tarballs)) {
  const kb = (readFileSync(file).length / 1024).toFixed(1);
  const entries = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n');
  console.log(`     ${name}: ${kb} KiB, ${entries.length - 1} files`);
  const leftovers = entries.filter((e) => /\.test\.ts$|\/fuzz\/|Makefile$|csrc\/test\//.test(e));
  check(`${name} ships no test/fuzz leftovers`, leftovers.length === 0, leftovers.join(' '));
  check(`${name} ships LICENSE`, entries.includes('package/LICENSE'));
  if (name === '@pymecompress/native') {
    for (const need of [
      'package/scripts/install.mjs',
      'package/scripts/nodedir.mjs',
      'package/binding.gyp',
      'package/src/binding.cc',
    ]) {
      check(`native ships ${need.slice(8)}`, entries.includes(need));
    }
    for (const p of ['linux-x64', 'linux-arm64']) {
      check(
        `native ships a ${p} prebuild`,
        entries.some((e) => e.startsWith(`package/prebuilds/${p}/`) && e.endsWith('.node')),
      );
    }
  }
}

// 2. publint and arethetypeswrong on every tarball (devDependencies of the root).
for (const [name, file] of Object.entries(tarballs)) {
  const p = run('pnpm', ['exec', 'publint', '--strict', file], { cwd: root });
  check(`publint ${name}`, p.status === 0, p.status === 0 ? '' : tail(p.out));
  // ESM only, with a `default` condition: require() works through require(esm) on Node >= 20.19
  // (checked for real below), which attw does not model, so only that rule is ignored. The
  // default (strict) profile includes node10: subpath types come from `typesVersions` there.
  const a = run(
    'pnpm',
    ['exec', 'attw', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped', file],
    { cwd: root },
  );
  check(
    `attw (node10, node16, bundler; require(esm)) ${name}`,
    a.status === 0,
    a.status === 0 ? '' : tail(a.out, 25),
  );
}

// 3. A PATH with node/npm/npx/pnpm (and a shell) only: no compiler, no make.
const bin = join(work, 'bin');
mkdirSync(bin);
// sed/dirname/uname: pnpm's node_modules/.bin shell shims call them (every user has them).
for (const tool of ['node', 'npm', 'npx', 'pnpm', 'sh', 'sed', 'dirname', 'uname']) {
  const path = run('sh', ['-c', `command -v ${tool}`]).out.trim();
  if (path) symlinkSync(path, join(bin, tool));
}
const env = { ...process.env, PATH: bin, npm_config_nodedir: '' };
for (const k of Object.keys(env))
  if (k.startsWith('PYMECOMPRESS_') || k.startsWith('npm_')) delete env[k];
const noCompiler = run('sh', ['-c', 'command -v cc gcc g++ clang make'], { env }).out.trim();
check('no cc/gcc/g++/clang/make on the install PATH', noCompiler === '', noCompiler);

function project(name) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true }),
  );
  return dir;
}
const userScript = `
const assert = require('node:assert');
const { readFileSync, existsSync } = require('node:fs');
const core = require('@pymecompress/core-ts');
const native = require('@pymecompress/native');
const codecs = require('@pymecompress/codecs');
require('@pymecompress/conformance');
require('@pymecompress/cli');
const nativeRoot = require('node:path').dirname(require.resolve('@pymecompress/native/package.json'));
const loaded = require('node-gyp-build').path(nativeRoot);
assert.ok(loaded.includes('/prebuilds/linux-' + process.arch + '/'), 'native did not load a prebuild: ' + loaded);
assert.ok(!existsSync(nativeRoot + '/build'), 'native compiled from source during install');
const cpuFlags = new Set(readFileSync('/proc/cpuinfo', 'utf8').split(/\\s+/));
const avx2 = cpuFlags.has('avx2');
const avx512 = ['avx512f', 'avx512dq', 'avx512bw', 'avx512vl'].every((f) => cpuFlags.has(f));
assert.strictEqual(native.getDispatch(), avx512 ? 'avx512' : avx2 ? 'avx2' : 'scalar');
const info = codecs.backendInfo();
assert.strictEqual(info.kind, 'native', JSON.stringify(info));
const frame = new Uint16Array(1 << 16);
let s = 12345;
for (let i = 0; i < frame.length; i++) { s = (s * 1103515245 + 12345) >>> 0; frame[i] = 100 + (s >>> 24); }
const bytes = new Uint8Array(frame.buffer);
for (const [name, a, b] of [
  ['huffmanCompress', core.coreBackend.huffmanCompress(bytes), native.nativeBackend.huffmanCompress(bytes)],
  ['huffmanCompressQuant', core.coreBackend.huffmanCompressQuant(frame, 100, 1), native.nativeBackend.huffmanCompressQuant(frame, 100, 1)],
]) assert.ok(Buffer.from(a).equals(Buffer.from(b)), name + ': native and core-ts differ');
console.log(JSON.stringify({ prebuild: loaded.slice(nativeRoot.length), dispatch: native.getDispatch(), backendInfo: info }));
`;
const forkGood = "export { coreBackend as default } from '@pymecompress/core-ts';\n";
const forkBroken = `import { coreBackend } from '@pymecompress/core-ts';
export default { ...coreBackend, kind: 'broken', huffmanCompress: (d) => { const s = coreBackend.huffmanCompress(d); if (s.length) s[0] ^= 1; return s; } };
`;

// 4. npm: install every tarball at once, without a compiler.
const npmDir = project('npm-user');
let t0 = Date.now();
// zarrita: the user's own copy, which codecs' optional peer dependency must share.
let r = npmInstall(npmDir, [...Object.values(tarballs), 'zarrita@^0.7.5']);
const npmSeconds = ((Date.now() - t0) / 1000).toFixed(1);
check(
  `npm install of the tarballs without a compiler (${npmSeconds} s)`,
  r.status === 0,
  r.status === 0 ? '' : tail(r.out),
);
writeFileSync(join(npmDir, 'check.cjs'), userScript);
r = run('node', ['check.cjs'], { cwd: npmDir, env });
check(
  'user script (CommonJS require of every package, prebuild, dispatch, backendInfo, bytes)',
  r.status === 0,
  tail(r.out, r.status === 0 ? 1 : 20),
);
r = run(
  'node',
  [
    '--input-type=module',
    '-e',
    "import('@pymecompress/codecs').then((c) => console.log(JSON.stringify(c.backendInfo())))",
  ],
  { cwd: npmDir, env },
);
check(
  'ESM import of codecs: backendInfo()',
  r.status === 0 && r.out.includes('"kind":"native"'),
  r.out.trim(),
);
r = run('npx', ['--no-install', 'pymecompress', 'demo'], { cwd: npmDir, env });
check('npx pymecompress demo', r.status === 0, r.status === 0 ? '' : tail(r.out));
writeFileSync(join(npmDir, 'fork.mjs'), forkGood);
writeFileSync(join(npmDir, 'broken.mjs'), forkBroken);
r = run(
  'npx',
  ['--no-install', 'pymecompress-conformance', '--backend', './fork.mjs', '--runs', '20'],
  { cwd: npmDir, env },
);
check(
  'npx pymecompress-conformance --backend ./fork.mjs passes',
  r.status === 0 && /Tests\s.*passed/.test(r.out),
  tail(r.out, r.status === 0 ? 4 : 30),
);
r = run(
  'npx',
  ['--no-install', 'pymecompress-conformance', '--backend', './broken.mjs', '--backend-only'],
  { cwd: npmDir, env },
);
check(
  'npx pymecompress-conformance --backend ./broken.mjs fails',
  r.status === 1 && /failed/.test(r.out),
  `exit ${r.status}`,
);

// 5. No prebuild for this platform and no compiler: install still succeeds, with one message.
const bareDir = project('no-prebuild');
const nativeCopy = join(work, 'native-no-prebuild');
mkdirSync(nativeCopy);
execFileSync('tar', ['-xzf', tarballs['@pymecompress/native'], '-C', nativeCopy]);
rmSync(join(nativeCopy, 'package', 'prebuilds'), { recursive: true, force: true });
const nativeBare = join(work, 'native-no-prebuild.tgz');
execFileSync('tar', ['-czf', nativeBare, '-C', nativeCopy, 'package']);
r = npmInstall(bareDir, [
  tarballs['@pymecompress/core-ts'],
  tarballs['@pymecompress/codecs'],
  nativeBare,
]);
check(
  'no prebuild, no compiler: npm install exits 0',
  r.status === 0,
  r.status === 0 ? '' : tail(r.out),
);
r = run(
  'node',
  ['-e', "console.log(JSON.stringify(require('@pymecompress/codecs').backendInfo()))"],
  { cwd: bareDir, env },
);
check(
  '  ... codecs falls back to core-ts and says why',
  r.status === 0 && r.out.includes('"kind":"core-ts"') && /build|compiler|rebuild/.test(r.out),
  r.out.trim().split('\n').pop(),
);

// 6. pnpm: install the tarballs once (pnpm 10 runs no install scripts by default: prebuilds only).
const pnpmDir = project('pnpm-user');
const overrides = Object.fromEntries(Object.entries(tarballs).map(([n, f]) => [n, `file:${f}`]));
writeFileSync(
  join(pnpmDir, 'package.json'),
  JSON.stringify({
    name: 'pnpm-user',
    version: '1.0.0',
    private: true,
    dependencies: { ...overrides, zarrita: '^0.7.5' },
    pnpm: { overrides },
  }),
);
t0 = Date.now();
r = run('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], {
  cwd: pnpmDir,
  env,
});
const pnpmSeconds = ((Date.now() - t0) / 1000).toFixed(1);
check(
  `pnpm install of the tarballs without a compiler (${pnpmSeconds} s)`,
  r.status === 0,
  r.status === 0 ? '' : tail(r.out),
);
writeFileSync(
  join(pnpmDir, 'check.cjs'),
  userScript.replace(
    "require('node-gyp-build')",
    "require(require.resolve('node-gyp-build', { paths: [nativeRoot] }))",
  ),
);
r = run('node', ['check.cjs'], { cwd: pnpmDir, env });
check('pnpm: user script', r.status === 0, tail(r.out, r.status === 0 ? 1 : 20));

// 7. The new user-facing features (issues 11-13) from the installed tarballs.
await checkFeatures({
  run,
  npmInstall,
  check,
  tail,
  project,
  env,
  tarballs,
  npmDir,
  pnpmDir,
  bareDir,
});

// 8. The linux-arm64 prebuild in an arm64 Node (Debian's nodejs under qemu-user), same bytes.
const arm = run('sh', [join(root, 'packages/native/scripts/setup-arm64-node.sh')]);
if (arm.status !== 0) {
  check('arm64 Node (debootstrap + qemu-aarch64)', false, tail(arm.out));
} else {
  // The root is the script's last line of stdout (on the first run debootstrap's progress
  // follows on stderr, so it is not the last line of `out`).
  const armRoot = arm.stdout.trim().split('\n').pop();
  const script = `const r = require('node:path').dirname(require.resolve('@pymecompress/native/package.json')); const n = require(require.resolve('node-gyp-build', { paths: [r] }))(r);
const b = new Uint8Array(1 << 16); let s = 7; for (let i = 0; i < b.length; i++) { s = (s * 1103515245 + 12345) >>> 0; b[i] = s >>> 27; }
console.log(process.arch, require('node:crypto').createHash('sha256').update(n.huffmanCompress(b)).digest('hex'));`;
  writeFileSync(join(npmDir, 'arch.cjs'), script);
  const x64 = run('node', ['arch.cjs'], { cwd: npmDir, env });
  const a64 = run('qemu-aarch64', ['-L', armRoot, join(armRoot, 'usr/bin/node'), 'arch.cjs'], {
    cwd: npmDir,
    env: { ...env, PATH: process.env.PATH },
  });
  const same = x64.out.split(' ')[1] === a64.out.split(' ')[1];
  check(
    'linux-arm64 prebuild loads in arm64 Node (qemu) and matches x64 bytes',
    a64.status === 0 && a64.out.startsWith('arm64 ') && same,
    `[root ${armRoot}, status ${a64.status}, signal ${a64.signal}] ${a64.out.trim()} vs x64 ${x64.out.trim()}`,
  );
}

const failed = results.filter((ok) => !ok).length;
console.log(
  `\ntarball install test: ${results.length - failed} passed, ${failed} failed (${work})`,
);
if (failed === 0) rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
