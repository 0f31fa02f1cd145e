// Where the app is: which screen, who is signed in, and whether the privacy screen is up. The
// screens read and change this; the backend is the only way to the data.
import type { Backend } from './backend/backend';
import { activityReporter } from './activity';
import { errorText, setLanguage } from './i18n/index.svelte';
import { asBackendError } from './backend/backend';
import type { CaseListItem } from './bindings/CaseListItem';
import type { LockScreen } from './bindings/LockScreen';
import type { Session } from './bindings/Session';

export type Screen = 'loading' | 'first-run' | 'lock' | 'home' | 'capture' | 'case' | 'social-map' | 'settings';

export class AppState {
  screen = $state<Screen>('loading');
  lockScreen = $state<LockScreen | null>(null);
  session = $state<Session | null>(null);
  privacy = $state(false);
  /** The pupil a capture starts with, when it was started from a case on the home screen. */
  captureFor = $state<Pick<CaseListItem, 'case_id' | 'pupil_name' | 'group'> | null>(null);
  /** The case on the case screen. */
  openCaseId = $state<string | null>(null);
  /** Shown once on the home screen after a save. */
  notice = $state<string | null>(null);
  readonly backend: Backend;
  private reporter;

  constructor(backend: Backend) {
    this.backend = backend;
    this.reporter = activityReporter(() => {
      if (this.session) void this.backend.touch().catch(() => this.locked());
    }, 20_000);
  }

  async start(): Promise<void> {
    await this.refreshLockScreen();
    this.screen = this.lockScreen?.initialised ? 'lock' : 'first-run';
  }

  async refreshLockScreen(): Promise<void> {
    this.lockScreen = await this.backend.lockScreen();
    setLanguage(this.lockScreen.settings.language);
  }

  signedIn(session: Session): void {
    this.session = session;
    this.reporter.reset();
    this.screen = 'home';
  }

  go(screen: Screen): void {
    if (screen !== 'capture') this.captureFor = null;
    this.screen = screen;
  }

  openCase(caseId: string): void {
    this.openCaseId = caseId;
    this.screen = 'case';
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
