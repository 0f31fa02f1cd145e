// Finding a signal in the catalogue: by any word of its text, the user's recent picks first.
import type { CatalogueSignal } from './bindings/CatalogueSignal';

/** Lower case, without accents, so "reageren" finds "reageert" and "ë" matches "e". */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The signals whose text (or category label) holds every word of the query, the user's recent
 * picks first and otherwise in catalogue order. Fewer than 2 characters find nothing. */
export function searchSignals(
  signals: CatalogueSignal[],
  query: string,
  textOf: (s: CatalogueSignal) => string,
  recent: string[] = [],
): CatalogueSignal[] {
  const words = normalise(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.join('').length < 2) return [];
  const hits = signals.filter((s) => {
    const hay = normalise(textOf(s));
    return words.every((w) => hay.includes(w));
  });
  return orderByRecent(hits, recent);
}

/** Recent picks first (most recent first), the rest in their own order. */
export function orderByRecent(signals: CatalogueSignal[], recent: string[]): CatalogueSignal[] {
  const rank = (s: CatalogueSignal) => {
    const i = recent.indexOf(s.code);
    return i < 0 ? recent.length : i;
  };
  return signals.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map((x) => x.s);
}

export const RECENT_MAX = 8;

/** The recent list after a save: what was just picked first, no duplicates, at most `max`. */
export function mergeRecent(previous: string[], picked: string[], max = RECENT_MAX): string[] {
  return [...new Set([...picked, ...previous])].slice(0, max);
}
