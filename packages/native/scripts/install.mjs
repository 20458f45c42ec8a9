// The package's install hook (npm/pnpm `install` script). In order:
//   1. a prebuilt binary matches this platform (prebuilds/<platform>-<arch>/, node-gyp-build's
//      own matching: N-API, libc): nothing to do;
//   2. otherwise build from source with node-gyp (needs Python 3, make and a C/C++ compiler);
//   3. if that is impossible or fails: print ONE message saying what is missing and how to get
//      it, and exit 0, so installing @pymecompress/codecs (native is its optional dependency)
//      never fails because of native; codecs then runs on @pymecompress/core-ts.
// PYMECOMPRESS_NATIVE_BUILD_FROM_SOURCE=1 skips step 1, and a failed forced build exits 1.
// Headers: an explicit npm_config_nodedir wins; else the running Node's own (<prefix>/include/
// node) when it ships them, so a source build never downloads anything.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveNodedir } from './nodedir.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const target = `${process.platform}-${process.arch}`;
const forced = process.env.PYMECOMPRESS_NATIVE_BUILD_FROM_SOURCE === '1';
/** Written when the source build could not run or failed: the loader's error quotes it. */
const failureNote = join(root, 'build-failed.txt');
rmSync(failureNote, { force: true });

function say(message) {
  console.error(`@pymecompress/native: ${message}`);
}

function prebuildPath() {
  try {
    const path = require('node-gyp-build').path(root);
    return path.includes(`${join(root, 'prebuilds')}`) ? path : undefined;
  } catch {
    return undefined;
  }
}

function onPath(names) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  return names.find((n) => dirs.some((d) => exts.some((e) => existsSync(join(d, n + e)))));
}

/** What node-gyp needs that this machine lacks (POSIX; MSVC is found by node-gyp itself). */
function missingTools() {
  if (process.platform === 'win32') return [];
  const missing = [];
  const cxx = process.env.CXX ? [process.env.CXX.split(' ')[0]] : ['c++', 'g++', 'clang++'];
  const cc = process.env.CC ? [process.env.CC.split(' ')[0]] : ['cc', 'gcc', 'clang'];
  if (!onPath(cc)) missing.push('a C compiler (cc, gcc or clang)');
  if (!onPath(cxx)) missing.push('a C++ compiler (c++, g++ or clang++)');
  if (!onPath(['make', 'gmake'])) missing.push('make');
  if (!onPath(['python3', 'python'])) missing.push('Python 3');
  return missing;
}

function nodeGypCommand() {
  // npm and pnpm point npm_config_node_gyp at the node-gyp they bundle.
  const bundled = process.env.npm_config_node_gyp;
  if (bundled && existsSync(bundled)) return [process.execPath, [bundled]];
  try {
    return [process.execPath, [require.resolve('node-gyp/bin/node-gyp.js')]];
  } catch {
    return onPath(['node-gyp']) ? ['node-gyp', []] : undefined;
  }
}

function giveUp(what) {
  const how =
    process.platform === 'darwin'
      ? 'xcode-select --install'
      : process.platform === 'win32'
        ? 'install Visual Studio Build Tools (C++ workload) and Python 3'
        : 'Debian/Ubuntu: sudo apt-get install build-essential python3; Fedora: sudo dnf install gcc-c++ make python3; Alpine: apk add build-base python3';
  const message =
    `${forced ? 'PYMECOMPRESS_NATIVE_BUILD_FROM_SOURCE=1 asked for a source build' : `no prebuilt binary for ${target}`}, and ${what}. ` +
    `To use the native backend, install the build tools (${how}), then run ` +
    '`npm rebuild @pymecompress/native` (or `pnpm rebuild @pymecompress/native`). ' +
    'Until then @pymecompress/codecs uses @pymecompress/core-ts (pure TypeScript, same bytes, slower).';
  writeFileSync(failureNote, `${message}\n`);
  say(message);
  process.exit(forced ? 1 : 0);
}

if (!forced) {
  const found = prebuildPath();
  if (found) {
    say(`using the prebuilt binary ${found.slice(root.length)}`);
    process.exit(0);
  }
}

const missing = missingTools();
if (missing.length) giveUp(`building from source needs ${missing.join(', ')}, not found on PATH`);
const gyp = nodeGypCommand();
if (!gyp) giveUp('node-gyp was not found (npm and pnpm bundle it; or npm install -g node-gyp)');

const env = { ...process.env };
const nodedir = resolveNodedir(env, { requireHeaders: true });
if (nodedir) env.npm_config_nodedir = nodedir;
say(
  forced
    ? 'PYMECOMPRESS_NATIVE_BUILD_FROM_SOURCE=1: building from source with node-gyp'
    : `no prebuilt binary for ${target}: building from source with node-gyp`,
);
const [command, prefixArgs] = gyp;
const result = spawnSync(command, [...prefixArgs, 'rebuild'], { cwd: root, stdio: 'inherit', env });
if (result.status !== 0) {
  giveUp(
    `the source build failed (node-gyp exit ${result.status ?? result.signal}; its log is above)`,
  );
}
