// Dutch first, English second, through i18next. `t` reads the reactive language so that every
// text on screen follows a language switch without a reload.
import i18next from 'i18next';
import { nl } from './nl';
import { en } from './en';
import type { Language } from '../bindings/Language';
import type { LocalText } from '../bindings/LocalText';

let current = $state<Language>('nl');

void i18next.init({
  lng: 'nl',
  fallbackLng: 'nl',
  initAsync: false,
  interpolation: { escapeValue: false },
  resources: { nl: { translation: nl }, en: { translation: en } },
});

export function t(key: string, vars?: Record<string, unknown>): string {
  // Reading `current` subscribes the caller to language changes.
  return current && i18next.t(key, { ...vars, lng: current });
}

/** A catalogue text in the current language. */
export function local(text: LocalText): string {
  return current === 'en' ? text.en : text.nl;
}

/** A date (`YYYY-MM-DD`) as people write it: "20 november 2026". */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(y, m - 1, d));
}

/** A moment as people write it: "16 november 2026, 08:25". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

/** The translation of `key`, or null when there is none (for labels built from data). */
export function tr(key: string): string | null {
  return current && i18next.exists(key, { lng: current }) ? i18next.t(key, { lng: current }) : null;
}

export function setLanguage(lang: Language): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** A backend error in the current language: Dutch messages come from the core; for English a
 * translation by code is used when there is one. */
export function errorText(e: { code: string; message: string }): string {
  const key = `error.${e.code}`;
  if (current === 'en' && i18next.exists(key, { lng: 'en' })) return t(key);
  return e.message;
}

export const DICTIONARIES = { nl, en };
