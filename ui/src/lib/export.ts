// What a part of a record that the inspection copy may leave out says, for the preview: the
// field is found wherever it sits in the record (a report keeps its fields one level down).
import type { EventPayload } from './bindings/EventPayload';

function find(value: unknown, field: string): unknown {
  if (!value || typeof value !== 'object') return undefined;
  const obj = value as Record<string, unknown>;
  if (field in obj) return obj[field];
  for (const inner of Object.values(obj)) {
    const found = find(inner, field);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function maskedText(payload: EventPayload, field: string): string {
  const value = find(payload, field);
  if (value && typeof value === 'object' && 'who' in value) {
    const source = value as { who: string; relation?: string };
    return source.relation ? `${source.who} (${source.relation})` : source.who;
  }
  return value === undefined || value === null ? '' : String(value);
}
