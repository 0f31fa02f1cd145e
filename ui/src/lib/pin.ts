// The PIN pad's input: digits only, bounded, so a stuck finger cannot fill memory.
export const MAX_PIN = 12;

export function press(pin: string, key: string): string {
  if (key === 'clear') return '';
  if (key === 'back') return pin.slice(0, -1);
  if (/^\d$/.test(key) && pin.length < MAX_PIN) return pin + key;
  return pin;
}

export function digitsOnly(text: string): string {
  return text.replace(/\D/g, '').slice(0, MAX_PIN);
}

/** The core's PIN rule, checked early so the screen can say so before the slow key step. */
export function pinIsStrong(pin: string): boolean {
  if (!/^\d{6,}$/.test(pin)) return false;
  const d = [...pin].map(Number);
  const pairs = d.slice(1).map((x, i) => [d[i], x]);
  const same = pairs.every(([a, b]) => a === b);
  const up = pairs.every(([a, b]) => b === a + 1);
  const down = pairs.every(([a, b]) => a === b + 1);
  return !(same || up || down);
}
