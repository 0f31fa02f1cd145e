// Turns a recorded event into labelled lines for the timeline, the same way for every kind of
// record, so nothing recorded is left out of what the case screen shows.
import type { EventPayload } from './bindings/EventPayload';

export interface Line {
  /** i18n key of the label (`field.<name>`). */
  label: string;
  text: string;
  /** How to show it: the child's words apart, a signature as a drawing. */
  as?: 'words' | 'signature';
}

/** `tr` gives the translation of a key, or null when there is none. */
export type Translate = (key: string) => string | null;

// `staff_user` is the id of the staff member whose name (`staff_name`) is shown.
const SKIP = new Set(['type', 'id', 'trigger', 'drawing', 'staff_user']);
/** Fields that hold the id of another record or of a person, shown through `ref`. */
const REFS = new Set(['plan', 'user']);

/** How moments and days are written; ISO text is never shown to staff. */
export interface Dates {
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
}

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function valueText(field: string, value: unknown, tr: Translate, dates?: Dates): string {
  if (typeof value === 'boolean') return tr(value ? 'value.yes' : 'value.no') ?? String(value);
  if (typeof value === 'string') {
    if (dates && ISO_MOMENT.test(value)) return dates.dateTime(value);
    if (dates && ISO_DAY.test(value)) return dates.date(value);
    return tr(`value.${field}.${value}`) ?? tr(`value.${value}`) ?? value;
  }
  return String(value);
}

/** What a weighing rests on is shown only where something was missing from steps 1–3. */
function gapsLine(basis: unknown, tr: Translate): Line | null {
  const gaps = (basis as { gaps?: string[] } | null)?.gaps ?? [];
  if (!gaps.length) return null;
  return { label: 'field.gaps', text: gaps.map((g) => tr(`value.gap.${g}`) ?? g).join(', ') };
}

/** `ref` names a record or person by id (e.g. the help plan a review is about), or null. */
export function describe(payload: EventPayload, tr: Translate, dates?: Dates, ref?: (id: string) => string | null): Line[] {
  const lines: Line[] = [];
  // A field may read differently in one kind of record (`record_field.<event type>.<field>`).
  const labelOf = (field: string, top: boolean) => {
    const own = `record_field.${payload.type}.${field}`;
    return top && tr(own) !== null ? own : `field.${field}`;
  };
  const walk = (obj: Record<string, unknown>, top: boolean) => {
    for (const [field, value] of Object.entries(obj)) {
      if (field === 'basis') {
        const gaps = gapsLine(value, tr);
        if (gaps) lines.push(gaps);
        continue;
      }
      if (SKIP.has(field) || value === null || value === undefined || value === '') continue;
      const label = labelOf(field, top);
      if (field === 'child_words') {
        lines.push({ label, text: String(value), as: 'words' });
      } else if (field === 'signatures' && Array.isArray(value)) {
        for (const s of value as { signer_name: string; signer_role: string; drawing?: string | null; not_signed_reason?: string | null }[]) {
          const who = s.signer_role ? `${s.signer_name} (${s.signer_role})` : s.signer_name;
          if (s.drawing) lines.push({ label: 'field.signature', text: `${who}\n${s.drawing}`, as: 'signature' });
          else lines.push({ label: 'field.not_signed', text: `${who}: ${s.not_signed_reason ?? ''}` });
        }
      } else if (field === 'source' && typeof value === 'object') {
        const src = value as { kind: string; who?: string; relation?: string };
        lines.push({
          label,
          text: src.kind === 'own' ? (tr('value.source.own') ?? 'own') : `${src.who} (${src.relation})`,
        });
      } else if (field === 'body_marks' && Array.isArray(value)) {
        value.forEach((m: { side: string; seen: string }, i: number) =>
          lines.push({ label: 'field.body_mark', text: `${i + 1}. ${valueText('side', m.side, tr)}: ${m.seen}` }),
        );
      } else if (REFS.has(field) && typeof value === 'string') {
        lines.push({ label, text: ref?.(value) ?? value });
      } else if (field === 'instrument' && typeof value === 'object') {
        const i = value as { name: string; outcome: string };
        lines.push({ label, text: `${i.name}: ${i.outcome}` });
      } else if (field === 'objections' && Array.isArray(value)) {
        for (const o of value as { objection: string; how_met: string }[]) {
          lines.push({ label: 'field.objection', text: `${o.objection} → ${o.how_met}` });
        }
      } else if (Array.isArray(value)) {
        if (value.length) lines.push({ label, text: value.map((v) => valueText(field, v, tr, dates)).join(', ') });
      } else if (typeof value === 'object') {
        walk(value as Record<string, unknown>, false);
      } else {
        lines.push({ label, text: valueText(field, value, tr, dates) });
      }
    }
  };
  walk(payload as unknown as Record<string, unknown>, true);
  return lines;
}
