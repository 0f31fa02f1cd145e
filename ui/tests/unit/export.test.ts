import { describe, expect, it } from 'vitest';
import { maskedText } from '../../src/lib/export';
import type { EventPayload } from '../../src/lib/bindings/EventPayload';

describe('the inspection copy preview', () => {
  it('shows who told the school, and a field nested in the record', () => {
    const told = { type: 'signal_recorded', source: { kind: 'other', who: 'Petra Bakker', relation: 'overblijfkracht' } };
    expect(maskedText(told as unknown as EventPayload, 'source')).toBe('Petra Bakker (overblijfkracht)');
    const report = { type: 'report_made', report: { facts: 'x', from_others: 'De buurvrouw hoorde geschreeuw.' }, route: 'steps' };
    expect(maskedText(report as unknown as EventPayload, 'from_others')).toBe('De buurvrouw hoorde geschreeuw.');
    expect(maskedText(report as unknown as EventPayload, 'nothing')).toBe('');
  });
});
