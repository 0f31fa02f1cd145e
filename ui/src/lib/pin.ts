// The PIN pad's input: digits only, bounded, so a stuck finger cannot fill memory.
export const MAX_PIN = 12;
/** A passphrase field's bound, for the same reason; far beyond what anyone types. */
export const MAX_PASSPHRASE = 256;
/** The store's minimums (crates/store/src/pin_policy.rs). */
export const MIN_PIN_DIGITS = 6;
export const MIN_PASSPHRASE_CHARS = 12;

export function press(pin: string, key: string): string {
  if (key === 'clear') return '';
  if (key === 'back') return pin.slice(0, -1);
  if (/^\d$/.test(key) && pin.length < MAX_PIN) return pin + key;
  return pin;
}

export function digitsOnly(text: string): string {
  return text.replace(/\D/g, '').slice(0, MAX_PIN);
}

/** Whether a new PIN or passphrase is long enough to be worth the slow key step. Only what the
 * store refuses for certain is caught here: dates, runs, repeats and common choices are the
 * store's to judge, and it says why in Dutch. As in the store, digits only make a PIN and
 * anything else a passphrase, in which a run of spaces counts once. */
export function secretLongEnough(secret: string): boolean {
  if (/^\d*$/.test(secret)) return secret.length >= MIN_PIN_DIGITS;
  const collapsed = secret.trim().split(/\s+/).join(' ');
  return [...collapsed].length >= MIN_PASSPHRASE_CHARS;
}
