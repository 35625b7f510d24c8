/**
 * The collation locales MongoDB 7.0 accepts (its documented list of ICU locale
 * IDs), with the `@collation=<variant>` keywords, and their translation to the
 * BCP 47 tags `Intl.Collator` takes. mongod refuses any other locale, even one
 * ICU could fall back from (`fr_FR` is refused; `fr` is meant), so the list is
 * fixed here rather than left to what Node's ICU would accept.
 */

const LOCALES = new Set(
  (
    'af am ar as az be bg bn bo bs bs_Cyrl ca chr cs cy da de de_AT dsb dz ee el en en_US ' +
    'en_US_POSIX eo es et fa fa_AF fi fil fo fr fr_CA ga gl gu ha haw he hi hr hsb hu hy id ig ' +
    'is it ja ka kk kl km kn ko kok ky lb lkt ln lo lt lv mk ml mn mr ms mt my nb ne nl nn om or ' +
    'pa pl ps pt ro ru se si sk sl smn sq sr sr_Latn sv sw ta te th to tr ug uk ur vi wae yi yo ' +
    'zh zh_Hant zu'
  ).split(' '),
);

/** `@collation=` keywords and the Unicode extension (`-u-co-`) value each stands for. */
const VARIANTS: Record<string, string> = {
  big5han: 'big5han',
  compat: 'compat',
  dictionary: 'dict',
  eor: 'eor',
  gb2312han: 'gb2312',
  phonebook: 'phonebk',
  pinyin: 'pinyin',
  search: 'search',
  stroke: 'stroke',
  traditional: 'trad',
  unihan: 'unihan',
  zhuyin: 'zhuyin',
};

function split(locale: string): { base: string; variant?: string } | null {
  const at = locale.indexOf('@');
  if (at === -1) return { base: locale };
  const match = /^collation=([a-z0-9]+)$/.exec(locale.slice(at + 1));
  return match ? { base: locale.slice(0, at), variant: match[1] } : null;
}

/** The BCP 47 tag for a MongoDB locale ID (`en_US` -> `en-US`, `de@collation=phonebook` -> `de-u-co-phonebk`). */
export function toLanguageTag(locale: string): string {
  const parts = split(locale);
  if (!parts) return 'und';
  const base = parts.base === 'en_US_POSIX' ? 'en-US-u-va-posix' : parts.base.replace(/_/g, '-');
  // Intl.Collator takes no 'search' collation: those locales compare with their standard rules.
  if (!parts.variant || parts.variant === 'search') return base;
  return `${base}${base.includes('-u-') ? '' : '-u'}-co-${VARIANTS[parts.variant]}`;
}

/** Whether mongod would accept this locale ID (the ICU collator has data for exactly it). */
export function isSupportedLocale(locale: string): boolean {
  const parts = split(locale);
  if (!parts || !LOCALES.has(parts.base)) return false;
  if (!parts.variant) return true;
  const co = VARIANTS[parts.variant];
  if (!co) return false;
  if (co === 'search') return true;
  // Pinyin is Chinese's default order, so ICU reports it as 'default'.
  if (co === 'pinyin') return parts.base === 'zh';
  try {
    return new Intl.Collator(toLanguageTag(locale)).resolvedOptions().collation === co;
  } catch {
    return false;
  }
}

/** The locale mongod would suggest ("Did you mean 'fr'?") for a near miss such as `fr_FR`. */
export function localeSuggestion(locale: string): string | null {
  const base = split(locale)?.base ?? locale;
  for (let cut = base.lastIndexOf('_'); cut > 0; cut = base.lastIndexOf('_', cut - 1)) {
    const shorter = base.slice(0, cut);
    if (LOCALES.has(shorter)) return shorter;
  }
  return null;
}

/** The settings a locale's own rules choose, where MongoDB's collation document leaves them out. */
export interface LocaleDefaults {
  caseFirst: 'upper' | 'lower' | 'off';
  alternate: 'shifted' | 'non-ignorable';
  backwards: boolean;
}

const defaultsCache = new Map<string, LocaleDefaults>();

/**
 * Pairs equal but for where an accent sits: read forwards the first sorts
 * before the second, read backwards (French accent order) after it.
 */
const ACCENT_PAIRS: Array<[string, string]> = [
  ['cote\u0301', 'co\u0302te'],
  ['xy\u0331', 'x\u0331y'],
];

/**
 * What mongod reports for a locale's unstated caseFirst, alternate and
 * backwards: the values the locale's ICU tailoring sets (Danish and Maltese
 * put upper case first, Thai ignores punctuation, Canadian French reads
 * accents backwards). Read from the ICU that Node carries, as mongod reads
 * them from its own.
 */
export function localeDefaults(locale: string): LocaleDefaults {
  let found = defaultsCache.get(locale);
  if (found) return found;
  const tag = toLanguageTag(locale);
  const resolved = new Intl.Collator(tag).resolvedOptions();
  const base = new Intl.Collator(tag, { sensitivity: 'base' });
  const accents = new Intl.Collator(tag, { sensitivity: 'accent' });
  const pair = ACCENT_PAIRS.find(
    ([a, b]) => base.compare(a, b) === 0 && accents.compare(a, b) !== 0,
  );
  found = {
    caseFirst:
      resolved.caseFirst === 'upper' || resolved.caseFirst === 'lower' ? resolved.caseFirst : 'off',
    alternate: resolved.ignorePunctuation ? 'shifted' : 'non-ignorable',
    backwards: pair ? accents.compare(pair[0], pair[1]) > 0 : false,
  };
  defaultsCache.set(locale, found);
  return found;
}
