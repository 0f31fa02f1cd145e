// The school log's texts, in Dutch and English. Only the director and the board ever see them, so
// they travel with the settings' chunk instead of the first one (which has to stay under its
// size goal); importing this module merges them into the dictionaries.
import { addTexts } from './index.svelte';

const nl = {
  school_log: {
    title: 'Logboek van de school',
    intro: 'Elke wijziging aan een account en elk vernietigd dossier staat hier en kan niet worden gewist.',
    open: 'Logboek bekijken',
    empty: 'Er staat nog niets in het logboek.',
    user_added: 'voegde {{name}} toe als {{role}}',
    user_removed: 'verwijderde {{name}}',
    pin_reset: 'stelde een nieuwe pincode in voor {{name}}',
    role_changed: 'gaf {{name}} de rol {{role}}',
    user_assigned: 'liet {{name}} ook op een ander apparaat werken',
    pin_changed: 'koos een nieuwe pincode',
    user_unassigned: 'haalde {{name}} van een apparaat',
    case_destroyed: 'vernietigde een dossier van {{records}} records, te bewaren tot en met {{until}}. Reden: {{reason}}',
    // A kind this version does not know yet (a newer core), or one without its role.
    other: 'wijzigde het account van {{name}}',
    with_recovery_key: 'met de herstelsleutel',
    unknown_person: 'onbekende gebruiker',
  },
};

// Same keys as the Dutch (the type checker holds it to that).
const en: typeof nl = {
  school_log: {
    title: 'School log',
    intro: 'Every change to an account and every destroyed case is listed here and cannot be erased.',
    open: 'View the log',
    empty: 'Nothing has been logged yet.',
    user_added: 'added {{name}} as {{role}}',
    user_removed: 'removed {{name}}',
    pin_reset: 'set a new PIN for {{name}}',
    role_changed: 'gave {{name}} the role {{role}}',
    user_assigned: 'let {{name}} work on another device too',
    pin_changed: 'chose a new PIN',
    user_unassigned: 'took {{name}} off a device',
    case_destroyed: 'destroyed a case of {{records}} records, to be kept until {{until}}. Reason: {{reason}}',
    other: 'changed the account of {{name}}',
    with_recovery_key: 'with the recovery key',
    unknown_person: 'unknown user',
  },
};

export const SCHOOL_LOG_DICTIONARIES = { nl, en };

addTexts(SCHOOL_LOG_DICTIONARIES);
