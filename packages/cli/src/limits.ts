/**
 * The CLI's side of the one rule for untrusted sizes (docs/FORMAT.md §5): the limits and checks
 * live in `@pymecompress/codecs/untrusted` (shared with the viewer); here they become exit code 3
 * naming the file and the field.
 */
import { countProblem, stackProblem, UNTRUSTED_LIMITS } from '@pymecompress/codecs/untrusted';
import { badInput } from './errors.js';

export const LIMITS = UNTRUSTED_LIMITS;

/** A non-negative safe integer ≤ `max`, else exit 3 naming `file` and `fieldName`. */
export function checkCount(file: string, fieldName: string, value: unknown, max: number): number {
  const p = countProblem(fieldName, value, max);
  if (p) throw badInput(file, p);
  return value as number;
}

/** A possible stack geometry (see `stackProblem`), else exit 3; returns one frame's bytes. */
export function checkStack(
  file: string,
  frames: number,
  height: number,
  width: number,
  itemSize: number,
): number {
  const p = stackProblem(frames, height, width, itemSize);
  if (p) throw badInput(file, p);
  return height * width * itemSize;
}
