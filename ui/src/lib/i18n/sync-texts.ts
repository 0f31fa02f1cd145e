// The texts of sync with the school server, in Dutch and English: the status line, linking a
// device, the devices, joining at first run, and records made apart on two devices. Not in the
// first chunk (which has to stay under its size goal): they travel with the screens that show
// them, and importing this module merges them into the dictionaries.
import { addTexts } from './index.svelte';

const nl = {
  sync: {
    current_today: 'Bijgewerkt om {{time}}',
    current_other_day: 'Bijgewerkt op {{moment}}',
    waiting_one: '{{count}} wacht op verzending',
    waiting_other: '{{count}} wachten op verzending',
    offline: 'Geen verbinding met de schoolserver sinds {{moment}}',
    rolled_back: 'Dit apparaat is teruggezet of gewijzigd',
    rolled_back_todo: 'Waarschuw de intern begeleider en leg niets vast tot dit is nagekeken.',
    not_enrolled: 'Dit apparaat is niet gekoppeld aan de schoolserver.',
    now: 'Nu synchroniseren',
    busy: 'Bezig…',
  },
  enroll: {
    title: 'Schoolserver',
    link: 'Koppelen aan de schoolserver',
    intro:
      'Koppel dit apparaat, met de dossiers erop, aan de schoolserver. De ICT-beheerder van de school geeft u het adres en een koppelcode.',
    server: 'Adres van de schoolserver',
    server_hint: 'Bijvoorbeeld https://server.school.nl:8443',
    code: 'Koppelcode of koppellink',
    code_hint: '60 letters en cijfers, in groepjes van vijf. Plakt u de link, dan worden beide velden ingevuld.',
    missing: 'Vul het adres van de schoolserver en de koppelcode in.',
    busy: 'Bezig met koppelen…',
    done: 'Dit apparaat is gekoppeld aan de schoolserver.',
    server_is: 'Gekoppeld aan {{server}}',
    not_yet: 'Dit apparaat is niet gekoppeld aan een schoolserver. De intern begeleider kan dat doen.',
    new_device: 'Nieuw apparaat koppelen',
    new_device_intro: 'Maak een koppelcode voor een collega. De code werkt één keer, alleen voor die collega, en is 15 minuten geldig.',
    for_whom: 'Voor wie is het apparaat?',
    choose: 'Kies een collega',
    make_code: 'Koppelcode maken',
    code_for: 'Koppelcode voor {{name}}',
    code_howto:
      'Open Meldcode op het nieuwe apparaat, kies Koppelen aan de schoolserver en scan de QR-code, of typ het adres en de code over.',
    qr_alt: 'QR-code met de koppellink voor {{name}}',
    link_label: 'Koppellink',
    valid_until_one: 'Geldig tot {{time}} (nog {{count}} minuut)',
    valid_until_other: 'Geldig tot {{time}} (nog {{count}} minuten)',
    expired: 'Verlopen — maak een nieuwe code',
    devices: 'Apparaten',
  },
  devices: {
    // Settings: a colleague added on a linked device works where she is assigned, not here.
    user_added_linked: '{{name}} is toegevoegd. Koppel een apparaat voor {{name}}, of voeg {{name}} toe onder Apparaten.',
    title: 'Apparaten',
    intro: 'De apparaten die aan de schoolserver van de school zijn gekoppeld.',
    this_device: 'Dit apparaat',
    unknown_user: 'Onbekende gebruiker',
    nobody: 'Nog geen gebruikers',
    enrolled: 'Gekoppeld op {{moment}}',
    last_seen: 'Laatste contact: {{moment}}',
    never_seen: 'Nog geen contact',
    revoked: 'Ingetrokken op {{moment}}',
    revoke: 'Intrekken',
    revoke_confirm:
      'Het apparaat van {{names}} intrekken? Het apparaat wist bij het volgende contact alle gegevens van Meldcode. Dit kan niet ongedaan worden gemaakt.',
    revoked_done: 'Het apparaat van {{names}} is ingetrokken.',
    none: 'Er zijn nog geen apparaten gekoppeld.',
    add: 'Collega toevoegen',
    add_who: 'Welke collega?',
    add_none: "Alle collega's werken al op dit apparaat.",
    add_confirm_here: '{{name}} ook laten werken op dit apparaat, met de eigen pincode?',
    add_confirm_other: '{{name}} ook laten werken op het apparaat van {{names}}, met de eigen pincode?',
    added_here:
      '{{name}} kan nu ook op dit apparaat werken, met de eigen pincode. {{name}} verschijnt op het inlogscherm zodra dit apparaat weer is bijgewerkt.',
    added_other:
      '{{name}} kan nu ook op het apparaat van {{names}} werken, met de eigen pincode. Daar verschijnt {{name}} op het inlogscherm zodra dat apparaat is bijgewerkt en één keer door iemand is ontgrendeld.',
    // Taking a colleague off a device: the button reads the same at every user, its name says whom.
    unassign: 'Van dit apparaat halen',
    unassign_label: '{{name}} van dit apparaat halen',
    unassign_confirm: '{{name}} werkt dan niet meer op dit apparaat. Wat het apparaat al had, blijft er versleuteld op staan.',
    unassigned_here: '{{name}} werkt niet meer op dit apparaat.',
    unassigned_other: '{{name}} werkt niet meer op dit apparaat. Het apparaat haalt {{name}} eraf zodra het is bijgewerkt.',
  },
  join: {
    title: 'Koppelen aan de schoolserver',
    intro:
      'Voor een apparaat van een school die Meldcode al gebruikt. Vraag de intern begeleider om een koppelcode voor u; die werkt één keer en 15 minuten lang.',
    pin_intro: 'Vul daarna de pincode in die u van de intern begeleider kreeg. Daarna kiest u meteen uw eigen pincode; die geldt op al uw apparaten van school.',
    pin_existing: 'Hebt u al een pincode op een ander apparaat van school? Vul die in.',
    pin: 'Uw pincode op dit apparaat',
    phrase: 'Uw wachtwoordzin op dit apparaat',
    submit: 'Koppelen',
    use_other_pin:
      'Dit apparaat is gekoppeld. U hebt al een pincode op een ander apparaat van school: die geldt ook hier. Ontgrendel met die pincode.',
  },
  conflict: {
    title_decision: 'Twee besluiten zonder elkaar te kennen',
    title_assessment: 'Twee wegingen zonder elkaar te kennen',
    title_other: 'Twee vastleggingen zonder elkaar te kennen',
    title_many: '{{count}} vastleggingen zonder elkaar te kennen',
    intro: 'Deze zijn op verschillende apparaten vastgelegd voordat die elkaar hadden bijgewerkt.',
    keeps_both: 'Niets wordt gewist: beide blijven in het dossier; de andere wordt terzijde gelegd.',
    record_by: '{{who}}, {{when}}',
    which: 'Welke blijft staan?',
    keep: 'Deze van {{who}} ({{when}})',
    reasoning: 'Waarom deze? (verplicht)',
    submit: 'Vastleggen',
    choose: 'Kies welke blijft staan.',
    explain: 'Schrijf op waarom deze blijft staan.',
    lead_resolves: 'De intern begeleider kiest welke blijft staan. Tot dan staan beide in het dossier.',
    resolved: 'Vastgelegd: de keuze tussen de twee.',
  },
};

// Same keys as the Dutch (the type checker holds it to that).
const en: typeof nl = {
  sync: {
    current_today: 'Updated at {{time}}',
    current_other_day: 'Updated on {{moment}}',
    waiting_one: '{{count}} waiting to be sent',
    waiting_other: '{{count}} waiting to be sent',
    offline: 'No connection to the school server since {{moment}}',
    rolled_back: 'This device has been restored or altered',
    rolled_back_todo: 'Warn the care coordinator and record nothing until this has been checked.',
    not_enrolled: 'This device is not linked to the school server.',
    now: 'Sync now',
    busy: 'Busy…',
  },
  enroll: {
    title: 'School server',
    link: 'Link to the school server',
    intro:
      "Link this device, with the case files on it, to the school server. The school's IT administrator gives you the address and a linking code.",
    server: 'Address of the school server',
    server_hint: 'For example https://server.school.nl:8443',
    code: 'Linking code or link',
    code_hint: '60 letters and digits, in groups of five. If you paste the link, both fields are filled in.',
    missing: 'Fill in the address of the school server and the linking code.',
    busy: 'Linking…',
    done: 'This device is linked to the school server.',
    server_is: 'Linked to {{server}}',
    not_yet: 'This device is not linked to a school server. The care coordinator can do that.',
    new_device: 'Link a new device',
    new_device_intro: 'Make a linking code for a colleague. The code works once, only for that colleague, and is valid for 15 minutes.',
    for_whom: 'Whose device is it?',
    choose: 'Choose a colleague',
    make_code: 'Make a linking code',
    code_for: 'Linking code for {{name}}',
    code_howto:
      'Open Meldcode on the new device, choose Link to the school server and scan the QR code, or type in the address and the code.',
    qr_alt: 'QR code with the link for {{name}}',
    link_label: 'Link',
    valid_until_one: 'Valid until {{time}} ({{count}} minute left)',
    valid_until_other: 'Valid until {{time}} ({{count}} minutes left)',
    expired: 'Expired — make a new code',
    devices: 'Devices',
  },
  devices: {
    user_added_linked: '{{name}} has been added. Link a device for {{name}}, or add {{name}} under Devices.',
    title: 'Devices',
    intro: "The devices linked to the school's server.",
    this_device: 'This device',
    unknown_user: 'Unknown user',
    nobody: 'No users yet',
    enrolled: 'Linked on {{moment}}',
    last_seen: 'Last contact: {{moment}}',
    never_seen: 'No contact yet',
    revoked: 'Revoked on {{moment}}',
    revoke: 'Revoke',
    revoke_confirm:
      "Revoke the device of {{names}}? At its next contact the device erases all of Meldcode's data. This cannot be undone.",
    revoked_done: 'The device of {{names}} has been revoked.',
    none: 'No devices have been linked yet.',
    add: 'Add a colleague',
    add_who: 'Which colleague?',
    add_none: 'All colleagues already work on this device.',
    add_confirm_here: 'Let {{name}} work on this device too, with their own PIN?',
    add_confirm_other: 'Let {{name}} work on the device of {{names}} too, with their own PIN?',
    added_here:
      '{{name}} can now work on this device too, with their own PIN. {{name}} appears on the sign-in screen once this device has been updated again.',
    added_other:
      '{{name}} can now work on the device of {{names}} too, with their own PIN. {{name}} appears on its sign-in screen once that device has been updated and unlocked once by anyone.',
    unassign: 'Take off this device',
    unassign_label: '{{name}}: take off this device',
    unassign_confirm: '{{name}} will then no longer work on this device. What the device already had stays on it, encrypted.',
    unassigned_here: '{{name}} no longer works on this device.',
    unassigned_other: '{{name}} no longer works on this device. The device takes {{name}} off once it has been updated.',
  },
  join: {
    title: 'Link to the school server',
    intro:
      'For a device of a school that already uses Meldcode. Ask the care coordinator for a linking code for you; it works once, for 15 minutes.',
    pin_intro: 'Then enter the PIN the coordinator gave you. You then choose your own at once; it holds on all your devices of the school.',
    pin_existing: 'Do you already have a PIN on another device of the school? Enter that one.',
    pin: 'Your PIN on this device',
    phrase: 'Your passphrase on this device',
    submit: 'Link',
    use_other_pin:
      'This device is linked. You already have a PIN on another device of the school: it works here too. Unlock with that PIN.',
  },
  conflict: {
    title_decision: 'Two decisions made without knowing of each other',
    title_assessment: 'Two weighings made without knowing of each other',
    title_other: 'Two records made without knowing of each other',
    title_many: '{{count}} records made without knowing of each other',
    intro: 'These were recorded on different devices before those had caught up with each other.',
    keeps_both: 'Nothing is erased: both stay in the case file; the other one is set aside.',
    record_by: '{{who}}, {{when}}',
    which: 'Which one stands?',
    keep: 'The one by {{who}} ({{when}})',
    reasoning: 'Why this one? (required)',
    submit: 'Record',
    choose: 'Choose which one stands.',
    explain: 'Write down why this one stands.',
    lead_resolves: 'The care coordinator chooses which one stands. Until then both stay in the case file.',
    resolved: 'Recorded: the choice between the two.',
  },
};

export const SYNC_DICTIONARIES = { nl, en };

addTexts(SYNC_DICTIONARIES);
// The core's refusals come in Dutch; in English these are looked up by their code.
addTexts({ en: { error: { already_assigned: 'This colleague already works on this device.' } } });
