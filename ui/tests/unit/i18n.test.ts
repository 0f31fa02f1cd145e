import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DICTIONARIES,
  errorText,
  formatDate,
  formatDateTime,
  local,
  setLanguage,
  t,
  tr,
} from '../../src/lib/i18n/index.svelte';
import { CASE_DICTIONARIES } from '../../src/lib/i18n/case-texts';
import { en as EN } from '../../src/lib/i18n/en';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  setLanguage('nl');
});

describe('i18n', () => {
  it('has every Dutch text in English too', () => {
    const nl = keys(DICTIONARIES.nl).filter((k) => !k.startsWith('error.'));
    const en = keys(EN).filter((k) => !k.startsWith('error.'));
    expect(en).toEqual(nl);
    expect(keys(CASE_DICTIONARIES.en)).toEqual(keys(CASE_DICTIONARIES.nl));
  });

  it('keeps the case texts apart from the texts of the first screens', () => {
    const first = new Set(Object.keys(DICTIONARIES.nl));
    expect(Object.keys(CASE_DICTIONARIES.nl).filter((k) => first.has(k))).toEqual([]);
  });

  it('switches language and fills in values', () => {
    setLanguage('nl');
    expect(t('home.step', { n: 2, title: 'X' })).toBe('Stap 2: X');
    expect(t('settings.minutes', { count: 1 })).toBe('1 minuut');
    expect(t('settings.minutes', { count: 5 })).toBe('5 minuten');
    setLanguage('en');
    expect(t('home.new_signal')).toBe('New observation');
    expect(t('settings.minutes', { count: 1 })).toBe('1 minute');
    expect(t('settings.minutes', { count: 5 })).toBe('5 minutes');
    expect(t('home.step', { n: 0, title: 'X' })).toBe('Step 0: X');
  });

  it('fills in every value once, leaves a placeholder without a value, and never reads values as keys', () => {
    setLanguage('nl');
    expect(t('first_run.profile_summary', { school: 'De Klimop', count: 3 })).toBe('De Klimop: 3 contacten in de sociale kaart.');
    expect(t('first_run.profile_summary', { school: '{{count}}', count: 3 })).toBe('{{count}}: 3 contacten in de sociale kaart.');
    expect(t('first_run.profile_summary', { count: 3 })).toBe('{{school}}: 3 contacten in de sociale kaart.');
    expect(t('first_run.profile_summary', { school: null, count: 3 })).toBe(': 3 contacten in de sociale kaart.');
    expect(t('emergency.call_named')).toBe('Bel {{name}}');
  });

  it('gives the key back for a missing text, and null from tr', () => {
    setLanguage('en');
    expect(t('home.no_such_text')).toBe('home.no_such_text');
    expect(t('home')).toBe('home'); // a section, not a text
    expect(tr('home.no_such_text')).toBeNull();
    expect(tr('home')).toBeNull();
    expect(tr('home.new_signal')).toBe('New observation');
  });

  it('knows the case texts (merged in when their chunk loads) in both languages', () => {
    setLanguage('nl');
    expect(t('case.steps')).toBe('Stappen van de meldcode');
    expect(t('case.saved', { what: 'Overleg' })).toBe('Opgeslagen: Overleg.');
    expect(tr('value.outcome.unfounded')).toBe('Zorgen niet bevestigd');
    setLanguage('en');
    expect(t('case.steps')).toBe('Steps of the reporting code');
    expect(tr('value.outcome.unfounded')).toBe(CASE_DICTIONARIES.en.value.outcome.unfounded);
  });

  it('loads English on demand, once, showing Dutch until it is in', async () => {
    // A fresh copy of the module, as in the app at start: Dutch only.
    vi.resetModules();
    const fresh = await import('../../src/lib/i18n/index.svelte');
    fresh.setLanguage('en');
    expect(fresh.t('home.new_signal')).toBe('Nieuwe signalering');
    const loading = fresh.loadEnglish();
    expect(fresh.loadEnglish()).toBe(loading);
    await loading;
    expect(fresh.t('home.new_signal')).toBe('New observation');
  });

  it('loads the case texts on demand, once, and then follows a language switch', async () => {
    // A fresh copy of the module, as in the app at start: without the case texts.
    vi.resetModules();
    const fresh = await import('../../src/lib/i18n/index.svelte');
    fresh.setLanguage('en');
    await fresh.loadEnglish();
    expect(fresh.caseTextsLoaded()).toBe(false);
    expect(fresh.t('case.steps')).toBe('case.steps');
    expect(fresh.tr('step.weighing')).toBeNull();
    expect(fresh.t('home.new_signal')).toBe('New observation');
    const loading = fresh.loadCaseTexts();
    expect(fresh.loadCaseTexts()).toBe(loading);
    await loading;
    expect(fresh.caseTextsLoaded()).toBe(true);
    expect(fresh.t('case.steps')).toBe('Steps of the reporting code');
    fresh.setLanguage('nl');
    expect(fresh.t('case.steps')).toBe('Stappen van de meldcode');
    expect(fresh.tr('step.weighing')).toBe('Wegen');
    expect(fresh.t('home.new_signal')).toBe('Nieuwe signalering');
  });

  it('falls back to Dutch where English has no text', async () => {
    vi.resetModules();
    const fresh = await import('../../src/lib/i18n/index.svelte');
    fresh.addCaseTexts({ nl: { only_dutch: { text: 'Alleen in het Nederlands, {{n}}' } }, en: {} });
    fresh.setLanguage('en');
    expect(fresh.t('only_dutch.text', { n: 1 })).toBe('Alleen in het Nederlands, 1');
    expect(fresh.tr('only_dutch.text')).toBe('Alleen in het Nederlands, {{n}}');
  });

  it('shows catalogue texts in the current language', () => {
    const text = { nl: 'Blauwe plek', en: 'Bruise' };
    expect(local(text)).toBe('Blauwe plek');
    setLanguage('en');
    expect(local(text)).toBe('Bruise');
  });

  it('shows the core\'s Dutch message, or an English one by code', () => {
    const e = { code: 'wrong_pin', message: 'Onjuiste pincode.' };
    setLanguage('nl');
    expect(errorText(e)).toBe('Onjuiste pincode.');
    setLanguage('en');
    expect(errorText(e)).toMatch(/^Wrong PIN/);
    expect(errorText({ code: 'rule_violation', message: 'Dutch only' })).toBe('Dutch only');
  });

  it('writes due dates as people do', () => {
    setLanguage('nl');
    expect(formatDate('2026-11-20')).toBe('20 november 2026');
    expect(formatDate('2026-03-01')).toBe('1 maart 2026');
    setLanguage('en');
    expect(formatDate('2026-11-20')).toBe('20 November 2026');
    expect(formatDate('kapot')).toBe('kapot');
    expect(formatDateTime('kapot')).toBe('kapot');
  });

  it('writes moments in Dutch with the Dutch word between date and time', () => {
    setLanguage('nl');
    expect(formatDateTime('2026-11-16T08:25:00')).toBe('16 november 2026 om 08:25');
    setLanguage('en');
    expect(formatDateTime('2026-11-16T08:25:00')).toBe('16 November 2026 at 08:25');
  });

  it('writes Dutch dates without the webview\'s Dutch locale data too', () => {
    setLanguage('nl');
    const intl = [formatDate('2026-05-03'), formatDateTime('2026-11-16T18:05:00')];
    vi.spyOn(Intl.DateTimeFormat, 'supportedLocalesOf').mockReturnValue([]);
    setLanguage('nl');
    expect(formatDate('2026-05-03')).toBe('3 mei 2026');
    expect(formatDate('2026-11-20')).toBe('20 november 2026');
    expect(formatDateTime('2026-11-16T18:05:00')).toBe('16 november 2026 om 18:05');
    expect([formatDate('2026-05-03'), formatDateTime('2026-11-16T18:05:00')]).toEqual(intl);
    setLanguage('en');
    expect(formatDate('2026-11-20')).toBe('20 November 2026');
    expect(formatDateTime('2026-01-02T07:09:00')).toBe('2 January 2026 at 07:09');
  });

  it('words nothing as a diagnosis', () => {
    const all = JSON.stringify([DICTIONARIES, CASE_DICTIONARIES]).toLowerCase();
    for (const word of ['mishandeld', 'misbruikt', 'dader', 'slachtoffer', 'abused', 'victim', 'perpetrator']) {
      expect(all).not.toContain(word);
    }
  });
});
