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
  normalization: boolean;
  backwards: boolean;
}

/**
 * The locales whose ICU tailoring turns full normalization on (mongod reads
 * the attribute from ICU for an unstated `normalization`); every
 * `@collation=search` variant does too.
 */
const NORMALIZING = new Set(
  (
    'as bn bn@collation=traditional bo el fa fa_AF gu he hi ig km kn kn@collation=traditional ' +
    'kok mr my or pa ps si si@collation=dictionary ta te th vi vi@collation=traditional yi yo'
  ).split(' '),
);

/**
 * What mongod reports for a locale's unstated caseFirst, alternate,
 * normalization and backwards: the values its ICU tailoring sets (Danish and
 * Maltese put upper case first, Thai ignores punctuation, Canadian French
 * reads accents backwards; a `search` variant keeps none of those).
 */
export function localeDefaults(locale: string): LocaleDefaults {
  return {
    caseFirst: locale === 'da' || locale === 'mt' ? 'upper' : 'off',
    alternate: locale === 'th' ? 'shifted' : 'non-ignorable',
    normalization: NORMALIZING.has(locale) || locale.endsWith('@collation=search'),
    backwards: locale === 'fr_CA',
  };
}

const backwardsCache = new Map<string, boolean>();

/**
 * Pairs equal but for where an accent sits: read forwards the first sorts
 * before the second, read backwards (French accent order) after it.
 */
const ACCENT_PAIRS: Array<[string, string]> = [
  ['cote\u0301', 'co\u0302te'],
  ['xy\u0331', 'x\u0331y'],
];

/**
 * Whether `Intl.Collator` reads accents backwards for this locale by itself
 * (it does for Canadian French, and for its `search` variant, which Intl
 * cannot name): the comparator reverses accents when that differs from the
 * collation's `backwards`.
 */
export function intlReadsBackwards(locale: string): boolean {
  let found = backwardsCache.get(locale);
  if (found === undefined) {
    const tag = toLanguageTag(locale);
    const base = new Intl.Collator(tag, { sensitivity: 'base' });
    const accents = new Intl.Collator(tag, { sensitivity: 'accent' });
    const pair = ACCENT_PAIRS.find(
      ([a, b]) => base.compare(a, b) === 0 && accents.compare(a, b) !== 0,
    );
    found = pair ? accents.compare(pair[0], pair[1]) > 0 : false;
    backwardsCache.set(locale, found);
  }
  return found;
}
