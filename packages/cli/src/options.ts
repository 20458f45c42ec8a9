/**
 * Typed option values shared by the commands: every value is checked for its JavaScript type
 * (a string from the command line; the programmatic API gets no coercion either) and its range.
 * Numbers are plain decimal literals only: `""`, `0x64`, `1e`, `Infinity` and `true` are refused.
 */
import { availableParallelism } from 'node:os';
import { type BackendName, getBackend, parseBackendName, ready } from '@pymecompress/codecs';
import { CliError, EXIT, usageError } from './errors.js';
import type { PixelDtype } from './npy.js';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A finite decimal number given as option `--name`. */
export function parseNumber(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !DECIMAL.test(v.trim()))
    throw usageError(`--${name} ${String(v)}: expected a decimal number`);
  const n = Number(v);
  if (!Number.isFinite(n)) throw usageError(`--${name} ${v}: expected a finite number`);
  return n;
}

/** An integer option in `[min, max]`. */
export function parseInteger(
  name: string,
  v: unknown,
  min: number,
  max: number,
): number | undefined {
  if (v === undefined) return undefined;
  if (
    typeof v !== 'string' ||
    !/^[+-]?\d+$/.test(v.trim()) ||
    !(Number(v) >= min && Number(v) <= max)
  )
    throw usageError(`--${name} ${String(v)}: expected an integer from ${min} to ${max}`);
  return Number(v);
}

/** `--backend`, else `PYMECOMPRESS_BACKEND`, else `auto` (parsed by @pymecompress/codecs). */
export function parseBackend(v: unknown): BackendName {
  if (v !== undefined && typeof v !== 'string')
    throw usageError(`--backend ${String(v)}: expected a name`);
  try {
    return v === undefined
      ? parseBackendName(process.env.PYMECOMPRESS_BACKEND, 'PYMECOMPRESS_BACKEND=')
      : parseBackendName(v, '--backend ');
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

export function parseThreads(v: unknown): number {
  return parseInteger('threads', v, 1, 256) ?? availableParallelism();
}

export function parseRawDtype(text: string): { dtype: PixelDtype; bigEndian: boolean } {
  switch (text.toLowerCase()) {
    case 'uint8':
    case 'u1':
    case '|u1':
      return { dtype: 'uint8', bigEndian: false };
    case 'uint16':
    case 'u2':
    case '<u2':
    case 'uint16le':
      return { dtype: 'uint16', bigEndian: false };
    case '>u2':
    case 'uint16be':
      return { dtype: 'uint16', bigEndian: true };
    default:
      throw usageError(`--dtype ${text}: expected uint8, uint16 (little-endian) or uint16be / >u2`);
  }
}

export function parseShape(text: string, option = '--shape'): number[] {
  const parts = text.split(/[,x× ]+/).filter((s) => s !== '');
  const shape = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
  if (
    shape.length < 2 ||
    shape.length > 3 ||
    shape.some((s) => !Number.isSafeInteger(s) || s <= 0)
  ) {
    throw usageError(`${option} ${text}: expected H,W or N,H,W (positive integers)`);
  }
  return shape;
}

/**
 * Resolves the backend in this thread (after codecs' `ready()`, so wasm is usable) so an
 * unavailable backend fails up front.
 */
export async function resolveBackendKind(name: BackendName): Promise<string> {
  await ready();
  try {
    return getBackend(name).kind;
  } catch (err) {
    throw new CliError(EXIT.FAILURE, (err as Error).message, { cause: err });
  }
}

/**
 * `--chunks`: the chunk shape of a `.zarr` / `.ome.zarr` output, `T,H,W` for a stack (`H,W` means
 * `1,H,W`) or `H,W` for a 2-D frame; extents larger than the array are clipped to it (as
 * zarr-python does not, but a chunk bigger than its array only wastes padding).
 */
export function parseChunks(v: unknown, shape: readonly number[]): number[] | undefined {
  if (v === undefined) return undefined;
  const text = typeof v === 'string' ? v : '';
  const parts = text.split(',').map((s) => s.trim());
  const dims = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
  const rank = shape.length;
  const ok =
    dims.every((d) => Number.isSafeInteger(d) && d >= 1) &&
    (dims.length === rank || (rank === 3 && dims.length === 2));
  if (!ok)
    throw usageError(
      `--chunks ${String(v)}: expected ${rank === 3 ? 'T,H,W or H,W' : 'H,W'} (positive integers) for this ${rank}-D array`,
    );
  const full = dims.length === rank ? dims : [1, ...dims];
  return full.map((d, i) => Math.min(d, Math.max(1, shape[i]!)));
}

/** `--levels N`: downsampled levels of an `.ome.zarr` below the full resolution (0 to 16). */
export function parseLevels(v: unknown, height: number, width: number): number {
  const n = parseInteger('levels', v, 0, 16) ?? 0;
  if (2 ** n > Math.max(height, width))
    throw usageError(
      `--levels ${n}: a ${height}x${width} frame halves to one pixel after ${Math.floor(Math.log2(Math.max(height, width)))} level(s)`,
    );
  return n;
}

/** `--stack-axis t|z`: what the frames of a stack are (default `t`, a time series). */
export function parseStackAxis(v: unknown): 't' | 'z' {
  if (v === undefined) return 't';
  if (v === 't' || v === 'z') return v;
  throw usageError(`--stack-axis ${String(v)}: expected t (time series) or z (focal series)`);
}

/** A positive finite decimal (`--pixel-size`, `--stack-step`). */
export function parsePositive(name: string, v: unknown): number | undefined {
  const n = parseNumber(name, v);
  if (n !== undefined && !(n > 0))
    throw usageError(`--${name} ${String(v)}: expected a number > 0`);
  return n;
}

/** `--pixel-size S` or `--pixel-size Y,X` in micrometres. */
export function parsePixelSize(v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  const parts = typeof v === 'string' ? v.split(',') : [v];
  if (parts.length > 2) throw usageError(`--pixel-size ${String(v)}: expected S or Y,X (µm)`);
  const [y, x] = parts.map((p) => parsePositive('pixel-size', p)!);
  return [y!, x ?? y!];
}
