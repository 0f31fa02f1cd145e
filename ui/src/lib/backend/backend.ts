// Every call the UI makes to the app's core goes through this interface: the Tauri
// implementation talks to the Rust commands, the mock keeps everything in memory for tests.
import type { CaptureRequest } from '../bindings/CaptureRequest';
import type { CaptureResult } from '../bindings/CaptureResult';
import type { CaseListItem } from '../bindings/CaseListItem';
import type { CaseView } from '../bindings/CaseView';
import type { Command } from '../bindings/Command';
import type { DeviceSettings } from '../bindings/DeviceSettings';
import type { LockScreen } from '../bindings/LockScreen';
import type { Role } from '../bindings/Role';
import type { SchoolLog } from '../bindings/SchoolLog';
import type { SchoolProfile } from '../bindings/SchoolProfile';
import type { Session } from '../bindings/Session';
import type { Setup } from '../bindings/Setup';
import type { SignalCatalogue } from '../bindings/SignalCatalogue';
import type { User } from '../bindings/User';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { FirstRunProfile } from '../bindings/FirstRunProfile';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { DeviceView } from '../bindings/DeviceView';
import type { EnrollmentCodeView } from '../bindings/EnrollmentCodeView';
import type { Figures } from '../bindings/Figures';
import type { DueSteps } from '../bindings/DueSteps';
import type { ExportDone } from '../bindings/ExportDone';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { MaskPoint } from '../bindings/MaskPoint';

export type ContactChannel = 'phone' | 'email' | 'website';

export interface Backend {
  lockScreen(): Promise<LockScreen>;
  /** The provisioned profile when the IT person put a provisioning file on this machine, else
   * the built-in one; rejects with every problem of a provisioning file that is not in order. */
  defaultProfile(): Promise<FirstRunProfile>;
  /** Validates a profile file; rejects with every problem listed. */
  checkProfile(text: string): Promise<SchoolProfile>;
  /** `profileText` null means the provisioned or else the built-in profile. */
  setUp(profileText: string | null, coordinatorName: string, pin: string): Promise<Setup>;
  /** Rejects with `contact_overdue` when this device has been out of contact with the school
   * server for longer than the school allows: then only the recovery key opens it. */
  unlock(userId: string, pin: string): Promise<Session>;
  /** The coordinator releases a device out of contact for too long with the school's recovery
   * key (the paper from the safe; spaces and case do not matter): the PINs open it again.
   * Rejects with `wrong_recovery_key` when the key does not open this device. */
  releaseWithRecoveryKey(recoveryKey: string): Promise<void>;
  lock(): Promise<void>;
  touch(): Promise<void>;
  listCases(search: string | null): Promise<CaseListItem[]>;
  catalogue(): Promise<SignalCatalogue>;
  profile(): Promise<SchoolProfile>;
  /** Resolves only when the save is durable. */
  capture(request: CaptureRequest): Promise<CaptureResult>;
  caseView(caseId: string): Promise<CaseView>;
  /** One engine command on a case; resolves with the case as it now stands. */
  record(caseId: string, command: Command): Promise<CaseView>;
  users(): Promise<User[]>;
  // Administration takes the acting coordinator's own PIN (or passphrase) again: an unlocked
  // tablet left on a desk must not be enough to add a colleague or reset a PIN.
  addUser(actingPin: string, fullName: string, role: Role, pin: string): Promise<User>;
  removeUser(actingPin: string, userId: string): Promise<void>;
  resetPin(actingPin: string, userId: string, pin: string): Promise<void>;
  /** Every change to the users, with everyone it names; for the director and the board only
   * (others are refused with `not_allowed`). */
  schoolLog(): Promise<SchoolLog>;
  /** The evaluation figures from `from` to `to` (YYYY-MM-DD, both included), counts below 5
   * already hidden; for the coordinator and the director (others get `not_allowed`), `invalid`
   * when the period ends before it starts. */
  evaluationFigures(from: string, to: string): Promise<Figures>;
  /** The same figures as CSV, saved where the user picks in the system's dialog; resolves with
   * the path, or null when the dialog was closed without a choice. */
  saveFiguresCsv(from: string, to: string): Promise<string | null>;
  /** The same figures as a printed page (PDF), saved the same way. */
  saveFiguresPdf(from: string, to: string): Promise<string | null>;
  /** The parts of a case that the parent's inspection copy may leave out (work notes, third
   * parties), for the coordinator's preview; coordinator and director only (`not_allowed`). */
  inzageMaskPoints(caseId: string): Promise<MaskPoint[]>;
  /** Makes a PDF copy of the dossier and saves it where the user picks in the system's dialog;
   * the copy is then on record in the case. Null when the dialog was closed (nothing on record). */
  exportDossier(caseId: string, request: ExportRequest): Promise<ExportDone | null>;
  /** The closed cases this user leads whose retention period is over (R15), for her to
   * confirm their destruction; empty for everyone else. */
  dueForDestruction(): Promise<CaseListItem[]>;
  /** Destroys a case whose retention period is over, confirmed with the acting user's PIN;
   * only a tombstone stays. Refused (`rule_violation`) before the period is over. */
  destroyCase(actingPin: string, caseId: string, reason: string): Promise<void>;
  /** The coordinator's digest for today: how many cases ask for a step today and how many are
   * late; null for other roles and on a quiet day. */
  dailyDigest(): Promise<DueSteps | null>;
  /** Resolves with the session as it now stands: no longer `must_change_pin`. */
  changePin(currentPin: string, newPin: string): Promise<Session>;
  /** The coordinator or the director has dealt with the record's alarms; resolves with the
   * session without them. */
  acknowledgeAlarms(): Promise<Session>;
  saveSettings(settings: DeviceSettings): Promise<DeviceSettings>;
  openContact(contactId: string, channel: ContactChannel): Promise<void>;
  /** The session as it now stands (after the full check found something, say). */
  session(): Promise<Session>;
  /** Called when the core locked itself (idle time passed). Returns an unsubscribe. */
  onLocked(callback: () => void): () => void;
  /** Called when the full check after unlock added an alarm to the session. */
  onIntegrity(callback: () => void): () => void;

  // Sync with the school server (DESIGN.md §9).
  /** How this device stands with the school server; works while locked too. */
  syncStatus(): Promise<SyncStatus>;
  /** One round with the server now; rejects with a Dutch message when it fails. */
  syncNow(): Promise<SyncStatus>;
  /** An unlocked coordinator links this device, with its dossier, to the school server. */
  enrollDevice(server: string, code: string): Promise<SyncStatus>;
  /** A new device (first run, no dossier yet) joins the school with a code made for one user,
   * who chooses their PIN or passphrase for this device; resolves signed in as that user.
   * Rejects with `joined_use_other_pin` when the device was set up but the user already has a
   * PIN from her other devices and typed another one: that PIN opens this device too. */
  joinSchool(server: string, code: string, pin: string): Promise<Session>;
  /** A one-time code for a colleague's new device (coordinator only). */
  newEnrollmentCode(userId: string): Promise<EnrollmentCodeView>;
  /** The school's enrolled devices (coordinator only). */
  devices(): Promise<DeviceView[]>;
  /** Revokes a device, confirmed with the acting coordinator's own PIN; resolves with the
   * devices as they now stand. */
  revokeDevice(actingPin: string, deviceId: string): Promise<DeviceView[]>;
  /** Lets a colleague work on another device too: recorded in the school log; confirmed with the
   * acting coordinator's own PIN; resolves with the devices as they now stand. */
  assignUser(actingPin: string, userId: string, deviceId: string): Promise<DeviceView[]>;
  /** Takes a colleague off a device: recorded in the school log; the device gets none of her new
   * cases and her PIN no longer opens it once it hears of it; confirmed with the acting
   * coordinator's own PIN; resolves with the devices as they now stand. */
  unassignUser(actingPin: string, userId: string, deviceId: string): Promise<DeviceView[]>;
  /** Called with the status after every change (a round done, the network gone or back). */
  onSync(callback: (status: SyncStatus) => void): () => void;
  /** Called when the school revoked this device and it has erased its data. */
  onWiped(callback: () => void): () => void;
  /** Called when colleagues' records arrived and were taken into the dossier: the open screens
   * read their data again. */
  onReceived(callback: () => void): () => void;
}

/** The `{code, message}` every command rejects with. */
export class BackendError extends Error {
  readonly code: string;
  constructor(body: ErrorBody) {
    super(body.message);
    this.code = body.code;
  }
}

export function asBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return new BackendError({ code: String(e.code), message: String(e.message) });
  }
  return new BackendError({ code: 'unexpected', message: String(e) });
}
