// Guided forms as data: each form lists its fields and turns what was filled in into one engine
// command. The engine decides whether the command is allowed; these only shape the input.
import type { CaseView } from '../bindings/CaseView';
import type { Command } from '../bindings/Command';
import type { SchoolProfile } from '../bindings/SchoolProfile';
import type { User } from '../bindings/User';
import { toLocalInput } from '../capture';

export type FieldType =
  | 'text'
  | 'textarea'
  | 'datetime'
  | 'date'
  | 'checkbox'
  | 'radio'
  | 'select'
  | 'checks'
  | 'names'
  | 'dates'
  | 'objections'
  | 'signatures';

export interface Option {
  value: string;
  /** An i18n key, or a literal when `literal` is set (names, dates). */
  label: string;
  literal?: boolean;
  /** Shown after the label, e.g. the day of a record (`YYYY-MM-DD`). */
  detail?: string;
}

export interface FormContext {
  view: CaseView;
  profile: SchoolProfile;
  users: User[];
  me: User;
  now: Date;
}

export type Values = Record<string, unknown>;

export interface Field {
  name: string;
  type: FieldType;
  optional?: boolean;
  options?: (ctx: FormContext) => Option[];
  showIf?: (v: Values) => boolean;
  /** What the field starts with, when not the type's empty value (e.g. the user's own name). */
  initial?: string | boolean | ((ctx: FormContext) => string);
  /** For a `signatures` field: who must sign, from the names entered in the form (R8). */
  signers?: (v: Values, ctx: FormContext) => SignerSeed[];
}

/** A person who must sign, with a role as typed after a comma or as an i18n key. */
export interface SignerSeed {
  name: string;
  role: { text: string } | { key: string };
}

export interface FormSpec {
  /** The engine's command kind, e.g. `record_consultation`; also the i18n prefix `form.<kind>`. */
  kind: string;
  fields: (ctx: FormContext) => Field[];
  build: (v: Values, ctx: FormContext) => Command;
}

export interface SignatureValue {
  signer_name: string;
  signer_role: string;
  drawing: string | null;
  not_signed_reason: string;
  /** Added by hand, not one of the people present named in the form. */
  extra?: boolean;
}

export interface ObjectionValue {
  objection: string;
  how_met: string;
}

/** Thrown by a builder when a value cannot be turned into the command's type at all. */
export class FieldProblem extends Error {
  constructor(readonly field: string, readonly key: string) {
    super(key);
  }
}

export function initialValues(fields: Field[], now: Date, ctx?: FormContext): Values {
  const v: Values = {};
  for (const f of fields) {
    if (f.initial !== undefined && (typeof f.initial !== 'function' || ctx)) {
      v[f.name] = typeof f.initial === 'function' ? f.initial(ctx!) : f.initial;
      continue;
    }
    switch (f.type) {
      case 'datetime':
        v[f.name] = toLocalInput(now);
        break;
      case 'checkbox':
        v[f.name] = false;
        break;
      case 'checks':
      case 'dates':
      case 'objections':
      case 'signatures':
        v[f.name] = [];
        break;
      default:
        v[f.name] = '';
    }
  }
  return v;
}

export const str = (v: Values, name: string): string => String(v[name] ?? '').trim();
export const opt = (v: Values, name: string): string | null => str(v, name) || null;
export const bool = (v: Values, name: string): boolean => v[name] === true;

export function instant(v: Values, name: string): string {
  const d = new Date(String(v[name] ?? ''));
  if (Number.isNaN(d.getTime())) throw new FieldProblem(name, 'forms.problem.datetime');
  return d.toISOString();
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function date(v: Values, name: string): string {
  const s = str(v, name);
  if (!DATE.test(s)) throw new FieldProblem(name, 'forms.problem.date');
  return s;
}

export function optDate(v: Values, name: string): string | null {
  return str(v, name) ? date(v, name) : null;
}

export function dates(v: Values, name: string): string[] {
  const list = (v[name] as string[]) ?? [];
  for (const d of list) if (!DATE.test(d)) throw new FieldProblem(name, 'forms.problem.date');
  return [...list].sort();
}

/** One person per line (or separated by semicolons). A comma does not separate people: what
 * follows it is the person's function ("Anouk Jansen, intern begeleider"), as the engine reads
 * names. */
export function names(v: Values, name: string): string[] {
  return String(v[name] ?? '')
    .split(/[\n;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function choice<T extends string>(v: Values, name: string): T {
  const s = str(v, name);
  if (!s) throw new FieldProblem(name, 'forms.problem.choose');
  return s as T;
}

export const options = (prefix: string, values: readonly string[]) => (): Option[] =>
  values.map((value) => ({ value, label: `${prefix}.${value}` }));
