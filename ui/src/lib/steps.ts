import type { Step } from './bindings/Step';

const ORDER: Step[] = ['signals', 'consultation', 'parent_conversation', 'weighing', 'decision'];

export function stepNumber(step: Step): number {
  return ORDER.indexOf(step) + 1;
}
