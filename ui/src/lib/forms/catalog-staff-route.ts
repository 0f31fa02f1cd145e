// The board's route when a staff member is suspected (R2, WPO art. 4a): it informs the pupil's
// parents and the staff member, and decides on a police report. The engine offers these only in
// a staff case, and only to the board.
import { choice, instant, names, opt, options, str, type Field, type FormContext, type FormSpec, type Values } from './spec';
import { myName, suspectedStaffName } from './options';

const informedFields = (who?: (ctx: FormContext) => string): Field[] => [
  { name: 'informed_at', type: 'datetime' },
  { name: 'informed', type: 'names', ...(who ? { initial: who } : {}) },
  { name: 'informed_by', type: 'text', initial: myName },
  { name: 'how', type: 'text' },
  { name: 'notes', type: 'textarea' },
];

const informed = (v: Values) => ({
  informed_at: instant(v, 'informed_at'),
  informed: names(v, 'informed'),
  informed_by: str(v, 'informed_by'),
  how: str(v, 'how'),
  notes: str(v, 'notes'),
});

export const STAFF_ROUTE_FORMS: FormSpec[] = [
  {
    kind: 'inform_parents_of_staff_case',
    fields: () => informedFields(),
    build: (v) => ({ type: 'inform_parents_of_staff_case', ...informed(v) }),
  },
  {
    kind: 'inform_suspected_staff',
    fields: () => informedFields(suspectedStaffName),
    build: (v) => ({ type: 'inform_suspected_staff', ...informed(v) }),
  },
  {
    kind: 'record_police_report_decision',
    fields: () => [
      { name: 'decided_at', type: 'datetime' },
      { name: 'made', type: 'radio', options: options('value.police', ['made', 'not_made']) },
      { name: 'reasoning', type: 'textarea' },
      { name: 'reference', type: 'text', optional: true, showIf: (v) => v.made === 'made' },
    ],
    build: (v) => {
      const made = choice(v, 'made') === 'made';
      return {
        type: 'record_police_report_decision',
        decided_at: instant(v, 'decided_at'),
        made,
        reasoning: str(v, 'reasoning'),
        reference: made ? opt(v, 'reference') : null,
      };
    },
  },
];
