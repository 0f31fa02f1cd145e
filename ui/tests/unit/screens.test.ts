import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../src/App.svelte';
import { mockBackend, type MockBackend } from '../../src/lib/backend/mock';
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

describe('settings', () => {
  it('lets the coordinator add a teacher, and shows a Dutch error for a weak PIN', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await fireEvent.click(await screen.findByRole('button', { name: 'Instellingen' }));
    await fireEvent.input(screen.getByLabelText('Volledige naam'), { target: { value: 'Fatima Yilmaz' } });
    await fireEvent.input(screen.getByLabelText(/Eerste pincode/), { target: { value: '123456' } });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Gebruiker toevoegen' })[0]);
    expect((await screen.findByRole('alert')).textContent).toContain('minstens 6 cijfers');
    await fireEvent.input(screen.getByLabelText(/Eerste pincode/), { target: { value: '640275' } });
    await fireEvent.click(screen.getAllByRole('button', { name: 'Gebruiker toevoegen' })[0]);
    await screen.findByText('Fatima Yilmaz is toegevoegd.');
    expect(backend.state.users.map((u) => u.full_name)).toContain('Fatima Yilmaz');
  });

  it('shows a teacher no user management, and switches the language', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await fireEvent.click(await screen.findByRole('button', { name: 'Instellingen' }));
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
