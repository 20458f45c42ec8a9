/**
 * `pymePyramidStore(store)`: opens a PYME tile pyramid (docs/FORMAT.md, "PYME tile pyramids") as a
 * Zarr v2 group in zarrita. PYME stores each tile as one PZF file under its `key_schema` path, not
 * under the Zarr chunk key; this wrapper reads the root `.zattrs` `pyme` block once and maps chunk
 * keys `/<level>/<z>/<x>/<y>` to tile paths (PYME's `PYME/IO/zarr_compat.py` does the same for
 * fsspec). Every other key passes through unchanged; a missing tile is absent (fill value).
 */
import { codecsError } from './errors.js';

type Key = `/${string}`;

/** Any zarrita readable store (FileSystemStore, FetchStore, a Map-backed store, ...). */
export interface ReadableStoreLike {
  get(key: Key, opts?: unknown): Promise<Uint8Array | undefined> | Uint8Array | undefined;
}

/** What `pymePyramidStore` returns: an async zarrita readable store. */
export interface PyramidStore<S extends ReadableStoreLike = ReadableStoreLike> {
  get(key: Key, opts?: unknown): Promise<Uint8Array | undefined>;
  /** The wrapped store. */
  readonly inner: S;
  /** The tile path a chunk key maps to (`undefined`: the key passes through). */
  tileKey(key: string): Promise<string | undefined>;
}

export interface PyramidStoreOptions {
  /** Overrides the `pyme` block (else read from the store's `/.zattrs`). */
  pyme?: { key_schema?: string; suffix?: string; extension?: string };
}

/** PYME's current default (`ImagePyramid`, `zarr_compat`). */
export const PYME_DEFAULT_KEY_SCHEMA = '{level:d}/{z:03d}/{x:03d}/{y:03d}_{suff}{ext}';

type Fields = { level: number; z: number; x: number; y: number; suff: string; ext: string };
type Piece = string | { name: keyof Fields; spec: string };

const FIELD_NAMES = new Set(['level', 'z', 'x', 'y', 'suff', 'ext']);
const SPEC = /^(?:([^{}])?([<>=^]))?([+\- ])?(0)?(\d+)?([ds])?$/;

function schemaError(schema: string, why: string): never {
  throw codecsError('ERR_INVALID_ARGUMENT', `pyme key_schema ${JSON.stringify(schema)}: ${why}`);
}

/** Parses the subset of Python's `str.format` PYME's key schemas use (named fields, int specs). */
export function parseKeySchema(schema: string): Piece[] {
  const pieces: Piece[] = [];
  let lit = '';
  for (let i = 0; i < schema.length; i++) {
    const c = schema[i]!;
    if ((c === '{' || c === '}') && schema[i + 1] === c) {
      lit += c;
      i++;
    } else if (c === '}') schemaError(schema, "single '}'");
    else if (c === '{') {
      const end = schema.indexOf('}', i);
      if (end < 0) schemaError(schema, "unclosed '{'");
      const body = schema.slice(i + 1, end);
      const colon = body.indexOf(':');
      const name = colon < 0 ? body : body.slice(0, colon);
      const spec = colon < 0 ? '' : body.slice(colon + 1);
      if (!FIELD_NAMES.has(name)) schemaError(schema, `unknown field {${name}}`);
      if (!SPEC.test(spec)) schemaError(schema, `unsupported format spec ${JSON.stringify(spec)}`);
      if (lit) pieces.push(lit);
      lit = '';
      pieces.push({ name: name as keyof Fields, spec });
      i = end;
    } else lit += c;
  }
  if (lit) pieces.push(lit);
  return pieces;
}

/** Python's `format(value, spec)` for the int / str specs `SPEC` accepts. */
function formatField(value: number | string, spec: string, schema: string): string {
  const m = SPEC.exec(spec)!;
  const [, fillChar, align, sign, zero, width, type] = m;
  const numeric = typeof value === 'number';
  if (type === 'd' && !numeric) schemaError(schema, "'d' format for a string field");
  if (type === 's' && numeric) schemaError(schema, "'s' format for an integer field");
  let body = numeric ? String(Math.abs(value)) : value;
  let prefix = '';
  if (numeric) {
    if ((value as number) < 0) prefix = '-';
    else if (sign === '+') prefix = '+';
    else if (sign === ' ') prefix = ' ';
  }
  const w = width ? Number(width) : 0;
  const fill = fillChar ?? (zero && !align ? '0' : ' ');
  const how = align ?? (zero ? '=' : numeric ? '>' : '<');
  const pad = Math.max(0, w - prefix.length - body.length);
  if (how === '=') return prefix + fill.repeat(pad) + body;
  body = prefix + body;
  if (how === '<') return body + fill.repeat(pad);
  if (how === '>') return fill.repeat(pad) + body;
  const left = Math.floor(pad / 2);
  return fill.repeat(left) + body + fill.repeat(pad - left);
}

/** Formats a parsed key schema (`str.format(level=..., z=..., ...)`). */
export function formatKeySchema(schema: string, fields: Fields): string {
  return parseKeySchema(schema)
    .map((p) => (typeof p === 'string' ? p : formatField(fields[p.name], p.spec, schema)))
    .join('');
}

const CHUNK_KEY = /^\/(\d+)\/(\d+)\/(\d+)\/(\d+)$/;
const dec = new TextDecoder();

interface Spec {
  pieces: Piece[];
  schema: string;
  suff: string;
  ext: string;
}

/**
 * Wraps `store` so zarrita reads a PYME pyramid: `zarr.open.v2(zarr.root(pymePyramidStore(s))
 * .resolve('0'), { kind: 'array' })`. Without a `pyme` block the store behaves as `store`.
 */
export function pymePyramidStore<S extends ReadableStoreLike>(
  store: S,
  options: PyramidStoreOptions = {},
): PyramidStore<S> {
  let spec: Promise<Spec | null> | undefined;
  const load = (): Promise<Spec | null> => {
    spec ??= (async () => {
      let block = options.pyme;
      if (block === undefined) {
        const raw = await store.get('/.zattrs');
        if (raw === undefined) return null;
        let attrs: unknown;
        try {
          attrs = JSON.parse(dec.decode(raw));
        } catch (e) {
          throw codecsError('ERR_INVALID_ARGUMENT', 'pyramid .zattrs is not valid JSON', {
            cause: e,
          });
        }
        block = (attrs as { pyme?: PyramidStoreOptions['pyme'] } | null)?.pyme;
        if (block === undefined || block === null) return null;
      }
      const schema = block.key_schema ?? PYME_DEFAULT_KEY_SCHEMA;
      if (typeof schema !== 'string') schemaError(String(schema), 'not a string');
      return {
        pieces: parseKeySchema(schema),
        schema,
        suff: String(block.suffix ?? 'img'),
        ext: String(block.extension ?? '.pzf'),
      };
    })();
    spec.catch(() => {
      spec = undefined; // a failed read (network) is retried on the next get
    });
    return spec;
  };
  const tileKey = async (key: string): Promise<string | undefined> => {
    const m = CHUNK_KEY.exec(key);
    if (!m) return undefined;
    const s = await load();
    if (!s) return undefined;
    const [level, z, x, y] = m.slice(1).map(Number) as [number, number, number, number];
    const fields = { level, z, x, y, suff: s.suff, ext: s.ext };
    const rel = s.pieces
      .map((p) => (typeof p === 'string' ? p : formatField(fields[p.name], p.spec, s.schema)))
      .join('');
    return `/${rel.replace(/^\/+/, '')}`;
  };
  return {
    inner: store,
    tileKey,
    async get(key: Key, opts?: unknown) {
      const mapped = await tileKey(key);
      return store.get((mapped ?? key) as Key, opts);
    },
  };
}
