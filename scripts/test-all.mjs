// Runs every check the project has, in order, then prints one summary line of test counts
// gathered from each package's vitest JSON report (test-results/vitest.json).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const reports = readdirSync(packagesDir).map((name) => join(packagesDir, name, 'test-results'));
for (const dir of reports) rmSync(dir, { recursive: true, force: true });

// [command, args, keep going after a failure?]: later checks still run after failing tests so
// one CI run reports everything, but nothing runs on a tree that does not build.
const steps = [
  ['pnpm', ['run', 'lint'], false],
  ['pnpm', ['exec', 'turbo', 'run', 'build', 'typecheck'], false],
  ['pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue'], true],
  // The native C core alone, under AddressSanitizer + UndefinedBehaviorSanitizer, then each
  // libFuzzer target for FUZZ_SECONDS (60 by default).
  ['pnpm', ['--filter', '@pymecompress/native', 'run', 'test:sanitize'], true],
  ['pnpm', ['--filter', '@pymecompress/native', 'run', 'fuzz'], true],
  // The C core's tests cross-compiled for aarch64 and run under qemu-user, then what users
  // install: packed tarballs in fresh npm/pnpm projects without a compiler (issue 9).
  ['pnpm', ['--filter', '@pymecompress/native', 'run', 'test:arm64'], true],
  ['node', ['scripts/test-tarballs.mjs'], true],
];
let status = 0;
for (const [command, args, keepGoing] of steps) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    status = result.status ?? 1;
    console.error(`test-all: '${command} ${args.join(' ')}' failed (exit ${status})`);
    if (!keepGoing) break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of reports) {
  const file = join(dir, 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A file that fails outside any test (an import error, a failing beforeAll) counts as one
  // failure: its tests are reported as skipped, which must not read as a clean run.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' &&
      !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  const packageFailed = (report.numFailedTests ?? 0) + brokenFiles;
  passed += report.numPassedTests ?? 0;
  failed += packageFailed;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const name = dir.slice(packagesDir.length + 1, -'/test-results'.length);
  console.log(`${name}: ${report.numPassedTests} passed, ${packageFailed} failed`);
}
if (passed + failed === 0 && status === 0) {
  console.error('test-all: no test ran');
  status = 1;
}
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
