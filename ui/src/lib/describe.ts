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

const SKIP = new Set(['type', 'id', 'trigger', 'basis', 'drawing']);

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

export function describe(payload: EventPayload, tr: Translate, dates?: Dates): Line[] {
  const lines: Line[] = [];
  const walk = (obj: Record<string, unknown>) => {
    for (const [field, value] of Object.entries(obj)) {
      if (SKIP.has(field) || value === null || value === undefined || value === '') continue;
      const label = `field.${field}`;
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
      } else if (field === 'objections' && Array.isArray(value)) {
        for (const o of value as { objection: string; how_met: string }[]) {
          lines.push({ label: 'field.objection', text: `${o.objection} → ${o.how_met}` });
        }
      } else if (Array.isArray(value)) {
        if (value.length) lines.push({ label, text: value.map((v) => valueText(field, v, tr, dates)).join(', ') });
      } else if (typeof value === 'object') {
        walk(value as Record<string, unknown>);
      } else {
        lines.push({ label, text: valueText(field, value, tr, dates) });
      }
    }
  };
  walk(payload as unknown as Record<string, unknown>);
  return lines;
}
