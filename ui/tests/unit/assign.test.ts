// A teacher's PIN on every device she is assigned to: the coordinator lets a colleague work on
// another device too (Apparaten) or takes her off one, and a user who already has a PIN from her
// other devices joins a new one (first run) and is sent to the lock screen when she typed another
// PIN.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../src/App.svelte';
import { BackendError } from '../../src/lib/backend/backend';
import { mockBackend, type MockBackend } from '../../src/lib/backend/mock';
import { setLanguage } from '../../src/lib/i18n/index.svelte';

afterEach(() => {
  cleanup();
  setLanguage('nl');
});

/** Screens and chunks fetched on demand take a while the first time vitest transforms them. */
const LAZY = { timeout: 5000 };
const CODE = 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67ABC-DEFGH-IJKLM-NOPQR-STUVW-XYZ23';
const LINK = `meldcode://koppelen?server=${encodeURIComponent('https://server.school.nl:8443')}&code=${CODE}`;

/** A linked, seeded school, the coordinator on the devices screen. */
async function devicesAsCoordinator(prepare: (backend: MockBackend) => void = () => undefined): Promise<MockBackend> {
  const backend = mockBackend({ seeded: true });
  backend.setSync({ kind: 'current', at: new Date().toISOString() });
  prepare(backend);
  render(App, { backend });
  await fireEvent.click(await screen.findByRole('button', { name: /Anouk Jansen/ }));
  await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '482913' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Instellingen' }));
  await fireEvent.click(await screen.findByRole('button', { name: 'Apparaten' }, LAZY));
  await screen.findByTestId('devices', {}, LAZY);
  return backend;
}

const device = (n: number) => screen.getAllByTestId('device')[n];
const optionNames = (select: HTMLElement) =>
  within(select).getAllByRole('option').map((o) => [o.textContent, (o as HTMLOptionElement).disabled]);

/** Opens the form at device `n`, chooses `name` and goes on to the own PIN. */
async function chooseFor(n: number, name: string) {
  await fireEvent.click(within(device(n)).getByRole('button', { name: 'Collega toevoegen' }));
  const select = within(device(n)).getByLabelText('Welke collega?') as HTMLSelectElement;
  const option = within(select).getByRole('option', { name: new RegExp(name) }) as HTMLOptionElement;
  await fireEvent.change(select, { target: { value: option.value } });
  await fireEvent.click(within(device(n)).getByRole('button', { name: 'Verder' }));
  return within(device(n)).getByTestId('confirm-pin');
}

async function confirmWith(n: number, pin: string) {
  await fireEvent.input(within(device(n)).getByLabelText('Bevestig met uw eigen pincode'), { target: { value: pin } });
  await fireEvent.click(within(device(n)).getByRole('button', { name: 'Bevestigen' }));
}

describe('devices: a colleague on another device too', () => {
  it('offers every device not revoked the action, and only the colleagues not on it yet', async () => {
    await devicesAsCoordinator();
    const buttons = screen.getAllByTestId('device').map((li) => within(li).queryByRole('button', { name: 'Collega toevoegen' }));
    expect(buttons.map((b) => b !== null)).toEqual([true, true, true, false]);

    // The device of Pieter de Vries and Esther Bos: Anouk Jansen and Karin Smit, not Pieter.
    await fireEvent.click(buttons[1]!);
    expect(buttons[1]!.getAttribute('aria-expanded')).toBe('true');
    const select = within(device(1)).getByLabelText('Welke collega?');
    expect(optionNames(select)).toEqual([
      ['Kies een collega', true],
      ['Anouk Jansen (intern begeleider / aandachtsfunctionaris)', false],
      ['Karin Smit (schoolbestuur)', false],
    ]);
    expect(within(device(1)).getByRole('button', { name: 'Verder' })).toHaveProperty('disabled', true);

    // One form at a time: another device's form closes this one.
    await fireEvent.click(buttons[2]!);
    expect(within(device(1)).queryByTestId('add-form')).toBeNull();
    expect(optionNames(within(device(2)).getByLabelText('Welke collega?')).map(([name]) => name)).toEqual([
      'Kies een collega',
      'Anouk Jansen (intern begeleider / aandachtsfunctionaris)',
      'Pieter de Vries (leerkracht)',
      'Karin Smit (schoolbestuur)',
    ]);

    // Everyone already works on this device.
    await fireEvent.click(buttons[0]!);
    expect(within(device(0)).getByTestId('add-none').textContent).toBe("Alle collega's werken al op dit apparaat.");
    expect(within(device(0)).queryByLabelText('Welke collega?')).toBeNull();
    await fireEvent.click(within(device(0)).getByRole('button', { name: 'Annuleren' }));
    expect(within(device(0)).queryByTestId('add-form')).toBeNull();
  });

  it('refuses a wrong own PIN in place, then adds the colleague and says when she appears there', async () => {
    const backend = await devicesAsCoordinator();
    const confirm = await chooseFor(1, 'Karin Smit');
    expect(confirm.textContent).toContain(
      'Karin Smit ook laten werken op het apparaat van Pieter de Vries, Esther Bos, met de eigen pincode?',
    );
    await confirmWith(1, '735142');
    expect((await within(device(1)).findByTestId('confirm-error')).textContent).toContain('Onjuiste pincode');
    expect(backend.state.devices[1].users.map((u) => u.full_name)).toEqual(['Pieter de Vries', 'Esther Bos']);

    await confirmWith(1, '482913');
    const status = await within(device(1)).findByRole('status');
    expect(status.textContent).toBe(
      'Karin Smit kan nu ook op het apparaat van Pieter de Vries, Esther Bos werken, met de eigen pincode. Daar verschijnt Karin Smit op het inlogscherm zodra dat apparaat is bijgewerkt en één keer door iemand is ontgrendeld.',
    );
    expect(within(device(1)).queryByTestId('add-form')).toBeNull();
    expect(device(1).textContent).toContain('Pieter de Vries (leerkracht), Esther Bos (intern begeleider / aandachtsfunctionaris), Karin Smit (schoolbestuur)');
    // The focus is back on the button that opened the form.
    await waitFor(() => expect(document.activeElement).toBe(within(device(1)).getByRole('button', { name: 'Collega toevoegen' })));
    const karin = backend.state.users.find((u) => u.full_name === 'Karin Smit')!;
    expect(backend.state.log.map((e) => [e.kind, e.subject])).toEqual([['user_assigned', karin.id]]);
  });

  it('on this device: the colleague appears here after the next update', async () => {
    const backend = await devicesAsCoordinator((b) => {
      b.state.devices[0].users = b.state.devices[0].users.filter((u) => u.full_name !== 'Karin Smit');
    });
    const confirm = await chooseFor(0, 'Karin Smit');
    expect(confirm.textContent).toContain('Karin Smit ook laten werken op dit apparaat, met de eigen pincode?');
    await confirmWith(0, '482913');
    expect((await within(device(0)).findByRole('status')).textContent).toBe(
      'Karin Smit kan nu ook op dit apparaat werken, met de eigen pincode. Karin Smit verschijnt op het inlogscherm zodra dit apparaat weer is bijgewerkt.',
    );
    expect(backend.state.devices[0].users.map((u) => u.full_name)).toContain('Karin Smit');
  });

  it('shows the core\'s refusal in Dutch when the colleague was added meanwhile', async () => {
    const backend = await devicesAsCoordinator();
    await chooseFor(2, 'Pieter de Vries');
    const pieter = backend.state.users.find((u) => u.full_name === 'Pieter de Vries')!;
    backend.state.devices[2].users.push({ user_id: pieter.id, full_name: pieter.full_name, role: pieter.role });
    await confirmWith(2, '482913');
    const alert = await within(device(2)).findByRole('alert');
    expect(alert.textContent).toBe('Deze collega werkt al op dit apparaat.');
    expect(within(device(2)).queryByTestId('add-form')).toBeNull();
  });

  it('cancelling the own PIN closes the form without a change', async () => {
    const backend = await devicesAsCoordinator();
    await chooseFor(1, 'Anouk Jansen');
    await fireEvent.click(within(device(1)).getByRole('button', { name: 'Annuleren' }));
    expect(within(device(1)).queryByTestId('add-form')).toBeNull();
    expect(backend.state.devices[1].users).toHaveLength(2);
    expect(backend.state.log).toEqual([]);
  });
});

describe('the mock\'s assignUser, as the core answers', () => {
  async function linkedAs(name: string, pin: string) {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await backend.unlock(backend.state.users.find((u) => u.full_name === name)!.id, pin);
    return backend;
  }
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: BackendError) => [e.code, e.message],
    );

  it('is for the coordinator only, with her own PIN', async () => {
    const teacher = await linkedAs('Pieter de Vries', '735142');
    const karin = teacher.state.users[2];
    expect((await refusal(teacher.assignUser('735142', karin.id, teacher.state.devices[1].device_id)))?.[0]).toBe('not_allowed');
    const backend = await linkedAs('Anouk Jansen', '482913');
    expect((await refusal(backend.assignUser('735142', karin.id, backend.state.devices[1].device_id)))?.[0]).toBe('wrong_pin');
  });

  it('wants a known device that is not revoked and a colleague not on it yet', async () => {
    const backend = await linkedAs('Anouk Jansen', '482913');
    const [anouk, pieter] = backend.state.users;
    expect(await refusal(backend.assignUser('482913', anouk.id, '01900000-0000-7000-8000-0000000000ff'))).toEqual([
      'not_found',
      'Dit apparaat is niet bekend bij de schoolserver.',
    ]);
    expect((await refusal(backend.assignUser('482913', anouk.id, backend.state.devices[3].device_id)))?.[0]).toBe('device_revoked');
    expect(await refusal(backend.assignUser('482913', pieter.id, backend.state.devices[1].device_id))).toEqual([
      'already_assigned',
      'Deze collega werkt al op dit apparaat.',
    ]);
    const devices = await backend.assignUser('482913', anouk.id, backend.state.devices[1].device_id);
    expect(devices[1].users[devices[1].users.length - 1]).toEqual({ user_id: anouk.id, full_name: 'Anouk Jansen', role: 'coordinator' });
  });
});

/** The names of the *Van dit apparaat halen* actions at each device, as a screen reader gives them. */
const unassignNames = () =>
  screen.getAllByTestId('device').map((li) => within(li).queryAllByTestId('unassign').map((b) => b.getAttribute('aria-label')));

/** Asks at device `n` to take `name` off it: the own PIN is asked for. */
async function takeOff(n: number, name: string) {
  await fireEvent.click(within(device(n)).getByRole('button', { name: `${name} van dit apparaat halen` }));
  return within(device(n)).getByTestId('confirm-pin');
}

describe('devices: taking a colleague off a device', () => {
  it('offers it for each user of a device with more than one, not on a revoked device and not for herself here', async () => {
    await devicesAsCoordinator((b) => {
      // A revoked device with two users still offers nothing.
      b.state.devices[3].users.push({ user_id: '01900000-0000-7000-8000-0000000000e7', full_name: 'Lotte Mulder', role: 'teacher' });
    });
    expect(unassignNames()).toEqual([
      ['Pieter de Vries van dit apparaat halen', 'Karin Smit van dit apparaat halen'],
      ['Pieter de Vries van dit apparaat halen', 'Esther Bos van dit apparaat halen'],
      [],
      [],
    ]);
    const button = within(device(1)).getByRole('button', { name: 'Esther Bos van dit apparaat halen' });
    expect(button.textContent).toBe('Van dit apparaat halen');
    expect(button.getAttribute('aria-expanded')).toBe('false');

    // One form at a time: this one, the add form and the revoke confirmation close each other.
    await fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(within(device(1)).getAllByTestId('confirm-pin')).toHaveLength(1);
    await fireEvent.click(within(device(1)).getByRole('button', { name: 'Collega toevoegen' }));
    expect(within(device(1)).queryByTestId('unassign-form')).toBeNull();
    expect(within(device(1)).getByTestId('add-form')).toBeTruthy();
    await fireEvent.click(within(device(0)).getByRole('button', { name: 'Karin Smit van dit apparaat halen' }));
    expect(screen.queryByTestId('add-form')).toBeNull();
    expect(screen.getAllByTestId('unassign-form')).toHaveLength(1);
    await fireEvent.click(within(device(1)).getByRole('button', { name: 'Intrekken' }));
    expect(screen.queryByTestId('unassign-form')).toBeNull();
    expect(screen.getAllByTestId('confirm-pin')).toHaveLength(1);
    await fireEvent.click(within(device(1)).getByRole('button', { name: 'Pieter de Vries van dit apparaat halen' }));
    expect(screen.getAllByTestId('confirm-pin')).toHaveLength(1);
    expect(screen.getByTestId('confirm-pin').textContent).toContain('Pieter de Vries werkt dan niet meer op dit apparaat.');
  });

  it('refuses a wrong own PIN in place, then takes her off another device and says when it hears of it', async () => {
    const backend = await devicesAsCoordinator();
    const confirm = await takeOff(1, 'Esther Bos');
    expect(confirm.textContent).toContain(
      'Esther Bos werkt dan niet meer op dit apparaat. Wat het apparaat al had, blijft er versleuteld op staan.',
    );
    // The focus is on what is being confirmed.
    await waitFor(() => expect(document.activeElement?.textContent).toContain('Esther Bos werkt dan niet meer'));
    await confirmWith(1, '735142');
    expect((await within(device(1)).findByTestId('confirm-error')).textContent).toContain('Onjuiste pincode');
    expect(within(device(1)).getByTestId('unassign-form')).toBeTruthy();
    expect(backend.state.devices[1].users.map((u) => u.full_name)).toEqual(['Pieter de Vries', 'Esther Bos']);

    await confirmWith(1, '482913');
    const status = await within(device(1)).findByRole('status');
    expect(status.textContent).toBe(
      'Esther Bos werkt niet meer op dit apparaat. Het apparaat haalt Esther Bos eraf zodra het is bijgewerkt.',
    );
    expect(status.getAttribute('data-testid')).toBe('unassign-message');
    expect(within(device(1)).queryByTestId('unassign-form')).toBeNull();
    expect(device(1).querySelector('.device-who')?.textContent?.trim()).toBe('Pieter de Vries (leerkracht)');
    // Pieter is the last one on it now: nobody can be taken off (the device is revoked instead).
    expect(unassignNames()[1]).toEqual([]);
    // Her button is gone: the focus is on the device's other action.
    await waitFor(() => expect(document.activeElement).toBe(within(device(1)).getByRole('button', { name: 'Collega toevoegen' })));
    const esther = backend.state.colleagues[0];
    expect(backend.state.log.map((e) => [e.kind, e.subject])).toEqual([['user_unassigned', esther.id]]);
  });

  it('on this device: she is off it at once', async () => {
    const backend = await devicesAsCoordinator();
    const confirm = await takeOff(0, 'Karin Smit');
    expect(confirm.textContent).toContain('Karin Smit werkt dan niet meer op dit apparaat.');
    await confirmWith(0, '482913');
    expect((await within(device(0)).findByRole('status')).textContent).toBe('Karin Smit werkt niet meer op dit apparaat.');
    expect(backend.state.devices[0].users.map((u) => u.full_name)).toEqual(['Anouk Jansen', 'Pieter de Vries']);
    expect(unassignNames()[0]).toEqual(['Pieter de Vries van dit apparaat halen']);
    await waitFor(() => expect(document.activeElement).toBe(within(device(0)).getByRole('button', { name: 'Collega toevoegen' })));
  });

  it("shows the core's refusal in Dutch when she became the last one meanwhile", async () => {
    const backend = await devicesAsCoordinator();
    await takeOff(1, 'Pieter de Vries');
    backend.state.devices[1].users = backend.state.devices[1].users.filter((u) => u.full_name === 'Pieter de Vries');
    await confirmWith(1, '482913');
    const alert = await within(device(1)).findByRole('alert');
    expect(alert.textContent).toBe(
      'Dit is de laatste gebruiker van dit apparaat. Trek het apparaat in als het niet meer wordt gebruikt.',
    );
    expect(alert.getAttribute('data-testid')).toBe('unassign-message');
    expect(within(device(1)).queryByTestId('unassign-form')).toBeNull();
    expect(backend.state.log).toEqual([]);
    // The list is as it was shown: the focus is back on the button that opened the confirmation.
    await waitFor(() =>
      expect(document.activeElement).toBe(within(device(1)).getByRole('button', { name: 'Pieter de Vries van dit apparaat halen' })),
    );
  });

  it('cancelling the own PIN closes it without a change, the focus back on the button', async () => {
    const backend = await devicesAsCoordinator();
    await takeOff(1, 'Pieter de Vries');
    await fireEvent.click(within(device(1)).getByRole('button', { name: 'Annuleren' }));
    expect(within(device(1)).queryByTestId('unassign-form')).toBeNull();
    const button = within(device(1)).getByRole('button', { name: 'Pieter de Vries van dit apparaat halen' });
    await waitFor(() => expect(document.activeElement).toBe(button));
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(backend.state.devices[1].users).toHaveLength(2);
    expect(backend.state.log).toEqual([]);
  });

  it('in English: the action names the colleague, the outcome says when the device hears of it', async () => {
    await devicesAsCoordinator();
    setLanguage('en');
    const button = await within(device(1)).findByRole('button', { name: 'Esther Bos: take off this device' });
    expect(button.textContent).toBe('Take off this device');
    await fireEvent.click(button);
    expect(within(device(1)).getByTestId('confirm-pin').textContent).toContain(
      'Esther Bos will then no longer work on this device. What the device already had stays on it, encrypted.',
    );
    await fireEvent.input(within(device(1)).getByLabelText('Confirm with your own PIN'), { target: { value: '482913' } });
    await fireEvent.click(within(device(1)).getByRole('button', { name: 'Confirm' }));
    expect((await within(device(1)).findByRole('status')).textContent).toBe(
      'Esther Bos no longer works on this device. The device takes Esther Bos off once it has been updated.',
    );
  });
});

describe("the mock's unassignUser, as the core answers", () => {
  async function linkedAs(name: string, pin: string) {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await backend.unlock(backend.state.users.find((u) => u.full_name === name)!.id, pin);
    return backend;
  }
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: BackendError) => [e.code, e.message],
    );

  it('is for the coordinator only, with her own PIN', async () => {
    const teacher = await linkedAs('Pieter de Vries', '735142');
    const pieter = teacher.state.users[1];
    expect((await refusal(teacher.unassignUser('735142', pieter.id, teacher.state.devices[1].device_id)))?.[0]).toBe('not_allowed');
    const backend = await linkedAs('Anouk Jansen', '482913');
    expect((await refusal(backend.unassignUser('735142', pieter.id, backend.state.devices[1].device_id)))?.[0]).toBe('wrong_pin');
    expect(backend.state.devices[1].users).toHaveLength(2);
  });

  it("refuses as the core does: an unknown or revoked device, a colleague not on it, its last user, herself here", async () => {
    const backend = await linkedAs('Anouk Jansen', '482913');
    const [anouk, pieter, karin] = backend.state.users;
    const [here, tablet, unseen, revoked] = backend.state.devices.map((d) => d.device_id);
    expect(await refusal(backend.unassignUser('482913', pieter.id, '01900000-0000-7000-8000-0000000000ff'))).toEqual([
      'not_found',
      'Dit apparaat is niet bekend bij de schoolserver.',
    ]);
    backend.state.devices[3].users.push({ user_id: pieter.id, full_name: pieter.full_name, role: pieter.role });
    expect((await refusal(backend.unassignUser('482913', pieter.id, revoked)))?.[0]).toBe('device_revoked');
    expect(await refusal(backend.unassignUser('482913', karin.id, tablet))).toEqual([
      'invalid',
      'Deze collega werkt niet op dit apparaat.',
    ]);
    const [only] = backend.state.devices[2].users;
    expect(await refusal(backend.unassignUser('482913', only.user_id, unseen))).toEqual([
      'invalid',
      'Dit is de laatste gebruiker van dit apparaat. Trek het apparaat in als het niet meer wordt gebruikt.',
    ]);
    expect(await refusal(backend.unassignUser('482913', anouk.id, here))).toEqual([
      'invalid',
      'U kunt uzelf niet van het apparaat halen waarop u werkt.',
    ]);
    expect(backend.state.log).toEqual([]);
  });

  it('takes her off that device only, logged as the core logs it', async () => {
    const backend = await linkedAs('Anouk Jansen', '482913');
    const [anouk, pieter] = backend.state.users;
    // The coordinator can take herself off another device.
    backend.state.devices[1].users.push({ user_id: anouk.id, full_name: anouk.full_name, role: anouk.role });
    let devices = await backend.unassignUser('482913', anouk.id, backend.state.devices[1].device_id);
    devices = await backend.unassignUser('482913', pieter.id, devices[1].device_id);
    expect(devices[1].users.map((u) => u.full_name)).toEqual(['Esther Bos']);
    expect(devices[0].users.map((u) => u.full_name)).toEqual(['Anouk Jansen', 'Pieter de Vries', 'Karin Smit']);
    expect(backend.state.log.map((e) => [e.kind, e.subject, e.author])).toEqual([
      ['user_unassigned', anouk.id, anouk.id],
      ['user_unassigned', pieter.id, anouk.id],
    ]);
  });
});

describe('first run: joining with a PIN from other devices', () => {
  async function join(backend: MockBackend, pin: string) {
    render(App, { backend });
    await fireEvent.click(await screen.findByRole('button', { name: 'Koppelen aan de schoolserver' }, LAZY));
    await fireEvent.input(await screen.findByLabelText('Koppelcode of koppellink'), { target: { value: LINK } });
    await fireEvent.input(screen.getByLabelText('Uw pincode op dit apparaat'), { target: { value: pin } });
    await fireEvent.input(screen.getByLabelText('Pincode nog een keer'), { target: { value: pin } });
    await fireEvent.click(screen.getByRole('button', { name: 'Koppelen' }));
  }

  it('hints at the PIN field that a PIN from another device of the school is the one to type', async () => {
    render(App, { backend: mockBackend() });
    await fireEvent.click(await screen.findByRole('button', { name: 'Koppelen aan de schoolserver' }, LAZY));
    expect((await screen.findByTestId('join-pin-existing')).textContent).toBe(
      'Hebt u al een pincode op een ander apparaat van school? Vul die in.',
    );
  });

  it('another PIN: the device is linked all the same, and the lock screen says which PIN opens it', async () => {
    const backend = mockBackend();
    backend.state.joiner.existingPin = '604918';
    await join(backend, '735142');
    const notice = await screen.findByTestId('lock-notice');
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toBe(
      'Dit apparaat is gekoppeld. U hebt al een pincode op een ander apparaat van school: die geldt ook hier. Ontgrendel met die pincode.',
    );
    expect(screen.queryByTestId('join-error')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(backend.state.current).toBeNull();
    expect(backend.state.sync.enrolled).toBe(true);

    // The PIN typed at joining does not open it; the one from her other devices does.
    await fireEvent.click(screen.getByRole('button', { name: /Pieter de Vries/ }));
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '735142' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    expect((await screen.findByTestId('lock-error')).textContent).toContain('Onjuiste pincode');
    await fireEvent.input(screen.getByLabelText('Pincode'), { target: { value: '604918' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Openen' }));
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(screen.queryByTestId('lock-notice')).toBeNull();
    // Locked again later: the notice was for once.
    await fireEvent.click(screen.getByRole('button', { name: /Vergrendel/ }));
    await screen.findByText('Wie bent u?');
    expect(screen.queryByTestId('lock-notice')).toBeNull();
  });

  it('the same PIN: signed in at once', async () => {
    const backend = mockBackend();
    backend.state.joiner.existingPin = '604918';
    await join(backend, '604918');
    await screen.findByRole('button', { name: 'Nieuwe signalering' });
    expect(backend.state.current?.full_name).toBe('Pieter de Vries');
    expect(screen.queryByTestId('lock-notice')).toBeNull();
  });
});
