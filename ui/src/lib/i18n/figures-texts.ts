// The evaluation figures' texts, in Dutch and English. Only the coordinator and the director
// see them, so they travel with the settings' chunk (where the screen is opened) instead of the
// first one; importing this module merges them into the dictionaries.
import { addTexts } from './index.svelte';

const nl = {
  figures: {
    title: 'Cijfers over de meldcode',
    intro: 'Hoe de school de meldcode gebruikte in de gekozen periode: alleen aantallen, zonder namen.',
    suppressed: 'Aantallen onder de 5 staan er als "< 5", ook een 0: zo is geen kind of gezin te herkennen.',
    open: 'Cijfers bekijken',
    from: 'Van',
    to: 'Tot en met',
    show: 'Toon cijfers',
    save_csv: 'Opslaan als CSV',
    saved: 'Opgeslagen in {{path}}.',
    cases: 'Dossiers',
    outcomes: 'Uitkomsten van de afgesloten dossiers',
    steps: 'Meldingen, hulp en noodsituaties',
    durations: 'Doorlooptijd vanaf het eerste signaal',
    durations_note: 'Mediaan in dagen, alleen getoond als er 5 of meer dossiers achter staan.',
    days: '{{days}} dagen',
    day: '1 dag',
    too_few: 'te weinig dossiers',
    cases_behind: '{{count}} dossiers',
    overdue_now: 'Dossiers die nu een stap te laat zijn',
    overdue_note: 'Geteld op vandaag, niet over de periode.',
    routes: 'Bijzondere routes',
    code: {
      opened: 'Geopend',
      closed: 'Afgesloten',
      unfounded: 'Zorgen ongegrond',
      other_cause_found: 'Andere oorzaak gevonden',
      help_in_place: 'Hulp loopt',
      reported_and_handed_over: 'Gemeld en overgedragen',
      staff_route_completed: 'Route medewerker afgerond',
      reports: 'Meldingen bij Veilig Thuis',
      help_plans: 'Hulptrajecten gestart',
      emergencies: 'Noodsituaties',
      to_consultation: 'Tot collegiale consultatie',
      to_weighing: 'Tot de weging',
      to_decision: 'Tot het besluit',
      overdue_now: 'Nu te laat',
      female_genital_mutilation: 'Vermoeden van meisjesbesnijdenis',
      honour_related_violence: 'Vermoeden van eergerelateerd geweld',
      staff_cases: 'Vermoeden tegen een medewerker',
    },
  },
};

// Same keys as the Dutch (the type checker holds it to that).
const en: typeof nl = {
  figures: {
    title: 'Figures on the reporting code',
    intro: 'How the school used the reporting code in the chosen period: counts only, no names.',
    suppressed: 'Counts below 5 show as "< 5", a 0 too: so that no child or family can be recognised.',
    open: 'View figures',
    from: 'From',
    to: 'Up to and including',
    show: 'Show figures',
    save_csv: 'Save as CSV',
    saved: 'Saved in {{path}}.',
    cases: 'Cases',
    outcomes: 'Outcomes of the closed cases',
    steps: 'Reports, help and emergencies',
    durations: 'Time since the first signal',
    durations_note: 'Median in days, shown only when 5 or more cases stand behind it.',
    days: '{{days}} days',
    day: '1 day',
    too_few: 'too few cases',
    cases_behind: '{{count}} cases',
    overdue_now: 'Cases with a step overdue now',
    overdue_note: 'Counted today, not over the period.',
    routes: 'Special routes',
    code: {
      opened: 'Opened',
      closed: 'Closed',
      unfounded: 'Concerns unfounded',
      other_cause_found: 'Other cause found',
      help_in_place: 'Help in place',
      reported_and_handed_over: 'Reported and handed over',
      staff_route_completed: 'Staff route completed',
      reports: 'Reports to Veilig Thuis',
      help_plans: 'Help plans started',
      emergencies: 'Emergencies',
      to_consultation: 'To consultation',
      to_weighing: 'To the weighing',
      to_decision: 'To the decision',
      overdue_now: 'Overdue now',
      female_genital_mutilation: 'Suspected female genital mutilation',
      honour_related_violence: 'Suspected honour-related violence',
      staff_cases: 'Suspicion against a staff member',
    },
  },
};

export const FIGURES_DICTIONARIES = { nl, en };

addTexts(FIGURES_DICTIONARIES);
