// The store's PIN and passphrase policy (crates/store/src/pin_policy.rs), condensed for the
// mock: the screens show the store's Dutch reason, so the tests need a mock that refuses the same
// secrets with the same words. The policy itself is tested in Rust.
import { MIN_PASSPHRASE_CHARS, MIN_PIN_DIGITS } from '../pin';

export const WEAK = {
  too_short: 'Deze pincode is te kort. Kies minstens zes cijfers.',
  one_digit_repeated: 'Deze pincode bestaat uit één cijfer dat steeds terugkomt. Kies zes cijfers die niemand kan raden.',
  sequence:
    'Deze code volgt een reeks (zoals 123456 of abcdef) of een lijn op het toetsenbord (zoals 147258). Kies iets zonder vaste volgorde.',
  repeated_pattern: 'Deze code herhaalt of spiegelt een stukje (zoals 121212, 112233 of 123321). Kies iets zonder herhaling.',
  looks_like_date: 'Deze pincode lijkt op een datum. Kies zes cijfers die niemand kan raden.',
  common: 'Deze code hoort bij de meest gebruikte en wordt als eerste geprobeerd. Kies iets anders.',
  passphrase_too_short:
    'Een wachtwoordzin met letters of andere tekens moet minstens 12 tekens lang zijn. Een pincode bestaat alleen uit cijfers.',
} as const;

const COMMON_PINS = new Set(
  '123456 123123 111111 121212 123321 666666 000000 654321 696969 112233 159753 292513 131313 123654 222222 789456 999999 101010 777777 007007'.split(' '),
);
const KEYPAD_LINES = ['123', '456', '789', '147', '258', '369', '580', '159', '357'];
const COMMON_WORDS = ['wachtwoord', 'password', 'welkom', 'geheim', 'meldcode', 'school', 'basisschool', 'qwerty', 'azerty', 'letmein', 'iloveyou', 'admin'];
const KEYBOARD_ROWS = '1234567890qwertyuiopasdfghjklzxcvbnm';

function periodic<T>(items: T[]): boolean {
  for (let p = 1; p <= items.length / 2; p++) if (items.every((x, i) => i < p || x === items[i - p])) return true;
  return false;
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function looksLikeDate(pin: string): boolean {
  const n = (a: number, b: number) => Number(pin.slice(a, b));
  if (pin.length === 6) return validDate(1900 + n(4, 6), n(2, 4), n(0, 2)) || validDate(2000 + n(4, 6), n(2, 4), n(0, 2));
  if (pin.length !== 8) return false;
  const plausible = (y: number) => y >= 1900 && y <= 2099;
  return (plausible(n(4, 8)) && validDate(n(4, 8), n(2, 4), n(0, 2))) || (plausible(n(0, 4)) && validDate(n(0, 4), n(4, 6), n(6, 8)));
}

function pinWeakness(pin: string): keyof typeof WEAK | null {
  const d = [...pin].map(Number);
  const pairs = d.slice(1).map((x, i) => [d[i], x]);
  const step = ([a, b]: number[]) => (b + 10 - a) % 10;
  if (d.length < MIN_PIN_DIGITS) return 'too_short';
  if (pairs.every(([a, b]) => a === b)) return 'one_digit_repeated';
  const blocks = [2, 3].some((size) => d.length % size === 0 && d.every((x, i) => x === d[i - (i % size)]));
  if (periodic(d) || blocks || pin === [...pin].reverse().join('')) return 'repeated_pattern';
  const run = step(pairs[0]) !== 0 && pairs.every((p) => step(p) === step(pairs[0]));
  const lines = pin.length % 3 === 0 && (pin.match(/.../g) ?? []).every((c) => KEYPAD_LINES.some((l) => c === l || c === [...l].reverse().join('')));
  if (run || lines) return 'sequence';
  if (looksLikeDate(pin)) return 'looks_like_date';
  if (COMMON_PINS.has(pin)) return 'common';
  return null;
}

function passphraseWeakness(secret: string): keyof typeof WEAK | null {
  const collapsed = secret.trim().split(/\s+/).join(' ');
  if ([...collapsed].length < MIN_PASSPHRASE_CHARS) return 'passphrase_too_short';
  const folded = [...collapsed.replace(/\s/g, '').toLowerCase()];
  if (periodic(folded)) return 'repeated_pattern';
  const code = (c: string) => c.codePointAt(0)!;
  const first = code(folded[1]) - code(folded[0]);
  const run = Math.abs(first) === 1 && folded.every((c, i) => i === 0 || code(c) - code(folded[i - 1]) === first);
  const text = folded.join('');
  if (run || KEYBOARD_ROWS.includes(text) || [...KEYBOARD_ROWS].reverse().join('').includes(text)) return 'sequence';
  const letters = folded.filter((c) => /\p{L}/u.test(c)).join('');
  if (letters && COMMON_WORDS.some((w) => letters.length % w.length === 0 && letters === w.repeat(letters.length / w.length)))
    return 'common';
  return null;
}

/** The store's Dutch reason for refusing a new PIN or passphrase, or null when it would take it. */
export function weakness(secret: string): string | null {
  const why = /^\d*$/.test(secret) ? pinWeakness(secret) : passphraseWeakness(secret);
  return why && WEAK[why];
}
