import { describe, expect, it } from 'vitest';
import { MOCK_CATALOGUE } from '../../src/lib/backend/mock';
import { mergeRecent, normalise, orderByRecent, searchSignals } from '../../src/lib/signals';
import type { CatalogueSignal } from '../../src/lib/bindings/CatalogueSignal';

const signals = MOCK_CATALOGUE.signals;
const dutch = (s: CatalogueSignal) => s.text.nl;
const codes = (list: CatalogueSignal[]) => list.map((s) => s.code);

describe('finding a signal', () => {
  it('finds a signal by any word of its text, wherever the word stands', () => {
    expect(codes(searchSignals(signals, 'riem', dutch))).toContain('physical.patterned_marks');
    expect(codes(searchSignals(signals, 'snoer', dutch))).toEqual(['physical.patterned_marks']);
    // Every word must be there, in any order.
    expect(codes(searchSignals(signals, 'striemen vorm', dutch))).toEqual(['physical.patterned_marks']);
    expect(codes(searchSignals(signals, 'BLAUWE plekken', dutch))).toContain('physical.unexplained_bruises');
  });

  it('ignores accents and case, and finds nothing for one letter or nonsense', () => {
    expect(normalise('Ëén Signaal')).toBe('een signaal');
    expect(searchSignals(signals, 'b', dutch)).toEqual([]);
    expect(searchSignals(signals, 'xyzzy', dutch)).toEqual([]);
  });

  it('puts the user\'s recent picks first', () => {
    const all = searchSignals(signals, 'plek', dutch);
    expect(all.length).toBeGreaterThan(1);
    const last = all[all.length - 1].code;
    expect(searchSignals(signals, 'plek', dutch, [last])[0].code).toBe(last);
    expect(codes(orderByRecent(signals.slice(0, 3), [signals[2].code]))).toEqual([signals[2].code, signals[0].code, signals[1].code]);
  });

  it('keeps the recent list short, newest first, without doubles', () => {
    expect(mergeRecent(['a', 'b'], ['c', 'a'])).toEqual(['c', 'a', 'b']);
    expect(mergeRecent(['a', 'b', 'c'], ['d'], 3)).toEqual(['d', 'a', 'b']);
  });
});
