import { describe, expect, it } from 'vitest';
import { AppState } from '../../src/lib/app.svelte';
import { mockBackend } from '../../src/lib/backend/mock';
import type { Session } from '../../src/lib/bindings/Session';

const as = (id: string): Session => ({ user: { id, full_name: id, role: 'teacher' }, school_name: 'x', alarms: [], must_change_pin: false });

describe('app state', () => {
  it('opens a case on its own screen, or beside the list when the screen is wide', () => {
    const app = new AppState(mockBackend());
    app.screen = 'home';
    app.openCase('c1');
    expect([app.screen, app.openCaseId]).toEqual(['case', 'c1']);
    app.sideBySide = true;
    app.go('home');
    app.openCase('c2');
    expect([app.screen, app.openCaseId]).toEqual(['home', 'c2']);
    // "Start" again closes the case beside the list.
    app.go('home');
    expect([app.screen, app.openCaseId]).toEqual(['home', null]);
  });

  it('keeps each user\'s recent signals in memory only, newest first', () => {
    const app = new AppState(mockBackend());
    app.session = as('u1');
    expect(app.recentSignals()).toEqual([]);
    app.rememberSignals(['a', 'b']);
    app.rememberSignals(['c', 'a']);
    expect(app.recentSignals()).toEqual(['c', 'a', 'b']);
    app.session = as('u2');
    expect(app.recentSignals()).toEqual([]);
    app.session = as('u1');
    expect(app.recentSignals()).toEqual(['c', 'a', 'b']);
    expect(sessionStorage.length + localStorage.length).toBe(0);
  });

  it('keeps a user with a PIN the coordinator set on choosing their own until the core says it is done', () => {
    const app = new AppState(mockBackend());
    app.signedIn({ ...as('u1'), must_change_pin: true });
    expect(app.screen).toBe('choose-pin');
    app.go('settings');
    expect(app.screen).toBe('choose-pin');
    app.sessionChanged({ ...as('u1'), must_change_pin: true });
    expect(app.screen).toBe('choose-pin');
    app.sessionChanged(as('u1'));
    expect(app.screen).toBe('home');
    app.go('settings');
    expect(app.screen).toBe('settings');
    // Alarms dealt with elsewhere change the session, not the screen.
    app.sessionChanged(as('u1'));
    expect(app.screen).toBe('settings');
  });
  it('shows an alarm the full check found after unlock, without a new unlock', async () => {
    const backend = mockBackend({ seeded: true });
    const app = new AppState(backend);
    const stop = backend.onIntegrity(() => void app.refreshSession());
    const coordinator = backend.state.users.find((u) => u.role === 'coordinator')!;
    app.signedIn(await backend.unlock(coordinator.id, coordinator.pin));
    expect(app.session?.alarms).toEqual([]);
    backend.state.alarms = [
      {
        kind: 'changed',
        detected_at: '2026-11-30T16:00:00Z',
        since: null,
        what: 'De volledige controle van het dossier vond een fout: hash klopt niet.',
        todo: 'Meld dit direct aan de intern begeleider en de directie.',
      },
    ];
    backend.state.integrityFound?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.session?.alarms.map((a) => a.kind)).toEqual(['changed']);
    stop();
  });
});
