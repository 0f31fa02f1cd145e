// The quick capture's logic, apart from its screen so that it can be tested on its own.
import type { BodyMark } from './bindings/BodyMark';
import type { BodySide } from './bindings/BodySide';
import type { CaptureRequest } from './bindings/CaptureRequest';
import type { SignalContext } from './bindings/SignalContext';

export const CONTEXTS: SignalContext[] = [
  'drop_off',
  'pick_up',
  'classroom',
  'playground',
  'home_visit',
  'other',
];

/** At the gate in the morning it is drop-off, in the afternoon pick-up; otherwise the class.
 * A sensible default saves a tap; the teacher can change it. */
export function defaultContext(at: Date): SignalContext {
  const minutes = at.getHours() * 60 + at.getMinutes();
  if (minutes < 9 * 60) return 'drop_off';
  if (minutes >= 14 * 60 + 15 && minutes < 17 * 60) return 'pick_up';
  return 'classroom';
}

export type PupilChoice =
  | { kind: 'existing'; caseId: string; name: string; group: string }
  | { kind: 'new'; fullName: string; group: string };

export interface CaptureDraft {
  pupil: PupilChoice | null;
  context: SignalContext;
  contextDetail: string;
  codes: string[];
  facts: string;
  childWords: string;
  source: 'own' | 'other';
  otherWho: string;
  otherRelation: string;
  marks: BodyMark[];
  observedAt: Date;
}

export function emptyDraft(now: Date): CaptureDraft {
  return {
    pupil: null,
    context: defaultContext(now),
    contextDetail: '',
    codes: [],
    facts: '',
    childWords: '',
    source: 'own',
    otherWho: '',
    otherRelation: '',
    marks: [],
    observedAt: now,
  };
}

/** i18n keys of what is missing, per field, so the screen can point at each one. */
export type DraftProblems = Partial<Record<'pupil' | 'facts' | 'who' | 'relation' | 'contextDetail' | 'observedAt', string>>;

export function problemsOf(d: CaptureDraft, now: Date): DraftProblems {
  const p: DraftProblems = {};
  if (!d.pupil) p.pupil = 'capture.problem.pupil';
  else if (d.pupil.kind === 'new' && d.pupil.fullName.trim().split(/\s+/).length < 2)
    p.pupil = 'capture.problem.pupil_full_name';
  else if (d.pupil.kind === 'new' && !d.pupil.group.trim()) p.pupil = 'capture.problem.pupil_group';
  if (!d.facts.trim()) p.facts = 'capture.problem.facts';
  if (d.source === 'other' && !d.otherWho.trim()) p.who = 'capture.problem.who';
  if (d.source === 'other' && !d.otherRelation.trim()) p.relation = 'capture.problem.relation';
  if (d.context === 'other' && !d.contextDetail.trim()) p.contextDetail = 'capture.problem.context_detail';
  if (Number.isNaN(d.observedAt.getTime())) p.observedAt = 'capture.problem.observed_time';
  else if (d.observedAt.getTime() > now.getTime() + 60_000) p.observedAt = 'capture.problem.observed_at';
  return p;
}

const textOrNull = (s: string) => (s.trim() ? s.trim() : null);

/** The request for the core; `null` while the draft has problems. */
export function toRequest(d: CaptureDraft, now: Date): CaptureRequest | null {
  if (Object.keys(problemsOf(d, now)).length || !d.pupil) return null;
  return {
    case_id: d.pupil.kind === 'existing' ? d.pupil.caseId : null,
    new_pupil:
      d.pupil.kind === 'new'
        ? { full_name: d.pupil.fullName.trim(), group: d.pupil.group.trim(), date_of_birth: null }
        : null,
    signal: {
      observed_at: d.observedAt.toISOString(),
      context: d.context,
      context_detail: textOrNull(d.contextDetail),
      facts: d.facts.trim(),
      child_words: textOrNull(d.childWords),
      source:
        d.source === 'own'
          ? { kind: 'own' }
          : { kind: 'other', who: d.otherWho.trim(), relation: d.otherRelation.trim() },
      catalogue_codes: [...d.codes],
      body_marks: d.marks.map((m) => ({ ...m, seen: m.seen.trim() })),
      indication: 'concern',
    },
  };
}

export function toggle(codes: string[], code: string): string[] {
  return codes.includes(code) ? codes.filter((c) => c !== code) : [...codes, code];
}

/** A tap on the outline, in per mille of its box, so marks stay exact on any screen. */
export function markAt(side: BodySide, x: number, y: number, width: number, height: number): BodyMark {
  const permille = (v: number, size: number) => Math.min(1000, Math.max(0, Math.round((v / size) * 1000)));
  return { side, x_permille: permille(x, width), y_permille: permille(y, height), seen: '' };
}

/** `datetime-local` works in local time without seconds. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
