// Signatures that follow the names entered in a form: the engine wants one signature (drawn, or
// a reason why not) for every person present, matched by name (R8). Each person gets a slot,
// pre-filled with their name and role, so the user only draws or types a reason.
import { names, type FormContext, type SignatureValue, type SignerSeed, type Values } from './spec';

/** The name a person is known by in the record: the text before a comma, spaces and case
 * evened out (as the engine compares them). */
export function personKey(name: string): string {
  return name.split(',')[0].trim().split(/\s+/).join(' ').toLowerCase();
}

function split(entry: string): { name: string; fn: string } {
  const at = entry.indexOf(',');
  return at < 0 ? { name: entry.trim(), fn: '' } : { name: entry.slice(0, at).trim(), fn: entry.slice(at + 1).trim() };
}

/** The parents and the staff present in a parent conversation, each with a role: the function
 * typed after a comma, else "ouder" for a parent, else the staff member's role from the user
 * list, else "school". */
export function conversationSigners(v: Values, ctx: FormContext): SignerSeed[] {
  const parents = names(v, 'parents_present').map((p) => {
    const { name, fn } = split(p);
    return { name, role: fn ? { text: fn } : { key: 'signature.role_parent' } };
  });
  const staff = names(v, 'staff_present').map((p) => {
    const { name, fn } = split(p);
    const user = ctx.users.find((u) => personKey(u.full_name) === personKey(name));
    return { name, role: fn ? { text: fn } : { key: user ? `role.${user.role}` : 'signature.role_staff' } };
  });
  return [...parents, ...staff];
}

/** The slots for `seeds`, keeping what was already drawn or typed for a person still present,
 * dropping people no longer named, and keeping slots added by hand at the end. */
export function followSigners(
  current: SignatureValue[],
  seeds: SignerSeed[],
  text: (key: string) => string,
): SignatureValue[] {
  const seen = new Set<string>();
  const slots: SignatureValue[] = [];
  for (const seed of seeds) {
    const key = personKey(seed.name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const kept = current.find((s) => !s.extra && personKey(s.signer_name) === key);
    const role = 'text' in seed.role ? seed.role.text : text(seed.role.key);
    slots.push(kept ? { ...kept, signer_name: seed.name } : { signer_name: seed.name, signer_role: role, drawing: null, not_signed_reason: '' });
  }
  return [...slots, ...current.filter((s) => s.extra)];
}

/** Whether two slot lists are for the same people in the same order. */
export function sameSigners(a: SignatureValue[], b: SignatureValue[]): boolean {
  return a.length === b.length && a.every((s, i) => s.signer_name === b[i].signer_name && !!s.extra === !!b[i].extra);
}
