import { describe, expect, it } from 'vitest';
import { AppState } from '../../src/lib/app.svelte';
import { mockBackend } from '../../src/lib/backend/mock';

const as = (id: string) => ({ user: { id, full_name: id, role: 'teacher' as const }, school_name: 'x' });

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
});
