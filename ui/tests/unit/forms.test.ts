import { describe, expect, it } from 'vitest';
import { FORMS, formFor } from '../../src/lib/forms/catalog';
import { FORM_GROUPS } from '../../src/lib/forms/groups';
import { FieldProblem, initialValues, type FormContext } from '../../src/lib/forms/spec';
import { describe as describeEvent } from '../../src/lib/describe';
import { isPathData, pathFromStrokes } from '../../src/lib/signature';
import { MOCK_PROFILE } from '../../src/lib/backend/mock';
import { COMMAND_KINDS } from '../../src/lib/backend/mock-cases';
import type { CaseView } from '../../src/lib/bindings/CaseView';

const now = new Date('2026-11-30T10:00:00');
const me = { id: 'u1', full_name: 'Anouk Jansen', role: 'coordinator' as const };
const view = {
  summary: { case_id: 'c1' },
  events: [
    { id: 'e-plan', occurred_at: '2026-11-20T09:00:00Z', payload: { type: 'help_plan_started', description: 'Schoolmaatschappelijk werk' } },
  ],
} as unknown as CaseView;
const ctx = (edition: 'meldcode2017' | 'afwegingskader2019'): FormContext => ({
  view,
  profile: { ...MOCK_PROFILE, edition },
  users: [me, { id: 'u2', full_name: 'Pieter de Vries', role: 'teacher' }],
  me,
  now,
});

describe('guided forms', () => {
  it('cover every engine command but opening a case and the quick capture', () => {
    const kinds = FORMS.map((f) => f.kind).sort();
    const expected = COMMAND_KINDS.filter((k) => k !== 'record_signal').sort();
    expect(kinds).toEqual(expected);
    const grouped = FORM_GROUPS.flatMap((g) => g.kinds).sort();
    expect(grouped).toEqual(expected);
  });

  it('turn filled-in fields into the engine command', () => {
    const spec = formFor('record_consultation')!;
    const v = initialValues(spec.fields(ctx('meldcode2017')), now);
    Object.assign(v, { partner: 'youth_health_care', partner_name: ' Ellen Smit ', anonymous: true, summary: 'Signalen besproken.' });
    expect(spec.build(v, ctx('meldcode2017'))).toEqual({
      type: 'record_consultation',
      held_at: now.toISOString(),
      partner: 'youth_health_care',
      partner_name: 'Ellen Smit',
      anonymous: true,
      summary: 'Signalen besproken.',
      advice: null,
    });
  });

  it('keep signatures as drawings, or the reason there is none', () => {
    const spec = formFor('record_parent_conversation')!;
    const v = initialValues(spec.fields(ctx('meldcode2017')), now);
    v.parents_present = 'Marieke Bakker\nJan Bakker';
    v.signatures = [
      { signer_name: 'Marieke Bakker', signer_role: 'moeder', drawing: 'M1 2 L3 4', not_signed_reason: '' },
      { signer_name: 'Jan Bakker', signer_role: 'vader', drawing: null, not_signed_reason: 'wilde niet tekenen' },
    ];
    const c = spec.build(v, ctx('meldcode2017'));
    expect(c.type).toBe('record_parent_conversation');
    if (c.type !== 'record_parent_conversation') return;
    expect(c.parents_present).toEqual(['Marieke Bakker', 'Jan Bakker']);
    expect(c.signatures[0]).toEqual({ signer_name: 'Marieke Bakker', signer_role: 'moeder', drawing: 'M1 2 L3 4', not_signed_reason: null });
    expect(c.signatures[1].drawing).toBeNull();
    expect(c.signatures[1].not_signed_reason).toBe('wilde niet tekenen');
  });

  it('follow the school edition for the assessment', () => {
    const spec = formFor('record_assessment')!;
    expect(spec.fields(ctx('meldcode2017')).map((f) => f.name)).toContain('can_protect');
    const fields2019 = spec.fields(ctx('afwegingskader2019'));
    const v = initialValues(fields2019, now);
    Object.assign(v, { q1_suspicion: 'yes', q2_unsafety: 'yes', q3_help_possible: 'yes', reasoning: 'Structureel onveilig.' });
    // Question 3 is not asked when question 2 says unsafe: a "yes" there leads to reporting.
    expect(fields2019.find((f) => f.name === 'q3_help_possible')!.showIf!(v)).toBe(false);
    expect(spec.build(v, ctx('afwegingskader2019'))).toEqual({
      type: 'record_assessment',
      assessment: { edition: 'afwegingskader2019', q1_suspicion: true, q2_unsafety: 'yes', q3_help_possible: null, q4_help_accepted: null, reasoning: 'Structureel onveilig.' },
    });
  });

  it('map the decision onto report and help', () => {
    const spec = formFor('record_decision')!;
    const c = spec.build({ decision: 'report_and_help', reasoning: 'x' }, ctx('meldcode2017'));
    expect(c).toMatchObject({ report: true, organise_help: true });
  });

  it('offer the case\'s help plans for a review, and sort review dates', () => {
    const review = formFor('review_help')!;
    const plan = review.fields(ctx('meldcode2017')).find((f) => f.name === 'plan')!;
    expect(plan.options!(ctx('meldcode2017'))).toEqual([{ value: 'e-plan', label: '2026-11-20: Schoolmaatschappelijk werk', literal: true }]);
    const start = formFor('start_help_plan')!;
    const c = start.build({ description: 'd', case_manager: 'm', agreements: 'a', effect_due: '2027-01-15', reviews: ['2026-12-20', '2026-12-06'] }, ctx('meldcode2017'));
    expect(c).toMatchObject({ reviews: ['2026-12-06', '2026-12-20'] });
  });

  it('say which field cannot be read, instead of sending nonsense', () => {
    const spec = formFor('start_help_plan')!;
    expect(() => spec.build({ description: 'd', case_manager: 'm', agreements: 'a', effect_due: '', reviews: [] }, ctx('meldcode2017'))).toThrow(FieldProblem);
    const close = formFor('close_case')!;
    try {
      close.build({ outcome: '', reasoning: 'x' }, ctx('meldcode2017'));
    } catch (e) {
      expect((e as FieldProblem).field).toBe('outcome');
    }
  });

  it('name the staff member from the user list when staff is suspected', () => {
    const c = formFor('suspect_staff')!.build({ staff_user: 'u2', note: 'n' }, ctx('meldcode2017'));
    expect(c).toEqual({ type: 'suspect_staff', staff_user: 'u2', staff_name: 'Pieter de Vries', note: 'n' });
  });
});

describe('timeline lines', () => {
  const tr = (k: string) => ({ 'value.yes': 'Ja', 'value.context.drop_off': 'Brengen', 'value.source.own': 'Zelf' })[k] ?? null;

  it('show the child\'s words apart and sources plainly', () => {
    const lines = describeEvent(
      { type: 'signal_recorded', observed_at: '2026-11-16T07:25:00Z', context: 'drop_off', facts: 'Blauwe plek.', child_words: 'Ik viel.', source: { kind: 'other', who: 'Ria de Boer', relation: 'overblijfmoeder' }, catalogue_codes: [], body_marks: [], indication: 'concern' } as never,
      tr,
    );
    expect(lines).toContainEqual({ label: 'field.child_words', text: 'Ik viel.', as: 'words' });
    expect(lines).toContainEqual({ label: 'field.source', text: 'Ria de Boer (overblijfmoeder)' });
    expect(lines).toContainEqual({ label: 'field.context', text: 'Brengen' });
  });

  it('write moments and days for people, never as ISO text', () => {
    const dates = { dateTime: (s: string) => `moment ${s.slice(0, 10)}`, date: (s: string) => `dag ${s}` };
    const lines = describeEvent({ type: 'help_plan_started', effect_due: '2027-01-15', reviews: ['2026-12-06'] } as never, tr, dates);
    expect(lines).toEqual([
      { label: 'field.effect_due', text: 'dag 2027-01-15' },
      { label: 'field.reviews', text: 'dag 2026-12-06' },
    ]);
    expect(describeEvent({ type: 'report_made', report: { reported_at: '2026-11-30T09:00:00Z' } } as never, tr, dates)[0].text).toBe('moment 2026-11-30');
  });

  it('show a signature as a drawing and a missing one with its reason', () => {
    const lines = describeEvent(
      { type: 'parent_conversation_recorded', signatures: [
        { signer_name: 'Marieke Bakker', signer_role: 'moeder', drawing: 'M1 2 L3 4' },
        { signer_name: 'Jan Bakker', signer_role: 'vader', not_signed_reason: 'wilde niet' },
      ] } as never,
      tr,
    );
    expect(lines[0]).toEqual({ label: 'field.signature', text: 'Marieke Bakker (moeder)\nM1 2 L3 4', as: 'signature' });
    expect(lines[1].text).toBe('Jan Bakker (vader): wilde niet');
  });
});

describe('signature pad data', () => {
  it('is SVG path data and nothing else is drawn back', () => {
    expect(pathFromStrokes([[[1, 2], [3, 4]], [[5, 6]]])).toBe('M1 2 L3 4 M5 6');
    expect(pathFromStrokes([])).toBeNull();
    expect(isPathData('M1 2 L3 4')).toBe(true);
    expect(isPathData('"/><script>')).toBe(false);
  });
});
