// The reminders' texts, in Dutch and English: the switch in the settings and the coordinator's
// digest on the home screen. Both are loaded on demand (the settings' chunk, the digest's own),
// so the first chunk carries none of them; importing this module merges them in.
import { addTexts } from './index.svelte';

const nl = {
  reminders: {
    setting: 'Herinneringen geven',
    setting_hint:
      'Eén keer per dag een melding van het systeem als een dossier een stap vraagt of te laat is. Alleen aantallen, nooit een naam.',
    digest_title: 'Vandaag',
    due_today_one: '1 dossier vraagt vandaag een stap.',
    due_today_other: '{{count}} dossiers vragen vandaag een stap.',
    overdue_one: '1 dossier is een stap te laat.',
    overdue_other: '{{count}} dossiers zijn een stap te laat.',
    digest_hint: 'De dossiers staan hieronder, wat te laat is bovenaan.',
    seen: 'Gezien',
  },
};

// Same keys as the Dutch (the type checker holds it to that).
const en: typeof nl = {
  reminders: {
    setting: 'Give reminders',
    setting_hint:
      'Once a day a system notification when a case needs a step or is behind. Counts only, never a name.',
    digest_title: 'Today',
    due_today_one: '1 case needs a step today.',
    due_today_other: '{{count}} cases need a step today.',
    overdue_one: '1 case is a step behind.',
    overdue_other: '{{count}} cases are a step behind.',
    digest_hint: 'The cases are listed below, overdue ones first.',
    seen: 'Seen',
  },
};

export const REMINDER_DICTIONARIES = { nl, en };

addTexts(REMINDER_DICTIONARIES);
