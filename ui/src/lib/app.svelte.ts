// Where the app is: which screen, who is signed in, and whether the privacy screen is up. The
// screens read and change this; the backend is the only way to the data.
import type { Backend } from './backend/backend';
import { activityReporter } from './activity';
import { errorText, setLanguage } from './i18n/index.svelte';
import { asBackendError } from './backend/backend';
import type { CaseListItem } from './bindings/CaseListItem';
import type { LockScreen } from './bindings/LockScreen';
import type { Session } from './bindings/Session';
import type { SyncStatus } from './bindings/SyncStatus';
import { sideBySideQuery } from './layout';
import { mergeRecent } from './signals';

export type Screen =
  | 'loading'
  | 'first-run'
  | 'lock'
  | 'choose-pin'
  | 'home'
  | 'capture'
  | 'case'
  | 'social-map'
  | 'settings'
  | 'school-log'
  | 'figures'
  | 'devices';

export class AppState {
  screen = $state<Screen>('loading');
  lockScreen = $state<LockScreen | null>(null);
  session = $state<Session | null>(null);
  privacy = $state(false);
  /** The pupil a capture starts with, when it was started from a case on the home screen. */
  captureFor = $state<Pick<CaseListItem, 'case_id' | 'pupil_name' | 'group'> | null>(null);
  /** The case on the case screen. */
  openCaseId = $state<string | null>(null);
  /** Shown once on the home screen after a save, or on the lock screen (after joining). */
  notice = $state<string | null>(null);
  /** How this device stands with the school server: from the core at start, then from its
   * `sync` events and from what the screens asked for. */
  sync = $state<SyncStatus | null>(null);
  /** The school revoked this device and its data was erased: the first-run screen says so. */
  wiped = $state(false);
  /** Bumped when colleagues' records arrived: the list and the open case are read again. */
  received = $state(0);
  /** A wide screen in landscape: home shows the case list and the open case side by side. */
  sideBySide = $state(false);
  readonly backend: Backend;
  private reporter;
  /** The catalogue codes each user picked lately, most recent first. Only in memory, for as
   * long as the app runs: codes are no personal data, but nothing of a case goes into the
   * webview's storage, and the device settings (in the core) have no place for them yet. */
  private recent = new Map<string, string[]>();

  constructor(backend: Backend) {
    this.backend = backend;
    this.reporter = activityReporter(() => {
      if (this.session) void this.backend.touch().catch(() => this.locked());
    }, 20_000);
    const wide = sideBySideQuery();
    if (wide) {
      this.sideBySide = wide.matches;
      wide.addEventListener('change', (e) => (this.sideBySide = e.matches));
    }
  }

  async start(): Promise<void> {
    void this.refreshSync();
    await this.refreshLockScreen();
    this.screen = this.lockScreen?.initialised ? 'lock' : 'first-run';
  }

  /** The sync status as the core now has it; left as it was when the core cannot say. */
  async refreshSync(): Promise<void> {
    try {
      this.sync = await this.backend.syncStatus();
    } catch {
      // Nothing to show about sync then; the next `sync` event brings it.
    }
  }

  /** The school revoked this device and the core erased its data: back to the first run. */
  async wipedOut(): Promise<void> {
    this.session = null;
    this.captureFor = null;
    this.openCaseId = null;
    this.notice = null;
    this.privacy = false;
    this.sync = null;
    this.wiped = true;
    this.screen = 'first-run';
    await this.refreshLockScreen().catch(() => undefined);
    void this.refreshSync();
  }

  async refreshLockScreen(): Promise<void> {
    this.lockScreen = await this.backend.lockScreen();
    setLanguage(this.lockScreen.settings.language);
  }

  signedIn(session: Session): void {
    this.session = session;
    this.notice = null;
    this.reporter.reset();
    // A PIN the coordinator set is known to two people: the user makes it their own first.
    this.screen = session.must_change_pin ? 'choose-pin' : 'home';
  }

  /** The core answered with the session as it now stands (a PIN changed, alarms dealt with). */
  sessionChanged(session: Session): void {
    this.session = session;
    if (this.screen === 'choose-pin' && !session.must_change_pin) this.screen = 'home';
  }

  go(screen: Screen): void {
    if (this.session?.must_change_pin) return;
    if (screen !== 'capture') this.captureFor = null;
    // "Start" while already there closes the case open beside the list.
    if (screen === 'home' && this.screen === 'home') this.openCaseId = null;
    this.screen = screen;
  }

  /** Side by side, the case opens beside the list on the home screen; otherwise on its own. */
  openCase(caseId: string): void {
    this.openCaseId = caseId;
    this.screen = this.sideBySide ? 'home' : 'case';
  }

  /** The signed-in user's recently picked catalogue codes, most recent first. */
  recentSignals(): string[] {
    const id = this.session?.user.id;
    return (id && this.recent.get(id)) || [];
  }

  rememberSignals(codes: string[]): void {
    const id = this.session?.user.id;
    if (id && codes.length) this.recent.set(id, mergeRecent(this.recent.get(id) ?? [], codes));
  }

  startCapture(forCase: Pick<CaseListItem, 'case_id' | 'pupil_name' | 'group'> | null = null): void {
    this.captureFor = forCase;
    this.screen = 'capture';
  }

  activity(): void {
    if (!this.privacy) this.reporter.activity();
  }

  /** What to tell the user about a failed call; `null` when the core was locked meanwhile,
   * in which case the app has gone to the lock screen. */
  failure(e: unknown): string | null {
    const err = asBackendError(e);
    if (err.code === 'locked') {
      void this.locked();
      return null;
    }
    return errorText(err);
  }

  /** Locks now (the lock button, or the app went to the background). */
  async lock(): Promise<void> {
    await this.backend.lock().catch(() => undefined);
    await this.locked();
  }

  /** The core is locked: forget everything shown and go to the lock screen. */
  /** The full check after unlock found something: show the session's alarms as they now are. */
  async refreshSession(): Promise<void> {
    if (!this.session) return;
    try {
      this.session = await this.backend.session();
    } catch (e) {
      if (asBackendError(e).code === 'locked') await this.locked();
    }
  }

  async locked(): Promise<void> {
    this.session = null;
    this.captureFor = null;
    this.openCaseId = null;
    this.notice = null;
    this.privacy = false;
    this.screen = 'lock';
    await this.refreshLockScreen().catch(() => undefined);
  }
}
