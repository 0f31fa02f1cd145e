// Printed copies in the mock, as the core makes them: the inspection copy's mask points
// (crates/engine/src/inzage.rs) and the copy's record in the case. No PDF is drawn here; the
// core's own tests read its PDFs back.
import { BackendError } from './backend';
import { appendEvent, type MockCase } from './mock-cases';
import type { ExportDone } from '../bindings/ExportDone';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { EventPayload } from '../bindings/EventPayload';
import type { MaskPoint } from '../bindings/MaskPoint';
import type { User } from '../bindings/User';

export function maskPoints(c: MockCase): MaskPoint[] {
  const points: MaskPoint[] = [];
  for (const e of c.events) {
    const p = e.payload as unknown as Record<string, unknown> & { type: string };
    const at = (field: string, reason: MaskPoint['reason']) => points.push({ event: e.id, field, reason });
    if (p.type === 'signal_recorded' && (p.source as { kind: string }).kind === 'other') at('source', 'third_party');
    if (p.type === 'consultation_recorded') {
      at('partner_name', 'third_party');
      at('summary', 'work_note');
      if (p.advice) at('advice', 'work_note');
    }
    if (p.type === 'advice_requested' && p.reference) at('reference', 'third_party');
  }
  return points;
}

export function mayExport(me: User): boolean {
  return me.role === 'coordinator' || me.role === 'director';
}

export function notAllowed(): never {
  throw new BackendError({ code: 'not_allowed', message: 'Een kopie van het dossier maakt de intern begeleider of de directeur.' });
}

/** Puts the copy on record, as the core does once the file is written. */
export function recordCopy(c: MockCase, me: User, request: ExportRequest): ExportDone {
  if (!mayExport(me)) notAllowed();
  const allowed = maskPoints(c);
  const masks = request.copy === 'inzage' ? request.masks : [];
  if (masks.some((m) => !allowed.some((a) => a.event === m.event && a.field === m.field)))
    throw new BackendError({ code: 'invalid', message: 'Dit deel kan niet worden weggelaten.' });
  if (request.recipient === 'other' && !request.recipient_note?.trim())
    throw new BackendError({ code: 'rule_violation', message: 'Vul in voor wie de kopie is. (R0)' });
  const records = c.events.length;
  const head = (records * 2654435761).toString(16).padStart(8, '0').repeat(8).slice(0, 64);
  appendEvent(c, me, {
    type: 'dossier_exported',
    copy: request.copy,
    recipient: request.recipient,
    recipient_note: request.recipient_note,
    records,
    head,
    masked: masks.length,
  } as EventPayload);
  const short = head.slice(0, 12).toUpperCase();
  return { records, short_code: `${short.slice(0, 4)}-${short.slice(4, 8)}-${short.slice(8, 12)}`, masked: masks.length };
}
