/**
 * numpy as the oracle for `.npy` headers (issue 14 row 13): every crafted header that numpy
 * rejects is rejected by the CLI's parser, and every one numpy loads as uint8/uint16 is read with
 * the same shape (last repeated key wins, Python integer syntax, bools in shapes, > 64 KiB headers).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpyHeader } from '../src/npy.js';
import { npyWithHeader } from './crafted.js';
import { pkgRoot, referencePython, tempDir } from './helpers.js';

const S = "'shape'";
const CASES: Record<string, string> = {
  plain: `{'descr': '<u2', 'fortran_order': False, ${S}: (2, 3), }`,
  reordered: `{${S}: (2, 3), 'fortran_order': False, 'descr': '<u2'}`,
  duplicateShape: `{'descr': '<u2', 'fortran_order': False, ${S}: (1, 3), ${S}: (2, 3)}`,
  duplicateDescr: `{'descr': '<u1', 'descr': '<u2', 'fortran_order': False, ${S}: (2, 3)}`,
  doubleQuotes: `{"descr": "<u2", "fortran_order": False, "shape": (2, 3)}`,
  newlines: `{'descr': '<u2',\n 'fortran_order': False,\n ${S}: (2,\n 3)}`,
  hexShape: `{'descr': '<u2', 'fortran_order': False, ${S}: (0x2, 3)}`,
  underscoreShape: `{'descr': '<u2', 'fortran_order': False, ${S}: (0_2, 3)}`,
  boolShape: `{'descr': '<u2', 'fortran_order': False, ${S}: (True, 6)}`,
  fortran: `{'descr': '<u2', 'fortran_order': True, ${S}: (2, 3)}`,
  uint8: `{'descr': '|u1', 'fortran_order': False, ${S}: (2, 6)}`,
  bigEndian: `{'descr': '>u2', 'fortran_order': False, ${S}: (2, 3)}`,
  oneD: `{'descr': '<u2', 'fortran_order': False, ${S}: (6,)}`,
  extraKey: `{'descr': '<u2', 'fortran_order': False, ${S}: (2, 3), 'x': 1}`,
  missingKey: `{'descr': '<u2', ${S}: (2, 3)}`,
  fortranInt: `{'descr': '<u2', 'fortran_order': 0, ${S}: (2, 3)}`,
  shapeList: `{'descr': '<u2', 'fortran_order': False, ${S}: [2, 3]}`,
  shapeFloat: `{'descr': '<u2', 'fortran_order': False, ${S}: (2.0, 3)}`,
  shapeNegative: `{'descr': '<u2', 'fortran_order': False, ${S}: (-2, 3)}`,
  leadingZeros: `{'descr': '<u2', 'fortran_order': False, ${S}: (02, 3)}`,
  longSuffix: `{'descr': '<u2', 'fortran_order': False, ${S}: (2L, 3)}`,
  notADict: `[('descr', '<u2')]`,
  expression: `{'descr': '<u2', 'fortran_order': False, ${S}: (1 + 1, 3)}`,
  unterminated: `{'descr': '<u2, 'fortran_order': False, ${S}: (2, 3)}`,
  trailingJunk: `{'descr': '<u2', 'fortran_order': False, ${S}: (2, 3)} x`,
  bigHeader: `{'descr': '<u2', 'fortran_order': False, ${S}: (2, 3)}${' '.repeat(70000)}`,
};

/** Cases where we are stricter on purpose (docs/DEVIATIONS.md CLI1). */
const STRICTER: Record<string, string> = {
  shapeNegative: 'numpy 1.26 loads (-2, 3) as (2, 3); a negative dimension is impossible metadata',
};

let dir: string;
let numpy: Record<string, { shape?: number[]; dtype?: string; error?: string }>;

beforeAll(() => {
  dir = tempDir();
  for (const [name, dict] of Object.entries(CASES)) {
    writeFileSync(join(dir, `${name}.npy`), npyWithHeader(dict, new Uint8Array(12)));
  }
  const r = spawnSync(referencePython(), [join(pkgRoot, 'test', 'python', 'npy_oracle.py'), dir], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`npy_oracle.py failed: ${r.stderr}`);
  numpy = JSON.parse(r.stdout.trim().split('\n').pop()!);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.npy headers agree with numpy', () => {
  for (const name of Object.keys(CASES)) {
    it(name, () => {
      const b = npyWithHeader(CASES[name]!, new Uint8Array(12));
      const want = numpy[`${name}.npy`]!;
      let got: ReturnType<typeof parseNpyHeader> | undefined;
      let error: unknown;
      try {
        got = parseNpyHeader(`${name}.npy`, b);
      } catch (err) {
        error = err;
      }
      if (want.error !== undefined || STRICTER[name] !== undefined) {
        expect(got, `numpy: ${want.error ?? STRICTER[name]}`).toBeUndefined();
        expect((error as { exitCode?: number }).exitCode).toBe(3);
      } else {
        expect(error, `numpy loads it as ${JSON.stringify(want)}`).toBeUndefined();
        expect(got!.shape).toEqual(want.shape);
        expect(got!.dtype).toBe(want.dtype === '|u1' ? 'uint8' : 'uint16');
      }
    });
  }
});
