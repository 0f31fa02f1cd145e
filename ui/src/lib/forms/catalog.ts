// Every guided form of the case screen. The main route's forms are here, in the order of the
// code's steps; the records around them are in the catalog-* files, by concern.
import type { CaseOutcome } from '../bindings/CaseOutcome';
import type { Command } from '../bindings/Command';
import {
  bool,
  choice,
  date,
  dates,
  instant,
  names,
  opt,
  optDate,
  options,
  str,
  type FormContext,
  type FormSpec,
  type ObjectionValue,
  type SignatureValue,
  type Values,
} from './spec';
import { colleagues, day, helpPlans, isStaffCase, yesNo } from './options';
import { conversationSigners } from './signers';
import { CHILD_FORMS } from './catalog-child';
import { STAFF_ROUTE_FORMS } from './catalog-staff-route';
import { FOLLOW_THROUGH_FORMS } from './catalog-follow-through';

const PARTNERS = [
  'coordinator',
  'attention_officer',
  'director',
  'class_colleague',
  'youth_health_care',
  'care_team',
  'youth_and_family_centre',
  'confidential_inspector',
  'other_external_expert',
] as const;
const SCOPES = ['care_team', 'youth_health_care', 'youth_and_family_centre', 'other_external_experts'] as const;
const URGENT = ['female_genital_mutilation', 'honour_related_violence'] as const;
const OUTCOMES = ['unfounded', 'other_cause_found', 'help_in_place', 'reported_and_handed_over'] as const;

/** The risk-assessment instrument, when the school used one: both fields empty means none. */
function instrument(v: Values): { name: string; outcome: string } | null {
  const name = str(v, 'instrument_name');
  const outcome = str(v, 'instrument_outcome');
  return name || outcome ? { name, outcome } : null;
}

const instrumentFields = [
  { name: 'instrument_name', type: 'text', optional: true },
  { name: 'instrument_outcome', type: 'textarea', optional: true },
] as const;

const MAIN_FORMS: FormSpec[] = [
  {
    kind: 'record_consultation',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      { name: 'partner', type: 'select', options: options('value.partner', PARTNERS) },
      { name: 'partner_name', type: 'text' },
      { name: 'anonymous', type: 'checkbox' },
      { name: 'summary', type: 'textarea' },
      { name: 'advice', type: 'textarea', optional: true },
    ],
    build: (v) => ({
      type: 'record_consultation',
      held_at: instant(v, 'held_at'),
      partner: choice(v, 'partner'),
      partner_name: str(v, 'partner_name'),
      anonymous: bool(v, 'anonymous'),
      summary: str(v, 'summary'),
      advice: opt(v, 'advice'),
    }),
  },
  {
    kind: 'request_advice',
    fields: () => [
      { name: 'asked_at', type: 'datetime' },
      { name: 'anonymous', type: 'checkbox' },
      { name: 'question', type: 'textarea' },
      { name: 'advice_given', type: 'textarea' },
      { name: 'reference', type: 'text', optional: true },
    ],
    build: (v) => ({
      type: 'request_advice',
      asked_at: instant(v, 'asked_at'),
      anonymous: bool(v, 'anonymous'),
      question: str(v, 'question'),
      advice_given: str(v, 'advice_given'),
      reference: opt(v, 'reference'),
    }),
  },
  {
    kind: 'record_consent',
    fields: () => [
      { name: 'asked_at', type: 'datetime' },
      { name: 'parent_name', type: 'text' },
      { name: 'scopes', type: 'checks', options: options('value.scope', SCOPES) },
      { name: 'granted', type: 'radio', options: yesNo },
      { name: 'written', type: 'checkbox' },
      { name: 'note', type: 'textarea', optional: true },
    ],
    build: (v) => ({
      type: 'record_consent',
      asked_at: instant(v, 'asked_at'),
      parent_name: str(v, 'parent_name'),
      scopes: (v.scopes as (typeof SCOPES)[number][]) ?? [],
      granted: choice(v, 'granted') === 'yes',
      written: bool(v, 'written'),
      note: opt(v, 'note'),
    }),
  },
  {
    kind: 'consider_risk_index',
    fields: () => [
      { name: 'choice', type: 'radio', options: options('value.risk_index', ['registered', 'not_registered', 'school_not_connected']) },
      { name: 'registered_on', type: 'date', showIf: (v) => v.choice === 'registered' },
      { name: 'follow_up_on', type: 'date', optional: true, showIf: (v) => v.choice === 'registered' },
      { name: 'reasoning', type: 'textarea' },
    ],
    build: (v) => {
      const registered = choice(v, 'choice') === 'registered';
      return {
        type: 'consider_risk_index',
        choice: choice(v, 'choice'),
        reasoning: str(v, 'reasoning'),
        registered_on: registered ? date(v, 'registered_on') : null,
        follow_up_on: registered ? optDate(v, 'follow_up_on') : null,
      };
    },
  },
  {
    kind: 'record_parent_conversation',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      { name: 'parents_present', type: 'names' },
      { name: 'staff_present', type: 'names' },
      { name: 'purpose_explained', type: 'textarea' },
      { name: 'facts_described', type: 'textarea' },
      { name: 'parent_reaction', type: 'textarea' },
      { name: 'interpretation', type: 'textarea', optional: true },
      { name: 'record', type: 'textarea' },
      { name: 'other_cause_found', type: 'checkbox' },
      { name: 'other_cause', type: 'textarea', showIf: (v) => v.other_cause_found === true },
      { name: 'urgent_suspicion', type: 'select', optional: true, options: options('value.urgent', URGENT) },
      { name: 'signatures', type: 'signatures', signers: conversationSigners },
    ],
    build: (v) => ({
      type: 'record_parent_conversation',
      held_at: instant(v, 'held_at'),
      parents_present: names(v, 'parents_present'),
      staff_present: names(v, 'staff_present'),
      purpose_explained: str(v, 'purpose_explained'),
      facts_described: str(v, 'facts_described'),
      parent_reaction: str(v, 'parent_reaction'),
      interpretation: opt(v, 'interpretation'),
      record: str(v, 'record'),
      other_cause_found: bool(v, 'other_cause_found'),
      other_cause: bool(v, 'other_cause_found') ? opt(v, 'other_cause') : null,
      urgent_suspicion: (opt(v, 'urgent_suspicion') as (typeof URGENT)[number] | null) ?? null,
      signatures: ((v.signatures as SignatureValue[]) ?? [])
        // A slot added by hand and left empty is not a signature.
        .filter((s) => !s.extra || s.signer_name.trim() || s.drawing || s.not_signed_reason.trim())
        .map((s) => ({
          signer_name: s.signer_name.trim(),
          signer_role: s.signer_role.trim(),
          drawing: s.drawing || null,
          not_signed_reason: s.drawing ? null : s.not_signed_reason.trim() || null,
        })),
    }),
  },
  {
    kind: 'record_exception_ground',
    fields: () => [
      { name: 'stage', type: 'radio', options: options('value.stage', ['parent_conversation', 'report_discussion']) },
      { name: 'ground', type: 'radio', options: options('value.ground', ['safety_at_stake', 'parent_would_break_contact']) },
      { name: 'explanation', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_exception_ground',
      stage: choice(v, 'stage'),
      ground: choice(v, 'ground'),
      explanation: str(v, 'explanation'),
    }),
  },
  {
    kind: 'raise_urgent_flag',
    fields: () => [
      { name: 'kind', type: 'radio', options: options('value.urgent', URGENT) },
      { name: 'reason', type: 'textarea' },
    ],
    build: (v) => ({ type: 'raise_urgent_flag', kind: choice(v, 'kind'), reason: str(v, 'reason') }),
  },
  {
    kind: 'declare_emergency',
    fields: () => [
      { name: 'declared_at', type: 'datetime' },
      { name: 'danger', type: 'textarea' },
    ],
    build: (v) => ({ type: 'declare_emergency', declared_at: instant(v, 'declared_at'), danger: str(v, 'danger') }),
  },
  {
    kind: 'record_emergency_call',
    fields: () => [
      { name: 'called_at', type: 'datetime' },
      { name: 'service', type: 'radio', options: options('value.service', ['veilig_thuis', 'crisis_service', 'police']) },
      { name: 'summary', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_emergency_call',
      called_at: instant(v, 'called_at'),
      service: choice(v, 'service'),
      summary: str(v, 'summary'),
    }),
  },
  {
    kind: 'suspect_staff',
    fields: () => [
      { name: 'staff_user', type: 'select', options: colleagues },
      { name: 'note', type: 'textarea' },
    ],
    build: (v, ctx) => {
      const id = choice<string>(v, 'staff_user');
      return {
        type: 'suspect_staff',
        staff_user: id,
        staff_name: ctx.users.find((u) => u.id === id)?.full_name ?? '',
        note: str(v, 'note'),
      };
    },
  },
  {
    kind: 'record_board_informed',
    fields: () => [
      { name: 'informed_at', type: 'datetime' },
      { name: 'board_member', type: 'text' },
      { name: 'how', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_board_informed',
      informed_at: instant(v, 'informed_at'),
      board_member: str(v, 'board_member'),
      how: str(v, 'how'),
    }),
  },
  {
    kind: 'record_assessment',
    fields: (ctx) =>
      caseEdition(ctx) === 'meldcode2017'
        ? [
            { name: 'risk', type: 'radio', options: options('value.risk', ['low', 'moderate', 'high']) },
            { name: 'nature', type: 'textarea' },
            { name: 'severity', type: 'textarea' },
            { name: 'can_protect', type: 'radio', options: options('value', ['yes', 'no', 'doubt']) },
            ...instrumentFields,
            { name: 'reasoning', type: 'textarea' },
          ]
        : [
            { name: 'q1_suspicion', type: 'radio', options: yesNo },
            { name: 'q2_unsafety', type: 'radio', options: options('value', ['yes', 'no', 'doubt']), showIf: (v) => v.q1_suspicion === 'yes' },
            { name: 'q3_help_possible', type: 'radio', options: yesNo, showIf: (v) => v.q1_suspicion === 'yes' && v.q2_unsafety === 'no' },
            { name: 'q4_help_accepted', type: 'radio', options: yesNo, showIf: (v) => v.q3_help_possible === 'yes' && v.q2_unsafety === 'no' },
            ...instrumentFields,
            { name: 'reasoning', type: 'textarea' },
          ],
    build: (v, ctx): Command => {
      if (caseEdition(ctx) === 'meldcode2017') {
        return {
          type: 'record_assessment',
          assessment: {
            edition: 'meldcode2017',
            risk: choice(v, 'risk'),
            nature: str(v, 'nature'),
            severity: str(v, 'severity'),
            can_protect: choice(v, 'can_protect'),
            reasoning: str(v, 'reasoning'),
          },
          instrument: instrument(v),
        };
      }
      const yes = (name: string) => (str(v, name) ? str(v, name) === 'yes' : null);
      const q1 = choice(v, 'q1_suspicion') === 'yes';
      const q2 = q1 ? ((opt(v, 'q2_unsafety') as 'yes' | 'no' | 'doubt' | null) ?? null) : null;
      const q3 = q2 === 'no' ? yes('q3_help_possible') : null;
      return {
        type: 'record_assessment',
        assessment: {
          edition: 'afwegingskader2019',
          q1_suspicion: q1,
          q2_unsafety: q2,
          q3_help_possible: q3,
          q4_help_accepted: q3 === true ? yes('q4_help_accepted') : null,
          reasoning: str(v, 'reasoning'),
        },
        instrument: instrument(v),
      };
    },
  },
  {
    kind: 'record_decision',
    fields: () => [
      { name: 'decision', type: 'radio', options: options('value.decision', ['report', 'help', 'report_and_help', 'neither']) },
      { name: 'reasoning', type: 'textarea' },
    ],
    build: (v) => {
      const d = choice(v, 'decision');
      return {
        type: 'record_decision',
        report: d === 'report' || d === 'report_and_help',
        organise_help: d === 'help' || d === 'report_and_help',
        reasoning: str(v, 'reasoning'),
      };
    },
  },
  {
    kind: 'start_help_plan',
    fields: () => [
      { name: 'description', type: 'textarea' },
      { name: 'case_manager', type: 'text' },
      { name: 'agreements', type: 'textarea' },
      { name: 'effect_due', type: 'date' },
      { name: 'reviews', type: 'dates' },
    ],
    build: (v) => ({
      type: 'start_help_plan',
      description: str(v, 'description'),
      case_manager: str(v, 'case_manager'),
      agreements: str(v, 'agreements'),
      effect_due: date(v, 'effect_due'),
      reviews: dates(v, 'reviews'),
    }),
  },
  {
    kind: 'review_help',
    fields: () => [
      { name: 'plan', type: 'select', options: helpPlans },
      { name: 'held_at', type: 'datetime' },
      { name: 'effect', type: 'radio', options: options('value.effect', ['improving', 'insufficient', 'concerns_continue']) },
      { name: 'notes', type: 'textarea' },
      { name: 'next_review', type: 'date', optional: true },
    ],
    build: (v) => ({
      type: 'review_help',
      plan: choice(v, 'plan'),
      held_at: instant(v, 'held_at'),
      effect: choice(v, 'effect'),
      notes: str(v, 'notes'),
      next_review: optDate(v, 'next_review'),
    }),
  },
  {
    kind: 'end_help_plan',
    fields: () => [
      { name: 'plan', type: 'select', options: helpPlans },
      { name: 'lasting_safety', type: 'checkbox' },
      { name: 'monitoring', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'end_help_plan',
      plan: choice(v, 'plan'),
      lasting_safety: bool(v, 'lasting_safety'),
      monitoring: str(v, 'monitoring'),
    }),
  },
  {
    kind: 'record_report_discussion',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      // The parent always takes part (R12); the pupil of 12 or older may join, never instead.
      { name: 'with_parent', type: 'checkbox', initial: true },
      { name: 'with_pupil', type: 'checkbox' },
      { name: 'participants', type: 'names' },
      { name: 'explanation', type: 'textarea' },
      { name: 'reaction', type: 'textarea' },
      { name: 'objections', type: 'objections' },
      { name: 'objections_weighed', type: 'textarea', optional: true },
    ],
    build: (v) => ({
      type: 'record_report_discussion',
      held_at: instant(v, 'held_at'),
      with_parent: bool(v, 'with_parent'),
      with_pupil: bool(v, 'with_pupil'),
      participants: names(v, 'participants'),
      explanation: str(v, 'explanation'),
      reaction: str(v, 'reaction'),
      objections: ((v.objections as ObjectionValue[]) ?? [])
        .map((o) => ({ objection: o.objection.trim(), how_met: o.how_met.trim() }))
        .filter((o) => o.objection || o.how_met),
      objections_weighed: opt(v, 'objections_weighed'),
    }),
  },
  {
    kind: 'make_report',
    fields: () => [
      { name: 'reported_at', type: 'datetime' },
      { name: 'facts', type: 'textarea' },
      { name: 'from_others', type: 'textarea', optional: true },
      { name: 'school_will_do', type: 'textarea' },
      { name: 'vt_reference', type: 'text', optional: true },
    ],
    build: (v) => ({
      type: 'make_report',
      reported_at: instant(v, 'reported_at'),
      facts: str(v, 'facts'),
      from_others: opt(v, 'from_others'),
      school_will_do: str(v, 'school_will_do'),
      vt_reference: opt(v, 'vt_reference'),
    }),
  },
  {
    kind: 'record_follow_up',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      { name: 'with_veilig_thuis', type: 'checkbox' },
      { name: 'improvement', type: 'radio', options: options('value.improvement', ['sufficient', 'insufficient', 'worse']) },
      { name: 'notes', type: 'textarea' },
      { name: 'next_follow_up', type: 'date', optional: true },
    ],
    build: (v) => ({
      type: 'record_follow_up',
      held_at: instant(v, 'held_at'),
      with_veilig_thuis: bool(v, 'with_veilig_thuis'),
      improvement: choice(v, 'improvement'),
      notes: str(v, 'notes'),
      next_follow_up: optDate(v, 'next_follow_up'),
    }),
  },
  {
    kind: 'involve_colleague',
    fields: () => [{ name: 'user', type: 'select', options: colleagues }],
    build: (v) => ({ type: 'involve_colleague', user: choice(v, 'user') }),
  },
  {
    kind: 'correct_record',
    fields: () => [
      {
        name: 'corrects',
        type: 'select',
        options: (ctx) =>
          ctx.view.events
            .filter((e) => e.payload.type !== 'record_corrected')
            .map((e) => ({ value: e.id, label: `event.${e.payload.type}`, detail: day(e.occurred_at) })),
      },
      { name: 'reason', type: 'textarea' },
      { name: 'corrected_text', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'correct_record',
      corrects: choice(v, 'corrects'),
      reason: str(v, 'reason'),
      corrected_text: str(v, 'corrected_text'),
    }),
  },
  {
    kind: 'close_case',
    fields: () => [
      {
        name: 'outcome',
        type: 'radio',
        options: (ctx) => options('value.outcome', isStaffCase(ctx) ? [...OUTCOMES, 'staff_route_completed'] : OUTCOMES)(),
      },
      { name: 'reasoning', type: 'textarea' },
      { name: 'no_vt_answer_reason', type: 'textarea', optional: true, showIf: (v) => v.outcome === 'reported_and_handed_over' },
    ],
    build: (v) => {
      const outcome = choice<CaseOutcome>(v, 'outcome');
      return {
        type: 'close_case',
        outcome,
        reasoning: str(v, 'reasoning'),
        no_vt_answer_reason: outcome === 'reported_and_handed_over' ? opt(v, 'no_vt_answer_reason') : null,
      };
    },
  },
];

/** The edition this dossier weighs in: that of its first weighing (a dossier started under the
 * 2017 code keeps it, as the engine does), otherwise the school's. */
export function caseEdition(ctx: FormContext): 'meldcode2017' | 'afwegingskader2019' {
  const first = ctx.view.events.find((e) => e.payload.type === 'assessment_recorded');
  if (first && first.payload.type === 'assessment_recorded') return first.payload.assessment.edition;
  return ctx.profile.edition;
}

export const FORMS: FormSpec[] = [...MAIN_FORMS, ...CHILD_FORMS, ...STAFF_ROUTE_FORMS, ...FOLLOW_THROUGH_FORMS];

export function formFor(kind: string): FormSpec | undefined {
  return FORMS.find((f) => f.kind === kind);
}

export type { Values };
