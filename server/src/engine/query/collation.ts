/**
 * Collation: MongoDB's language-aware string comparison, through the ICU that
 * Node carries (`Intl.Collator`).
 *
 * Why: a collation changes what a query matches (`strength: 2` finds 'café'
 * for 'CAFÉ'), how it sorts (`numericOrdering` puts '10' after '9'), which
 * values `$group` and `distinct` treat as one, and what a unique index calls a
 * duplicate. Every comparison of strings under a collation goes through
 * `compareCollated`; everything else keeps MongoDB's binary order.
 *
 * A collation document is validated as mongod validates it (same codes and
 * wording) and stored in its complete form, as listCollections and
 * listIndexes report it. `{locale: 'simple'}` is the binary comparison and
 * is represented by null.
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { TypeRank, bsonRank, compareBson, compareStrings } from '../storage/bson-order.js';
import { formatKeyValue } from '../storage/secondary-index.js';
import {
  intlReadsBackwards,
  isSupportedLocale,
  localeDefaults,
  localeSuggestion,
  toLanguageTag,
} from './collation-locales.js';

export interface Collation {
  /** Identity of the settings: two collations with the same key compare every string alike. */
  readonly key: string;
  /** The complete collation document, as MongoDB reports it. */
  readonly spec: Document;
  readonly compareStrings: (a: string, b: string) => number;
}

/** Identity of the binary comparison (no collation). */
export const SIMPLE_KEY = 'simple';

export function collationKey(collation: Collation | null | undefined): string {
  return collation ? collation.key : SIMPLE_KEY;
}

/** The version reported in every collation document: the ICU that does the comparing. */
const ICU_VERSION = process.versions.icu ?? 'unknown';

const FIELDS = [
  'locale',
  'caseLevel',
  'caseFirst',
  'strength',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'normalization',
  'backwards',
  'version',
];

const cache = new Map<string, Collation>();

function shown(raw: Document): string {
  return formatKeyValue(raw);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function wrongType(field: string, expected: string, value: unknown): EngineError {
  return errors.typeMismatch(
    `"${field}" had the wrong type. Expected ${expected}, found ${typeName(value)}`,
  );
}

function booleanField(raw: Document, field: string, fallback: boolean): boolean {
  const value = raw[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw wrongType(field, 'bool', value);
  return value;
}

function choiceField(raw: Document, field: string, choices: string[], fallback: string): string {
  const value = raw[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw wrongType(field, 'string', value);
  if (!choices.includes(value)) {
    const listed = choices.map((c) => `'${c}'`);
    const wanted =
      listed.length === 2
        ? listed.join(' or ')
        : `${listed.slice(0, -1).join(', ')}, or ${listed.at(-1)}`;
    throw errors.failedToParse(`Field '${field}' must be ${wanted}. Got: ${value}`);
  }
  return value;
}

function strengthField(raw: Document): number {
  const value = raw.strength;
  if (value === undefined) return 3;
  const n = typeof value === 'number' ? value : Number((value as { valueOf(): unknown }).valueOf());
  if (typeof value === 'boolean' || typeof value === 'string' || !Number.isFinite(n))
    throw wrongType('strength', 'number', value);
  if (!Number.isInteger(n) || n < 1 || n > 5)
    throw errors.failedToParse(`Field 'strength' must be an integer 1 through 5. Got: ${n}`);
  return n;
}

/**
 * Parses a collation document as mongod does. Null for the simple (binary)
 * collation; throws MongoDB's error for anything it would refuse.
 */
export function parseCollation(raw: unknown, field = 'collation'): Collation | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw errors.typeMismatch(`'${field}' must be an object, not ${typeName(raw)}`);
  const spec = raw as Document;
  const locale = spec.locale;
  if (locale === undefined)
    throw new EngineError(4, 'NoSuchKey', 'Missing expected field "locale"');
  if (typeof locale !== 'string') throw wrongType('locale', 'string', locale);
  if (locale.includes('\0'))
    throw errors.badValue(
      `Field 'locale' cannot contain null byte. Collation spec: ${shown(spec)}`,
    );
  if (locale === 'simple') {
    if (Object.keys(spec).length > 1)
      throw errors.failedToParse(
        `If locale=simple, no other fields should be present in: ${shown(spec)}`,
      );
    return null;
  }
  if (locale === '')
    throw errors.badValue(`Field 'locale' cannot be the empty string in: ${shown(spec)}`);
  if (!isSupportedLocale(locale)) {
    const suggestion = localeSuggestion(locale);
    throw errors.badValue(
      `Field 'locale' is invalid in: ${shown(spec)}` +
        (suggestion ? `. Did you mean '${suggestion}'?` : ''),
    );
  }
  const defaults = localeDefaults(locale);
  const full: Document = {
    locale,
    caseLevel: booleanField(spec, 'caseLevel', false),
    caseFirst: choiceField(spec, 'caseFirst', ['upper', 'lower', 'off'], defaults.caseFirst),
    strength: strengthField(spec),
    numericOrdering: booleanField(spec, 'numericOrdering', false),
    alternate: choiceField(spec, 'alternate', ['non-ignorable', 'shifted'], defaults.alternate),
    maxVariable: choiceField(spec, 'maxVariable', ['punct', 'space'], 'punct'),
    normalization: booleanField(spec, 'normalization', defaults.normalization),
    backwards: booleanField(spec, 'backwards', defaults.backwards),
    version: ICU_VERSION,
  };
  if (spec.version !== undefined) {
    if (typeof spec.version !== 'string') throw wrongType('version', 'string', spec.version);
    if (spec.version !== ICU_VERSION)
      throw new EngineError(
        172,
        'IncompatibleCollationVersion',
        `Requested collation version ${spec.version} but the only available collator version was ${ICU_VERSION}. Requested collation spec: ${shown(spec)}`,
      );
  }
  if (Object.keys(spec).some((key) => !FIELDS.includes(key)))
    throw errors.failedToParse(
      `Collation spec contains unknown field. Collation spec: ${shown(spec)}`,
    );
  if (full.backwards && full.strength === 1)
    throw errors.badValue(`'backwards' is invalid with 'strength' of 1 in: ${shown(full)}`);
  // A locale's own caseFirst (Danish: upper) is no error at strength 1 or 2; a stated one is.
  if (
    spec.caseFirst !== undefined &&
    full.caseFirst !== 'off' &&
    !full.caseLevel &&
    (full.strength as number) <= 2
  )
    throw errors.badValue(
      `'caseFirst' is invalid unless 'caseLevel' is on or 'strength' is greater than 2 in: ${shown(full)}`,
    );
  const key = JSON.stringify(full);
  let collation = cache.get(key);
  if (!collation) {
    collation = { key, spec: full, compareStrings: stringComparator(full) };
    cache.set(key, collation);
  }
  return collation;
}

/** Parses an optional collation field: undefined when absent, null for 'simple'. */
export function optionalCollation(raw: unknown, field = 'collation'): Collation | null | undefined {
  return raw === undefined ? undefined : parseCollation(raw, field);
}

/**
 * A collation document stored on a collection or an index, back as a Collation
 * (null if none). Its recorded ICU version is not checked: a journal written
 * under another Node must still open.
 */
export function storedCollation(spec: unknown): Collation | null {
  if (!spec || typeof spec !== 'object') return null;
  const { version: _version, ...rest } = spec as Document;
  void _version;
  return parseCollation(rest);
}

/** Grapheme clusters in reverse order: the secondary level read from the end (`backwards`). */
function reverseClusters(s: string): string {
  return (s.normalize('NFD').match(/\P{M}\p{M}*|\p{M}+/gu) ?? []).reverse().join('');
}

/** ICU's 'space' group of variable characters: white space and the line and paragraph separators. */
const SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

function withoutSpaces(s: string): string {
  return s.replace(SPACES, '');
}

function stringComparator(spec: Document): (a: string, b: string) => number {
  const strength = spec.strength as number;
  const caseLevel = spec.caseLevel as boolean;
  const sensitivity =
    strength === 1
      ? caseLevel
        ? 'case'
        : 'base'
      : strength === 2 && !caseLevel
        ? 'accent'
        : 'variant';
  const tag = toLanguageTag(spec.locale as string);
  // maxVariable 'space': only white space is ignorable, so punctuation stays a base character
  // (ICU through Intl shifts both); the white space is taken out of the strings instead.
  const onlySpaces = spec.alternate === 'shifted' && spec.maxVariable === 'space';
  const common: Intl.CollatorOptions = {
    usage: 'sort',
    numeric: spec.numericOrdering as boolean,
    caseFirst: spec.caseFirst === 'off' ? 'false' : (spec.caseFirst as 'upper' | 'lower'),
    ignorePunctuation: spec.alternate === 'shifted' && !onlySpaces,
  };
  const main = new Intl.Collator(tag, { ...common, sensitivity });
  let compare = (a: string, b: string) => main.compare(a, b);
  // The locale's collator reads accents one way (forwards but in Canadian French); the other is emulated.
  if (spec.backwards !== intlReadsBackwards(spec.locale as string)) {
    // Accents read the other way: compare them on the strings reversed (by grapheme).
    const primary = new Intl.Collator(tag, { ...common, sensitivity: caseLevel ? 'case' : 'base' });
    const accents = new Intl.Collator(tag, { ...common, sensitivity: 'accent' });
    compare = (a, b) =>
      primary.compare(a, b) ||
      accents.compare(reverseClusters(a), reverseClusters(b)) ||
      main.compare(a, b);
  }
  if (onlySpaces) {
    const unspaced = compare;
    compare = (a, b) => unspaced(withoutSpaces(a), withoutSpaces(b));
  }
  if (strength >= 4 && spec.alternate === 'shifted') {
    // Quaternary: the punctuation and spaces ignored at the first three levels still tell strings apart.
    const shifted = compare;
    const whole = new Intl.Collator(tag, { ...common, sensitivity, ignorePunctuation: false });
    compare = (a, b) => shifted(a, b) || whole.compare(a, b);
  }
  if (strength === 5) {
    // Identical: strings equal at every level are still told apart by their code points.
    const collated = compare;
    compare = (a, b) => collated(a, b) || compareStrings(a.normalize('NFD'), b.normalize('NFD'));
  }
  return (a, b) => Math.sign(compare(a, b));
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : String((value as { value: unknown }).value);
}

function isPlainDocument(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * MongoDB's order over BSON values with strings (also inside documents and
 * arrays) compared by the collation; field names stay binary, as in mongod.
 * With a null collation this is exactly `compareBson`.
 */
export function compareCollated(a: unknown, b: unknown, collation: Collation | null): number {
  if (!collation) return compareBson(a, b);
  if (typeof a === 'string' && typeof b === 'string') return collation.compareStrings(a, b);
  const ra = bsonRank(a);
  const rb = bsonRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === TypeRank.string) return collation.compareStrings(stringOf(a), stringOf(b));
  if (ra === TypeRank.array) {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compareCollated(x[i], y[i], collation);
      if (c !== 0) return c;
    }
    return Math.sign(x.length - y.length);
  }
  if (ra === TypeRank.object && isPlainDocument(a) && isPlainDocument(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const byType = bsonRank(a[ka[i]]) - bsonRank(b[kb[i]]);
      if (byType !== 0) return Math.sign(byType);
      const byName = compareStrings(ka[i], kb[i]);
      if (byName !== 0) return byName;
      const byValue = compareCollated(a[ka[i]], b[kb[i]], collation);
      if (byValue !== 0) return byValue;
    }
    return Math.sign(ka.length - kb.length);
  }
  return compareBson(a, b);
}

/** Equal under MongoDB's rules and the collation (same type bracket, comparing 0). */
export function collatedEqual(a: unknown, b: unknown, collation: Collation | null): boolean {
  return bsonRank(a) === bsonRank(b) && compareCollated(a, b, collation) === 0;
}

/**
 * Values kept once per collation-equal class, in the order first seen: what
 * `distinct` returns and how `$group` forms its groups. The first value seen
 * stands for its class, as mongod reports one of the equal values.
 */
export class CollatedSet<T = undefined> {
  private readonly sorted: Array<{ value: unknown; slot: number }> = [];
  readonly values: unknown[] = [];
  readonly payloads: T[] = [];

  constructor(private readonly collation: Collation | null) {}

  /** Where `value`'s class is (found) or would go in the sorted list. */
  private search(value: unknown): { at: number; found: boolean } {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const c = compareCollated(this.sorted[mid].value, value, this.collation);
      if (c === 0) return { at: mid, found: true };
      if (c < 0) low = mid + 1;
      else high = mid;
    }
    return { at: low, found: false };
  }

  /** The slot of `value`'s class, or -1 when no equal value was added. */
  indexOf(value: unknown): number {
    const { at, found } = this.search(value);
    return found ? this.sorted[at].slot : -1;
  }

  /** The slot of `value`'s class, created (with `payload()`) if new. */
  slot(value: unknown, payload?: () => T): number {
    const { at: low, found } = this.search(value);
    if (found) return this.sorted[low].slot;
    const slot = this.values.length;
    this.values.push(value);
    this.payloads.push(payload ? payload() : (undefined as T));
    this.sorted.splice(low, 0, { value, slot });
    return slot;
  }
}

/** Whether a value holds a string anywhere (collations only change how strings compare). */
export function containsString(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return true;
  if (depth > 50 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsString(v, depth + 1));
  if (bsonRank(value) === TypeRank.string) return true;
  if (!isPlainDocument(value)) return false;
  return Object.values(value).some((v) => containsString(v, depth + 1));
}
