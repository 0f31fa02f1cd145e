import { describe, expect, it } from 'vitest';
import { FORMS, formFor } from '../../src/lib/forms/catalog';
import { FORM_GROUPS } from '../../src/lib/forms/groups';
import { FieldProblem, initialValues, type FormContext } from '../../src/lib/forms/spec';
import { describe as describeEvent } from '../../src/lib/describe';
import { isPathData, pathFromStrokes } from '../../src/lib/signature';
import { followSigners, conversationSigners } from '../../src/lib/forms/signers';
import { MOCK_PROFILE } from '../../src/lib/backend/mock';
import { COMMAND_KINDS, EVENT_OF } from '../../src/lib/backend/mock-cases';
import { setLanguage, tr } from '../../src/lib/i18n/index.svelte';
import type { CaseView } from '../../src/lib/bindings/CaseView';

const now = new Date('2026-11-30T10:00:00');
const me = { id: 'u1', full_name: 'Anouk Jansen', role: 'coordinator' as const };
const view = {
  summary: { case_id: 'c1' },
  events: [
    { id: 'e-plan', occurred_at: '2026-11-20T09:00:00Z', payload: { type: 'help_plan_started', description: 'Schoolmaatschappelijk werk' } },
  ],
} as unknown as CaseView;
const staffView = {
  ...view,
  events: [...view.events, { id: 'e-staff', occurred_at: '2026-11-18T09:00:00Z', payload: { type: 'staff_suspected', staff_user: 'u9', staff_name: 'Ruud Kok', note: 'n' } }],
} as unknown as CaseView;
const ctx = (edition: 'meldcode2017' | 'afwegingskader2019', v: CaseView = view): FormContext => ({
  view: v,
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

  it('have a title, a label for every field and every choice, in Dutch and English', () => {
    for (const lang of ['nl', 'en'] as const) {
      setLanguage(lang);
      for (const g of FORM_GROUPS) expect(tr(`case.group.${g.key}`), g.key).not.toBeNull();
      for (const c of [ctx('meldcode2017'), ctx('afwegingskader2019'), ctx('meldcode2017', staffView)]) {
        for (const spec of FORMS) {
          expect(tr(`form.${spec.kind}.title`), spec.kind).not.toBeNull();
          for (const f of spec.fields(c)) {
            expect(tr(`form.${spec.kind}.${f.name}`) ?? tr(`field.${f.name}`), `${spec.kind}.${f.name}`).not.toBeNull();
            for (const o of f.options?.(c) ?? []) if (!o.literal) expect(tr(o.label), o.label).not.toBeNull();
          }
        }
      }
      for (const type of ['case_opened', ...Object.values(EVENT_OF)]) expect(tr(`event.${type}`), type).not.toBeNull();
    }
    setLanguage('nl');
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
    v.signatures = [...(v.signatures as object[]), { signer_name: ' ', signer_role: '', drawing: null, not_signed_reason: '', extra: true }];
    const again = spec.build(v, ctx('meldcode2017'));
    expect(again.type === 'record_parent_conversation' && again.signatures.length).toBe(2);
  });

  it('keep weighing a dossier in the edition of its first weighing', () => {
    const spec = formFor('record_assessment')!;
    const weighed2017 = {
      ...view,
      events: [...view.events, { id: 'e-w', occurred_at: '2018-11-20T09:00:00Z', payload: { type: 'assessment_recorded', assessment: { edition: 'meldcode2017' } } }],
    } as unknown as CaseView;
    expect(spec.fields(ctx('afwegingskader2019', weighed2017)).map((f) => f.name)).toContain('can_protect');
    expect(spec.fields(ctx('afwegingskader2019')).map((f) => f.name)).toContain('q1_suspicion');
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
      instrument: null,
    });
  });

  it('record a risk-assessment instrument with the weighing, when one was used', () => {
    const spec = formFor('record_assessment')!;
    for (const edition of ['meldcode2017', 'afwegingskader2019'] as const) {
      const names = spec.fields(ctx(edition)).map((f) => f.name);
      expect(names).toContain('instrument_name');
      expect(names).toContain('instrument_outcome');
    }
    const v = { risk: 'high', nature: 'n', severity: 's', can_protect: 'no', reasoning: 'r', instrument_name: ' LIRIK ', instrument_outcome: 'Hoog risico' };
    expect(spec.build(v, ctx('meldcode2017'))).toMatchObject({ instrument: { name: 'LIRIK', outcome: 'Hoog risico' } });
    // One of the two filled in still goes to the engine, which asks for the other.
    expect(spec.build({ ...v, instrument_name: '' }, ctx('meldcode2017'))).toMatchObject({ instrument: { name: '', outcome: 'Hoog risico' } });
  });

  it('ask the registration day only when registered in the risk index', () => {
    const spec = formFor('consider_risk_index')!;
    const fields = spec.fields(ctx('meldcode2017'));
    const registeredOn = fields.find((f) => f.name === 'registered_on')!;
    expect(registeredOn.showIf!({ choice: 'not_registered' })).toBe(false);
    expect(registeredOn.showIf!({ choice: 'registered' })).toBe(true);
    expect(spec.build({ choice: 'not_registered', reasoning: 'r', registered_on: '2026-11-01' }, ctx('meldcode2017'))).toEqual({
      type: 'consider_risk_index', choice: 'not_registered', reasoning: 'r', registered_on: null, follow_up_on: null,
    });
    expect(spec.build({ choice: 'registered', reasoning: 'r', registered_on: '2026-11-20', follow_up_on: '2026-12-20' }, ctx('meldcode2017'))).toMatchObject({
      registered_on: '2026-11-20', follow_up_on: '2026-12-20',
    });
    expect(() => spec.build({ choice: 'registered', reasoning: 'r', registered_on: '' }, ctx('meldcode2017'))).toThrow(FieldProblem);
  });

  it('name the other cause found in the parent conversation', () => {
    const spec = formFor('record_parent_conversation')!;
    const field = spec.fields(ctx('meldcode2017')).find((f) => f.name === 'other_cause')!;
    expect(field.showIf!({ other_cause_found: false })).toBe(false);
    expect(field.showIf!({ other_cause_found: true })).toBe(true);
    const v = initialValues(spec.fields(ctx('meldcode2017')), now);
    Object.assign(v, { other_cause: 'Eczeem', other_cause_found: false });
    expect(spec.build(v, ctx('meldcode2017'))).toMatchObject({ other_cause_found: false, other_cause: null });
    Object.assign(v, { other_cause_found: true });
    expect(spec.build(v, ctx('meldcode2017'))).toMatchObject({ other_cause_found: true, other_cause: 'Eczeem' });
  });

  it('discuss a report with the parent by default (R12: the pupil joins, never instead)', () => {
    const spec = formFor('record_report_discussion')!;
    const v = initialValues(spec.fields(ctx('meldcode2017')), now);
    expect(v.with_parent).toBe(true);
    expect(v.with_pupil).toBe(false);
  });

  it('close a staff case as its route completed, and say why Veilig Thuis\' answer is missing', () => {
    const spec = formFor('close_case')!;
    const outcomes = (c: FormContext) => spec.fields(c).find((f) => f.name === 'outcome')!.options!(c).map((o) => o.value);
    expect(outcomes(ctx('meldcode2017'))).not.toContain('staff_route_completed');
    expect(outcomes(ctx('meldcode2017', staffView))).toContain('staff_route_completed');
    const reason = spec.fields(ctx('meldcode2017')).find((f) => f.name === 'no_vt_answer_reason')!;
    expect(reason.showIf!({ outcome: 'reported_and_handed_over' })).toBe(true);
    expect(reason.showIf!({ outcome: 'help_in_place' })).toBe(false);
    expect(spec.build({ outcome: 'reported_and_handed_over', reasoning: 'r', no_vt_answer_reason: 'Geen reactie na drie pogingen.' }, ctx('meldcode2017'))).toEqual({
      type: 'close_case', outcome: 'reported_and_handed_over', reasoning: 'r', no_vt_answer_reason: 'Geen reactie na drie pogingen.',
    });
    expect(spec.build({ outcome: 'help_in_place', reasoning: 'r', no_vt_answer_reason: 'x' }, ctx('meldcode2017'))).toMatchObject({ no_vt_answer_reason: null });
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

describe('new records as guided forms', () => {
  const build = (kind: string, filled: Record<string, unknown>, c = ctx('afwegingskader2019')) => {
    const spec = formFor(kind)!;
    const v = initialValues(spec.fields(c), now, c);
    Object.assign(v, filled);
    return spec.build(v, c);
  };
  const at = now.toISOString();

  it('a conversation with the child, its words apart and optional', () => {
    expect(build('record_child_conversation', { occasion: 'In de kring, na de gymles.', record: 'Stil; afgesproken morgen weer te praten.' })).toEqual({
      type: 'record_child_conversation',
      held_at: at,
      staff_present: ['Anouk Jansen'],
      occasion: 'In de kring, na de gymles.',
      child_words: null,
      record: 'Stil; afgesproken morgen weer te praten.',
    });
    expect(build('record_child_conversation', { child_words: ' Papa was boos. ', occasion: 'o', record: 'r' })).toMatchObject({ child_words: 'Papa was boos.' });
  });

  it('a disclosure, told to the one recording unless changed', () => {
    expect(build('record_disclosure', { circumstances: 'Na schooltijd in de klas.', child_words: 'Mama slaat me als ik huil.', response: 'Geluisterd; gezegd dat ik hulp ga vragen.' })).toEqual({
      type: 'record_disclosure',
      disclosed_at: at,
      told_to: 'Anouk Jansen',
      circumstances: 'Na schooltijd in de klas.',
      child_words: 'Mama slaat me als ik huil.',
      response: 'Geluisterd; gezegd dat ik hulp ga vragen.',
    });
  });

  it('the board informs the parents and the staff member in a staff case', () => {
    const c = ctx('meldcode2017', staffView);
    expect(build('inform_parents_of_staff_case', { informed: 'Marieke Bakker\nJan Bakker', how: 'in een gesprek op school', notes: 'Verteld; ouders geschrokken.' }, c)).toEqual({
      type: 'inform_parents_of_staff_case',
      informed_at: at,
      informed: ['Marieke Bakker', 'Jan Bakker'],
      informed_by: 'Anouk Jansen',
      how: 'in een gesprek op school',
      notes: 'Verteld; ouders geschrokken.',
    });
    expect(build('inform_suspected_staff', { how: 'gesprek', notes: 'n' }, c)).toMatchObject({ type: 'inform_suspected_staff', informed: ['Ruud Kok'] });
  });

  it('the police report, or the reasoned decision not to', () => {
    expect(build('record_police_report_decision', { made: 'made', reasoning: 'Redelijk vermoeden.', reference: 'PL-2026-77' })).toEqual({
      type: 'record_police_report_decision', decided_at: at, made: true, reasoning: 'Redelijk vermoeden.', reference: 'PL-2026-77',
    });
    expect(build('record_police_report_decision', { made: 'not_made', reasoning: 'Geen redelijk vermoeden.', reference: 'x' })).toMatchObject({ made: false, reference: null });
    expect(() => build('record_police_report_decision', { reasoning: 'r' })).toThrow(FieldProblem);
  });

  it('another cause, and why Veilig Thuis was not asked for advice', () => {
    expect(build('record_other_cause', { cause: 'Eczeem.', how_found: 'Bevestigd door de huisarts.' })).toEqual({
      type: 'record_other_cause', found_at: at, cause: 'Eczeem.', how_found: 'Bevestigd door de huisarts.',
    });
    expect(build('record_advice_skipped', { reason: ' Het jeugdteam is al betrokken. ' })).toEqual({ type: 'record_advice_skipped', reason: 'Het jeugdteam is al betrokken.' });
  });

  it('the care team intake, with a person\'s function kept after a comma', () => {
    expect(build('record_care_team_intake', { intake_by: 'Ellen Smit, schoolmaatschappelijk werker', participants: 'Marieke Bakker\nAnouk Jansen, intern begeleider', notes: 'n' })).toEqual({
      type: 'record_care_team_intake',
      held_at: at,
      intake_by: 'Ellen Smit, schoolmaatschappelijk werker',
      participants: ['Marieke Bakker', 'Anouk Jansen, intern begeleider'],
      notes: 'n',
    });
  });

  it('the help plan shared and the family reaching the help, for one of the case\'s plans', () => {
    for (const kind of ['share_help_plan', 'check_help_reached']) {
      const plan = formFor(kind)!.fields(ctx('meldcode2017')).find((f) => f.name === 'plan')!;
      expect(plan.options!(ctx('meldcode2017')).map((o) => o.value)).toEqual(['e-plan']);
    }
    expect(build('share_help_plan', { plan: 'e-plan', shared_with: 'Marieke Bakker', reaction: 'Moeder wil meedoen.' })).toEqual({
      type: 'share_help_plan', plan: 'e-plan', shared_at: at, shared_with: ['Marieke Bakker'], reaction: 'Moeder wil meedoen.',
    });
    expect(build('check_help_reached', { plan: 'e-plan', reached: 'no', notes: 'Nagevraagd bij het wijkteam: nog niet gestart.' })).toEqual({
      type: 'check_help_reached', plan: 'e-plan', checked_at: at, reached: false, notes: 'Nagevraagd bij het wijkteam: nog niet gestart.',
    });
  });

  it('the parents told of the report, and the evaluation with those involved', () => {
    expect(build('inform_parents_of_report', { informed: 'Sandra Visser', how: 'telefonisch', reaction: 'Boos, maar begrijpt het.' })).toEqual({
      type: 'inform_parents_of_report', informed_at: at, informed: ['Sandra Visser'], how: 'telefonisch', reaction: 'Boos, maar begrijpt het.',
    });
    expect(build('record_evaluation', { participants: 'Anouk Jansen\nPieter de Vries', went_well: 'Snel overlegd.', to_improve: 'Eerder Veilig Thuis bellen.' })).toEqual({
      type: 'record_evaluation', held_at: at, participants: ['Anouk Jansen', 'Pieter de Vries'], went_well: 'Snel overlegd.', to_improve: 'Eerder Veilig Thuis bellen.',
    });
  });
});

describe('signatures that follow the people present', () => {
  const text = (key: string) => ({ 'signature.role_parent': 'ouder', 'signature.role_staff': 'medewerker van school', 'role.teacher': 'leerkracht' })[key] ?? key;
  const c = ctx('meldcode2017');

  it('give each parent and staff member present a slot with their name and role', () => {
    const seeds = conversationSigners({ parents_present: 'Marieke Bakker', staff_present: 'Pieter de Vries\nAnouk Jansen, intern begeleider\nEllen Smit' }, c);
    expect(followSigners([], seeds, text)).toEqual([
      { signer_name: 'Marieke Bakker', signer_role: 'ouder', drawing: null, not_signed_reason: '' },
      { signer_name: 'Pieter de Vries', signer_role: 'leerkracht', drawing: null, not_signed_reason: '' },
      { signer_name: 'Anouk Jansen', signer_role: 'intern begeleider', drawing: null, not_signed_reason: '' },
      { signer_name: 'Ellen Smit', signer_role: 'medewerker van school', drawing: null, not_signed_reason: '' },
    ]);
  });

  it('keep what was drawn or typed for a person still present, drop who is no longer named, keep hand-added ones', () => {
    const drawn = { signer_name: 'Marieke Bakker', signer_role: 'moeder', drawing: 'M1 2 L3 4', not_signed_reason: '' };
    const gone = { signer_name: 'Jan Bakker', signer_role: 'vader', drawing: null, not_signed_reason: 'wilde niet' };
    const extra = { signer_name: 'Tolk Yilmaz', signer_role: 'tolk', drawing: null, not_signed_reason: 'x', extra: true };
    const seeds = conversationSigners({ parents_present: 'marieke  bakker\nMarieke Bakker', staff_present: 'Anouk Jansen' }, c);
    const next = followSigners([gone, drawn, extra], seeds, text);
    expect(next.map((s) => s.signer_name)).toEqual(['marieke  bakker', 'Anouk Jansen', 'Tolk Yilmaz']);
    expect(next[0]).toMatchObject({ signer_role: 'moeder', drawing: 'M1 2 L3 4' });
    expect(next[2]).toEqual(extra);
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

  it('say what was missing from steps 1–3 at the weighing, and the instrument used', () => {
    const tr2 = (k: string) => ({ 'value.gap.veilig_thuis_advice': 'advies van Veilig Thuis', 'value.gap.risk_index_considered': 'besluit over de Verwijsindex' })[k] ?? null;
    const lines = describeEvent(
      {
        type: 'assessment_recorded',
        assessment: { edition: 'meldcode2017', risk: 'high', nature: 'n', severity: 's', can_protect: 'no', reasoning: 'r' },
        basis: { signals: 2, counter_indications: 0, consultations: 1, gaps: ['veilig_thuis_advice', 'risk_index_considered'] },
        outcome: 'report_required',
        instrument: { name: 'LIRIK', outcome: 'Hoog risico' },
      } as never,
      tr2,
    );
    expect(lines).toContainEqual({ label: 'field.gaps', text: 'advies van Veilig Thuis, besluit over de Verwijsindex' });
    expect(lines).toContainEqual({ label: 'field.instrument', text: 'LIRIK: Hoog risico' });
    expect(lines.map((l) => l.label)).not.toContain('field.signals');
    const none = describeEvent({ type: 'assessment_recorded', basis: { signals: 1, gaps: [] }, outcome: 'help_possible' } as never, tr2);
    expect(none.map((l) => l.label)).toEqual(['field.outcome']);
  });

  it('name the help plan a record is about, not its id', () => {
    const ref = (id: string) => (id === 'e-plan' ? '20 november 2026: Schoolmaatschappelijk werk' : null);
    const lines = describeEvent({ type: 'help_reach_checked', plan: 'e-plan', reached: true, notes: 'n', checked_at: '2026-11-30T09:00:00Z' } as never, tr, undefined, ref);
    expect(lines[0]).toEqual({ label: 'field.plan', text: '20 november 2026: Schoolmaatschappelijk werk' });
    expect(lines[1]).toEqual({ label: 'field.reached', text: 'Ja' });
    expect(describeEvent({ type: 'staff_suspected', staff_user: 'u9', staff_name: 'Ruud Kok', note: 'n' } as never, tr).map((l) => l.text)).toEqual(['Ruud Kok', 'n']);
  });

  it('label a field by its kind of record where it reads differently', () => {
    const tr2 = (k: string) => (k === 'record_field.child_conversation_recorded.record' ? 'Gezien en afgesproken' : null);
    const lines = describeEvent({ type: 'child_conversation_recorded', record: 'r', child_words: 'Ik wil niet naar huis.' } as never, tr2);
    expect(lines).toEqual([
      { label: 'record_field.child_conversation_recorded.record', text: 'r' },
      { label: 'field.child_words', text: 'Ik wil niet naar huis.', as: 'words' },
    ]);
    expect(describeEvent({ type: 'parent_conversation_recorded', record: 'r' } as never, tr2)).toEqual([{ label: 'field.record', text: 'r' }]);
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
