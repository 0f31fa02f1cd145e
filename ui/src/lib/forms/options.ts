// Choices the forms offer from the case itself: its help plans, the colleagues on this device,
// the staff member a staff case is about.
import type { Envelope } from '../bindings/Envelope';
import { options, type FormContext, type Option } from './spec';

export const day = (iso: string) => iso.slice(0, 10);

export function eventsOf(ctx: FormContext, type: string): Envelope[] {
  return ctx.view.events.filter((e) => e.payload.type === type);
}

export function helpPlans(ctx: FormContext): Option[] {
  return eventsOf(ctx, 'help_plan_started').map((e) => ({
    value: e.id,
    label: `${day(e.occurred_at)}: ${'description' in e.payload ? String(e.payload.description).slice(0, 60) : ''}`,
    literal: true,
  }));
}

export function colleagues(ctx: FormContext): Option[] {
  return ctx.users
    .filter((u) => u.id !== ctx.me.id)
    .map((u) => ({ value: u.id, label: u.full_name, literal: true }));
}

/** A staff member is suspected in this case: the board leads it (R2). */
export const isStaffCase = (ctx: FormContext) => eventsOf(ctx, 'staff_suspected').length > 0;

/** The name of the staff member this case is about, when it is a staff case. */
export function suspectedStaffName(ctx: FormContext): string {
  const all = eventsOf(ctx, 'staff_suspected');
  const last = all[all.length - 1];
  return last && 'staff_name' in last.payload ? String(last.payload.staff_name) : '';
}

export const myName = (ctx: FormContext) => ctx.me.full_name;

export const yesNo = options('value', ['yes', 'no']);
