import { describe, expect, it } from 'vitest';
import { digitsOnly, MAX_PIN, press, secretLongEnough } from '../../src/lib/pin';
import { activityReporter } from '../../src/lib/activity';
import { weakness } from '../../src/lib/backend/mock-pin';

describe('PIN pad', () => {
  it('takes digits, deletes and clears', () => {
    let pin = '';
    for (const k of ['4', '8', 'x', '2', 'back', '9']) pin = press(pin, k);
    expect(pin).toBe('489');
    expect(press(pin, 'clear')).toBe('');
  });

  it('stops at the maximum length and strips what is not a digit', () => {
    expect(press('1'.repeat(MAX_PIN), '2')).toHaveLength(MAX_PIN);
    expect(digitsOnly('48 29-13a')).toBe('482913');
  });

  it('refuses early only what the store refuses for certain: a short PIN or passphrase', () => {
    for (const short of ['', '12345', 'abcdef', '12 3456', '482913 ', 'a          b', '  paardnietj  ']) {
      expect(secretLongEnough(short), short).toBe(false);
    }
    // Dates, runs and repeats are the store's to judge, with its reason; the screen does not
    // contradict it by refusing them with another.
    for (const long of ['482913', '123456', '010190', 'paard nietje', 'wachtwoord2024']) {
      expect(secretLongEnough(long), long).toBe(true);
    }
  });
});

describe('the mock\'s PIN policy (as the store\'s, for the screens\' tests)', () => {
  it('refuses what the store refuses, with the store\'s Dutch reason', () => {
    const cases: [string, RegExp][] = [
      ['12345', /te kort/],
      ['111111', /één cijfer/],
      ['123456', /reeks/],
      ['890123', /reeks/],
      ['135791', /reeks/],
      ['147258', /lijn op het toetsenbord/],
      ['159357', /reeks/],
      ['112233', /herhaalt of spiegelt/],
      ['121212', /herhaalt/],
      ['123321', /spiegelt/],
      ['010190', /datum/],
      ['25121985', /datum/],
      ['19850312', /datum/],
      ['292513', /meest gebruikte/],
      ['kort maar', /minstens 12 tekens/],
      ['abcabcabcabc', /herhaalt/],
      ['qwertyuiopas', /reeks/],
      ['Wachtwoord2024!', /meest gebruikte/],
    ];
    for (const [secret, why] of cases) expect(weakness(secret), secret).toMatch(why);
  });

  it('takes a PIN without a pattern and a long passphrase', () => {
    for (const good of ['482913', '735142', '604918', '310496', '730518', 'paard nietje', 'De juf fietst om 8 uur!']) {
      expect(weakness(good), good).toBeNull();
    }
  });
});

describe('activity reporting', () => {
  it('tells the core at most once per interval', () => {
    let clock = 0;
    let reports = 0;
    const r = activityReporter(() => reports++, 20_000, () => clock);
    r.activity();
    clock = 5_000;
    r.activity();
    expect(reports).toBe(1);
    clock = 20_000;
    r.activity();
    expect(reports).toBe(2);
    r.reset();
    r.activity();
    expect(reports).toBe(3);
  });
});
