// Evaluation figures for the screen's tests, as the core returns them: counts below 5 already
// hidden. The counting itself is tested in Rust against 200 generated cases; here only the shape
// the screen draws matters, with both shown and hidden counts in every group.
import type { Count } from '../bindings/Count';
import type { Figures } from '../bindings/Figures';

const n = (value: number): Count => (value < 5 ? { kind: 'fewer_than_five' } : { kind: 'exact', n: value });

export function mockFigures(from: string, to: string): Figures {
  return {
    period: { from, to },
    cases: [
      { code: 'opened', count: n(23) },
      { code: 'closed', count: n(14) },
    ],
    outcomes: [
      { code: 'unfounded', count: n(5) },
      { code: 'other_cause_found', count: n(2) },
      { code: 'help_in_place', count: n(0) },
      { code: 'reported_and_handed_over', count: n(7) },
      { code: 'staff_route_completed', count: n(0) },
    ],
    steps: [
      { code: 'reports', count: n(9) },
      { code: 'help_plans', count: n(6) },
      { code: 'emergencies', count: n(1) },
    ],
    durations: [
      { code: 'to_consultation', cases: n(18), median_days: 3 },
      { code: 'to_weighing', cases: n(11), median_days: 12 },
      { code: 'to_decision', cases: n(3), median_days: null },
    ],
    overdue_now: n(5),
    routes: [
      { code: 'female_genital_mutilation', count: n(0) },
      { code: 'honour_related_violence', count: n(1) },
      { code: 'staff_cases', count: n(0) },
    ],
  };
}
