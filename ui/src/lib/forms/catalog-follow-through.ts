// Records around the main steps: why Veilig Thuis was not asked for advice, the care team's
// intake, another cause found, the help plan shared and the family reaching the help, the
// parents told after a report, and the evaluation with those involved.
import { choice, date, instant, names, opt, str, type FormSpec } from './spec';
import { helpPlans, yesNo } from './options';

export const FOLLOW_THROUGH_FORMS: FormSpec[] = [
  {
    kind: 'record_advice_skipped',
    fields: () => [{ name: 'reason', type: 'textarea' }],
    build: (v) => ({ type: 'record_advice_skipped', reason: str(v, 'reason') }),
  },
  {
    kind: 'record_care_team_intake',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      { name: 'intake_by', type: 'text' },
      { name: 'participants', type: 'names' },
      { name: 'notes', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_care_team_intake',
      held_at: instant(v, 'held_at'),
      intake_by: str(v, 'intake_by'),
      participants: names(v, 'participants'),
      notes: str(v, 'notes'),
    }),
  },
  {
    kind: 'record_other_cause',
    fields: () => [
      { name: 'found_at', type: 'datetime' },
      { name: 'cause', type: 'textarea' },
      { name: 'how_found', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_other_cause',
      found_at: instant(v, 'found_at'),
      cause: str(v, 'cause'),
      how_found: str(v, 'how_found'),
    }),
  },
  {
    kind: 'share_help_plan',
    fields: () => [
      { name: 'plan', type: 'select', options: helpPlans },
      { name: 'shared_at', type: 'datetime' },
      { name: 'shared_with', type: 'names' },
      { name: 'reaction', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'share_help_plan',
      plan: choice(v, 'plan'),
      shared_at: instant(v, 'shared_at'),
      shared_with: names(v, 'shared_with'),
      reaction: str(v, 'reaction'),
    }),
  },
  {
    kind: 'check_help_reached',
    fields: () => [
      { name: 'plan', type: 'select', options: helpPlans },
      { name: 'checked_at', type: 'datetime' },
      { name: 'reached', type: 'radio', options: yesNo },
      { name: 'notes', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'check_help_reached',
      plan: choice(v, 'plan'),
      checked_at: instant(v, 'checked_at'),
      reached: choice(v, 'reached') === 'yes',
      notes: str(v, 'notes'),
    }),
  },
  {
    kind: 'inform_parents_of_report',
    fields: () => [
      { name: 'informed_at', type: 'datetime' },
      { name: 'informed', type: 'names' },
      { name: 'how', type: 'text' },
      { name: 'reaction', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'inform_parents_of_report',
      informed_at: instant(v, 'informed_at'),
      informed: names(v, 'informed'),
      how: str(v, 'how'),
      reaction: str(v, 'reaction'),
    }),
  },
  {
    kind: 'record_evaluation',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      { name: 'participants', type: 'names' },
      { name: 'went_well', type: 'textarea' },
      { name: 'to_improve', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_evaluation',
      held_at: instant(v, 'held_at'),
      participants: names(v, 'participants'),
      went_well: str(v, 'went_well'),
      to_improve: str(v, 'to_improve'),
    }),
  },
  {
    // Also on a closed case: the day starts the retention period (R15, AVG).
    kind: 'record_pupil_left',
    fields: () => [
      { name: 'left_on', type: 'date' },
      { name: 'note', type: 'textarea', optional: true },
    ],
    build: (v) => ({
      type: 'record_pupil_left',
      left_on: date(v, 'left_on'),
      note: opt(v, 'note'),
    }),
  },
];
