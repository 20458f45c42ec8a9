// Runs every check the project has, in order, then prints one summary line of test counts
// gathered from each package's vitest JSON report (test-results/vitest.json).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const reports = readdirSync(packagesDir).map((name) => join(packagesDir, name, 'test-results'));
for (const dir of reports) rmSync(dir, { recursive: true, force: true });

const steps = [
  ['pnpm', ['run', 'lint']],
  ['pnpm', ['exec', 'turbo', 'run', 'build', 'typecheck']],
  ['pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue']],
];
let status = 0;
for (const [command, args] of steps) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    status = result.status ?? 1;
    console.error(`test-all: '${command} ${args.join(' ')}' failed (exit ${status})`);
    if (command !== 'pnpm' || args[2] !== 'test') break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of reports) {
  const file = join(dir, 'vitest.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(
    `${dir.slice(packagesDir.length + 1, -'/test-results'.length)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
if (passed + failed === 0 && status === 0) {
  console.error('test-all: no test ran');
  status = 1;
}
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
