// Case views for the mock backend: events kept in memory, with the engine's role split (R14)
// and the board's route offered only in a staff case (R2), and a plain check for empty
// required text, so the screens can be walked without the core.
import { BackendError } from './backend';
import type { CaseView } from '../bindings/CaseView';
import type { Conflict } from '../bindings/Conflict';
import type { Command } from '../bindings/Command';
import type { Envelope } from '../bindings/Envelope';
import type { EventPayload } from '../bindings/EventPayload';
import type { Role } from '../bindings/Role';
import type { CaseListItem } from '../bindings/CaseListItem';
import type { User } from '../bindings/User';

// As crates/engine/src/rules/r14_roles.rs LEAD_ONLY and STAFF_ROUTE.
const LEAD_ONLY = new Set([
  'consider_risk_index',
  'record_exception_ground',
  'record_assessment',
  'record_decision',
  'start_help_plan',
  'end_help_plan',
  'record_report_discussion',
  'record_follow_up',
  'involve_colleague',
  'close_case',
  'make_report',
  'inform_parents_of_staff_case',
  'inform_suspected_staff',
  'record_police_report_decision',
  'record_other_cause',
  'record_advice_skipped',
  'inform_parents_of_report',
  'record_evaluation',
  'record_pupil_left',
]);
// As crates/engine/src/rules/r11_offline_conflict.rs: nothing is built on an open conflict.
const BUILDS_ON_IT = new Set(['record_assessment', 'record_decision', 'start_help_plan', 'make_report', 'close_case']);
const STAFF_ROUTE = new Set(['inform_parents_of_staff_case', 'inform_suspected_staff', 'record_police_report_decision']);

/** As crates/engine/src/command.rs KINDS, without `open_case`. */
export const COMMAND_KINDS = [
  'record_signal', 'involve_colleague', 'raise_urgent_flag', 'suspect_staff', 'record_board_informed',
  'declare_emergency', 'record_emergency_call', 'record_consultation', 'request_advice', 'record_consent',
  'consider_risk_index', 'record_parent_conversation', 'record_exception_ground', 'record_assessment',
  'record_decision', 'start_help_plan', 'review_help', 'end_help_plan', 'record_report_discussion',
  'make_report', 'record_follow_up', 'correct_record', 'close_case',
  'record_child_conversation', 'record_disclosure', 'inform_parents_of_staff_case', 'inform_suspected_staff',
  'record_police_report_decision', 'record_other_cause', 'record_advice_skipped', 'record_care_team_intake',
  'share_help_plan', 'check_help_reached', 'inform_parents_of_report', 'record_evaluation',
  'record_pupil_left',
];

/** The event each command records (its payload in the mock is the command's own fields). */
export const EVENT_OF: Record<string, string> = {
  record_signal: 'signal_recorded',
  involve_colleague: 'colleague_involved',
  raise_urgent_flag: 'urgent_flag_raised',
  suspect_staff: 'staff_suspected',
  record_board_informed: 'board_informed',
  declare_emergency: 'emergency_declared',
  record_emergency_call: 'emergency_call_made',
  record_consultation: 'consultation_recorded',
  request_advice: 'advice_requested',
  record_consent: 'consent_recorded',
  consider_risk_index: 'risk_index_considered',
  record_parent_conversation: 'parent_conversation_recorded',
  record_exception_ground: 'exception_ground_recorded',
  record_assessment: 'assessment_recorded',
  record_decision: 'decision_recorded',
  start_help_plan: 'help_plan_started',
  review_help: 'help_reviewed',
  end_help_plan: 'help_plan_ended',
  record_report_discussion: 'report_discussed',
  make_report: 'report_made',
  record_follow_up: 'follow_up_recorded',
  correct_record: 'record_corrected',
  close_case: 'case_closed',
  record_child_conversation: 'child_conversation_recorded',
  record_disclosure: 'disclosure_recorded',
  inform_parents_of_staff_case: 'staff_case_parents_informed',
  inform_suspected_staff: 'suspected_staff_informed',
  record_police_report_decision: 'police_report_decided',
  record_other_cause: 'other_cause_recorded',
  record_advice_skipped: 'advice_skipped',
  record_care_team_intake: 'care_team_intake_held',
  share_help_plan: 'help_plan_shared',
  check_help_reached: 'help_reach_checked',
  inform_parents_of_report: 'parents_informed_of_report',
  record_evaluation: 'case_evaluated',
  record_pupil_left: 'pupil_left_school',
  resolve_conflict: 'conflict_resolved',
};

const OPTIONAL = new Set(['advice', 'reference', 'note', 'interpretation', 'objections_weighed', 'from_others', 'vt_reference', 'context_detail', 'child_words']);

let seq = 0;
const eventId = () => `01900000-0000-7000-8000-${(++seq).toString().padStart(12, '0')}`;

export interface MockCase {
  item: CaseListItem;
  events: Envelope[];
  /** Records made apart on two devices (R11), as the core folds them. */
  conflicts: Conflict[];
}

/** This device, in the mock; records of another device name theirs. */
export const THIS_DEVICE = '01900000-0000-7000-8000-00000000d001';

function envelope(caseId: string, author: User, payload: EventPayload, at: Date, device = THIS_DEVICE): Envelope {
  return {
    v: 1,
    id: eventId(),
    case_id: caseId,
    author: author.id,
    author_role: author.role,
    device_id: device,
    device_seq: seq,
    hlc: { wall_ms: at.getTime(), logical: 0 },
    occurred_at: at.toISOString(),
    recorded_at: at.toISOString(),
    payload,
  } as Envelope;
}

/** Adds a record the store makes itself (a copy of the dossier), not one from a form. */
export function appendEvent(c: MockCase, author: User, payload: EventPayload): void {
  c.events.push(envelope(c.item.case_id, author, payload, new Date()));
}

export function openedCase(item: CaseListItem, author: User, at: Date): MockCase {
  const opened = envelope(
    item.case_id,
    author,
    { type: 'case_opened', pupil: { id: eventId(), full_name: item.pupil_name, group: item.group, date_of_birth: null }, parents: [] },
    at,
  );
  const signal = envelope(
    item.case_id,
    author,
    {
      type: 'signal_recorded',
      observed_at: at.toISOString(),
      context: 'drop_off',
      facts: 'Huilde bij het brengen en wilde niet naar binnen.',
      child_words: null,
      source: { kind: 'own' },
      catalogue_codes: [],
      body_marks: [],
      indication: 'concern',
    } as EventPayload,
    at,
  );
  return { item, events: [opened, signal], conflicts: [] };
}

/** Two weighings or decisions made on two devices, neither knowing of the other (R11): `mine`
 * on this device, `theirs` on another (`device`), as sync brings them together. */
export function addConflict(
  c: MockCase,
  kind: 'decision_recorded' | 'assessment_recorded',
  mine: User,
  theirs: User,
  device: string,
  at: Date,
): Conflict {
  const payloads: EventPayload[] =
    kind === 'decision_recorded'
      ? [
          { type: 'decision_recorded', report: false, organise_help: true, reasoning: 'Moeder wil meewerken; hulp via het wijkteam, over zes weken evalueren.' },
          { type: 'decision_recorded', report: true, organise_help: true, reasoning: 'Na het tweede signaal deze week melden bij Veilig Thuis en daarnaast hulp organiseren.' },
        ]
      : [0, 1].map(
          (i) =>
            ({
              type: 'assessment_recorded',
              assessment: {
                edition: 'afwegingskader2019',
                q1_suspicion: true,
                q2_unsafety: i === 0 ? 'doubt' : 'yes',
                q3_help_possible: i === 0,
                q4_help_accepted: i === 0 ? true : null,
                reasoning: i === 0 ? 'Zorgen, maar de ouders staan open voor hulp.' : 'Het kind vertelde over geweld thuis: niet veilig genoeg.',
              },
              basis: {
                signals: 2, counter_indications: 0, consultations: 1, advice_requests: 0, parent_conversation: true,
                conversation_ground: false, consent_refused: false, vt_or_youth_health_consulted: false, urgent: [],
              },
              outcome: i === 0 ? 'help_possible' : 'report_required',
            }) as EventPayload,
        );
  const first = envelope(c.item.case_id, mine, payloads[0], at);
  const second = envelope(c.item.case_id, theirs, payloads[1], new Date(at.getTime() + 17 * 60_000), device);
  first.seen = {};
  second.seen = {};
  c.events.push(first, second);
  const conflict: Conflict = { kind, records: [first.id, second.id], resolved: null };
  c.conflicts.push(conflict);
  return conflict;
}

/** Makes `c` a staff case: a staff member (not on this device) suspected, and the board told,
 * so the board leads it (R2). */
export function makeStaffCase(c: MockCase, coordinator: User, boardMember: string, at: Date): void {
  c.events.push(
    envelope(c.item.case_id, coordinator, { type: 'staff_suspected', staff_user: eventId(), staff_name: 'Ruud Kok', note: 'Het kind noemde de gymleraar.' }, at),
    envelope(c.item.case_id, coordinator, { type: 'board_informed', informed_at: at.toISOString(), board_member: boardMember, how: 'telefonisch' }, at),
  );
  c.item.flags = ['staff_suspected'];
}

const isStaffCase = (c: MockCase) => c.events.some((e) => e.payload.type === 'staff_suspected');

function leadRole(c: MockCase): Role {
  return isStaffCase(c) ? 'board' : 'coordinator';
}

export function permitted(c: MockCase, me: User): string[] {
  // On a closed case only the lead's record that the pupil left, once (R15 retention).
  if (c.events.some((e) => e.payload.type === 'case_closed'))
    return me.role === leadRole(c) && !c.events.some((e) => e.payload.type === 'pupil_left_school') ? ['record_pupil_left'] : [];
  const kinds = COMMAND_KINDS.filter((k) => !LEAD_ONLY.has(k) || me.role === leadRole(c)).filter((k) => isStaffCase(c) || !STAFF_ROUTE.has(k));
  // Only the case lead resolves a conflict, and only while there is one (R11).
  if (me.role === leadRole(c) && c.conflicts.some((x) => !x.resolved)) kinds.push('resolve_conflict');
  return kinds;
}

export function view(c: MockCase, me: User, people: User[]): CaseView {
  return {
    summary: c.item,
    next_actions: c.item.next_action ? [c.item.next_action] : [],
    timeline: c.events.map((e) => ({
      id: e.id,
      kind: e.payload.type,
      author: e.author,
      author_role: e.author_role,
      recorded_at: e.recorded_at,
      occurred_at: e.occurred_at,
      corrected_by: c.events
        .filter((x) => x.payload.type === 'record_corrected' && 'corrects' in x.payload && x.payload.corrects === e.id)
        .map((x) => x.id),
    })),
    events: c.events,
    permitted: permitted(c, me),
    people: people.filter((p) => c.events.some((e) => e.author === p.id)),
    rules: c.item.next_action
      ? [{ id: c.item.next_action.rule, title: 'Collegiale consultatie', text: 'Bespreek de signalen met een collega of de intern begeleider.' }]
      : [],
    conflicts: c.conflicts.map((x) => ({ ...x, records: [...x.records], resolved: x.resolved && { ...x.resolved } })),
  };
}

/** The unresolved conflict a resolution is about; the core refuses one that names other records. */
function openConflict(c: MockCase, records: string[], kept: string): Conflict {
  const same = (x: Conflict) => x.records.length === records.length && x.records.every((r) => records.includes(r));
  const conflict = c.conflicts.find((x) => !x.resolved && same(x));
  if (!conflict || !records.includes(kept)) {
    throw new BackendError({
      code: 'conflict_changed',
      message: 'De tegenstrijdigheid is intussen veranderd (er kwam een vastlegging bij). Bekijk haar opnieuw.',
    });
  }
  return conflict;
}

function emptyRequired(value: unknown, key = ''): string | null {
  if (typeof value === 'string') return value.trim() || OPTIONAL.has(key) ? null : key;
  if (Array.isArray(value)) return null;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = emptyRequired(v, k);
      if (bad) return bad;
    }
  }
  return null;
}

export function record(c: MockCase, me: User, command: Command): void {
  if (!permitted(c, me).includes(command.type)) {
    throw new BackendError({ code: 'rule_violation', message: 'Deze stap is voor de intern begeleider. (R14)' });
  }
  // The child's words are optional in a conversation, never in a disclosure (R1).
  const missing = command.type === 'record_disclosure' && !command.child_words.trim() ? 'child_words' : emptyRequired(command);
  if (missing) {
    throw new BackendError({ code: 'rule_violation', message: `Vul dit in: ${missing}. (R0)` });
  }
  if (BUILDS_ON_IT.has(command.type) && c.conflicts.some((x) => !x.resolved)) {
    throw new BackendError({
      code: 'conflict_open',
      message:
        'Er zijn twee wegingen of besluiten vastgelegd op verschillende apparaten, zonder dat de een van de ander wist. Kies eerst welke geldt, met een toelichting.',
    });
  }
  const { type, ...fields } = command as { type: string } & Record<string, unknown>;
  const conflict = command.type === 'resolve_conflict' ? openConflict(c, command.records, command.kept) : null;
  const payload = { type: EVENT_OF[type], ...fields } as unknown as EventPayload;
  const e = envelope(c.item.case_id, me, payload, new Date());
  c.events.push(e);
  if (conflict) conflict.resolved = { id: e.id, by: me.id, at: e.recorded_at, kept: (fields as { kept: string }).kept, reasoning: String(fields.reasoning) };
  if (type === 'close_case') c.item.outcome = (fields.outcome as CaseListItem['outcome']) ?? null;
  // As the engine: the school profile's default of two years after leaving.
  if (type === 'record_pupil_left') c.item.retain_until = `${Number(String(fields.left_on).slice(0, 4)) + 2}${String(fields.left_on).slice(4)}`;
}
