import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../src/App.svelte';
import { MOCK_ALARM, mockBackend, type MockBackend } from '../../src/lib/backend/mock';
import { setLanguage } from '../../src/lib/i18n/index.svelte';

afterEach(() => {
  cleanup();
  setLanguage('nl');
});

async function unlockAs(backend: MockBackend, name: string, pin: string) {
  render(App, { backend });
  await fireEvent.click(await screen.findByRole('button', { name: new RegExp(name) }));
  await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: pin } });
  await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
}

describe('first run', () => {
  it('sets up the school, refuses differing PINs and shows the recovery key once', async () => {
    const backend = mockBackend();
    render(App, { backend });
    await screen.findByText('CBS Het Mozaïek, Stadskanaal');
    await fireEvent.click(screen.getByRole('button', { name: 'Verder' }));
    await fireEvent.input(screen.getByLabelText('Volledige naam'), { target: { value: 'Anouk Jansen' } });
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '482913' } });
    await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: '482914' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Inrichten' }));
    expect((await screen.findByRole('alert')).textContent).toContain('niet gelijk');
    await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: '482913' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Inrichten' }));
    const key = await screen.findByTestId('recovery-key');
    expect(key.textContent).toMatch(/^[A-Z0-9-]{20,}$/);
    const start = screen.getByRole('button', { name: 'Beginnen' });
    expect(start).toHaveProperty('disabled', true);
    await fireEvent.click(screen.getByLabelText('De herstelsleutel ligt in de kluis van de school.'));
    await fireEvent.click(start);
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(screen.queryByTestId('recovery-key')).toBeNull();
    expect(backend.state.users.map((u) => u.full_name)).toEqual(['Anouk Jansen']);
  });
});

describe('lock screen', () => {
  it('refuses a wrong PIN and opens with the right one', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '111222');
    expect((await screen.findByRole('alert')).textContent).toContain('Onjuiste pincode');
    expect(backend.state.current).toBeNull();
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
  });

  it('calls 112 from the lock screen without unlocking', async () => {
    const backend = mockBackend({ seeded: true });
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: /Bel 112/ }));
    expect(backend.state.opened).toEqual([{ contactId: 'alarmnummer-112', channel: 'phone' }]);
  });

  it('notes calmly when the school\'s emergency numbers could not be read, with 112 and Veilig Thuis still on the bar', async () => {
    const backend = mockBackend({ seeded: true });
    backend.state.emergencyProblem = {
      code: 'emergency_numbers_unreadable',
      message: 'De noodnummers van de school konden niet worden gelezen. Daarom staan hier de landelijke nummers: 112 en Veilig Thuis.',
    };
    render(App, { backend });
    const note = await screen.findByTestId('emergency-problem');
    expect(note.textContent).toContain('landelijke nummers');
    expect(note.getAttribute('role')).toBe('status');
    expect(screen.getByRole('button', { name: /Bel 112/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Bel Veilig Thuis/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Crisisdienst/ })).toBeNull();
  });

  it('shows no such note when the numbers are in order', async () => {
    render(App, { backend: mockBackend({ seeded: true }) });
    await screen.findByText('Wie bent u?');
    expect(screen.queryByTestId('emergency-problem')).toBeNull();
  });

  it('goes back to the lock screen when the core locks itself', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    backend.fireLocked();
    await screen.findByText('Wie bent u?');
  });
});

describe('home', () => {
  it('lists my cases with their step, overdue first', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    const list = await screen.findByTestId('case-list');
    const items = list.querySelectorAll('li');
    expect(items[0].textContent).toContain('Sanne Bakker');
    expect(items[0].textContent).toContain('Te laat');
    expect(items[0].textContent).toContain('Stap 2');
    expect(items[1].textContent).toContain('Daan Visser');
  });
});

describe('quick capture', () => {
  it('saves a signal for a known pupil in three taps plus typing', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' })); // tap 1
    // The search field has the keyboard from the start, and the facts field after the choice.
    expect(document.activeElement).toBe(screen.getByLabelText('Zoek op naam of groep'));
    await fireEvent.input(screen.getByLabelText('Zoek op naam of groep'), { target: { value: 'Sanne' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Sanne Bakker · groep 5' })); // tap 2
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Wat zag of hoorde u?')));
    await fireEvent.input(screen.getByLabelText('Wat zag of hoorde u?'), { target: { value: 'Huilde bij het brengen, wilde niet naar binnen.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' })); // tap 3
    expect((await screen.findByTestId('saved-notice')).textContent).toContain('Opgeslagen');
    expect(backend.state.captures).toHaveLength(1);
    expect(backend.state.captures[0].case_id).toBe(backend.state.cases[0].case_id);
    expect(backend.state.captures[0].signal.source).toEqual({ kind: 'own' });
  });

  it('opens a case for a new pupil and keeps the child\'s words apart', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Nieuwe leerling' }));
    await fireEvent.input(screen.getByLabelText('Volledige naam van de leerling'), { target: { value: 'Noor el Amrani' } });
    await fireEvent.input(screen.getByLabelText('Groep'), { target: { value: 'groep 4' } });
    await fireEvent.input(screen.getByLabelText('Wat zag of hoorde u?'), { target: { value: 'Rode striem in de nek.' } });
    await fireEvent.input(screen.getByLabelText('Wat zei het kind zelf? (optioneel)'), { target: { value: 'Papa was boos.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    await screen.findByTestId('saved-notice');
    const saved = backend.state.captures[0];
    expect(saved.new_pupil?.full_name).toBe('Noor el Amrani');
    expect(saved.signal.facts).toBe('Rode striem in de nek.');
    expect(saved.signal.child_words).toBe('Papa was boos.');
  });

  it('finds a signal by a word, and offers it first the next time', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    await fireEvent.input(screen.getByLabelText('Zoek op naam of groep'), { target: { value: 'Sanne' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Sanne Bakker · groep 5' }));
    await fireEvent.input(screen.getByLabelText('Wat zag of hoorde u?'), { target: { value: 'Striemen op de kuit.' } });
    // Categories are closed until opened; nobody picked anything yet, so nothing is "recent".
    const categories = document.querySelectorAll<HTMLDetailsElement>('.signals details');
    expect(categories.length).toBe(10);
    expect([...categories].some((d) => d.open)).toBe(false);
    expect(screen.queryByText('Onlangs door u gekozen')).toBeNull();
    await fireEvent.input(await screen.findByLabelText('Zoek een signaal'), { target: { value: 'riem' } });
    const chip = await screen.findByRole('button', { name: /^Plekken of striemen met een herkenbare vorm/ });
    await fireEvent.click(chip);
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('Signalen uit de lijst (1 gekozen)')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    await screen.findByTestId('saved-notice');
    expect(backend.state.captures[0].signal.catalogue_codes).toEqual(['physical.patterned_marks']);

    await fireEvent.click(screen.getByRole('button', { name: 'Nieuwe signalering' }));
    const recent = await screen.findByRole('group', { name: 'Onlangs door u gekozen' });
    expect(recent.textContent).toContain('Plekken of striemen');
    // The recent picks stand before the categories.
    const first = document.querySelector('.signals details');
    expect(recent.compareDocumentPosition(first!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('takes the time seen as now, yesterday, or a day and a time written out', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    expect(screen.getByRole('radio', { name: 'Nu' }).getAttribute('aria-checked')).toBe('true');
    await fireEvent.input(screen.getByLabelText('Zoek op naam of groep'), { target: { value: 'Sanne' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Sanne Bakker · groep 5' }));
    await fireEvent.input(screen.getByLabelText('Wat zag of hoorde u?'), { target: { value: 'Te dunne jas, rilde.' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Gisteren' }));
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    const month = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
    expect(screen.getByTestId('observed-at-text').textContent).toContain(`${yesterday.getDate()} ${month[yesterday.getMonth()]}`);

    await fireEvent.click(screen.getByRole('radio', { name: 'Ander moment' }));
    const day = screen.getByLabelText('Dag') as HTMLSelectElement;
    expect(day.options[0].textContent).toMatch(/^vandaag, (maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \d+ /);
    expect(day.options[1].textContent).toMatch(/^gisteren, /);
    await fireEvent.change(day, { target: { value: day.options[1].value } });
    await fireEvent.input(screen.getByLabelText('Tijd (uu:mm)'), { target: { value: '25:00' } });
    expect((await screen.findByRole('alert')).textContent).toBe('Schrijf de tijd als uu:mm, bijvoorbeeld 08:15.');
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    expect(backend.state.captures).toHaveLength(0);
    await fireEvent.input(screen.getByLabelText('Tijd (uu:mm)'), { target: { value: '7.30' } });
    expect(screen.getByTestId('observed-at-text').textContent).toContain('07:30');
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    await screen.findByTestId('saved-notice');
    const seen = new Date(backend.state.captures[0].signal.observed_at);
    expect([seen.getDate(), seen.getHours(), seen.getMinutes()]).toEqual([yesterday.getDate(), 7, 30]);
  });

  it('opens the body map only when asked', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    const toggle = screen.getByRole('button', { name: 'Lichaamskaart (0 plekken)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByTestId('body-front')).toBeNull();
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('body-front')).toBeTruthy();
  });

  it('says what is missing and saves nothing', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual([
      'Kies een leerling of voeg een nieuwe leerling toe.',
      'Beschrijf wat u zag of hoorde.',
    ]);
    expect(backend.state.captures).toHaveLength(0);
  });
});

describe('privacy screen', () => {
  it('blanks the display at once and returns to the same place', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    await fireEvent.input(screen.getByLabelText('Wat zag of hoorde u?'), { target: { value: 'half getypt' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Scherm verbergen' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).not.toContain('half getypt');
    // (jsdom has no `inert`; the browser tests check that nothing underneath can be reached.)
    expect(document.querySelector('.app')?.getAttribute('aria-hidden')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Tik om verder te gaan' }));
    expect((screen.getByLabelText('Wat zag of hoorde u?') as HTMLTextAreaElement).value).toBe('half getypt');
  });
});

/** Types the coordinator's own PIN where the user administration asks for it, and sends. */
async function confirmWith(pin: string) {
  await fireEvent.input(await screen.findByLabelText('Bevestig met uw eigen pincode'), { target: { value: pin } });
  await fireEvent.click(screen.getByRole('button', { name: 'Bevestigen' }));
}

async function openSettings() {
  await fireEvent.click(await screen.findByRole('button', { name: 'Instellingen' }));
  await screen.findByRole('heading', { name: 'Instellingen' });
}

describe('settings', () => {
  it('lets the coordinator add a teacher after confirming with her own PIN, and shows the store\'s reason for a weak PIN', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await openSettings();
    await fireEvent.input(screen.getByLabelText('Volledige naam'), { target: { value: 'Fatima Yilmaz' } });
    await fireEvent.input(screen.getByLabelText(/Eerste pincode/), { target: { value: '123456' } });
    await fireEvent.click(screen.getByTestId('add-user'));
    expect(screen.getByTestId('confirm-pin').textContent).toContain('Fatima Yilmaz toevoegen als leerkracht.');
    await confirmWith('482913');
    expect((await screen.findByRole('alert')).textContent).toContain('volgt een reeks');
    await fireEvent.input(screen.getByLabelText(/Eerste pincode/), { target: { value: '640275' } });
    await fireEvent.click(screen.getByTestId('add-user'));
    await confirmWith('482913');
    await screen.findByText('Fatima Yilmaz is toegevoegd.');
    expect(backend.state.users.map((u) => u.full_name)).toContain('Fatima Yilmaz');
    expect(screen.queryByTestId('confirm-pin')).toBeNull();
  });

  it('refuses a user administration change with a wrong own PIN, and sends nothing before it is confirmed', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await openSettings();
    await fireEvent.input(screen.getByLabelText('Volledige naam'), { target: { value: 'Fatima Yilmaz' } });
    await fireEvent.input(screen.getByLabelText(/Eerste pincode/), { target: { value: '640275' } });
    await fireEvent.click(screen.getByTestId('add-user'));
    expect(backend.state.users).toHaveLength(3);
    await confirmWith('735142');
    expect((await screen.findByTestId('confirm-error')).textContent).toContain('Onjuiste pincode');
    expect(backend.state.users).toHaveLength(3);
    // Cancelled, nothing happens either.
    await fireEvent.click(screen.getByRole('button', { name: 'Annuleren' }));
    expect(screen.queryByTestId('confirm-pin')).toBeNull();
    expect(backend.state.users).toHaveLength(3);

    // Resetting a PIN and removing someone ask the same.
    await fireEvent.click(screen.getByTestId('reset-Pieter de Vries'));
    await fireEvent.input(screen.getByLabelText('Nieuwe pincode voor Pieter de Vries'), { target: { value: '579204' } });
    await fireEvent.click(screen.getByTestId('reset-save'));
    expect(screen.getByTestId('confirm-pin').textContent).toContain('Een nieuwe pincode instellen voor Pieter de Vries.');
    await confirmWith('000000');
    await screen.findByTestId('confirm-error');
    expect(backend.state.users[1].pin).toBe('735142');
    await confirmWith('482913');
    await screen.findByText(/De pincode van Pieter de Vries is opnieuw ingesteld/);
    expect(backend.state.users[1].pin).toBe('579204');

    await fireEvent.click(screen.getByTestId('remove-Karin Smit'));
    expect(screen.getByTestId('confirm-pin').textContent).toContain('Karin Smit de toegang ontnemen?');
    await confirmWith('482913');
    await screen.findByText(/Karin Smit heeft geen toegang meer/);
    expect(backend.state.users.map((u) => u.full_name)).not.toContain('Karin Smit');
  });

  it('shows a teacher no user management, and switches the language', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await openSettings();
    expect(screen.queryByText('Gebruikers')).toBeNull();
    await fireEvent.change(screen.getByLabelText('Taal'), { target: { value: 'en' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    await screen.findByRole('heading', { name: 'Settings' });
    expect(backend.state.settings.language).toBe('en');
  });
});

describe('social map', () => {
  it('lists the contacts and calls through the core', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Sociale kaart' }));
    await fireEvent.click(await screen.findByTestId('call-map-veilig-thuis-landelijk'));
    expect(backend.state.opened).toEqual([{ contactId: 'veilig-thuis-landelijk', channel: 'phone' }]);
  });
});

describe('case screen', () => {
  it('shows the stepper, next action with its rule, and records a consultation into the timeline', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await screen.findByRole('heading', { name: /Sanne Bakker/ });
    expect(document.querySelector('[aria-current="step"]')?.textContent).toContain('Overleg');
    expect(screen.getByText(/Waarom\? R3/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('open-record_consultation'));
    await fireEvent.change(screen.getByLabelText('Met wie'), { target: { value: 'class_colleague' } });
    await fireEvent.input(screen.getByLabelText('Naam'), { target: { value: 'Pieter de Vries' } });
    await fireEvent.input(screen.getByLabelText('Wat is besproken'), { target: { value: 'Signalen besproken.' } });
    await fireEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('case-saved');
    const timeline = screen.getByTestId('timeline');
    expect(timeline.textContent).toContain('Collegiale consultatie');
    expect(timeline.textContent).toContain('Signalen besproken.');
  });

  it('shows the engine\'s refusal in Dutch and keeps what was typed', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await fireEvent.click(await screen.findByTestId('open-request_advice'));
    await fireEvent.input(screen.getByLabelText('Vraag'), { target: { value: 'Moeten we melden?' } });
    await fireEvent.click(screen.getByTestId('form-save'));
    expect((await screen.findByTestId('form-error')).textContent).toContain('Vul dit in');
    expect((screen.getByLabelText('Vraag') as HTMLTextAreaElement).value).toBe('Moeten we melden?');
  });

  it('gives every person present at a parent conversation a signature slot with their name', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await fireEvent.click(await screen.findByTestId('open-record_parent_conversation'));
    await fireEvent.input(screen.getByLabelText('Aanwezige ouders'), { target: { value: 'Marieke Bakker\nJan Bakker' } });
    await fireEvent.input(screen.getByLabelText('Aanwezigen van school'), { target: { value: 'Anouk Jansen' } });
    const signers = () => [...document.querySelectorAll('.signer-name')].map((e) => e.textContent);
    await waitFor(() => expect(signers()).toEqual(['Marieke Bakker', 'Jan Bakker', 'Anouk Jansen']));
    const roles = screen.getAllByLabelText('Wie is dit?') as HTMLInputElement[];
    expect(roles.map((r) => r.value)).toEqual(['ouder', 'ouder', 'intern begeleider / aandachtsfunctionaris']);
    await fireEvent.input(screen.getAllByLabelText('Waarom niet getekend?')[1], { target: { value: 'Was al weg.' } });
    await fireEvent.input(screen.getByLabelText('Aanwezige ouders'), { target: { value: 'Jan Bakker' } });
    await waitFor(() => expect(signers()).toEqual(['Jan Bakker', 'Anouk Jansen']));
    expect((screen.getAllByLabelText('Waarom niet getekend?')[0] as HTMLInputElement).value).toBe('Was al weg.');
  });

  it('offers the board its route in a staff case, and nobody else', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Karin Smit', '604918');
    await fireEvent.click(await screen.findByTestId('open-case-Mila de Jong'));
    for (const kind of ['inform_parents_of_staff_case', 'inform_suspected_staff', 'record_police_report_decision']) {
      await screen.findByTestId(`open-${kind}`);
    }
    await fireEvent.click(screen.getByTestId('open-inform_suspected_staff'));
    expect((screen.getByLabelText('Welke medewerker (volledige naam)') as HTMLTextAreaElement).value).toBe('Ruud Kok');
    expect((screen.getByLabelText('Wie van het bestuur informeerde (volledige naam)') as HTMLInputElement).value).toBe('Karin Smit');
    await fireEvent.input(screen.getByLabelText('Hoe (bijv. in een gesprek op school)'), { target: { value: 'In een gesprek op het bestuurskantoor.' } });
    await fireEvent.input(screen.getByLabelText('Wat is verteld en hoe werd gereageerd'), { target: { value: 'Verteld; hij wil een advocaat spreken.' } });
    await fireEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('case-saved');
    expect(screen.getByTestId('timeline').textContent).toContain('Medewerker geïnformeerd');
    cleanup();
    await unlockAs(mockBackend({ seeded: true }), 'Anouk Jansen', '482913');
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await screen.findByTestId('open-record_consultation');
    expect(screen.queryByTestId('open-inform_suspected_staff')).toBeNull();
  });

  it('shows a teacher no coordinator actions', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await screen.findByTestId('open-record_consultation');
    for (const lead of ['record_assessment', 'record_decision', 'make_report', 'close_case']) {
      expect(screen.queryByTestId(`open-${lead}`)).toBeNull();
    }
  });
});

describe('locking', () => {
  it('locks at once when the window is hidden or the app goes to the background', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    await screen.findByText('Wie bent u?');
    expect(backend.state.current).toBeNull();
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  });

  it('does not count touches on the privacy screen as activity, so the idle lock still comes', async () => {
    const backend = mockBackend({ seeded: true });
    let touches = 0;
    const touch = backend.touch.bind(backend);
    backend.touch = async () => {
      touches += 1;
      return touch();
    };
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    await fireEvent.click(screen.getByRole('button', { name: 'Scherm verbergen' }));
    await fireEvent.pointerDown(screen.getByRole('dialog'));
    await fireEvent.keyDown(window, { key: 'a' });
    expect(touches).toBe(0);
    backend.fireLocked();
    await screen.findByText('Wie bent u?');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('alarms about the record', () => {
  it('shows the alarm above every screen, with what, since when and what to do, and leaves capturing free', async () => {
    const backend = mockBackend({ seeded: true });
    backend.raiseAlarm();
    await unlockAs(backend, 'Pieter de Vries', '735142');
    const banner = await screen.findByTestId('alarm-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain(MOCK_ALARM.what);
    expect(banner.textContent).toMatch(/Sinds 17 november 2026 om \d\d:30/);
    expect(banner.textContent).toContain('Zet niets terug en wis niets');
    // Not for a teacher to dismiss.
    expect(screen.queryByRole('button', { name: 'Afgehandeld' })).toBeNull();
    expect(screen.getByTestId('alarm-only-lead').textContent).toBe(
      'Alleen de intern begeleider of de directie kan deze melding afhandelen.',
    );
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    // Once read, it folds to its headline, and stays folded from screen to screen.
    const fold = screen.getByRole('button', { name: 'Inklappen' });
    expect(fold.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.click(fold);
    expect(fold.getAttribute('aria-expanded')).toBe('false');
    expect(fold.textContent?.trim()).toBe('Lees wat er is en wat te doen');
    expect((document.getElementById('alarm-details') as HTMLElement).hidden).toBe(true);

    // The same banner on the social map and in the settings: not mounted again, so not read out
    // again as an alert.
    await fireEvent.click(screen.getByRole('button', { name: 'Sociale kaart' }));
    await screen.findByRole('heading', { name: 'Sociale kaart' });
    expect(screen.getByTestId('alarm-banner')).toBe(banner);
    await openSettings();
    expect(screen.getByTestId('alarm-banner')).toBe(banner);
    expect(fold.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(fold);
    expect((document.getElementById('alarm-details') as HTMLElement).hidden).toBe(false);

    // A signal is still recorded, in the usual three taps plus typing.
    await fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Nieuwe signalering' }));
    expect(screen.getByTestId('alarm-banner')).toBe(banner);
    await fireEvent.input(screen.getByLabelText('Zoek op naam of groep'), { target: { value: 'Sanne' } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Sanne Bakker · groep 5' }));
    await fireEvent.input(screen.getByLabelText('Wat zag of hoorde u?'), { target: { value: 'Huilde bij het brengen.' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Opslaan' }));
    await screen.findByTestId('saved-notice');
    expect(backend.state.captures).toHaveLength(1);
    expect(backend.state.alarms).toHaveLength(1);
  });

  it('shows the alarm on the case screen too', async () => {
    const backend = mockBackend({ seeded: true });
    backend.raiseAlarm();
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await screen.findByRole('heading', { name: /Sanne Bakker/ });
    expect(screen.getByTestId('alarm-banner').textContent).toContain(MOCK_ALARM.what);
  });

  it('is cleared by the coordinator with "Afgehandeld", for everyone', async () => {
    const backend = mockBackend({ seeded: true });
    backend.raiseAlarm();
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await screen.findByTestId('alarm-banner');
    expect(screen.queryByTestId('alarm-only-lead')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Afgehandeld' }));
    await waitFor(() => expect(screen.queryByTestId('alarm-banner')).toBeNull());
    expect(backend.state.alarms).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Vergrendelen' }));
    await fireEvent.click(await screen.findByRole('button', { name: /Pieter de Vries/ }));
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(screen.queryByTestId('alarm-banner')).toBeNull();
  });

  it('may be dealt with by the director as well, not by the board', async () => {
    const backend = mockBackend({ seeded: true });
    backend.state.users.push({ id: 'director-1', full_name: 'Henk Mulder', role: 'director', pin: '906142' });
    backend.raiseAlarm();
    await unlockAs(backend, 'Karin Smit', '604918');
    await screen.findByTestId('alarm-only-lead');
    expect(screen.queryByRole('button', { name: 'Afgehandeld' })).toBeNull();
    cleanup();
    await unlockAs(backend, 'Henk Mulder', '906142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Afgehandeld' }));
    await waitFor(() => expect(screen.queryByTestId('alarm-banner')).toBeNull());
    expect(backend.state.alarms).toEqual([]);
  });

  it('gives the headline and the advice in English, and what was found in the core\'s Dutch', async () => {
    const backend = mockBackend({ seeded: true });
    backend.raiseAlarm();
    backend.state.settings.language = 'en';
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: /Pieter de Vries/ }));
    await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    const banner = await screen.findByTestId('alarm-banner');
    expect(banner.textContent).toContain('Records are missing.');
    expect(banner.textContent).toMatch(/Since 17 November 2026 at \d\d:30/);
    expect(screen.getByTestId('alarm-todo').textContent).toContain('Do not restore or delete anything');
    expect(screen.getByText(MOCK_ALARM.what).getAttribute('lang')).toBe('nl');
  });

  it('shows nothing when the record is in order', async () => {
    await unlockAs(mockBackend({ seeded: true }), 'Anouk Jansen', '482913');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(screen.queryByTestId('alarm-banner')).toBeNull();
  });
});

describe('a PIN the coordinator set', () => {
  async function addedByCoordinator(backend: MockBackend) {
    const anouk = backend.state.users[0];
    await backend.unlock(anouk.id, '482913');
    await backend.addUser('482913', 'Fatima Yilmaz', 'teacher', '640275');
    await backend.lock();
  }

  it('is replaced by the user\'s own before anything else', async () => {
    const backend = mockBackend({ seeded: true });
    await addedByCoordinator(backend);
    await unlockAs(backend, 'Fatima Yilmaz', '640275');
    await screen.findByRole('heading', { name: 'Kies uw eigen pincode' });
    // Nowhere else to go, but locking is possible.
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Nieuwe signalering' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Vergrendelen' })).toBeTruthy();

    const choose = async (current: string, next: string, again = next) => {
      await fireEvent.input(screen.getByLabelText('De pincode die u net gebruikte'), { target: { value: current } });
      await fireEvent.input(screen.getByLabelText('Nieuwe pincode'), { target: { value: next } });
      await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: again } });
      await fireEvent.click(screen.getByRole('button', { name: 'Eigen pincode opslaan' }));
    };
    await choose('640275', '640275');
    expect((await screen.findByTestId('change-pin-error')).textContent).toContain('gelijk aan de huidige');
    await choose('640275', '111111');
    await waitFor(() => expect(screen.getByTestId('change-pin-error').textContent).toContain('één cijfer dat steeds terugkomt'));
    await choose('640275', '579204');
    expect((await screen.findByTestId('saved-notice')).textContent).toBe('Uw eigen pincode is opgeslagen.');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    const fatima = backend.state.users.find((u) => u.full_name === 'Fatima Yilmaz')!;
    expect([fatima.pin, fatima.mustChangePin]).toEqual(['579204', false]);
  });

  it('is asked for again after a reset, and not for a user who chose their own', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    cleanup();
    const anouk = backend.state.users[0];
    await backend.unlock(anouk.id, '482913');
    await backend.resetPin('482913', backend.state.users[1].id, '579204');
    await backend.lock();
    await unlockAs(backend, 'Pieter de Vries', '579204');
    await screen.findByRole('heading', { name: 'Kies uw eigen pincode' });
  });
});

describe('PIN policy and passphrases', () => {
  async function toCoordinatorStep() {
    render(App, { backend: mockBackend() });
    await screen.findByText('CBS Het Mozaïek, Stadskanaal');
    await fireEvent.click(screen.getByRole('button', { name: 'Verder' }));
    await fireEvent.input(screen.getByLabelText('Volledige naam'), { target: { value: 'Anouk Jansen' } });
  }

  it('shows the store\'s reason for a weak PIN at set-up, and catches a short one at once', async () => {
    await toCoordinatorStep();
    const setUp = async (pin: string) => {
      await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: pin } });
      await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: pin } });
      await fireEvent.click(screen.getByRole('button', { name: 'Inrichten' }));
    };
    await setUp('48291');
    expect((await screen.findByTestId('first-run-error')).textContent).toContain('Te kort');
    await setUp('010190');
    await waitFor(() => expect(screen.getByTestId('first-run-error').textContent).toBe('Deze pincode lijkt op een datum. Kies zes cijfers die niemand kan raden.'));
    await setUp('123456');
    await waitFor(() => expect(screen.getByTestId('first-run-error').textContent).toContain('volgt een reeks'));
    // The rule under the field says so beforehand.
    expect(screen.getByText(/zonder datum, reeks of herhaling/)).toBeTruthy();
  });

  it('sets up with a passphrase instead of a PIN, in a plain text field without help from the keyboard', async () => {
    const backend = mockBackend();
    render(App, { backend });
    await screen.findByText('CBS Het Mozaïek, Stadskanaal');
    await fireEvent.click(screen.getByRole('button', { name: 'Verder' }));
    await fireEvent.input(screen.getByLabelText('Volledige naam'), { target: { value: 'Anouk Jansen' } });
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '4829' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Wachtwoordzin gebruiken' }));
    const phrase = screen.getByLabelText('Wachtwoordzin') as HTMLInputElement;
    expect(phrase.value).toBe('');
    expect(document.activeElement).toBe(phrase);
    expect(screen.queryByLabelText('Pincode')).toBeNull();
    expect([phrase.type, phrase.getAttribute('autocomplete'), phrase.getAttribute('autocapitalize'), phrase.getAttribute('spellcheck')])
      .toEqual(['password', 'off', 'off', 'false']);
    expect(phrase.getAttribute('inputmode')).toBeNull();
    expect(screen.getByText(/Minstens 12 tekens/)).toBeTruthy();
    // Both fields switched together.
    await fireEvent.input(phrase, { target: { value: 'fiets regen brug' } });
    await fireEvent.input(screen.getByLabelText('Wachtwoordzin nog een keer'), { target: { value: 'fiets regen brig' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Inrichten' }));
    expect((await screen.findByTestId('first-run-error')).textContent).toBe('De twee wachtwoordzinnen zijn niet gelijk.');
    await fireEvent.input(screen.getByLabelText('Wachtwoordzin nog een keer'), { target: { value: 'fiets regen brug' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Inrichten' }));
    await screen.findByTestId('recovery-key');
    expect(backend.state.users[0].pin).toBe('fiets regen brug');
  });

  it('unlocks with a passphrase instead of the PIN pad, and back', async () => {
    const backend = mockBackend({ seeded: true });
    backend.state.users[1].pin = 'paard nietje fiets';
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: /Pieter de Vries/ }));
    expect(screen.getByRole('button', { name: '5' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Wachtwoordzin gebruiken' }));
    expect(screen.queryByRole('button', { name: '5' })).toBeNull();
    const phrase = screen.getByLabelText('Wachtwoordzin') as HTMLInputElement;
    expect(phrase.getAttribute('autocapitalize')).toBe('off');
    await fireEvent.click(screen.getByRole('button', { name: 'Pincode gebruiken' }));
    expect(screen.getByRole('button', { name: '5' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Wachtwoordzin gebruiken' }));
    await fireEvent.input(screen.getByLabelText('Wachtwoordzin'), { target: { value: 'paard nietje fiets' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
  });

  it('changes the PIN in the settings to a passphrase, with the store\'s reason for a weak one first', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await openSettings();
    await fireEvent.input(screen.getByLabelText('Huidige pincode'), { target: { value: '735142' } });
    // The current secret and the new one each have their own switch.
    expect(screen.getAllByRole('button', { name: 'Wachtwoordzin gebruiken' })).toHaveLength(2);
    await fireEvent.click(screen.getByTestId('new-pin-toggle'));
    expect(screen.getByLabelText('Huidige pincode')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Nieuwe wachtwoordzin'), { target: { value: 'wachtwoord 2024' } });
    await fireEvent.input(screen.getByLabelText('Wachtwoordzin nog een keer'), { target: { value: 'wachtwoord 2024' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Pincode wijzigen' }));
    expect((await screen.findByTestId('change-pin-error')).textContent).toContain('meest gebruikte');
    expect(backend.state.users[1].pin).toBe('735142');
    await fireEvent.input(screen.getByLabelText('Huidige pincode'), { target: { value: '735142' } });
    await fireEvent.input(screen.getByLabelText('Nieuwe wachtwoordzin'), { target: { value: 'De juf fietst om 8 uur!' } });
    await fireEvent.input(screen.getByLabelText('Wachtwoordzin nog een keer'), { target: { value: 'De juf fietst om 8 uur!' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Pincode wijzigen' }));
    await screen.findByText('Uw pincode is gewijzigd.');
    expect(backend.state.users[1].pin).toBe('De juf fietst om 8 uur!');
  });
});
