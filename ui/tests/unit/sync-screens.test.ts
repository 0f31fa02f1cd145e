import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../src/App.svelte';
import { MOCK_RECOVERY_KEY, mockBackend, type MockBackend } from '../../src/lib/backend/mock';
import { setLanguage } from '../../src/lib/i18n/index.svelte';
import { clock } from '../../src/lib/sync';

afterEach(() => {
  cleanup();
  setLanguage('nl');
});

const CODE = 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67ABC-DEFGH-IJKLM-NOPQR-STUVW-XYZ23';
/** Screens and chunks fetched on demand take a while the first time vitest transforms them. */
const LAZY = { timeout: 5000 };
const LINK = `meldcode://koppelen?server=${encodeURIComponent('https://server.school.nl:8443')}&code=${CODE}`;

async function unlockAs(backend: MockBackend, name: string, pin: string) {
  render(App, { backend });
  await fireEvent.click(await screen.findByRole('button', { name: new RegExp(name) }));
  await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: pin } });
  await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  await screen.findByRole('button', { name: 'Nieuwe signalering' });
}

async function openSettings() {
  await fireEvent.click(screen.getByRole('button', { name: 'Instellingen' }));
  await screen.findByRole('heading', { name: 'Schoolserver' }, LAZY);
}

describe('the sync status line', () => {
  it('is not on home while the device is not linked, and comes with the core\'s sync event', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    expect(screen.queryByTestId('sync-line')).toBeNull();
    // Today, whatever the hour the test runs (an hour ago can be yesterday, worded with its date).
    const since = new Date().toISOString();
    backend.setSync({ kind: 'offline', since, waiting: 2 });
    expect((await screen.findByTestId('sync-state')).textContent).toBe(
      `Geen verbinding met de schoolserver sinds ${clock(since)} · 2 wachten op verzending`,
    );
    backend.setSync({ kind: 'rolled_back' });
    await waitFor(() => expect(screen.getByTestId('sync-state').textContent).toBe('Dit apparaat is teruggezet of gewijzigd'));
    expect(screen.getByTestId('sync-rolled-back').getAttribute('role')).toBe('alert');
    backend.setSync({ kind: 'not_enrolled' });
    await waitFor(() => expect(screen.queryByTestId('sync-line')).toBeNull());
  });

  it('syncs on one tap, busy meanwhile, and shows a failed round\'s message', async () => {
    const backend = mockBackend({ seeded: true });
    backend.state.syncDelayMs = 50;
    await unlockAs(backend, 'Pieter de Vries', '735142');
    // Overdue once signed in: at the lock screen it would have taken the recovery key.
    backend.setSync({ kind: 'waiting', count: 3 }, { contact_overdue: true, problem: { code: 'server_unreachable', message: 'De schoolserver antwoordt niet.' } });
    expect((await screen.findByTestId('sync-state')).textContent).toBe('3 wachten op verzending');
    expect(screen.getByTestId('sync-overdue').textContent).toBe(
      'Al lang geen contact met de schoolserver: de intern begeleider moet dit apparaat ontgrendelen met de herstelsleutel.',
    );
    expect(screen.getByTestId('sync-problem').textContent).toBe('De schoolserver antwoordt niet.');
    const button = screen.getByRole('button', { name: 'Nu synchroniseren' });
    await fireEvent.click(button);
    expect(button.textContent?.trim()).toBe('Bezig…');
    expect(button).toHaveProperty('disabled', true);
    await waitFor(() => expect(button).toHaveProperty('disabled', false));
    expect(screen.getByTestId('sync-state').textContent).toMatch(/^Bijgewerkt om \d\d:\d\d$/);
    expect(button.textContent?.trim()).toBe('Nu synchroniseren');
    expect(backend.state.syncRounds).toBe(1);
    expect(screen.queryByTestId('sync-overdue')).toBeNull();
    // The outcome is announced once, in a live region of its own.
    expect(screen.getByRole('status').textContent).toMatch(/^Bijgewerkt om/);

    backend.state.syncFailure = { code: 'server_unreachable', message: 'De schoolserver is niet bereikbaar. Wat u vastlegde, blijft hier bewaard.' };
    await fireEvent.click(screen.getByRole('button', { name: 'Nu synchroniseren' }));
    expect((await screen.findByTestId('sync-error')).textContent).toBe('De schoolserver is niet bereikbaar. Wat u vastlegde, blijft hier bewaard.');
    expect(backend.state.syncRounds).toBe(2);
  });
});

describe('the lock screen', () => {
  /** Last contact at 10:00 local time on 3 October 2026, long past the school's limit. */
  const overdue = (backend: MockBackend) =>
    backend.setSync({ kind: 'offline', since: new Date(2026, 9, 3, 10, 0).toISOString(), waiting: 2 }, { contact_overdue: true });

  async function choose(backend: MockBackend, name: string) {
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: new RegExp(name) }));
  }

  it('says when the device has been out of contact too long, with the day of the last contact, before anyone tries a PIN', async () => {
    const backend = mockBackend({ seeded: true });
    render(App, { backend });
    await screen.findByText('Wie bent u?');
    expect(screen.queryByTestId('contact-overdue')).toBeNull();
    overdue(backend);
    expect((await screen.findByTestId('contact-overdue')).textContent).toBe(
      'Geen contact met de schoolserver sinds 3 oktober 2026: langer dan de school toestaat. Een pincode opent het nu niet. De intern begeleider geeft het vrij met de herstelsleutel uit de kluis.',
    );
    // No PIN opens it now: no one to choose, the recovery key instead.
    expect(screen.queryByRole('button', { name: /Anouk Jansen/ })).toBeNull();
    expect(screen.queryByLabelText('Pincode')).toBeNull();
    expect(screen.getByLabelText('Herstelsleutel')).toBeTruthy();
  });

  it('without a last contact, says only that it has been too long', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'waiting', count: 1 }, { contact_overdue: true, last_contact: null });
    render(App, { backend });
    expect((await screen.findByTestId('contact-overdue')).textContent).toBe(
      'Dit apparaat heeft te lang geen contact gehad met de schoolserver. Een pincode opent het nu niet. De intern begeleider geeft het vrij met de herstelsleutel uit de kluis.',
    );
  });

  it('overdue: the recovery key releases the device, a wrong key is refused, then the PINs open it again', async () => {
    const backend = mockBackend({ seeded: true });
    overdue(backend);
    render(App, { backend });
    const field = (await screen.findByLabelText('Herstelsleutel')) as HTMLInputElement;
    expect(field.id).toBe('recovery-key');
    expect(field.dataset.testid).toBe('recovery-key-input');
    expect([field.type, field.getAttribute('autocomplete'), field.getAttribute('autocapitalize'), field.getAttribute('spellcheck')]).toEqual([
      'text', 'off', 'characters', 'false',
    ]);
    expect(screen.getByText(/^Intern begeleider: typ de herstelsleutel van het papier uit de kluis\./)).toBeTruthy();

    const button = screen.getByRole('button', { name: 'Apparaat vrijgeven' });
    expect(button).toHaveProperty('disabled', true);
    await fireEvent.input(field, { target: { value: 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRSS' } });
    await fireEvent.click(button);
    const error = await screen.findByTestId('lock-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('De herstelsleutel klopt niet. Controleer hem met het papier uit de kluis.');
    expect(field.value).toBe('');
    expect(backend.state.sync.contact_overdue).toBe(true);

    // Typed from the paper as it comes: small letters and spaces are fine.
    await fireEvent.input(field, { target: { value: 'abcd efgh ijkl mnop qrst uvwx yz23 4567 abcd efgh ijkl mnop qrst' } });
    await fireEvent.click(button);
    expect((await screen.findByTestId('released')).textContent).toBe('Het apparaat is vrijgegeven. Kies uw naam en typ uw pincode.');
    expect(screen.queryByTestId('contact-overdue')).toBeNull();
    expect(backend.state.current).toBeNull();
    // A teacher opens it with her own PIN.
    await fireEvent.click(screen.getByRole('button', { name: /Pieter de Vries/ }));
    await fireEvent.input(await screen.findByLabelText('Pincode'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(backend.state.current?.full_name).toBe('Pieter de Vries');
  });

  it('not overdue: the PIN pad as always, and no recovery key field', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await choose(backend, 'Anouk Jansen');
    await screen.findByLabelText('Pincode');
    expect(screen.getByRole('button', { name: '5' })).toBeTruthy();
    expect(screen.queryByTestId('contact-overdue')).toBeNull();
    expect(screen.queryByTestId('recovery-key-input')).toBeNull();
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '482913' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
  });

  it('a PIN the core refuses as overdue turns the screen to the recovery key', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await choose(backend, 'Anouk Jansen');
    // The core knows before the app has heard: no sync event.
    backend.state.sync.contact_overdue = true;
    await fireEvent.input(await screen.findByLabelText('Pincode'), { target: { value: '482913' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByLabelText('Herstelsleutel');
    expect(screen.getByTestId('lock-error').textContent).toMatch(/^Dit apparaat heeft sinds \d\d-\d\d-\d{4} geen contact gehad/);
    expect(screen.queryByLabelText('Pincode')).toBeNull();
    expect(backend.state.current).toBeNull();
  });

  it('in English too', async () => {
    const backend = mockBackend({ seeded: true });
    backend.state.settings.language = 'en';
    overdue(backend);
    render(App, { backend });
    expect((await screen.findByTestId('contact-overdue')).textContent).toBe(
      'No contact with the school server since 3 October 2026: longer than the school allows. A PIN does not open it now. The care coordinator releases it with the recovery key from the safe.',
    );
    await fireEvent.input(screen.getByLabelText('Recovery key'), { target: { value: 'WRONG' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Release this device' }));
    expect((await screen.findByTestId('lock-error')).textContent).toBe('The recovery key is not right. Check it against the paper from the safe.');
  });
});

describe('the mock\'s recovery key, as the core answers', () => {
  it('refuses every PIN while overdue, until the key releases the device', async () => {
    const backend = mockBackend({ seeded: true });
    const [anouk, pieter] = backend.state.users;
    backend.setSync({ kind: 'current', at: new Date().toISOString() }, { contact_overdue: true });
    await expect(backend.unlock(anouk.id, '482913')).rejects.toMatchObject({ code: 'contact_overdue' });
    await expect(backend.unlock(pieter.id, '000000')).rejects.toMatchObject({ code: 'contact_overdue' });
    await expect(backend.releaseWithRecoveryKey('ABCD')).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    await expect(backend.unlock(pieter.id, '735142')).rejects.toMatchObject({ code: 'contact_overdue' });
    await backend.releaseWithRecoveryKey(MOCK_RECOVERY_KEY);
    expect(backend.state.current).toBeNull();
    expect((await backend.unlock(pieter.id, '735142')).user.full_name).toBe('Pieter de Vries');
  });

  it('is the key the first run shows', async () => {
    const backend = mockBackend();
    expect((await backend.setUp(null, 'Anouk Jansen', '482913')).recovery_key).toBe(MOCK_RECOVERY_KEY);
  });
});

describe('settings: the school server', () => {
  it('links the coordinator\'s device, a pasted link filling both fields', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await openSettings();
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelen aan de schoolserver' }));
    expect((await screen.findByTestId('enroll-error')).textContent).toBe('Vul het adres van de schoolserver en de koppelcode in.');
    const code = screen.getByLabelText('Koppelcode of koppellink') as HTMLTextAreaElement;
    await fireEvent.input(code, { target: { value: LINK } });
    expect((screen.getByLabelText('Adres van de schoolserver') as HTMLInputElement).value).toBe('https://server.school.nl:8443');
    expect(code.value).toBe(CODE);
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelen aan de schoolserver' }));
    await screen.findByText('Dit apparaat is gekoppeld aan de schoolserver.');
    expect(screen.getByTestId('server-address').textContent).toBe('Gekoppeld aan https://server.school.nl:8443');
    expect(screen.getByTestId('sync-state').textContent).toMatch(/^Bijgewerkt om/);
    expect(backend.state.sync.enrolled).toBe(true);
  });

  it('makes a code for a colleague\'s new device: QR code as an image, the code in groups, its lifetime', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await openSettings();
    const make = screen.getByRole('button', { name: 'Koppelcode maken' });
    expect(make).toHaveProperty('disabled', true);
    const pieter = backend.state.users[1];
    await fireEvent.change(screen.getByLabelText('Voor wie is het apparaat?'), { target: { value: pieter.id } });
    await fireEvent.click(make);
    const card = await screen.findByTestId('enrollment-code');
    expect(within(card).getByRole('heading').textContent).toBe('Koppelcode voor Pieter de Vries');
    const img = within(card).getByRole('img') as HTMLImageElement;
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3C%3Fxml/);
    expect(img.alt).toBe('QR-code met de koppellink voor Pieter de Vries');
    expect(card.querySelector('svg')).toBeNull();
    const code = backend.state.codes[0];
    expect(screen.getByTestId('code-text').textContent?.trim().split(/\s+/)).toEqual(code.text.split('-'));
    expect(screen.getByTestId('code-link').textContent).toBe(code.link);
    expect(screen.getByTestId('code-lifetime').textContent).toBe(`Geldig tot ${clock(code.expires_at)} (nog 15 minuten)`);
  });

  it('says an expired code has expired, and shows no code', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    backend.state.codeTtlMs = -1000;
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await openSettings();
    await fireEvent.change(screen.getByLabelText('Voor wie is het apparaat?'), { target: { value: backend.state.users[1].id } });
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelcode maken' }));
    expect((await screen.findByTestId('code-lifetime')).textContent).toBe('Verlopen — maak een nieuwe code');
    expect(screen.queryByTestId('code-qr')).toBeNull();
    expect(screen.queryByTestId('code-text')).toBeNull();
  });

  it('shows a teacher only whether the device is linked', async () => {
    const backend = mockBackend({ seeded: true });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await openSettings();
    expect(screen.getByTestId('not-enrolled').textContent).toContain('niet gekoppeld');
    expect(screen.queryByLabelText('Adres van de schoolserver')).toBeNull();
    cleanup();
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    await openSettings();
    expect(screen.getByTestId('sync-line')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Apparaten' })).toBeNull();
    expect(screen.queryByLabelText('Voor wie is het apparaat?')).toBeNull();
  });
});

describe('devices', () => {
  it('lists the school\'s devices and revokes one after the coordinator\'s own PIN', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await unlockAs(backend, 'Anouk Jansen', '482913');
    await openSettings();
    await fireEvent.click(screen.getByRole('button', { name: 'Apparaten' }));
    const list = await screen.findByTestId('devices', {}, LAZY);
    const items = within(list).getAllByTestId('device');
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim().split(' Laatste')[0].split(' Nog geen')[0])).toEqual([
      'Anouk Jansen (intern begeleider / aandachtsfunctionaris), Pieter de Vries (leerkracht), Karin Smit (schoolbestuur) Dit apparaat',
      'Pieter de Vries (leerkracht), Esther Bos (intern begeleider / aandachtsfunctionaris)',
      'Onbekende gebruiker',
      'Bram Hendriks (leerkracht)',
    ]);
    expect(items[2].textContent).toContain('Nog geen contact');
    expect(items[1].textContent).toMatch(/Laatste contact: \d{1,2} \w+ \d{4} om \d\d:\d\d/);
    expect(items[3].textContent).toMatch(/Ingetrokken op /);
    expect(within(items[0]).queryByRole('button', { name: 'Intrekken' })).toBeNull();
    expect(within(items[3]).queryByRole('button', { name: 'Intrekken' })).toBeNull();

    await fireEvent.click(within(items[2]).getByRole('button', { name: 'Intrekken' }));
    expect(screen.getByTestId('confirm-pin').textContent).toContain(
      'Het apparaat van Onbekende gebruiker intrekken? Het apparaat wist bij het volgende contact alle gegevens van Meldcode. Dit kan niet ongedaan worden gemaakt.',
    );
    await fireEvent.input(screen.getByLabelText('Bevestig met uw eigen pincode'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Bevestigen' }));
    expect((await screen.findByTestId('confirm-error')).textContent).toContain('Onjuiste pincode');
    expect(backend.state.devices[2].revoked_at).toBeNull();
    await fireEvent.input(screen.getByLabelText('Bevestig met uw eigen pincode'), { target: { value: '482913' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Bevestigen' }));
    await screen.findByText('Het apparaat van Onbekende gebruiker is ingetrokken.');
    expect(backend.state.devices[2].revoked_at).not.toBeNull();
    expect(within(screen.getAllByTestId('device')[2]).getByTestId('revoked')).toBeTruthy();
  });
});

describe('first run: joining the school', () => {
  it('joins with the server, a code and a new PIN twice, into the app as the user the code was for', async () => {
    const backend = mockBackend();
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: 'Koppelen aan de schoolserver' }, LAZY));
    await fireEvent.input(await screen.findByLabelText('Koppelcode of koppellink'), { target: { value: LINK } });
    expect((screen.getByLabelText('Adres van de schoolserver') as HTMLInputElement).value).toBe('https://server.school.nl:8443');
    await fireEvent.input(screen.getByLabelText('Uw pincode op dit apparaat'), { target: { value: '735142' } });
    await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: '735143' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelen' }));
    expect((await screen.findByTestId('join-error')).textContent).toBe('De twee pincodes zijn niet gelijk.');
    await fireEvent.input(screen.getByLabelText('Uw pincode op dit apparaat'), { target: { value: '010190' } });
    await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: '010190' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelen' }));
    await waitFor(() => expect(screen.getByTestId('join-error').textContent).toBe('Deze pincode lijkt op een datum. Kies zes cijfers die niemand kan raden.'));
    expect(backend.state.users).toHaveLength(0);
    await fireEvent.input(screen.getByLabelText('Uw pincode op dit apparaat'), { target: { value: '735142' } });
    await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(screen.getByRole('navigation', { name: 'Menu' }).textContent).toContain('Pieter de Vries');
    expect((await screen.findByTestId('sync-state')).textContent).toMatch(/^Bijgewerkt om/);
    expect(backend.state.users.map((u) => [u.full_name, u.pin])).toEqual([['Pieter de Vries', '735142']]);
  });

  it('goes back to the school\'s own set-up', async () => {
    render(App, { backend: mockBackend() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Koppelen aan de schoolserver' }, LAZY));
    await fireEvent.click(await screen.findByRole('button', { name: 'Terug' }));
    await screen.findByText('CBS Het Mozaïek, Stadskanaal');
  });
});

describe('a device the school revoked', () => {
  it('goes to the first run, saying calmly that its data was erased', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await unlockAs(backend, 'Pieter de Vries', '735142');
    backend.fireWiped();
    const notice = await screen.findByTestId('wiped', {}, LAZY);
    expect(notice.textContent).toBe('De school heeft dit apparaat ingetrokken. Alle gegevens van Meldcode op dit apparaat zijn gewist.');
    expect(notice.getAttribute('role')).toBe('status');
    expect(screen.queryByTestId('nav-home')).toBeNull();
    expect(screen.queryByText('Sanne Bakker')).toBeNull();
    await screen.findByRole('button', { name: 'Koppelen aan de schoolserver' }, LAZY);
  });
});

describe('a conflict in a case', () => {
  async function openSanne(backend: MockBackend, who: string, pin: string) {
    await unlockAs(backend, who, pin);
    await fireEvent.click(await screen.findByTestId('open-case-Sanne Bakker'));
    await screen.findByRole('heading', { name: /Sanne Bakker/ }, LAZY);
  }

  it('shows the two decisions side by side with who and when, and the coordinator chooses one with a reason', async () => {
    const backend = mockBackend({ seeded: true });
    const conflict = backend.addConflict('Sanne Bakker');
    await openSanne(backend, 'Anouk Jansen', '482913');
    const panel = screen.getByTestId('conflict');
    expect(within(panel).getByRole('heading').textContent).toBe('Twee besluiten zonder elkaar te kennen');
    const records = within(panel).getAllByTestId('conflict-record');
    expect(records).toHaveLength(2);
    expect(records[0].textContent).toContain('Anouk Jansen (intern begeleider / aandachtsfunctionaris)');
    expect(records[0].textContent).toContain('Moeder wil meewerken');
    expect(records[1].textContent).toContain('Esther Bos');
    expect(records[1].textContent).toContain('melden bij Veilig Thuis');
    expect(panel.textContent).toContain('Niets wordt gewist: beide blijven in het dossier; de andere wordt terzijde gelegd.');

    await fireEvent.click(within(panel).getByRole('button', { name: 'Vastleggen' }));
    expect((await within(panel).findByTestId('resolve-error')).textContent).toBe('Kies welke blijft staan.');
    await fireEvent.click(within(panel).getByRole('radio', { name: /^Deze van Esther Bos/ }));
    await fireEvent.click(within(panel).getByRole('button', { name: 'Vastleggen' }));
    expect(within(panel).getByTestId('resolve-error').textContent).toBe('Schrijf op waarom deze blijft staan.');
    await fireEvent.input(within(panel).getByLabelText('Waarom deze? (verplicht)'), { target: { value: 'Het tweede signaal weegt zwaar.' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Vastleggen' }));
    await waitFor(() => expect(screen.queryByTestId('conflict')).toBeNull());
    expect(screen.getByTestId('case-saved').textContent).toBe('Vastgelegd: de keuze tussen de twee.');
    expect(screen.getByTestId('timeline').textContent).toContain('Keuze tussen besluiten van twee apparaten');
    const events = backend.state.records.get(backend.state.cases[0].case_id)!.events;
    const resolution = events[events.length - 1].payload;
    expect(resolution).toEqual({ type: 'conflict_resolved', records: conflict.records, kept: conflict.records[1], reasoning: 'Het tweede signaal weegt zwaar.' });
  });

  it('names two weighings, and tells a teacher the coordinator chooses', async () => {
    const backend = mockBackend({ seeded: true });
    backend.addConflict('Sanne Bakker', 'assessment_recorded');
    await openSanne(backend, 'Pieter de Vries', '735142');
    const panel = screen.getByTestId('conflict');
    expect(within(panel).getByRole('heading').textContent).toBe('Twee wegingen zonder elkaar te kennen');
    expect(within(panel).queryByRole('radio')).toBeNull();
    expect(within(panel).getByTestId('lead-resolves').textContent).toContain('De intern begeleider kiest welke blijft staan.');
  });
});
