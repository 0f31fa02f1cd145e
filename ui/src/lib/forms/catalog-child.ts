// What the child itself says: a conversation with the child, and the child telling (a
// disclosure). The child's own words are kept apart from the staff's account (R1).
import { instant, names, opt, str, type FormSpec } from './spec';
import { myName } from './options';

export const CHILD_FORMS: FormSpec[] = [
  {
    kind: 'record_disclosure',
    fields: () => [
      { name: 'disclosed_at', type: 'datetime' },
      { name: 'told_to', type: 'text', initial: myName },
      { name: 'circumstances', type: 'textarea' },
      { name: 'child_words', type: 'textarea' },
      { name: 'response', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_disclosure',
      disclosed_at: instant(v, 'disclosed_at'),
      told_to: str(v, 'told_to'),
      circumstances: str(v, 'circumstances'),
      // Literal: only the ends are trimmed, nothing inside is changed.
      child_words: str(v, 'child_words'),
      response: str(v, 'response'),
    }),
  },
  {
    kind: 'record_child_conversation',
    fields: () => [
      { name: 'held_at', type: 'datetime' },
      { name: 'staff_present', type: 'names', initial: myName },
      { name: 'occasion', type: 'textarea' },
      { name: 'child_words', type: 'textarea', optional: true },
      { name: 'record', type: 'textarea' },
    ],
    build: (v) => ({
      type: 'record_child_conversation',
      held_at: instant(v, 'held_at'),
      staff_present: names(v, 'staff_present'),
      occasion: str(v, 'occasion'),
      child_words: opt(v, 'child_words'),
      record: str(v, 'record'),
    }),
  },
];
