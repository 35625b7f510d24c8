/**
 * MongoDB's value order and value identity for deserialized BSON.
 *
 * Why: indexes, sorts, unique checks and `_id` lookups must agree with mongod on
 * which values are equal (1 == 1.0 == Long(1) == Decimal128("1")) and how values
 * of different types sort (MinKey < null < numbers < strings < objects < arrays <
 * BinData < ObjectId < booleans < Dates < Timestamps < RegExps < MaxKey).
 * JavaScript's own comparisons know none of that.
 */
/** Canonical type ranks in MongoDB's cross-type order (numbers share one rank, as do string and symbol). */
export const TypeRank = {
  minKey: 1,
  null: 2,
  number: 3,
  string: 4,
  object: 5,
  array: 6,
  binary: 7,
  objectId: 8,
  boolean: 9,
  date: 10,
  timestamp: 11,
  regex: 12,
  code: 13,
  codeWithScope: 14,
  maxKey: 15,
} as const;

type Tagged = { _bsontype?: unknown };

const TAG_RANKS: Record<string, number> = {
  ObjectId: TypeRank.objectId,
  Long: TypeRank.number,
  Int32: TypeRank.number,
  Double: TypeRank.number,
  Decimal128: TypeRank.number,
  Binary: TypeRank.binary,
  Timestamp: TypeRank.timestamp,
  MinKey: TypeRank.minKey,
  MaxKey: TypeRank.maxKey,
  BSONRegExp: TypeRank.regex,
  BSONSymbol: TypeRank.string,
  Code: TypeRank.code,
};

/** A plain embedded document (not an array, Date, RegExp or BSON class instance). */
export function isDocument(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The canonical type rank of a value; missing (`undefined`) and null share a rank. */
export function bsonRank(value: unknown): number {
  const t = typeof value;
  if (t === 'number' || t === 'bigint') return TypeRank.number;
  if (t === 'string') return TypeRank.string;
  if (t === 'boolean') return TypeRank.boolean;
  if (t !== 'object' || value === null) return TypeRank.null;
  if (Array.isArray(value)) return TypeRank.array;
  if (value instanceof Date) return TypeRank.date;
  if (value instanceof RegExp) return TypeRank.regex;
  if (value instanceof Uint8Array) return TypeRank.binary;
  const tag = (value as Tagged)._bsontype;
  const rank = typeof tag === 'string' ? TAG_RANKS[tag] : undefined;
  if (rank === TypeRank.code && (value as { scope?: unknown }).scope) return TypeRank.codeWithScope;
  return rank ?? TypeRank.object; // plain documents, DBRef
}

/** Compares strings by UTF-8 byte order (= code point order), MongoDB's simple binary collation. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code point order only between surrogates and U+E000..U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : String((value as { value: unknown }).value);
}

function binaryParts(value: unknown): { subtype: number; bytes: Uint8Array } {
  if (value instanceof Uint8Array) return { subtype: 0, bytes: value };
  const bin = value as { sub_type: number; buffer: Uint8Array; position: number };
  return { subtype: bin.sub_type, bytes: bin.buffer.subarray(0, bin.position) };
}

function regexParts(value: unknown): [string, string] {
  if (value instanceof RegExp) return [value.source, value.flags];
  const re = value as { pattern: string; options: string };
  return [re.pattern, re.options];
}

/** DBRef and other BSON-ish objects compare as the document they serialize to. */
function asDocument(value: unknown): Record<string, unknown> {
  if ((value as Tagged)._bsontype === 'DBRef') {
    const ref = value as {
      collection: string;
      oid: unknown;
      db?: string;
      fields?: Record<string, unknown>;
    };
    return {
      $ref: ref.collection,
      $id: ref.oid,
      ...(ref.db ? { $db: ref.db } : {}),
      ...(ref.fields ?? {}),
    };
  }
  return value as Record<string, unknown>;
}

function compareDocuments(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]];
    const vb = b[kb[i]];
    // mongod compares each element by type, then field name, then value.
    const byType = bsonRank(va) - bsonRank(vb);
    if (byType !== 0) return sign(byType);
    const byName = compareStrings(ka[i], kb[i]);
    if (byName !== 0) return byName;
    const byValue = compareBson(va, vb);
    if (byValue !== 0) return byValue;
  }
  return sign(ka.length - kb.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareBson(a[i], b[i]);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return sign(a.length - b.length);
}

// ---- numbers ---------------------------------------------------------------

/** A finite number as coefficient x 10^exponent (exact), or NaN / +-Infinity as a JS number. */
type Exact = number | [bigint, number];

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const f64 = new DataView(new ArrayBuffer(8));

/** The value as a JS number when that is exact (doubles, int32, safe Longs); undefined otherwise. */
function fastNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : undefined;
  switch ((v as Tagged)._bsontype) {
    case 'Int32':
    case 'Double':
      return (v as { value: number }).value;
    case 'Long': {
      const n = (v as { toNumber(): number }).toNumber();
      return Number.isSafeInteger(n) ? n : undefined;
    }
    default:
      return undefined;
  }
}

/** The exact decimal value of a finite non-integer double (no trailing zeros in the coefficient). */
function doubleExact(d: number): [bigint, number] {
  f64.setFloat64(0, d);
  const hi = f64.getUint32(0);
  const bits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(f64.getUint32(4));
  let e2 = bits === 0 ? -1074 : bits - 1075;
  if (bits !== 0) mant |= 1n << 52n;
  while ((mant & 1n) === 0n && e2 < 0) {
    mant >>= 1n;
    e2++;
  }
  const c = mant * 5n ** BigInt(-e2); // mant * 2^e2 == mant * 5^-e2 / 10^-e2
  return [hi >>> 31 ? -c : c, e2];
}

function exactOf(v: unknown): Exact {
  const fast = fastNumber(v);
  if (fast !== undefined) {
    if (!Number.isFinite(fast)) return fast;
    return Number.isInteger(fast) ? [BigInt(fast), 0] : doubleExact(fast);
  }
  if (typeof v === 'bigint') return [v, 0];
  const tag = (v as Tagged)._bsontype;
  if (tag === 'Long') return [(v as { toBigInt(): bigint }).toBigInt(), 0];
  const text = String(v); // Decimal128: "1.25E+3", "-0.001", "NaN", "-Infinity"
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text.includes('NaN') ? NaN : text.startsWith('-') ? -Infinity : Infinity;
  const frac = m[3] ?? '';
  const c = BigInt(m[2] + frac);
  return [m[1] ? -c : c, Number(m[4] ?? 0) - frac.length];
}

/** NaN < -Infinity < finite < +Infinity. */
function level(x: Exact): number {
  return typeof x !== 'number' ? 0 : x !== x ? -2 : x < 0 ? -1 : 1;
}

function compareExact(x: Exact, y: Exact): number {
  const lx = level(x);
  const ly = level(y);
  if (lx !== ly || lx !== 0) return sign(lx - ly);
  const [ea, eb] = [(x as [bigint, number])[1], (y as [bigint, number])[1]];
  let [ca, cb] = [(x as [bigint, number])[0], (y as [bigint, number])[0]];
  const sa = ca < 0n ? -1 : ca > 0n ? 1 : 0;
  const sb = cb < 0n ? -1 : cb > 0n ? 1 : 0;
  if (sa !== sb || sa === 0) return sign(sa - sb);
  if (ea > eb) ca *= 10n ** BigInt(ea - eb);
  else if (eb > ea) cb *= 10n ** BigInt(eb - ea);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/** Numeric comparison across double, int32, Long (any size) and Decimal128, exact. */
function compareNumbers(a: unknown, b: unknown): number {
  const x = fastNumber(a);
  const y = fastNumber(b);
  if (x !== undefined && y !== undefined) return compareBson(x, y);
  return compareExact(exactOf(a), exactOf(b));
}

/**
 * Canonical text of a number: integers as exact decimal digits whatever their
 * type; other values as the shortest double text when a double holds them
 * exactly, else as an exact `D<coefficient>e<exponent>` (Decimal128 only).
 */
function numberKey(v: unknown): string {
  const fast = fastNumber(v);
  if (fast !== undefined) {
    if (!Number.isFinite(fast) || Number.isSafeInteger(fast)) return String(fast);
    return Number.isInteger(fast) ? BigInt(fast).toString() : String(fast);
  }
  const x = exactOf(v);
  if (typeof x === 'number') return String(x);
  let [c, e] = x;
  if (c === 0n) return '0';
  while (e < 0 && c % 10n === 0n) {
    c /= 10n;
    e++;
  }
  if (e >= 0) return (c * 10n ** BigInt(e)).toString();
  const d = Number(`${c}e${e}`);
  if (Number.isFinite(d) && !Number.isInteger(d)) {
    const [dc, de] = doubleExact(d);
    if (dc === c && de === e) return String(d);
  }
  return `D${c}e${e}`;
}

/** bson 7 keeps an ObjectId's 12 bytes as four 24-bit big-endian words (not in its typings). */
type ObjectIdWords = { i0?: unknown; i1: number; i2: number; i3: number };

/** Byte order of two ObjectIds without building hex strings; undefined if the words are absent. */
function compareObjectIdWords(a: ObjectIdWords, b: ObjectIdWords): number | undefined {
  if (typeof a.i0 !== 'number' || typeof b.i0 !== 'number') return undefined;
  if (a.i0 !== b.i0) return a.i0 < b.i0 ? -1 : 1;
  if (a.i1 !== b.i1) return a.i1 < b.i1 ? -1 : 1;
  if (a.i2 !== b.i2) return a.i2 < b.i2 ? -1 : 1;
  return a.i3 === b.i3 ? 0 : a.i3 < b.i3 ? -1 : 1;
}

// ---- order and identity ----------------------------------------------------

/**
 * MongoDB's total order over BSON values: negative, zero or positive like a
 * `sort` comparator. Zero means "equal" under MongoDB's rules (so 1 and
 * Long(1) compare 0). `undefined` (missing) sorts as null.
 */
export function compareBson(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    return a !== a ? (b !== b ? 0 : -1) : 1; // NaN sorts before every other number
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  const ra = bsonRank(a);
  const rb = bsonRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case TypeRank.number:
      return compareNumbers(a, b);
    case TypeRank.string:
      return compareStrings(stringOf(a), stringOf(b));
    case TypeRank.object:
      return compareDocuments(asDocument(a), asDocument(b));
    case TypeRank.array:
      return compareArrays(a as unknown[], b as unknown[]);
    case TypeRank.binary: {
      const x = binaryParts(a);
      const y = binaryParts(b);
      if (x.bytes.length !== y.bytes.length) return x.bytes.length < y.bytes.length ? -1 : 1;
      if (x.subtype !== y.subtype) return x.subtype < y.subtype ? -1 : 1;
      return compareBytes(x.bytes, y.bytes);
    }
    case TypeRank.objectId: {
      const fast = compareObjectIdWords(a as ObjectIdWords, b as ObjectIdWords);
      if (fast !== undefined) return fast;
      const x = (a as { toHexString(): string }).toHexString();
      const y = (b as { toHexString(): string }).toHexString();
      return x < y ? -1 : x > y ? 1 : 0; // lowercase hex preserves byte order
    }
    case TypeRank.boolean:
      return a === b ? 0 : a ? 1 : -1;
    case TypeRank.date:
      return compareBson((a as Date).getTime(), (b as Date).getTime());
    case TypeRank.timestamp: {
      const x = a as { t: number; i: number };
      const y = b as { t: number; i: number };
      return x.t !== y.t ? (x.t < y.t ? -1 : 1) : sign(x.i - y.i);
    }
    case TypeRank.regex: {
      const [pa, fa] = regexParts(a);
      const [pb, fb] = regexParts(b);
      return compareStrings(pa, pb) || compareStrings(fa, fb);
    }
    case TypeRank.code:
    case TypeRank.codeWithScope: {
      const x = a as { code: string; scope?: Record<string, unknown> | null };
      const y = b as { code: string; scope?: Record<string, unknown> | null };
      return (
        compareStrings(String(x.code), String(y.code)) ||
        compareDocuments(x.scope ?? {}, y.scope ?? {})
      );
    }
    default:
      return 0; // null/missing, MinKey, MaxKey: one value each
  }
}

/** Types with a single value. */
const FIXED_KEYS: Record<number, string> = {
  [TypeRank.null]: 'z',
  [TypeRank.minKey]: '<',
  [TypeRank.maxKey]: '>',
};

/**
 * A canonical string for a value such that `valueKey(a) === valueKey(b)` exactly
 * when `compareBson(a, b) === 0`. For hashing values (Map keys, distinct, group).
 */
export function valueKey(value: unknown): string {
  if (typeof value === 'string') return 's' + JSON.stringify(value);
  if (typeof value === 'number') return 'n' + numberKey(value);
  const rank = bsonRank(value);
  const fixed = FIXED_KEYS[rank];
  if (fixed !== undefined) return fixed;
  switch (rank) {
    case TypeRank.number:
      return 'n' + numberKey(value);
    case TypeRank.string:
      return 's' + JSON.stringify(stringOf(value));
    case TypeRank.boolean:
      return value ? 'T' : 'F';
    case TypeRank.objectId:
      return 'o' + (value as { toHexString(): string }).toHexString();
    case TypeRank.date:
      return 'd' + numberKey((value as Date).getTime());
    case TypeRank.timestamp:
      return `t${(value as { t: number }).t}:${(value as { i: number }).i}`;
    case TypeRank.binary: {
      const { subtype, bytes } = binaryParts(value);
      return `b${subtype}:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
    }
    case TypeRank.regex: {
      const [pattern, flags] = regexParts(value);
      return 'r' + JSON.stringify(pattern) + JSON.stringify(flags);
    }
    case TypeRank.array: {
      let out = '[';
      for (const item of value as unknown[]) out += valueKey(item) + ',';
      return out + ']';
    }
    case TypeRank.code:
    case TypeRank.codeWithScope: {
      const code = value as { code: string; scope?: Record<string, unknown> | null };
      return 'c' + JSON.stringify(String(code.code)) + (code.scope ? valueKey(code.scope) : '');
    }
    default: {
      const doc = asDocument(value);
      let out = '{';
      for (const k of Object.keys(doc)) out += JSON.stringify(k) + ':' + valueKey(doc[k]) + ',';
      return out + '}';
    }
  }
}

/**
 * The engine's identity string for an `_id` value: equal `_id`s under MongoDB's
 * rules (1, 1.0, Long(1); equal ObjectIds; equal embedded documents) give the same key.
 */
export function idKeyOf(id: unknown): string {
  if (typeof id === 'object' && id !== null && (id as Tagged)._bsontype === 'ObjectId') {
    return 'o' + (id as { toHexString(): string }).toHexString();
  }
  return valueKey(id);
}

function isIndexComponent(part: string): boolean {
  return part.length > 0 && part.length < 10 && /^\d+$/.test(part);
}

/** What an index sees along a path: the values, the arrays crossed (as dotted prefixes), whether a branch was missing. */
export interface PathTrace {
  values: unknown[];
  arrays: string[];
  missing: boolean;
}

function collect(
  value: unknown,
  parts: string[],
  i: number,
  out: unknown[],
  trace?: PathTrace,
): void {
  if (i === parts.length) {
    if (value !== undefined) out.push(value);
    else if (trace) trace.missing = true;
    return;
  }
  const part = parts[i];
  if (Array.isArray(value)) {
    const positional = isIndexComponent(part);
    if (trace) {
      trace.arrays.push(parts.slice(0, i).join('.'));
      if (value.length === 0) trace.missing = true;
    }
    if (positional && Number(part) < value.length)
      collect(value[Number(part)], parts, i + 1, out, trace);
    // MongoDB descends into each embedded document of an array (never into nested arrays).
    for (const el of value) {
      if (isDocument(el)) collect(el[part], parts, i + 1, out, trace);
      else if (trace && !positional) trace.missing = true;
    }
    return;
  }
  if (isDocument(value)) collect(value[part], parts, i + 1, out, trace);
  else if (trace) trace.missing = true;
}

/**
 * The values found at a dotted path, following MongoDB's implicit array
 * traversal: `a.b` over an array of embedded documents yields each one's `b`, a
 * numeric component also indexes an array. A leaf array is returned as one value
 * (callers expand it when they want its elements). `[]` means the path is missing.
 */
export function getPathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

/**
 * Like getPathValues, but also reports what index key generation needs: every
 * array crossed on the way (its dotted prefix, for the parallel-arrays rule and
 * multikey tracking) and whether some branch lacked the field (which keys null).
 */
export function tracePath(doc: unknown, path: string): PathTrace {
  const trace: PathTrace = { values: [], arrays: [], missing: false };
  collect(doc, path.split('.'), 0, trace.values, trace);
  return trace;
}

/** True when nothing exists at `path` (MongoDB then treats the field as null for indexes and sorts). */
export function isMissing(doc: unknown, path: string): boolean {
  return getPathValues(doc, path).length === 0;
}
