import { describe, expect, it } from 'vitest';
import { digitsOnly, MAX_PIN, pinIsStrong, press } from '../../src/lib/pin';
import { activityReporter } from '../../src/lib/activity';

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

  it('uses the same strength rule as the core', () => {
    for (const weak of ['12345', '111111', '123456', '987654', 'abcdef', '12 3456']) expect(pinIsStrong(weak)).toBe(false);
    expect(pinIsStrong('482913')).toBe(true);
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
