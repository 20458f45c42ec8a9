#!/usr/bin/env node
// Builds the prebuilt binaries the package ships (prebuildify, N-API: one binary per platform
// serves every Node >= 20), into prebuilds/<platform>-<arch>/@pymecompress+native.glibc.node:
//   - linux-arm64: cross-compiled with Debian's gcc-aarch64-linux-gnu / g++-aarch64-linux-gnu
//     (scalar quantizer body; the AVX2 bodies exist on x86-64 only, csrc/pmc_internal.h);
//   - the host (linux-x64 here), built last so build/Release stays a host binary for the repo.
// Headers come from the running Node (npm_config_nodedir), never from the network.
//
//   node scripts/prebuild.mjs            host + arm64; warns and skips arm64 without the cross gcc
//   node scripts/prebuild.mjs --require  fails unless linux-x64 and linux-arm64 both exist (prepack)
//   node scripts/prebuild.mjs --check    only checks that both exist, builds nothing
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveNodedir } from './nodedir.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
/** The platforms every published tarball must carry (the install test checks them too). */
export const REQUIRED_PREBUILDS = ['linux-x64', 'linux-arm64'];
const CROSS = 'aarch64-linux-gnu';

function log(message) {
  console.error(`[prebuild] ${message}`);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function prebuildsOf(target) {
  const dir = join(root, 'prebuilds', target);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.node')) : [];
}

function check() {
  const missing = REQUIRED_PREBUILDS.filter((t) => prebuildsOf(t).length === 0);
  if (missing.length) {
    log(
      `missing prebuilds: ${missing.join(', ')} (run \`node scripts/prebuild.mjs\` in packages/native)`,
    );
    process.exit(1);
  }
  for (const t of REQUIRED_PREBUILDS) log(`ok: prebuilds/${t}/${prebuildsOf(t).join(', ')}`);
}

function prebuildify(targetArch, extraEnv) {
  const bin = join(dirname(require.resolve('prebuildify/package.json')), 'bin.js');
  const nodedir = resolveNodedir();
  rmSync(join(root, 'prebuilds', `${platform()}-${targetArch}`), { recursive: true, force: true });
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [bin, '--napi', '--strip', '--tag-libc', `--arch=${targetArch}`],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, npm_config_nodedir: nodedir, JOBS: '2', ...extraEnv },
    },
  );
  if (result.status !== 0) {
    log(`prebuildify for ${platform()}-${targetArch} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
  log(
    `${platform()}-${targetArch}: ${prebuildsOf(`${platform()}-${targetArch}`)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (args.has('--check')) {
  check();
  process.exit(0);
}
if (platform() !== 'linux' || arch() !== 'x64') {
  log(`host ${platform()}-${arch()}: building the host prebuild only`);
  prebuildify(arch(), {});
  process.exit(0);
}
if (has(`${CROSS}-g++`) && has(`${CROSS}-gcc`)) {
  prebuildify('arm64', {
    CC: `${CROSS}-gcc`,
    CXX: `${CROSS}-g++`,
    LINK: `${CROSS}-g++`,
    AR: `${CROSS}-ar`,
    PREBUILD_STRIP_BIN: `${CROSS}-strip`,
  });
} else {
  const how =
    'sh packages/native/scripts/install-cross-deps.sh (Debian: gcc-aarch64-linux-gnu g++-aarch64-linux-gnu)';
  if (args.has('--require')) {
    log(`cannot build linux-arm64: ${CROSS}-gcc/g++ not found; install them with ${how}`);
    process.exit(1);
  }
  log(`skipping linux-arm64: ${CROSS}-gcc/g++ not found (${how})`);
}
prebuildify('x64', {});
if (args.has('--require')) check();
