import { describe, expect, test } from 'vitest';
import { countBars, countText, durationBars, scaleOf, schoolYearSoFar } from '../../src/lib/figures';
import '../../src/lib/i18n/figures-texts';

describe('figures', () => {
  test('a hidden count reads "< 5" and is drawn as an outline, never as a number', () => {
    expect(countText({ kind: 'fewer_than_five' })).toBe('< 5');
    expect(countText({ kind: 'exact', n: 12 })).toBe('12');
    const bars = countBars([
      { code: 'opened', count: { kind: 'exact', n: 12 } },
      { code: 'closed', count: { kind: 'fewer_than_five' } },
    ]);
    expect(bars.map((b) => [b.label, b.value, b.text, b.outline])).toEqual([
      ['Geopend', 12, '12', false],
      ['Afgesloten', null, '< 5', true],
    ]);
    expect(scaleOf(bars)).toBe(12);
    expect(scaleOf([bars[1]])).toBe(5);
  });

  test('a median shows with the cases behind it, or not at all', () => {
    const bars = durationBars([
      { code: 'to_consultation', cases: { kind: 'exact', n: 18 }, median_days: 3 },
      { code: 'to_weighing', cases: { kind: 'exact', n: 6 }, median_days: 1 },
      { code: 'to_decision', cases: { kind: 'fewer_than_five' }, median_days: null },
    ]);
    expect(bars.map((b) => b.text)).toEqual(['3 dagen (18 dossiers)', '1 dag (6 dossiers)', 'te weinig dossiers']);
    expect(bars[2].outline).toBe(false);
  });

  test('the period starts with the school year on 1 August', () => {
    expect(schoolYearSoFar(new Date(2026, 11, 1))).toEqual({ from: '2026-08-01', to: '2026-12-01' });
    expect(schoolYearSoFar(new Date(2027, 2, 9))).toEqual({ from: '2026-08-01', to: '2027-03-09' });
    expect(schoolYearSoFar(new Date(2026, 7, 1))).toEqual({ from: '2026-08-01', to: '2026-08-01' });
  });
});
