// The texts of the end of a dossier (R15 retention), in Dutch and English: the prompt on the
// home screen for the case lead, and its confirmation. Loaded with that prompt's own chunk.
import { addTexts } from './index.svelte';

const nl = {
  destruction: {
    title: 'Bewaartermijn verstreken',
    intro_one: 'Van 1 afgesloten dossier is de bewaartermijn verstreken. De AVG vraagt het nu te vernietigen.',
    intro_other: 'Van {{count}} afgesloten dossiers is de bewaartermijn verstreken. De AVG vraagt ze nu te vernietigen.',
    kept_until: 'Bewaard tot en met {{date}}',
    destroy: 'Vernietigen…',
    confirm_title: 'Dossier van {{name}} vernietigen',
    confirm_text:
      'Alles wat in dit dossier staat verdwijnt, op dit apparaat, op de andere apparaten van school en op de schoolserver. Dit kan niet ongedaan worden gemaakt. Er blijft alleen een aantekening over: welk dossier, wanneer, door wie en waarom, zonder naam of inhoud.',
    reason: 'Waarom',
    reason_default: 'De bewaartermijn is verstreken.',
    pin: 'Uw pincode, ter bevestiging',
    confirm: 'Definitief vernietigen',
    cancel: 'Niet vernietigen',
    done: 'Het dossier is vernietigd.',
  },
};

// Same keys as the Dutch (the type checker holds it to that).
const en: typeof nl = {
  destruction: {
    title: 'Retention period over',
    intro_one: 'The retention period of 1 closed case is over. The GDPR asks for it to be destroyed now.',
    intro_other: 'The retention period of {{count}} closed cases is over. The GDPR asks for them to be destroyed now.',
    kept_until: 'Kept until {{date}}',
    destroy: 'Destroy…',
    confirm_title: "Destroy {{name}}'s case",
    confirm_text:
      "Everything in this case disappears, on this device, on the school's other devices and on the school server. This cannot be undone. Only a note remains: which case, when, by whom and why, without a name or content.",
    reason: 'Why',
    reason_default: 'The retention period is over.',
    pin: 'Your PIN, to confirm',
    confirm: 'Destroy for good',
    cancel: 'Do not destroy',
    done: 'The case has been destroyed.',
  },
};

export const RETENTION_DICTIONARIES = { nl, en };

addTexts(RETENTION_DICTIONARIES);
