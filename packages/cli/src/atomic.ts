/**
 * Committing outputs safely (docs/FORMAT.md §5.1 "Output commits"):
 *
 * - everything is written under a hidden temporary name in the output's directory and moved into
 *   place only when complete; on failure, SIGINT or SIGTERM the temporary is removed;
 * - a lock file (`.NAME.lock`, created exclusively, holding our pid) keeps a second writer of
 *   the same output from starting: it fails at once with exit 4;
 * - the output is checked again at commit: one that appeared during the run is never replaced
 *   without `--force`, and is left untouched;
 * - `--force` replaces only a regular file or an output this tool wrote (a Zarr directory whose
 *   attributes carry our `pymecompress` metadata), and that is checked before any work;
 * - temporaries and locks of our own left by a killed run (their pid is gone) are removed by the
 *   next run that writes into the same directory.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { link, lstat, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, EXIT, fromLibraryError } from './errors.js';

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
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Names of our temporaries: `.NAME.tmp-PID-HEX`, `.NAME.old-PID-HEX`, `.NAME.lock`. */
const TEMP_NAME = /^\..+\.(tmp|old)-(\d+)-[0-9a-f]{8}$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporaries of ours in `dir` whose writing process no longer exists. */
export async function cleanStaleTemporaries(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (m && !alive(Number(m[2]))) {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** True when `path` is a Zarr array/group this tool wrote (its attributes carry `pymecompress`). */
async function writtenByUs(path: string): Promise<boolean> {
  for (const [file, pick] of [
    ['.zattrs', (j: Record<string, unknown>) => j],
    ['zarr.json', (j: Record<string, unknown>) => j.attributes as Record<string, unknown>],
  ] as const) {
    try {
      const s = await lstat(join(path, file));
      if (!s.isFile() || s.size > 1 << 20) continue;
      const attrs = pick(JSON.parse(await readFile(join(path, file), 'utf8')));
      const meta = attrs?.pymecompress as { writer?: unknown } | undefined;
      if (typeof meta?.writer === 'string' && meta.writer.startsWith('@pymecompress/cli'))
        return true;
    } catch {
      // not ours
    }
  }
  return false;
}

/**
 * What may stand at `output`: nothing; or, with `force`, a regular file (for file outputs) or a
 * Zarr directory of ours (for directory outputs). Anything else fails with exit code 4.
 */
/** A file output (.pzf, .npy, .tif, reports) or a directory output (.zarr). */
export type OutputKind = 'file' | 'dir';

async function checkTarget(
  output: string,
  force: boolean,
  when: 'start' | 'commit',
  kind: OutputKind = 'file',
): Promise<'absent' | 'file' | 'dir'> {
  let s: Awaited<ReturnType<typeof lstat>>;
  try {
    s = await lstat(output);
  } catch {
    return 'absent';
  }
  const appeared =
    when === 'commit' ? ' appeared during the run and was left untouched' : ' already exists';
  if (!force)
    throw new CliError(EXIT.OUTPUT_EXISTS, `${output}:${appeared} (use --force to overwrite)`);
  if (s.isFile() && kind === 'file') return 'file';
  if (s.isDirectory() && kind === 'dir' && (await writtenByUs(output))) return 'dir';
  if (s.isFile())
    throw new CliError(
      EXIT.OUTPUT_EXISTS,
      `${output}: exists and is a file; this output is a directory, so --force does not replace it`,
    );
  throw new CliError(
    EXIT.OUTPUT_EXISTS,
    `${output}: exists and is ${s.isDirectory() ? 'a directory this tool did not write' : 'not a regular file'}; --force replaces only files and outputs of pymecompress`,
  );
}

/** Fails early: exit 4 when `output` exists (see `checkTarget`), exit 1 without its directory. */
export async function checkOutput(
  output: string,
  force: boolean,
  kind: OutputKind = 'file',
): Promise<void> {
  const dir = dirname(resolve(output));
  if (!existsSync(dir))
    throw new CliError(EXIT.FAILURE, `${output}: directory ${dir} does not exist`);
  await cleanStaleTemporaries(dir);
  await checkTarget(output, force, 'start', kind);
}

export interface AtomicOutput {
  /** The temporary path to write to (a file or a directory). */
  readonly tempPath: string;
  /** Moves the temporary into place (checking the target again first). */
  commit(): Promise<void>;
  /** Removes the temporary. */
  abort(): Promise<void>;
}

function acquireLock(target: string): string {
  const lock = join(dirname(target), `.${basename(target)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      pending.add(lock);
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readLockSafe(lock), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new CliError(
          EXIT.OUTPUT_EXISTS,
          `${target}: is being written by another pymecompress process (pid ${pid}; lock ${lock})`,
        );
      }
      try {
        unlinkSync(lock); // stale: its writer is gone
      } catch {
        // raced with another cleaner
      }
    }
  }
  throw new CliError(EXIT.OUTPUT_EXISTS, `${target}: cannot take the lock ${lock}`);
}

function readLockSafe(lock: string): string {
  try {
    return readFileSync(lock, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Starts an atomic output. `force` is what `--force` said; callers outside the stack commands
 * (demo/bench reports) that already decided to replace pass nothing (`force` defaults to true).
 */
export function atomicOutput(
  output: string,
  opts: { force?: boolean; kind?: OutputKind } = {},
): AtomicOutput {
  installHandlers();
  const force = opts.force ?? true;
  const outKind = opts.kind ?? 'file';
  const target = resolve(output);
  const lock = acquireLock(target);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tempPath = join(dirname(target), `.${basename(target)}.tmp-${tag}`);
  pending.add(tempPath);
  const release = async (): Promise<void> => {
    await unlink(lock).catch(() => {});
    pending.delete(lock);
  };
  return {
    tempPath,
    async commit() {
      try {
        const kind = await checkTarget(output, force, 'commit', outKind);
        const temp = await lstat(tempPath);
        if (kind === 'absent' && temp.isFile()) {
          // link() fails if the target appeared meanwhile: never replaces it.
          try {
            await link(tempPath, target);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST')
              throw new CliError(
                EXIT.OUTPUT_EXISTS,
                `${output}: appeared during the run and was left untouched`,
              );
            throw err;
          }
          await unlink(tempPath);
        } else if (kind === 'dir') {
          // rename() cannot replace a non-empty directory: move ours aside first.
          const old = join(dirname(target), `.${basename(target)}.old-${tag}`);
          pending.add(old);
          await rename(target, old);
          await rename(tempPath, target);
          await rm(old, { recursive: true, force: true });
          pending.delete(old);
        } else {
          try {
            await rename(tempPath, target);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (
              code === 'ENOTEMPTY' ||
              code === 'EEXIST' ||
              code === 'EISDIR' ||
              code === 'ENOTDIR'
            )
              throw new CliError(
                EXIT.OUTPUT_EXISTS,
                `${output}: appeared during the run and was left untouched`,
              );
            throw err;
          }
        }
        pending.delete(tempPath);
      } finally {
        await release();
      }
    },
    async abort() {
      await rm(tempPath, { recursive: true, force: true });
      pending.delete(tempPath);
      await release();
    },
  };
}

/**
 * Runs `write(tempPath)` and commits its result at `output`, removing the temporary on any
 * failure: the one commit/abort sequence every command uses.
 */
export async function withAtomicOutput<T>(
  output: string,
  opts: { force: boolean; kind?: OutputKind },
  write: (tempPath: string) => Promise<T>,
): Promise<T> {
  const out = atomicOutput(output, opts);
  try {
    const result = await write(out.tempPath);
    await out.commit();
    return result;
  } catch (err) {
    await out.abort();
    // An I/O error while writing (ENOSPC, EACCES...) names the output, not the temporary.
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof CliError) && typeof e?.code === 'string' && e.syscall)
      throw fromLibraryError(output, {
        ...e,
        path: undefined,
        syscall: e.syscall,
        code: e.code,
        message: e.message,
      });
    throw err;
  }
}

/** Writes `bytes` to `output` atomically (see `withAtomicOutput`). */
export function writeFileAtomic(
  output: string,
  bytes: Uint8Array | string,
  force: boolean,
): Promise<void> {
  return withAtomicOutput(output, { force }, (temp) => writeFile(temp, bytes, { flag: 'wx' }));
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
