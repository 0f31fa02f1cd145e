import { describe, expect, it } from 'vitest';
import { defaultContext, emptyDraft, markAt, problemsOf, toggle, toRequest } from '../../src/lib/capture';

const now = new Date('2026-11-30T08:20:00');

describe('quick capture logic', () => {
  it('defaults the context from the time of day', () => {
    expect(defaultContext(new Date('2026-11-30T08:20:00'))).toBe('drop_off');
    expect(defaultContext(new Date('2026-11-30T15:05:00'))).toBe('pick_up');
    expect(defaultContext(new Date('2026-11-30T10:30:00'))).toBe('classroom');
  });

  it('asks for a pupil and the facts before anything is saved', () => {
    const d = emptyDraft(now);
    expect(problemsOf(d, now)).toEqual({ pupil: 'capture.problem.pupil', facts: 'capture.problem.facts' });
    expect(toRequest(d, now)).toBeNull();
  });

  it('wants a full name and a group for a new pupil', () => {
    const d = { ...emptyDraft(now), facts: 'x', pupil: { kind: 'new' as const, fullName: 'Sanne', group: 'groep 5' } };
    expect(problemsOf(d, now).pupil).toBe('capture.problem.pupil_full_name');
    d.pupil = { kind: 'new', fullName: 'Sanne Bakker', group: ' ' };
    expect(problemsOf(d, now).pupil).toBe('capture.problem.pupil_group');
  });

  it('wants who told it and their relation for a signal from someone else', () => {
    const d = { ...emptyDraft(now), facts: 'x', source: 'other' as const,
      pupil: { kind: 'existing' as const, caseId: 'c', name: 'Sanne Bakker', group: 'groep 5' } };
    expect(Object.keys(problemsOf(d, now)).sort()).toEqual(['relation', 'who']);
  });

  it('refuses a time in the future', () => {
    const d = { ...emptyDraft(now), facts: 'x', observedAt: new Date('2026-12-01T08:00:00'),
      pupil: { kind: 'existing' as const, caseId: 'c', name: 'A B', group: 'g' } };
    expect(problemsOf(d, now).observedAt).toBe('capture.problem.observed_at');
    expect(problemsOf({ ...d, observedAt: new Date(NaN) }, now).observedAt).toBe('capture.problem.observed_time');
  });

  it('builds a request for a new pupil with the child\'s words apart from the facts', () => {
    const d = {
      ...emptyDraft(now),
      pupil: { kind: 'new' as const, fullName: ' Sanne Bakker ', group: 'groep 5' },
      facts: '  Blauwe plek op de linkerarm, ca. 3 cm. ',
      childWords: 'Ik ben gevallen.',
      codes: ['physical.unexplained_injuries'],
      marks: [{ side: 'front' as const, x_permille: 300, y_permille: 400, seen: ' blauwe plek ' }],
    };
    const r = toRequest(d, now);
    expect(r).not.toBeNull();
    expect(r!.case_id).toBeNull();
    expect(r!.new_pupil).toEqual({ full_name: 'Sanne Bakker', group: 'groep 5', date_of_birth: null });
    expect(r!.signal.facts).toBe('Blauwe plek op de linkerarm, ca. 3 cm.');
    expect(r!.signal.child_words).toBe('Ik ben gevallen.');
    expect(r!.signal.source).toEqual({ kind: 'own' });
    expect(r!.signal.context).toBe('drop_off');
    expect(r!.signal.body_marks[0].seen).toBe('blauwe plek');
    expect(r!.signal.observed_at).toBe(now.toISOString());
  });

  it('builds a request for an existing case without a new pupil', () => {
    const d = { ...emptyDraft(now), facts: 'Huilde bij het brengen.',
      pupil: { kind: 'existing' as const, caseId: 'case-1', name: 'Sanne Bakker', group: 'groep 5' } };
    const r = toRequest(d, now)!;
    expect(r.case_id).toBe('case-1');
    expect(r.new_pupil).toBeNull();
    expect(r.signal.child_words).toBeNull();
  });

  it('toggles signal chips', () => {
    expect(toggle([], 'a')).toEqual(['a']);
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('stores body marks in per mille of the outline, clamped to it', () => {
    expect(markAt('back', 65, 110, 130, 220)).toEqual({ side: 'back', x_permille: 500, y_permille: 500, seen: '' });
    expect(markAt('front', -5, 500, 130, 220)).toMatchObject({ x_permille: 0, y_permille: 1000 });
  });
});
