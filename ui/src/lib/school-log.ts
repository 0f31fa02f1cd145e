// The school log in words: who changed which account or destroyed which case, newest first. Names come from the log's own
// list of people, as a removed colleague is no longer among the users.
import type { Role } from './bindings/Role';
import type { SchoolLog } from './bindings/SchoolLog';
import type { SchoolLogEntry } from './bindings/SchoolLogEntry';
import { formatDate, formatDateTime, t } from './i18n/index.svelte';
import './i18n/school-log-texts';

export interface LogLine {
  id: string;
  recordedAt: string;
  when: string;
  who: string;
  /** The author's role when they made the change, which may differ from their role today. */
  whoRole: string;
  what: string;
}

const KINDS = ['user_added', 'user_removed', 'pin_reset', 'role_changed', 'user_assigned', 'pin_changed', 'user_unassigned'];
const WITH_ROLE = ['user_added', 'role_changed'];

function role(r: Role): string {
  return t(`role.${r}`);
}

/** What the entry's author did, as the end of a sentence that starts with their name. */
export function what(entry: SchoolLogEntry, name: string): string {
  const tombstone = entry.destroyed;
  if (entry.kind === 'case_destroyed' && tombstone) {
    return t('school_log.case_destroyed', {
      records: tombstone.records,
      until: formatDate(tombstone.retain_until),
      reason: tombstone.reason,
    });
  }
  const known = KINDS.includes(entry.kind) && (entry.role !== null || !WITH_ROLE.includes(entry.kind));
  const text = t(`school_log.${known ? entry.kind : 'other'}`, {
    name,
    role: entry.role && role(entry.role),
  });
  return entry.with_recovery_key ? `${text}, ${t('school_log.with_recovery_key')}` : text;
}

/** Newest first; entries recorded in the same instant keep the core's order, reversed. */
export function logLines(log: SchoolLog): LogLine[] {
  const names = new Map(log.people.map((p) => [p.id, p.full_name]));
  const name = (id: string) => names.get(id) ?? t('school_log.unknown_person');
  const time = (e: SchoolLogEntry) => Date.parse(e.recorded_at) || 0;
  return [...log.entries]
    .reverse()
    .sort((a, b) => time(b) - time(a))
    .map((e) => ({
      id: e.id,
      recordedAt: e.recorded_at,
      when: formatDateTime(e.recorded_at),
      who: name(e.author),
      whoRole: role(e.author_role),
      what: what(e, e.subject ? name(e.subject) : ''),
    }));
}
