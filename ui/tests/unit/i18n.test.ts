import { describe, expect, it } from 'vitest';
import { DICTIONARIES, errorText, formatDate, setLanguage, t } from '../../src/lib/i18n/index.svelte';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('i18n', () => {
  it('has every Dutch text in English too', () => {
    const nl = keys(DICTIONARIES.nl).filter((k) => !k.startsWith('error.'));
    const en = keys(DICTIONARIES.en).filter((k) => !k.startsWith('error.'));
    expect(en).toEqual(nl);
  });

  it('switches language and fills in values', () => {
    setLanguage('nl');
    expect(t('home.step', { n: 2, title: 'X' })).toBe('Stap 2: X');
    expect(t('settings.minutes', { count: 1 })).toBe('1 minuut');
    setLanguage('en');
    expect(t('home.new_signal')).toBe('New observation');
    expect(t('settings.minutes', { count: 5 })).toBe('5 minutes');
    setLanguage('nl');
  });

  it('shows the core\'s Dutch message, or an English one by code', () => {
    const e = { code: 'wrong_pin', message: 'Onjuiste pincode.' };
    setLanguage('nl');
    expect(errorText(e)).toBe('Onjuiste pincode.');
    setLanguage('en');
    expect(errorText(e)).toMatch(/^Wrong PIN/);
    expect(errorText({ code: 'rule_violation', message: 'Dutch only' })).toBe('Dutch only');
    setLanguage('nl');
  });

  it('writes due dates as people do', () => {
    setLanguage('nl');
    expect(formatDate('2026-11-20')).toBe('20 november 2026');
    setLanguage('en');
    expect(formatDate('2026-11-20')).toBe('20 November 2026');
    expect(formatDate('kapot')).toBe('kapot');
    setLanguage('nl');
  });

  it('words nothing as a diagnosis', () => {
    const all = JSON.stringify(DICTIONARIES).toLowerCase();
    for (const word of ['mishandeld', 'misbruikt', 'dader', 'slachtoffer', 'abused', 'victim', 'perpetrator']) {
      expect(all).not.toContain(word);
    }
  });
});
