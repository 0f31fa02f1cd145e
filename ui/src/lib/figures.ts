// What the figures screen draws, worked out apart from the screen so that it can be tested
// without a browser: the bars of each chart and the default period.
import type { Count } from './bindings/Count';
import type { DurationFigure } from './bindings/DurationFigure';
import type { Figure } from './bindings/Figure';
import { t } from './i18n/index.svelte';

/** One bar: `value` null is a count the core hid ("< 5"), drawn as an outline up to 5 (never
 * as a guess), or a median with too few cases behind it, drawn as nothing. */
export interface Bar {
  key: string;
  label: string;
  value: number | null;
  text: string;
  outline: boolean;
}

export const HIDDEN_BELOW = 5;

export function countText(count: Count): string {
  return count.kind === 'exact' ? String(count.n) : '< 5';
}

export function countBars(figures: Figure[]): Bar[] {
  return figures.map((f) => ({
    key: f.code,
    label: t(`figures.code.${f.code}`),
    value: f.count.kind === 'exact' ? f.count.n : null,
    text: countText(f.count),
    outline: f.count.kind !== 'exact',
  }));
}

/** The median's bar; a step reached by fewer than 5 cases has no median to draw. */
export function durationBars(figures: DurationFigure[]): Bar[] {
  return figures.map((d) => {
    const behind = t('figures.cases_behind', { count: countText(d.cases) });
    const days = d.median_days;
    return {
      key: d.code,
      label: t(`figures.code.${d.code}`),
      value: days,
      text:
        days === null
          ? t('figures.too_few')
          : `${days === 1 ? t('figures.day') : t('figures.days', { days })} (${behind})`,
      outline: false,
    };
  });
}

/** Where the longest bar ends: the largest value, and never less than the outline of a hidden
 * count. */
export function scaleOf(bars: Bar[]): number {
  return Math.max(HIDDEN_BELOW, ...bars.map((b) => b.value ?? 0));
}

const iso = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The school year so far: from 1 August (the Dutch school year's start) up to today. */
export function schoolYearSoFar(today: Date): { from: string; to: string } {
  const year = today.getMonth() >= 7 ? today.getFullYear() : today.getFullYear() - 1;
  return { from: `${year}-08-01`, to: iso(today) };
}
