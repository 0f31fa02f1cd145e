// When the teacher saw it: "nu" by default, one tap for the usual moments at the gate, or a day
// and a time written out in Dutch. Native date pickers follow the operating system's locale, so
// the screen offers its own: a list of days and a time typed as uu:mm.

export type TimeChoice = 'now' | 'drop_off' | 'pick_up' | 'yesterday' | 'other';

/** The usual moments at the gate, in local time. Pick-up is 15:00 on every weekday (also on
 * Wednesday, when many schools close at noon: "gisteren" or "ander moment" covers that). */
export const DROP_OFF = { hours: 8, minutes: 15 };
export const PICK_UP = { hours: 15, minutes: 0 };

const atTime = (day: Date, t: { hours: number; minutes: number }) =>
  new Date(day.getFullYear(), day.getMonth(), day.getDate(), t.hours, t.minutes);

/** The choices that lie in the past now: no "bij het halen" in the morning. */
export function timeChoices(now: Date): TimeChoice[] {
  const out: TimeChoice[] = ['now'];
  if (atTime(now, DROP_OFF) <= now) out.push('drop_off');
  if (atTime(now, PICK_UP) <= now) out.push('pick_up');
  out.push('yesterday', 'other');
  return out;
}

/** The instant a quick choice stands for; `other` is built from a day and a time instead. */
export function momentFor(choice: Exclude<TimeChoice, 'other'>, now: Date): Date {
  switch (choice) {
    case 'now':
      return new Date(now);
    case 'drop_off':
      return atTime(now, DROP_OFF);
    case 'pick_up':
      return atTime(now, PICK_UP);
    case 'yesterday': {
      // Same clock time the day before (setDate keeps the local clock across a DST change).
      const d = new Date(now);
      d.setDate(d.getDate() - 1);
      return d;
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A local day as `YYYY-MM-DD`. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A local time as `uu:mm`. */
export function clockOf(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The days to choose from, today first, going back `count` days. */
export function recentDays(now: Date, count: number): { iso: string; weekday: number; ago: number }[] {
  return Array.from({ length: count }, (_, ago) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ago);
    return { iso: isoDay(d), weekday: d.getDay(), ago };
  });
}

/** A time as people type it: "8:15", "08.15", "0815", "815" or "8". `null` if it is none. */
export function parseClock(text: string): { hours: number; minutes: number } | null {
  const m = /^(\d{1,2})(?:[:.\s]?(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  return hours < 24 && minutes < 60 ? { hours, minutes } : null;
}

/** The local moment of a day (`YYYY-MM-DD`) and a typed time; an invalid Date if either is off. */
export function atDayAndClock(day: string, clock: string): Date {
  const [y, mo, d] = day.split('-').map(Number);
  const t = parseClock(clock);
  if (!y || !mo || !d || !t) return new Date(NaN);
  return new Date(y, mo - 1, d, t.hours, t.minutes);
}
