// Dutch first, English second: our own dictionary lookup over the typed dictionaries in nl.ts and
// en.ts (en.ts is held to nl.ts's keys by the type checker). `t` reads the reactive language, so
// every text on screen follows a language switch without a reload.
//
// English (en.ts) is not in the app's first chunk either: `setLanguage('en')` fetches ./en-texts.
// The case workspace's texts (nl-case.ts, en-case.ts) are not in the app's first chunk:
// `loadCaseTexts` fetches ./case-texts, a chunk of its own, which merges them in here
// (`addCaseTexts`), both languages at once. Text already on screen is looked up again then.
import { nl } from './nl';
import type { Language } from '../bindings/Language';
import type { LocalText } from '../bindings/LocalText';

/** A dictionary: nested sections of texts; a key is the dotted path to a text. */
export interface Texts {
  readonly [key: string]: string | Texts;
}

let current = $state<Language>('nl');
/** Bumped when texts are added, so that text already on screen is looked up again. */
let added = $state(0);
let caseTexts = $state(false);

// Each language's texts by full key ("home.step"), filled from the nested dictionaries.
const TABLES: Record<Language, Map<string, string>> = { nl: new Map(), en: new Map() };

function fill(table: Map<string, string>, texts: Texts, prefix: string): void {
  for (const [key, value] of Object.entries(texts)) {
    if (typeof value === 'string') table.set(prefix + key, value);
    else fill(table, value, `${prefix}${key}.`);
  }
}

/** Merges dictionaries into each language's texts (a later text for the same key wins); also
 * for a seldom used screen that carries its own texts in its chunk (./school-log-texts). */
export function addTexts(texts: Partial<Record<Language, Texts>>): void {
  for (const lang of ['nl', 'en'] as const) {
    const more = texts[lang];
    if (more) fill(TABLES[lang], more, '');
  }
  added++;
}

addTexts({ nl });

/** The text for `key` in the current language, else in Dutch. With a numeric `count`, the plural
 * form `key_one` / `key_other` comes first (Dutch and English: "one" is exactly 1). */
function lookup(key: string, count?: unknown): string | undefined {
  // Reading `added` and `current` subscribes the caller to new texts and language switches.
  void added;
  const langs: Language[] = current === 'nl' ? ['nl'] : [current, 'nl'];
  const forms = typeof count === 'number' ? [`${key}_${count === 1 ? 'one' : 'other'}`, key] : [key];
  for (const lang of langs) {
    for (const form of forms) {
      const text = TABLES[lang].get(form);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/** `{{name}}` becomes `vars.name`; a placeholder without a value is left as it is. */
function interpolate(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(vars, name)) return whole;
    const value = vars[name];
    return value == null ? '' : String(value);
  });
}

/** The text for `key` (a dotted path, as in nl.ts) with `{{name}}` filled in; the key itself when
 * there is no such text. */
export function t(key: string, vars?: Record<string, unknown>): string {
  const text = lookup(key, vars?.count);
  if (text === undefined) return key;
  return vars ? interpolate(text, vars) : text;
}

/** The translation of `key`, or null when there is none (for labels built from data). */
export function tr(key: string): string | null {
  return lookup(key) ?? null;
}

/** A catalogue text in the current language. */
export function local(text: LocalText): string {
  return current === 'en' ? text.en : text.nl;
}

/** The language texts are shown in (reactive). */
export function language(): Language {
  return current;
}

export function setLanguage(lang: Language): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  // Dutch shows until the English chunk is in; should it fail to load, Dutch stays.
  if (lang === 'en') loadEnglish().catch(() => undefined);
}

/** `load` (a chunk's import), run once; after a failure a later call tries again. */
function once(load: () => Promise<unknown>): () => Promise<void> {
  let chunk: Promise<void> | null = null;
  return () => {
    chunk ??= load().then(
      () => undefined,
      (e: unknown) => {
        chunk = null;
        throw e;
      },
    );
    return chunk;
  };
}

/** Fetches the English texts of the first chunk (once) and merges them in. */
export const loadEnglish = once(() => import('./en-texts'));

/** A backend error in the current language: Dutch messages come from the core; for English a
 * translation by code is used when there is one. */
export function errorText(e: { code: string; message: string }): string {
  const english = current === 'en' ? TABLES.en.get(`error.${e.code}`) : undefined;
  return english ?? e.message;
}

/** The Dutch dictionary of the app's first chunk (English is in ./en-texts, the case texts in
 * ./case-texts). */
export const DICTIONARIES = { nl };

/** Whether the case workspace's texts are in (reactive). */
export function caseTextsLoaded(): boolean {
  return caseTexts;
}

/** Merges the case workspace's texts in; ./case-texts calls this when its chunk loads. */
export function addCaseTexts(texts: Record<Language, Texts>): void {
  addTexts(texts);
  caseTexts = true;
}

/** Fetches the case workspace's texts (once) and merges them in. */
export const loadCaseTexts = once(() => import('./case-texts'));

// Dates: Intl with an explicit locale, so Dutch is written as Dutch whatever the system's locale.
// Should the webview's Intl lack the locale's data (it would then fall back to another language
// without a word), our own month names write it instead.
const LOCALE: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };
const MONTHS: Record<Language, string[]> = {
  nl: 'januari februari maart april mei juni juli augustus september oktober november december'.split(' '),
  en: 'January February March April May June July August September October November December'.split(' '),
};
const AT: Record<Language, string> = { nl: 'om', en: 'at' };

function intlHas(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

function written(d: Date, lang: Language, withTime: boolean): string {
  const locale = LOCALE[lang];
  if (intlHas(locale)) {
    return new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    }).format(d);
  }
  const date = `${d.getDate()} ${MONTHS[lang][d.getMonth()]} ${d.getFullYear()}`;
  if (!withTime) return date;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date} ${AT[lang]} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A date (`YYYY-MM-DD`) as people write it: "20 november 2026". */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return written(new Date(y, m - 1, d), current, false);
}

/** A moment as people write it: "16 november 2026 om 08:25". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return written(d, current, true);
}
