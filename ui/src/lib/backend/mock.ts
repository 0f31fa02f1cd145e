// An in-memory backend for component and browser tests. It mirrors the core's observable
// behaviour that the screens depend on (PIN checks, errors as {code, message}, case list order),
// not its rules: those are tested in Rust.
import { BackendError, type Backend, type ContactChannel } from './backend';
import type { CaseListItem } from '../bindings/CaseListItem';
import type { Contact } from '../bindings/Contact';
import type { DeviceSettings } from '../bindings/DeviceSettings';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { IntegrityAlarm } from '../bindings/IntegrityAlarm';
import type { LockScreenUser } from '../bindings/LockScreenUser';
import type { SchoolLogEntry } from '../bindings/SchoolLogEntry';
import type { SchoolProfile } from '../bindings/SchoolProfile';
import type { Session } from '../bindings/Session';
import type { SignalCatalogue } from '../bindings/SignalCatalogue';
import type { User } from '../bindings/User';
import type { CaptureRequest } from '../bindings/CaptureRequest';
import type { Conflict } from '../bindings/Conflict';
import type { DeviceView } from '../bindings/DeviceView';
import type { EnrollmentCodeView } from '../bindings/EnrollmentCodeView';
import type { Role } from '../bindings/Role';
import type { SyncLine } from '../bindings/SyncLine';
import type { SyncStatus } from '../bindings/SyncStatus';
import {
  addConflict as conflictIn,
  makeStaffCase,
  openedCase,
  record as recordOn,
  view as viewOf,
  type MockCase,
} from './mock-cases';
import { weakness } from './mock-pin';
import { mockFigures } from './mock-figures';
import { maskPoints, mayExport, notAllowed, recordCopy } from './mock-export';
import { mockCode, mockDevices, mockLink, mockQr, statusFor } from './mock-sync';
import { looksLikeCode } from '../enroll-link';
import catalogueData from './mock-data/catalogue.json';
import profileData from './mock-data/profile.json';

export const MOCK_CATALOGUE = catalogueData as unknown as SignalCatalogue;
export const MOCK_PROFILE = profileData as unknown as SchoolProfile;

/** The school's recovery key, as `setUp` shows it once (seeded or not, the mock has this one). */
export const MOCK_RECOVERY_KEY = 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST';

/** A recovery key as the core reads it: letters and digits only, in capitals. */
const keyChars = (key: string) => key.replace(/[^a-z0-9]/gi, '').toUpperCase();

/** `mustChangePin`: the coordinator set this PIN (added the user or reset it). */
type MockUser = User & { pin: string; mustChangePin?: boolean };

/** An alarm as the core words it, for tests that need one on screen. */
export const MOCK_ALARM: IntegrityAlarm = {
  kind: 'missing',
  detected_at: '2026-11-18T07:55:00Z',
  since: '2026-11-17T14:30:00Z',
  what: '2 vastlegging(en) van dit apparaat ontbreken in het dossier (volgnummer 41 tot en met 42).',
  todo:
    'Meld dit direct aan de intern begeleider en de directie. Zet niets terug en wis niets: de ICT-beheerder vergelijkt het dossier met de meest recente reservekopie. Leg nieuwe signalen gewoon vast; die worden bewaard.',
};

export interface MockState {
  users: MockUser[];
  /** The school log: each user administration and destroyed case, oldest first, as the core keeps it. */
  log: SchoolLogEntry[];
  /** Users removed since: the log still names them. */
  removed: User[];
  cases: CaseListItem[];
  /** Each case's events, by case id. */
  records: Map<string, MockCase>;
  captures: CaptureRequest[];
  opened: { contactId: string; channel: ContactChannel }[];
  settings: DeviceSettings;
  current: MockUser | null;
  profile: SchoolProfile | null;
  /** As the core reports a damaged or edited emergency.json: the bar falls back to 112 and
   * Veilig Thuis. */
  emergencyProblem: ErrorBody | null;
  /** As the core finds them at unlock (events missing or changed, an older copy put back), until
   * the coordinator or the director acknowledges them. */
  alarms: IntegrityAlarm[];
  /** Set by the mock: announces that the full check after unlock found something. */
  integrityFound?: () => void;
  /** How this device stands with the school server (`setSync` changes it and tells the app). */
  sync: SyncStatus;
  /** The school's devices, once this one is linked. */
  devices: DeviceView[];
  /** Linking codes made on this device. */
  codes: EnrollmentCodeView[];
  /** Staff of the school without an account on this device, known from sync (records of theirs
   * come from other devices). */
  colleagues: User[];
  /** How many rounds `syncNow` was asked for. */
  syncRounds: number;
  /** The next `syncNow` rejects with this, as the core words a failed round. */
  syncFailure: ErrorBody | null;
  /** How long a round takes, so that a test sees it running. */
  syncDelayMs: number;
  /** How long a new linking code is valid (15 minutes, as in the core). */
  codeTtlMs: number;
  /** Who the code used at `joinSchool` was made for. `existingPin`: the PIN she already has on
   * her other devices of the school (a test sets it): typed, it signs her in; another PIN sets
   * the device up all the same and is refused with `joined_use_other_pin`. */
  joiner: { full_name: string; role: Role; existingPin: string | null };
  /** Where `saveFiguresCsv` saved, in order. */
  savedCsv: string[];
  /** The save dialog is closed without a choice. */
  csvDialogCancelled: boolean;
  /** Where `saveFiguresPdf` and `exportDossier` saved, in order. */
  savedPdf: string[];
  /** Tombstones of destroyed cases: the id and the reason, nothing else. */
  destroyed: { case_id: string; reason: string }[];
}

function fail(code: string, message: string): never {
  throw new BackendError({ code, message });
}

let counter = 0;
function id(): string {
  counter += 1;
  return `00000000-0000-7000-8000-${counter.toString().padStart(12, '0')}`;
}

function fullName(name: string): boolean {
  const parts = name.trim().split(/\s+/);
  return parts.length >= 2 && parts.every((p) => p.replace(/\./g, '').length >= 2);
}

export interface MockBackend extends Backend {
  state: MockState;
  /** Simulates the core's idle lock. */
  fireLocked(): void;
  /** As if the core had found the record tampered with: the alarm comes with the next unlock. */
  raiseAlarm(): void;
  /** Puts this device on `line` (linked to the server unless `not_enrolled`) and tells the app,
   * as the core's `sync` event does. */
  setSync(line: SyncLine, extra?: Partial<SyncStatus>): SyncStatus;
  /** As if the school had revoked this device: its data erased, the app told (`wiped`). */
  fireWiped(): void;
  /** Two decisions (or weighings) made apart on this device and another, in the case of
   * `pupilName`, as sync brings them together. */
  addConflict(pupilName: string, kind?: 'decision_recorded' | 'assessment_recorded'): Conflict;
}

/** `seeded`: a set-up school with a coordinator, a teacher, a board member and three cases (one
 * overdue, one about a staff member, which the board leads). */
export function mockBackend(options: { seeded?: boolean } = {}): MockBackend {
  const listeners = new Set<() => void>();
  // The full check after unlock: tests raise an alarm with `state.alarms` and call these.
  const integrityListeners = new Set<() => void>();
  const syncListeners = new Set<(status: SyncStatus) => void>();
  const wipedListeners = new Set<() => void>();
  const state: MockState = {
    users: [],
    log: [],
    removed: [],
    cases: [],
    records: new Map(),
    captures: [],
    opened: [],
    settings: { language: 'nl', lock_after_minutes: 3, reminders: true },
    current: null,
    profile: null,
    emergencyProblem: null,
    alarms: [],
    sync: statusFor({ kind: 'not_enrolled' }),
    devices: [],
    codes: [],
    colleagues: [],
    syncRounds: 0,
    syncFailure: null,
    syncDelayMs: 0,
    codeTtlMs: 15 * 60_000,
    joiner: { full_name: 'Pieter de Vries', role: 'teacher', existingPin: null },
    savedCsv: [],
    csvDialogCancelled: false,
    savedPdf: [],
    destroyed: [],
  };
  state.integrityFound = () => integrityListeners.forEach((l) => l());
  if (options.seeded) {
    state.profile = MOCK_PROFILE;
    state.users.push(
      { id: id(), full_name: 'Anouk Jansen', role: 'coordinator', pin: '482913' },
      { id: id(), full_name: 'Pieter de Vries', role: 'teacher', pin: '735142' },
      { id: id(), full_name: 'Karin Smit', role: 'board', pin: '604918' },
    );
    state.cases.push(
      seededCase('Sanne Bakker', 'groep 5', 'consultation', '2026-11-20', true),
      seededCase('Daan Visser', 'groep 3', 'signals', null, false),
      seededCase('Mila de Jong', 'groep 6', 'signals', null, false),
    );
    for (const c of state.cases) state.records.set(c.case_id, openedCase(c, state.users[1], new Date('2026-11-16T08:25:00')));
    makeStaffCase(caseOfSeed(state, 'Mila de Jong'), state.users[0], 'Karin Smit', new Date('2026-11-17T09:00:00'));
    state.colleagues.push({ id: id(), full_name: 'Esther Bos', role: 'coordinator' });
  }
  const caseOf = (caseId: string): MockCase =>
    state.records.get(caseId) ?? fail('not_found', 'Dossier niet gevonden.');

  const signedIn = (): MockUser => state.current ?? fail('locked', 'De app is vergrendeld.');
  const coordinator = (): MockUser => {
    const me = signedIn();
    if (me.role !== 'coordinator') fail('not_allowed', 'Alleen de intern begeleider beheert gebruikers.');
    return me;
  };
  const userById = (userId: string): MockUser =>
    state.users.find((u) => u.id === userId) ?? fail('unknown_user', 'Deze gebruiker bestaat niet op dit apparaat.');
  /** The core's words, with the last contact as it writes it (dd-mm-jjjj) and the school's limit. */
  const overdue = (): never => {
    const at = new Date(state.sync.last_contact ?? Date.now());
    const day = [at.getDate(), at.getMonth() + 1].map((n) => String(n).padStart(2, '0')).join('-');
    const limit = (state.profile ?? MOCK_PROFILE).contact_limit_days;
    return fail(
      'contact_overdue',
      `Dit apparaat heeft sinds ${day}-${at.getFullYear()} geen contact gehad met de schoolserver, langer dan de ${limit} dagen die de school toestaat. Daarom opent het niet meer met een pincode: de intern begeleider geeft het vrij met de herstelsleutel uit de kluis. Zorg daarna dat het apparaat verbinding heeft met het schoolnetwerk.`,
    );
  };
  const checkPin = (pin: string) => {
    const why = weakness(pin);
    if (why) fail('weak_pin', why);
  };
  // The core counts a wrong acting PIN towards the lockout; the mock only refuses it.
  const confirmActing = (me: MockUser, acting: string) => {
    if (me.pin !== acting) fail('wrong_pin', 'Onjuiste pincode. Nog 3 poging(en) voordat u moet wachten.');
  };
  const checkName = (name: string) => {
    if (!fullName(name)) fail('invalid', 'Vul een volledige naam in (voornaam en achternaam), geen initialen.');
  };
  const lockScreenUser = (u: MockUser): LockScreenUser => ({
    id: u.id,
    display_name: u.full_name,
    role: u.role,
    needs_new_pin: false,
  });
  const session = (): Session => ({
    user: { id: signedIn().id, full_name: signedIn().full_name, role: signedIn().role },
    school_name: state.profile?.school_name ?? '',
    alarms: state.alarms.map((a) => ({ ...a })),
    must_change_pin: signedIn().mustChangePin ?? false,
  });
  const plain = (u: MockUser): User => ({ id: u.id, full_name: u.full_name, role: u.role });
  const logged = (me: MockUser, kind: string, subject: string, role: User['role'] | null = null) =>
    state.log.push({
      id: id(),
      recorded_at: new Date().toISOString(),
      author: me.id,
      author_role: me.role,
      kind,
      subject,
      role,
      with_recovery_key: false,
      destroyed: null,
    });

  const people = () => [...state.users.map(plain), ...state.colleagues];
  const syncChanged = () => {
    const status = structuredClone(state.sync);
    syncListeners.forEach((l) => l(structuredClone(status)));
    return status;
  };
  const linked = (line: SyncLine, extra: Partial<SyncStatus> = {}) => {
    state.sync = statusFor(line, extra);
    if (state.sync.enrolled && !state.devices.length) state.devices = mockDevices(state.users.map(plain), state.colleagues);
    if (!state.sync.enrolled) state.devices = [];
    return syncChanged();
  };
  const notLinked = () => fail('not_enrolled', 'Dit apparaat is niet gekoppeld aan de schoolserver.');
  const checkServer = (server: string) => {
    if (!/^https:\/\/[^\s/?#]+(\/\S*)?$/i.test(server.trim()))
      fail('invalid_server', 'Vul het adres van de schoolserver in zoals de ICT-beheerder het gaf, bijvoorbeeld https://server.school.nl:8443.');
  };
  const checkCode = (code: string) => {
    if (!looksLikeCode(code))
      fail('bad_code', 'Dit is geen geldige koppelcode. Controleer de code of vraag de intern begeleider om een nieuwe.');
  };
  /** A record made here waits for the next round, when this device is linked. */
  const queued = () => {
    const line = state.sync.line;
    if (line.kind === 'current' || line.kind === 'waiting') linked({ kind: 'waiting', count: state.sync.waiting + 1 });
    else if (line.kind === 'offline') linked({ ...line, waiting: line.waiting + 1 });
  };

  const backend: MockBackend = {
    state,
    setSync(line, extra) {
      return linked(line, extra);
    },
    fireWiped() {
      Object.assign(state, {
        users: [],
        log: [],
        removed: [],
        cases: [],
        captures: [],
        current: null,
        profile: null,
        alarms: [],
        devices: [],
        codes: [],
        colleagues: [],
      });
      state.records.clear();
      state.sync = statusFor({ kind: 'not_enrolled' });
      wipedListeners.forEach((l) => l());
    },
    addConflict(pupilName, kind = 'decision_recorded') {
      const item = state.cases.find((c) => c.pupil_name === pupilName) ?? fail('not_found', 'Dossier niet gevonden.');
      const mine = state.users.find((u) => u.role === 'coordinator') ?? state.users[0];
      const theirs = state.colleagues[0] ?? mine;
      return conflictIn(caseOf(item.case_id), kind, plain(mine), theirs, '01900000-0000-7000-8000-00000000d002', new Date(Date.now() - 26 * 3600_000));
    },
    fireLocked() {
      state.current = null;
      listeners.forEach((l) => l());
    },
    raiseAlarm() {
      state.alarms.push({ ...MOCK_ALARM });
    },
    async lockScreen() {
      const national = (c: Contact) => c.kind === 'emergency' || c.kind === 'veilig_thuis';
      const bar = (state.profile ?? MOCK_PROFILE).contacts.filter(
        (c) => c.emergency_bar && (!state.emergencyProblem || national(c)),
      );
      return {
        initialised: state.users.length > 0,
        users: state.users.map(lockScreenUser),
        emergency: bar,
        settings: state.settings,
        problem: null,
        emergency_problem: state.emergencyProblem,
      };
    },
    async defaultProfile() {
      return { profile: MOCK_PROFILE, provisioned_from: null };
    },
    async checkProfile(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        fail('invalid_profile', 'Het bestand is geen geldig schoolprofiel (geen JSON).');
      }
      const p = parsed as { school_name?: unknown };
      if (typeof p.school_name !== 'string' || !p.school_name.trim())
        fail('invalid_profile', 'school_name: vul de naam van de school in.');
      return { ...MOCK_PROFILE, school_name: p.school_name };
    },
    async setUp(profileText, name, pin) {
      if (state.users.length) fail('already_initialised', 'Meldcode is op dit apparaat al ingericht.');
      checkName(name);
      checkPin(pin);
      state.profile = profileText ? await backend.checkProfile(profileText) : MOCK_PROFILE;
      const user = { id: id(), full_name: name.trim(), role: 'coordinator' as const, pin };
      state.users.push(user);
      state.current = user;
      return {
        session: session(),
        recovery_key: MOCK_RECOVERY_KEY,
      };
    },
    // Out of contact too long (`state.sync.contact_overdue`, as `setSync` sets it): no PIN
    // opens the device, whoever it is, until a round reaches the server or the recovery key
    // releases it.
    async unlock(userId, pin) {
      if (state.sync.contact_overdue) overdue();
      const user = userById(userId);
      if (user.pin !== pin) fail('wrong_pin', 'Onjuiste pincode. Nog 3 poging(en) voordat u moet wachten.');
      state.current = user;
      return session();
    },
    // The released device has the school's limit again from now: the PINs open it.
    async releaseWithRecoveryKey(recoveryKey) {
      if (keyChars(recoveryKey) !== keyChars(MOCK_RECOVERY_KEY))
        fail('wrong_recovery_key', 'De herstelsleutel klopt niet. Controleer hem met het papier uit de kluis.');
      state.sync = { ...state.sync, contact_overdue: false };
    },
    async lock() {
      state.current = null;
    },
    async touch() {
      signedIn();
    },
    async listCases(search) {
      signedIn();
      const q = (search ?? '').trim().toLowerCase();
      return state.cases.filter(
        (c) => !q || c.pupil_name.toLowerCase().includes(q) || c.group.toLowerCase().includes(q),
      );
    },
    async catalogue() {
      signedIn();
      return MOCK_CATALOGUE;
    },
    async profile() {
      signedIn();
      return state.profile ?? MOCK_PROFILE;
    },
    async capture(request) {
      signedIn();
      if (!request.signal.facts.trim()) fail('rule_violation', 'Beschrijf wat u zag of hoorde, als feiten. (R1)');
      let item: CaseListItem | undefined;
      if (request.case_id) {
        item = state.cases.find((c) => c.case_id === request.case_id) ?? fail('not_found', 'Dossier niet gevonden.');
      } else if (request.new_pupil) {
        checkName(request.new_pupil.full_name);
        item = seededCase(request.new_pupil.full_name.trim(), request.new_pupil.group.trim(), 'signals', null, false);
        state.cases.push(item);
        state.records.set(item.case_id, openedCase(item, signedIn(), new Date()));
      } else {
        fail('invalid', 'Kies een leerling of voeg een nieuwe leerling toe.');
      }
      const me = signedIn();
      if (request.case_id) recordOn(caseOf(item.case_id), plain(me), { type: 'record_signal', ...request.signal });
      state.captures.push(request);
      queued();
      return { case_id: item.case_id, recorded_at: new Date().toISOString() };
    },
    async caseView(caseId) {
      return viewOf(caseOf(caseId), signedIn(), people());
    },
    async record(caseId, command) {
      const me = signedIn();
      recordOn(caseOf(caseId), plain(me), command);
      queued();
      return viewOf(caseOf(caseId), me, people());
    },
    async users() {
      signedIn();
      return state.users.map(plain);
    },
    // The checks in the core's order: role, the new user's details, then the acting PIN.
    async addUser(acting, name, role, pin) {
      const me = coordinator();
      checkName(name);
      checkPin(pin);
      confirmActing(me, acting);
      const user = { id: id(), full_name: name.trim(), role, pin, mustChangePin: true };
      state.users.push(user);
      logged(me, 'user_added', user.id, role);
      return plain(user);
    },
    async removeUser(acting, userId) {
      const me = coordinator();
      if (userId === me.id) fail('not_allowed', 'U kunt uzelf niet verwijderen.');
      confirmActing(me, acting);
      const gone = userById(userId);
      state.users = state.users.filter((u) => u !== gone);
      state.removed.push(plain(gone));
      logged(me, 'user_removed', gone.id);
    },
    async resetPin(acting, userId, pin) {
      const me = coordinator();
      checkPin(pin);
      confirmActing(me, acting);
      const user = userById(userId);
      user.pin = pin;
      user.mustChangePin = true;
      logged(me, 'pin_reset', user.id);
    },
    async schoolLog() {
      const me = signedIn();
      if (me.role !== 'director' && me.role !== 'board')
        fail('not_allowed', 'Het logboek van de school is voor de directie en het bestuur.');
      return { entries: state.log.map((e) => ({ ...e })), people: [...state.users.map(plain), ...state.removed] };
    },
    async evaluationFigures(from, to) {
      const me = signedIn();
      if (me.role !== 'coordinator' && me.role !== 'director')
        fail('not_allowed', 'De cijfers over de meldcode zijn voor de directie en de aandachtsfunctionaris.');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to))
        fail('invalid', 'Kies een begin- en een einddatum.');
      if (from > to) fail('invalid', 'De periode eindigt voordat ze begint: kies een einddatum na de begindatum.');
      return mockFigures(from, to);
    },
    async saveFiguresCsv(from, to) {
      await backend.evaluationFigures(from, to);
      if (state.csvDialogCancelled) return null;
      const path = `/home/directie/Documenten/meldcode-cijfers-${from}-${to}.csv`;
      state.savedCsv.push(path);
      return path;
    },
    async saveFiguresPdf(from, to) {
      await backend.evaluationFigures(from, to);
      if (state.csvDialogCancelled) return null;
      const path = `/home/directie/Documenten/meldcode-cijfers-${from}-${to}.pdf`;
      state.savedPdf.push(path);
      return path;
    },
    async inzageMaskPoints(caseId) {
      const me = signedIn();
      const c = caseOf(caseId);
      if (!mayExport(me)) notAllowed();
      return maskPoints(c);
    },
    async exportDossier(caseId, request) {
      const me = signedIn();
      const c = caseOf(caseId);
      if (!mayExport(me)) notAllowed();
      if (state.csvDialogCancelled) return null;
      const done = recordCopy(c, plain(me), request);
      state.savedPdf.push(`/home/ib/Documenten/meldcode-${request.copy === 'full' ? 'dossier' : 'inzagekopie'}.pdf`);
      queued();
      return done;
    },
    async dueForDestruction() {
      const me = signedIn();
      const today = new Date().toISOString().slice(0, 10);
      return state.cases
        .filter((c) => c.outcome && c.retain_until && c.retain_until < today)
        .filter((c) => me.role === (c.flags.includes('staff_suspected') ? 'board' : 'coordinator'))
        .map((c) => ({ ...c }));
    },
    async destroyCase(acting, caseId, reason) {
      const me = signedIn();
      const due = await backend.dueForDestruction();
      if (!due.some((c) => c.case_id === caseId))
        fail('rule_violation', 'Dit dossier wordt nog bewaard; daarna kan het worden vernietigd. (R15)');
      if (!reason.trim()) fail('rule_violation', 'Schrijf op waarom het dossier wordt vernietigd. (R15)');
      confirmActing(me, acting);
      const retainUntil = due.find((c) => c.case_id === caseId)?.retain_until ?? '';
      const records = state.records.get(caseId)?.events.length ?? 0;
      state.cases = state.cases.filter((c) => c.case_id !== caseId);
      state.records.delete(caseId);
      state.destroyed.push({ case_id: caseId, reason });
      state.log.push({
        id: id(),
        recorded_at: new Date().toISOString(),
        author: me.id,
        author_role: me.role,
        kind: 'case_destroyed',
        subject: null,
        role: null,
        with_recovery_key: false,
        destroyed: { case: caseId, retain_until: retainUntil, records, reason: reason.trim() },
      });
      queued();
    },
    async dailyDigest() {
      const me = signedIn();
      if (me.role !== 'coordinator') return null;
      // UTC days, as the core counts them.
      const today = new Date().toISOString().slice(0, 10);
      const dues = state.cases.filter((c) => !c.outcome && c.next_due).map((c) => c.next_due as string);
      const steps = { due_today: dues.filter((d) => d === today).length, overdue: dues.filter((d) => d < today).length };
      return steps.due_today + steps.overdue > 0 ? steps : null;
    },
    async changePin(current, next) {
      const me = signedIn();
      if (me.pin !== current) fail('wrong_pin', 'Onjuiste pincode. Nog 3 poging(en) voordat u moet wachten.');
      checkPin(next);
      me.pin = next;
      me.mustChangePin = false;
      return session();
    },
    async acknowledgeAlarms() {
      const me = signedIn();
      if (me.role !== 'coordinator' && me.role !== 'director')
        fail('not_allowed', 'Alleen de intern begeleider of de directie kan een melding over het dossier afhandelen.');
      state.alarms = [];
      return session();
    },
    async saveSettings(settings) {
      signedIn();
      if (settings.lock_after_minutes < 1 || settings.lock_after_minutes > 30)
        fail('invalid', 'Kies een vergrendeltijd van 1 tot 30 minuten.');
      state.settings = settings;
      return settings;
    },
    async openContact(contactId, channel) {
      const contacts = (state.profile ?? MOCK_PROFILE).contacts;
      const known = state.current ? contacts : contacts.filter((c) => c.emergency_bar);
      if (!known.some((c) => c.id === contactId)) fail('not_found', 'Dit contact staat niet in de sociale kaart.');
      state.opened.push({ contactId, channel });
    },
    async session() {
      signedIn();
      return session();
    },
    onLocked(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    onIntegrity(callback) {
      integrityListeners.add(callback);
      return () => integrityListeners.delete(callback);
    },
    async syncStatus() {
      return structuredClone(state.sync);
    },
    async syncNow() {
      signedIn();
      state.syncRounds += 1;
      if (state.syncDelayMs) await new Promise((r) => setTimeout(r, state.syncDelayMs));
      if (!state.sync.enrolled) notLinked();
      if (state.sync.rolled_back)
        fail('rolled_back', 'Dit apparaat is teruggezet of gewijzigd. Er wordt niets verstuurd tot de intern begeleider het heeft nagekeken.');
      const failure = state.syncFailure;
      if (failure) {
        state.syncFailure = null;
        throw new BackendError(failure);
      }
      return linked({ kind: 'current', at: new Date().toISOString() }, { contact_overdue: false });
    },
    async enrollDevice(server, code) {
      coordinator();
      if (state.sync.enrolled) fail('already_enrolled', 'Dit apparaat is al gekoppeld aan de schoolserver.');
      checkServer(server);
      checkCode(code);
      return linked({ kind: 'current', at: new Date().toISOString() }, { server: server.trim() });
    },
    async joinSchool(server, code, pin) {
      if (state.users.length) fail('already_initialised', 'Meldcode is op dit apparaat al ingericht.');
      checkServer(server);
      checkCode(code);
      checkPin(pin);
      state.profile = MOCK_PROFILE;
      const { existingPin, ...joiner } = state.joiner;
      // Her PIN from her other devices holds here too, whatever she typed.
      const user = { id: id(), ...joiner, pin: existingPin ?? pin };
      state.users.push(user);
      // The school's users come with the code, so the timelines name who recorded elsewhere.
      if (!state.colleagues.length) state.colleagues.push({ id: id(), full_name: 'Anouk Jansen', role: 'coordinator' });
      linked({ kind: 'current', at: new Date().toISOString() }, { server: server.trim() });
      if (user.pin !== pin)
        fail(
          'joined_use_other_pin',
          'Dit apparaat is gekoppeld. U hebt al een pincode op een ander apparaat van school: die geldt ook hier. Ontgrendel met die pincode.',
        );
      state.current = user;
      return session();
    },
    async newEnrollmentCode(userId) {
      coordinator();
      if (!state.sync.enrolled) notLinked();
      const user = userById(userId);
      const text = mockCode();
      const link = mockLink(state.sync.server ?? '', text);
      const code = { text, link, qr_svg: mockQr(link), expires_at: new Date(Date.now() + state.codeTtlMs).toISOString(), user_id: user.id };
      state.codes.push(code);
      return { ...code };
    },
    async devices() {
      coordinator();
      if (!state.sync.enrolled) notLinked();
      return structuredClone(state.devices);
    },
    async revokeDevice(acting, deviceId) {
      const me = coordinator();
      confirmActing(me, acting);
      const device = state.devices.find((d) => d.device_id === deviceId) ?? fail('not_found', 'Dit apparaat is niet bekend bij de schoolserver.');
      if (device.this_device) fail('not_allowed', 'Dit apparaat kan zichzelf niet intrekken.');
      if (device.revoked_at) fail('already_revoked', 'Dit apparaat is al ingetrokken.');
      device.revoked_at = new Date().toISOString();
      return structuredClone(state.devices);
    },
    // As revokeDevice: role, the acting PIN, then the device and who is to work on it.
    async assignUser(acting, userId, deviceId) {
      const me = coordinator();
      confirmActing(me, acting);
      const device = state.devices.find((d) => d.device_id === deviceId) ?? fail('not_found', 'Dit apparaat is niet bekend bij de schoolserver.');
      if (device.revoked_at) fail('device_revoked', 'Dit apparaat is ingetrokken: daarop kan niemand meer werken.');
      const user = people().find((u) => u.id === userId) ?? fail('unknown_user', 'Deze collega is niet bekend bij de school.');
      if (device.users.some((u) => u.user_id === user.id)) fail('already_assigned', 'Deze collega werkt al op dit apparaat.');
      device.users.push({ user_id: user.id, full_name: user.full_name, role: user.role });
      logged(me, 'user_assigned', user.id);
      return structuredClone(state.devices);
    },
    // As assignUser: role, the acting PIN, then the device; then the core's refusals in its order
    // (not on the device, the last one on it, the coordinator herself where she works).
    async unassignUser(acting, userId, deviceId) {
      const me = coordinator();
      confirmActing(me, acting);
      const device = state.devices.find((d) => d.device_id === deviceId) ?? fail('not_found', 'Dit apparaat is niet bekend bij de schoolserver.');
      if (device.revoked_at) fail('device_revoked', 'Dit apparaat is ingetrokken: daarop kan niemand meer werken.');
      if (!device.users.some((u) => u.user_id === userId)) fail('invalid', 'Deze collega werkt niet op dit apparaat.');
      if (device.users.length === 1)
        fail('invalid', 'Dit is de laatste gebruiker van dit apparaat. Trek het apparaat in als het niet meer wordt gebruikt.');
      if (device.this_device && userId === me.id) fail('invalid', 'U kunt uzelf niet van het apparaat halen waarop u werkt.');
      device.users = device.users.filter((u) => u.user_id !== userId);
      logged(me, 'user_unassigned', userId);
      return structuredClone(state.devices);
    },
    onSync(callback) {
      syncListeners.add(callback);
      return () => syncListeners.delete(callback);
    },
    onWiped(callback) {
      wipedListeners.add(callback);
      return () => wipedListeners.delete(callback);
    },
    // Everything in the mock is on this one device: nothing ever arrives from elsewhere.
    onReceived() {
      return () => undefined;
    },
  };
  return backend;
}

function caseOfSeed(state: MockState, name: string): MockCase {
  const item = state.cases.find((c) => c.pupil_name === name)!;
  return state.records.get(item.case_id)!;
}

function seededCase(
  name: string,
  group: string,
  step: CaseListItem['step'],
  due: string | null,
  overdue: boolean,
): CaseListItem {
  const titles: Record<CaseListItem['step'], string> = {
    signals: 'Signalen in kaart brengen',
    consultation: 'Collegiale consultatie en Veilig Thuis',
    parent_conversation: 'Gesprek met de ouder',
    weighing: 'Wegen',
    decision: 'Beslissen: hulp organiseren of melden',
  };
  return {
    case_id: id(),
    pupil_name: name,
    group,
    step,
    step_title: titles[step],
    flags: [],
    next_due: due,
    next_action: due
      ? { rule: 'R3', code: 'consult_colleague', text: 'Overleg met een collega of de intern begeleider.', due, overdue, by: null }
      : null,
    outcome: null,
    retain_until: null,
    last_recorded_at: new Date().toISOString(),
    overdue,
  };
}
