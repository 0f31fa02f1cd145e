import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../../src/App.svelte';
import SchoolLog from '../../src/screens/SchoolLog.svelte';
import { AppState } from '../../src/lib/app.svelte';
import { mockBackend, type MockBackend } from '../../src/lib/backend/mock';
import { DICTIONARIES, setLanguage } from '../../src/lib/i18n/index.svelte';
import { SCHOOL_LOG_DICTIONARIES } from '../../src/lib/i18n/school-log-texts';
import { logLines } from '../../src/lib/school-log';

afterEach(() => {
  cleanup();
  setLanguage('nl');
});

const COORDINATOR = 'intern begeleider / aandachtsfunctionaris';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** A seeded school with a director too (the seed itself has none). */
function withDirector(): MockBackend {
  const backend = mockBackend({ seeded: true });
  backend.state.users.push({ id: 'director-1', full_name: 'Marieke van Dijk', role: 'director', pin: '906142' });
  return backend;
}

/** Anouk Jansen, the coordinator, adds Jeroen Smit as a teacher and then resets his PIN. */
async function coordinatorAddsAndResets(backend: MockBackend) {
  await backend.unlock(backend.state.users[0].id, '482913');
  const jeroen = await backend.addUser('482913', 'Jeroen Smit', 'teacher', '640275');
  await backend.resetPin('482913', jeroen.id, '579204');
  await backend.lock();
  return jeroen;
}

async function unlockAs(backend: MockBackend, name: string, pin: string) {
  render(App, { backend });
  await fireEvent.click(await screen.findByRole('button', { name: new RegExp(name) }));
  await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: pin } });
  await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  await screen.findByRole('button', { name: 'Nieuwe signalering' });
}

async function openLog() {
  await fireEvent.click(screen.getByRole('button', { name: 'Instellingen' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Logboek bekijken' }));
  await screen.findByRole('heading', { name: 'Logboek van de school' });
}

const items = async () => within(await screen.findByTestId('school-log')).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());

describe('mock school log', () => {
  it('records each user administration with the acting user as author, and the role for an add', async () => {
    const backend = withDirector();
    const jeroen = await coordinatorAddsAndResets(backend);
    await backend.unlock(backend.state.users[0].id, '482913');
    await backend.removeUser('482913', jeroen.id);
    const anouk = backend.state.users[0].id;
    expect(backend.state.log.map((e) => [e.kind, e.author, e.author_role, e.subject, e.role, e.with_recovery_key])).toEqual([
      ['user_added', anouk, 'coordinator', jeroen.id, 'teacher', false],
      ['pin_reset', anouk, 'coordinator', jeroen.id, null, false],
      ['user_removed', anouk, 'coordinator', jeroen.id, null, false],
    ]);
    // A refused change leaves no trace.
    await expect(backend.addUser('000000', 'Sara Bos', 'teacher', '640275')).rejects.toMatchObject({ code: 'wrong_pin' });
    expect(backend.state.log).toHaveLength(3);
    await backend.lock();
    // Removed, but still named in the log.
    const director = await backend.unlock('director-1', '906142');
    expect(director.user.role).toBe('director');
    const log = await backend.schoolLog();
    expect(log.entries).toHaveLength(3);
    expect(log.people.find((p) => p.id === jeroen.id)?.full_name).toBe('Jeroen Smit');
  });

  it('refuses everyone but the director and the board', async () => {
    const backend = withDirector();
    await expect(backend.schoolLog()).rejects.toMatchObject({ code: 'locked' });
    for (const [name, pin] of [['Anouk Jansen', '482913'], ['Pieter de Vries', '735142']]) {
      const user = backend.state.users.find((u) => u.full_name === name)!;
      await backend.unlock(user.id, pin);
      await expect(backend.schoolLog()).rejects.toMatchObject({
        code: 'not_allowed',
        message: 'Het logboek van de school is voor de directie en het bestuur.',
      });
    }
    await backend.unlock(backend.state.users.find((u) => u.role === 'board')!.id, '604918');
    await expect(backend.schoolLog()).resolves.toMatchObject({ entries: [] });
  });
});

describe('school log screen', () => {
  it('shows the director, newest first, who added and who reset a user', async () => {
    const backend = withDirector();
    await coordinatorAddsAndResets(backend);
    // Apart in time, so that the order is the log's own and the moment can be read.
    backend.state.log[0].recorded_at = new Date('2026-11-16T08:25:00').toISOString();
    backend.state.log[1].recorded_at = new Date('2026-11-17T14:05:00').toISOString();
    await unlockAs(backend, 'Marieke van Dijk', '906142');
    await openLog();
    expect(screen.getByText('Elke wijziging aan een account en elk vernietigd dossier staat hier en kan niet worden gewist.')).toBeTruthy();
    expect(await items()).toEqual([
      `17 november 2026 om 14:05 Anouk Jansen (${COORDINATOR}) stelde een nieuwe pincode in voor Jeroen Smit.`,
      `16 november 2026 om 08:25 Anouk Jansen (${COORDINATOR}) voegde Jeroen Smit toe als leerkracht.`,
    ]);
    await fireEvent.click(screen.getByRole('button', { name: 'Terug' }));
    await screen.findByRole('heading', { name: 'Instellingen' });
  });

  it('shows the board every kind, the recovery key, and a removed colleague by name', async () => {
    const backend = withDirector();
    const jeroen = await coordinatorAddsAndResets(backend);
    await backend.unlock(backend.state.users[0].id, '482913');
    await backend.removeUser('482913', jeroen.id);
    await backend.lock();
    const [anouk, pieter] = backend.state.users;
    backend.state.log.push(
      { ...backend.state.log[0], id: 'e-role', kind: 'role_changed', subject: pieter.id, role: 'coordinator' },
      { ...backend.state.log[1], id: 'e-key', author: 'director-1', author_role: 'director', subject: anouk.id, with_recovery_key: true },
    );
    backend.state.log.forEach((e, i) => (e.recorded_at = new Date(Date.UTC(2026, 10, 16, 8, i)).toISOString()));
    await unlockAs(backend, 'Karin Smit', '604918');
    await openLog();
    const lines = await items();
    expect(lines.map((l) => l?.replace(/^.*? om \d\d:\d\d /, ''))).toEqual([
      'Marieke van Dijk (directie) stelde een nieuwe pincode in voor Anouk Jansen, met de herstelsleutel.',
      `Anouk Jansen (${COORDINATOR}) gaf Pieter de Vries de rol ${COORDINATOR}.`,
      `Anouk Jansen (${COORDINATOR}) verwijderde Jeroen Smit.`,
      `Anouk Jansen (${COORDINATOR}) stelde een nieuwe pincode in voor Jeroen Smit.`,
      `Anouk Jansen (${COORDINATOR}) voegde Jeroen Smit toe als leerkracht.`,
    ]);
    expect(screen.getAllByRole('listitem')[0].querySelector('time')?.getAttribute('datetime')).toBe(backend.state.log[4].recorded_at);
  });

  it('says so when nothing has been logged yet', async () => {
    await unlockAs(withDirector(), 'Marieke van Dijk', '906142');
    await openLog();
    expect((await screen.findByTestId('school-log-empty')).textContent).toBe('Er staat nog niets in het logboek.');
    expect(screen.queryByTestId('school-log')).toBeNull();
  });

  it('cannot be reached by a teacher or the coordinator, and shows the core\'s refusal if opened anyway', async () => {
    const backend = withDirector();
    for (const [name, pin] of [['Pieter de Vries', '735142'], ['Anouk Jansen', '482913']]) {
      await unlockAs(backend, name, pin);
      await fireEvent.click(screen.getByRole('button', { name: 'Instellingen' }));
      await screen.findByRole('heading', { name: 'Instellingen' });
      expect(screen.queryByRole('button', { name: 'Logboek bekijken' })).toBeNull();
      expect(screen.queryByText('Logboek van de school')).toBeNull();
      cleanup();
      await backend.lock();
    }
    const app = new AppState(backend);
    app.signedIn(await backend.unlock(backend.state.users[0].id, '482913'));
    render(SchoolLog, { app });
    expect((await screen.findByRole('alert')).textContent).toBe('Het logboek van de school is voor de directie en het bestuur.');
  });

  it('is in English too', async () => {
    const backend = withDirector();
    await coordinatorAddsAndResets(backend);
    backend.state.settings.language = 'en';
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: /Marieke van Dijk/ }));
    await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '906142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'View the log' }));
    await screen.findByRole('heading', { name: 'School log' });
    expect(screen.getByText('Every change to an account and every destroyed case is listed here and cannot be erased.')).toBeTruthy();
    const lines = (await items()).join('\n');
    expect(lines).toContain('Anouk Jansen (care coordinator) added Jeroen Smit as teacher.');
    expect(lines).toContain('Anouk Jansen (care coordinator) set a new PIN for Jeroen Smit.');
    expect(lines).toMatch(/\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d/);
  });
});

describe('school log texts', () => {
  it('has every Dutch text in English, apart from the first chunk\'s texts', () => {
    expect(keys(SCHOOL_LOG_DICTIONARIES.en)).toEqual(keys(SCHOOL_LOG_DICTIONARIES.nl));
    const first = new Set(Object.keys(DICTIONARIES.nl));
    expect(Object.keys(SCHOOL_LOG_DICTIONARIES.nl).filter((k) => first.has(k))).toEqual([]);
    setLanguage('en');
    expect(logLines({ entries: [], people: [] })).toEqual([]);
  });

  it('words a kind it does not know, and a person it cannot name, without failing', () => {
    const entry = {
      id: 'e1',
      recorded_at: '2026-11-16T08:25:00',
      author: 'gone',
      author_role: 'board' as const,
      kind: 'user_renamed',
      subject: 'p1',
      role: null,
      with_recovery_key: false,
      destroyed: null,
    };
    const [line] = logLines({ entries: [entry], people: [{ id: 'p1', full_name: 'Jeroen Smit', role: 'teacher' }] });
    expect(line).toMatchObject({
      when: '16 november 2026 om 08:25',
      who: 'onbekende gebruiker',
      whoRole: 'schoolbestuur',
      what: 'wijzigde het account van Jeroen Smit',
    });
    // An add without its role is not worded as "toe als null".
    expect(logLines({ entries: [{ ...entry, kind: 'user_added' }], people: [] })[0].what).toBe(
      'wijzigde het account van onbekende gebruiker',
    );
  });

  it('words a destroyed case with its records, the last day to keep it and the reason, and no one as subject', () => {
    const entry = {
      id: 'e2',
      recorded_at: '2026-11-16T08:25:00',
      author: 'ib',
      author_role: 'coordinator' as const,
      kind: 'case_destroyed',
      subject: null,
      role: null,
      with_recovery_key: false,
      destroyed: { case: 'c1', retain_until: '2026-08-31', records: 12, reason: 'De bewaartermijn is verstreken.' },
    };
    const [line] = logLines({ entries: [entry], people: [{ id: 'ib', full_name: 'Anouk Jansen', role: 'coordinator' }] });
    expect(line).toMatchObject({
      who: 'Anouk Jansen',
      what: 'vernietigde een dossier van 12 records, te bewaren tot en met 31 augustus 2026. Reden: De bewaartermijn is verstreken.',
    });
  });
});
