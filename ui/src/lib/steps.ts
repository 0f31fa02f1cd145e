import type { Step } from './bindings/Step';

export const STEPS: Step[] = ['signals', 'consultation', 'parent_conversation', 'weighing', 'decision'];

export function stepNumber(step: Step): number {
  return STEPS.indexOf(step) + 1;
}
