/**
 * Outputs are never left half-written: everything is written under a hidden temporary name in
 * the output's directory and renamed into place only when complete. On failure, SIGINT or
 * SIGTERM the temporary is removed. An existing output is replaced only with `--force`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, EXIT } from './errors.js';

const pending = new Set<string>();
let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanupAllSync();
    process.stderr.write(`\npymecompress: interrupted (${signal}); partial output removed\n`);
    process.exit(EXIT.INTERRUPTED);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', cleanupAllSync);
}

function cleanupAllSync(): void {
  for (const p of pending) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  pending.clear();
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Fails with exit code 4 when `output` exists and `force` is not set. */
export async function checkOutput(output: string, force: boolean): Promise<void> {
  if (!force && (await exists(output))) {
    throw new CliError(EXIT.OUTPUT_EXISTS, `${output}: already exists (use --force to overwrite)`);
  }
  const dir = dirname(resolve(output));
  if (!existsSync(dir))
    throw new CliError(EXIT.FAILURE, `${output}: directory ${dir} does not exist`);
}

export interface AtomicOutput {
  /** The temporary path to write to (a file or a directory). */
  readonly tempPath: string;
  /** Renames the temporary into place (replacing an existing output; checked by the caller). */
  commit(): Promise<void>;
  /** Removes the temporary. */
  abort(): Promise<void>;
}

export function atomicOutput(output: string): AtomicOutput {
  installHandlers();
  const target = resolve(output);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tempPath = join(dirname(target), `.${basename(target)}.tmp-${tag}`);
  pending.add(tempPath);
  return {
    tempPath,
    async commit() {
      let old: string | undefined;
      try {
        const s = await stat(target);
        if (s.isDirectory()) {
          // rename() cannot replace a non-empty directory: move the old one aside first.
          old = join(dirname(target), `.${basename(target)}.old-${tag}`);
          pending.add(old);
          await rename(target, old);
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      await rename(tempPath, target);
      pending.delete(tempPath);
      if (old) {
        await rm(old, { recursive: true, force: true });
        pending.delete(old);
      }
    },
    async abort() {
      await rm(tempPath, { recursive: true, force: true });
      pending.delete(tempPath);
    },
  };
}

/**
 * Test hook: `PYMECOMPRESS_CLI_TEST_FAIL_AFTER_FRAMES=n` makes a stack write fail after `n`
 * frames (used by the tests to check that no partial output is left behind).
 */
export function injectedFailure(framesWritten: number): void {
  const v = process.env.PYMECOMPRESS_CLI_TEST_FAIL_AFTER_FRAMES;
  if (v !== undefined && v !== '' && framesWritten >= Number(v)) {
    throw new CliError(EXIT.FAILURE, `injected failure after ${framesWritten} frames (test hook)`);
  }
}
