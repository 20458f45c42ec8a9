/**
 * A tiny parser for the Python literals a `.npy` header holds (numpy writes `repr()` of a dict
 * and reads it back with `ast.literal_eval`): dicts, str, tuples, lists, bool, None and integers.
 * Anything else is a `SyntaxError`-like `PyLiteralError`, as `literal_eval` would raise. Keys are
 * kept in a `Map` in order; a repeated key keeps the LAST value, as a Python dict display does.
 */
export type PyValue = string | bigint | boolean | null | PyValue[] | PyTuple | PyDict;
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export class PyDict {
  constructor(readonly entries: Map<string | bigint | boolean | null, PyValue>) {}
}

export class PyLiteralError extends Error {}

/** Nesting limit: real headers have depth 2 (dict -> shape tuple). */
const MAX_DEPTH = 32;

/**
 * `longSuffix`: accept Python 2's `2L` integers, as numpy does for format 1.0/2.0 headers
 * (`numpy.lib.format._filter_header`).
 */
export function parsePyLiteral(text: string, opts: { longSuffix?: boolean } = {}): PyValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new PyLiteralError(`${what} at character ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r\f\v'.includes(text[i]!)) i++;
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === undefined) return fail('unexpected end');
    if (c === '{') {
      i++;
      const entries = new Map<string | bigint | boolean | null, PyValue>();
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          return new PyDict(entries);
        }
        const k = value(depth + 1);
        if (typeof k === 'object' && k !== null) fail('unhashable dict key');
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        const v = value(depth + 1);
        entries.delete(k as string);
        entries.set(k as string, v);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail("expected ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      let comma = false;
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          if (c === '[') return items;
          // `(x)` is x, `(x,)` and `()` are tuples
          return items.length === 1 && !comma ? items[0]! : new PyTuple(items);
        }
        items.push(value(depth + 1));
        ws();
        comma = false;
        if (text[i] === ',') {
          i++;
          comma = true;
        } else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      i++;
      let s = '';
      for (;;) {
        const d = text[i];
        if (d === undefined || d === '\n') return fail('unterminated string');
        i++;
        if (d === c) return s;
        if (d === '\\') {
          const e = text[i++];
          const simple: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '\\': '\\',
            "'": "'",
            '"': '"',
            '0': '\0',
          };
          if (e === undefined || simple[e] === undefined) fail('unsupported string escape');
          s += simple[e!]!;
        } else s += d;
      }
    }
    // Integers as Python writes them: decimal (no leading zeros), 0x/0o/0b, `_` between digits.
    const m =
      /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|\d(?:_?\d)*)([lL]?)(?![\w.])/.exec(
        text.slice(i, i + 400),
      );
    if (m) {
      if (m[3] && !opts.longSuffix) fail('Python 2 long suffix');
      const digits = m[2]!.replace(/_/g, '');
      if (
        /^\d/.test(digits) &&
        !/^0[xob]/i.test(digits) &&
        digits.length > 1 &&
        digits[0] === '0' &&
        /[1-9]/.test(digits)
      )
        fail('leading zeros in an integer');
      i += m[0].length;
      const v = BigInt(
        /^0[xob]/i.test(digits) ? digits.toLowerCase() : digits.replace(/^0+(?=\d)/, ''),
      );
      return m[1] === '-' ? -v : v;
    }
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (text.startsWith(word, i) && !/\w/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return v;
      }
    }
    return fail('unsupported literal');
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}
