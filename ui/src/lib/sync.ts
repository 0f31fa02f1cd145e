// The words for sync with the school server: the status line (which line to show is decided in
// the core, the UI only words it) and the lifetime of a linking code.
import type { SyncLine } from './bindings/SyncLine';
import { formatDateTime, t } from './i18n/index.svelte';
import './i18n/sync-texts';

const two = (n: number) => String(n).padStart(2, '0');

/** A moment's local clock time, "09:14". */
export function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${two(d.getHours())}:${two(d.getMinutes())}`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "09:14" today, "12 november 2026 om 09:14" on another day. */
export function moment(iso: string, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return sameDay(d, now) ? clock(iso) : formatDateTime(iso);
}

const waiting = (count: number) => t('sync.waiting', { count });

/** The status line in words: "Bijgewerkt om 09:14", "3 wachten op verzending", … */
export function syncLineText(line: SyncLine, now: Date = new Date()): string {
  switch (line.kind) {
    case 'current': {
      const at = new Date(line.at);
      return Number.isNaN(at.getTime()) || sameDay(at, now)
        ? t('sync.current_today', { time: clock(line.at) })
        : t('sync.current_other_day', { moment: formatDateTime(line.at) });
    }
    case 'waiting':
      return waiting(line.count);
    case 'offline': {
      const since = t('sync.offline', { moment: moment(line.since, now) });
      return line.waiting > 0 ? `${since} · ${waiting(line.waiting)}` : since;
    }
    case 'rolled_back':
      return t('sync.rolled_back');
    case 'not_enrolled':
      return t('sync.not_enrolled');
  }
}

/** Whole minutes a code has left, rounded up; 0 once it has expired. */
export function minutesLeft(expiresAt: string, now: Date): number {
  const left = Date.parse(expiresAt) - now.getTime();
  return left > 0 ? Math.ceil(left / 60_000) : 0;
}

/** "Geldig tot 14:05 (nog 14 minuten)", or "Verlopen — maak een nieuwe code". */
export function codeLifetime(expiresAt: string, now: Date): { expired: boolean; text: string } {
  const count = minutesLeft(expiresAt, now);
  if (count === 0) return { expired: true, text: t('enroll.expired') };
  return { expired: false, text: t('enroll.valid_until', { time: clock(expiresAt), count }) };
}

/** Milliseconds until the lifetime's words change (the next whole minute left, or expiry). */
export function untilLifetimeChanges(expiresAt: string, now: Date): number | null {
  const left = Date.parse(expiresAt) - now.getTime();
  if (!(left > 0)) return null;
  return left % 60_000 || 60_000;
}
