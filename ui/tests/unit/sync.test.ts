import { afterEach, describe, expect, it } from 'vitest';
import { codeChars, groupCode, looksLikeCode, parseEnrollLink, readEnrollInput } from '../../src/lib/enroll-link';
import { clock, codeLifetime, minutesLeft, syncLineText, untilLifetimeChanges } from '../../src/lib/sync';
import { SYNC_DICTIONARIES } from '../../src/lib/i18n/sync-texts';
import { DICTIONARIES, setLanguage } from '../../src/lib/i18n/index.svelte';
import { mockBackend } from '../../src/lib/backend/mock';
import { mockCode, mockLink } from '../../src/lib/backend/mock-sync';

afterEach(() => setLanguage('nl'));

const CODE = 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67ABC-DEFGH-IJKLM-NOPQR-STUVW-XYZ23';
/** A local moment, as the screen shows it. */
const at = (d: number, h: number, m: number) => new Date(2026, 10, d, h, m).toISOString();
const NOW = new Date(2026, 10, 18, 15, 0);

describe('linking code and link', () => {
  it('takes the server and the code from a pasted link', () => {
    const link = `meldcode://koppelen?server=${encodeURIComponent('https://server.school.nl:8443')}&code=${CODE}`;
    expect(parseEnrollLink(link)).toEqual({ server: 'https://server.school.nl:8443', code: CODE });
    expect(readEnrollInput(`  ${link}\n`)).toEqual({ server: 'https://server.school.nl:8443', code: CODE });
  });

  it('reads the link as the core writes it (form-encoded: a space is a plus)', () => {
    const link = 'meldcode://koppelen?server=https%3A%2F%2Fserver.school.nl%3A8443%2F&code=ABCD+EFGH';
    expect(parseEnrollLink(link)).toEqual({ server: 'https://server.school.nl:8443/', code: 'ABCD EFGH' });
  });

  it('finds the link in the text around it, whatever its case, and the parameters in any order', () => {
    const text = `Hoi Pieter, hier is je link: MELDCODE://Koppelen?code=${CODE}&server=https%3A%2F%2Fmc.obs-zon.nl%2Fmeldcode . Groet, Anouk`;
    expect(parseEnrollLink(text)).toEqual({ server: 'https://mc.obs-zon.nl/meldcode', code: CODE });
  });

  it('is no link without both parts, or with another scheme or path', () => {
    expect(parseEnrollLink(`meldcode://koppelen?code=${CODE}`)).toBeNull();
    expect(parseEnrollLink('meldcode://koppelen?server=https%3A%2F%2Fs.nl&code=')).toBeNull();
    expect(parseEnrollLink(`https://koppelen?server=x&code=${CODE}`)).toBeNull();
    expect(parseEnrollLink(`meldcode://dossier?server=x&code=${CODE}`)).toBeNull();
    expect(parseEnrollLink('')).toBeNull();
  });

  it('passes a typed code through trimmed, as typed: the core normalises it', () => {
    expect(readEnrollInput('  abcde fghij klmno \n')).toEqual({ server: null, code: 'abcde fghij klmno' });
    expect(readEnrollInput(CODE)).toEqual({ server: null, code: CODE });
  });

  it('tells a code\'s shape: 60 base32 characters, with spaces or dashes in groups, any case', () => {
    expect(looksLikeCode(CODE)).toBe(true);
    expect(looksLikeCode(CODE.toLowerCase().replace(/-/g, ' '))).toBe(true);
    expect(looksLikeCode(CODE.replace(/-/g, ''))).toBe(true);
    expect(looksLikeCode(CODE.slice(0, -1))).toBe(false);
    expect(looksLikeCode(CODE.replace('A', '1'))).toBe(false); // 1 is no base32 digit
    expect(codeChars(' ab-cd ')).toBe('ABCD');
  });

  it('shows a code in groups of five', () => {
    const groups = groupCode(CODE);
    expect(groups).toHaveLength(12);
    expect(groups.every((g) => g.length === 5)).toBe(true);
    expect(groups.join('')).toBe(CODE.replace(/-/g, ''));
    expect(groupCode('abcdefg')).toEqual(['ABCDE', 'FG']);
  });

  it('reads back the mock\'s own codes and links', () => {
    const code = mockCode();
    expect(looksLikeCode(code)).toBe(true);
    expect(parseEnrollLink(mockLink('https://server.school.nl:8443', code))).toEqual({ server: 'https://server.school.nl:8443', code });
  });
});

describe('the sync status line', () => {
  it('words each line as the core decided it', () => {
    expect(syncLineText({ kind: 'current', at: at(18, 9, 14) }, NOW)).toBe('Bijgewerkt om 09:14');
    expect(syncLineText({ kind: 'waiting', count: 3 }, NOW)).toBe('3 wachten op verzending');
    expect(syncLineText({ kind: 'waiting', count: 1 }, NOW)).toBe('1 wacht op verzending');
    expect(syncLineText({ kind: 'offline', since: at(18, 9, 14), waiting: 0 }, NOW)).toBe('Geen verbinding met de schoolserver sinds 09:14');
    expect(syncLineText({ kind: 'offline', since: at(18, 9, 14), waiting: 2 }, NOW)).toBe(
      'Geen verbinding met de schoolserver sinds 09:14 · 2 wachten op verzending',
    );
    expect(syncLineText({ kind: 'offline', since: at(18, 9, 14), waiting: 1 }, NOW)).toBe(
      'Geen verbinding met de schoolserver sinds 09:14 · 1 wacht op verzending',
    );
    expect(syncLineText({ kind: 'rolled_back' }, NOW)).toBe('Dit apparaat is teruggezet of gewijzigd');
    expect(syncLineText({ kind: 'not_enrolled' }, NOW)).toBe('Dit apparaat is niet gekoppeld aan de schoolserver.');
  });

  it('adds the date when it was not today', () => {
    expect(syncLineText({ kind: 'current', at: at(17, 16, 5) }, NOW)).toBe('Bijgewerkt op 17 november 2026 om 16:05');
    expect(syncLineText({ kind: 'offline', since: at(16, 8, 0), waiting: 4 }, NOW)).toBe(
      'Geen verbinding met de schoolserver sinds 16 november 2026 om 08:00 · 4 wachten op verzending',
    );
    // Just after midnight, yesterday evening is another day.
    expect(syncLineText({ kind: 'current', at: at(17, 23, 59) }, new Date(2026, 10, 18, 0, 1))).toMatch(/^Bijgewerkt op 17 november 2026 om 23:59$/);
  });

  it('writes the local clock time with two digits', () => {
    expect(clock(at(18, 7, 5))).toBe('07:05');
    expect(clock('geen tijd')).toBe('geen tijd');
  });

  it('words the lines in English too', () => {
    setLanguage('en');
    expect(syncLineText({ kind: 'current', at: at(18, 9, 14) }, NOW)).toBe('Updated at 09:14');
    expect(syncLineText({ kind: 'current', at: at(17, 9, 14) }, NOW)).toBe('Updated on 17 November 2026 at 09:14');
    expect(syncLineText({ kind: 'waiting', count: 1 }, NOW)).toBe('1 waiting to be sent');
    expect(syncLineText({ kind: 'offline', since: at(18, 9, 14), waiting: 2 }, NOW)).toBe(
      'No connection to the school server since 09:14 · 2 waiting to be sent',
    );
  });
});

describe('a linking code\'s lifetime', () => {
  const expires = at(18, 14, 5);
  const now = (h: number, m: number, s = 0) => new Date(2026, 10, 18, h, m, s);

  it('says until when and how many minutes are left, rounded up', () => {
    expect(codeLifetime(expires, now(13, 51))).toEqual({ expired: false, text: 'Geldig tot 14:05 (nog 14 minuten)' });
    expect(codeLifetime(expires, now(13, 51, 30)).text).toBe('Geldig tot 14:05 (nog 14 minuten)');
    expect(codeLifetime(expires, now(14, 4)).text).toBe('Geldig tot 14:05 (nog 1 minuut)');
    expect(codeLifetime(expires, now(14, 4, 59)).text).toBe('Geldig tot 14:05 (nog 1 minuut)');
  });

  it('has expired at the moment itself and after', () => {
    expect(codeLifetime(expires, now(14, 5))).toEqual({ expired: true, text: 'Verlopen — maak een nieuwe code' });
    expect(codeLifetime(expires, now(15, 0)).expired).toBe(true);
    expect(minutesLeft(expires, now(16, 0))).toBe(0);
  });

  it('changes its words at each whole minute left', () => {
    expect(untilLifetimeChanges(expires, now(13, 51))).toBe(60_000);
    expect(untilLifetimeChanges(expires, now(13, 51, 30))).toBe(30_000);
    expect(untilLifetimeChanges(expires, now(14, 4, 50))).toBe(10_000);
    expect(untilLifetimeChanges(expires, now(14, 5))).toBeNull();
  });

  it('in English', () => {
    setLanguage('en');
    expect(codeLifetime(expires, now(13, 51)).text).toBe('Valid until 14:05 (14 minutes left)');
    expect(codeLifetime(expires, now(14, 4)).text).toBe('Valid until 14:05 (1 minute left)');
    expect(codeLifetime(expires, now(14, 6)).text).toBe('Expired — make a new code');
  });
});

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('sync texts', () => {
  it('has every Dutch text in English, apart from the first chunk\'s texts', () => {
    expect(keys(SYNC_DICTIONARIES.en)).toEqual(keys(SYNC_DICTIONARIES.nl));
    const first = new Set(Object.keys(DICTIONARIES.nl));
    expect(Object.keys(SYNC_DICTIONARIES.nl).filter((k) => first.has(k))).toEqual([]);
  });
});

describe('the mock\'s sync', () => {
  it('links a coordinator\'s device, makes codes, counts waiting records and sends them in a round', async () => {
    const backend = mockBackend({ seeded: true });
    const seen: string[] = [];
    backend.onSync((s) => seen.push(s.line.kind));
    const anouk = backend.state.users[0];
    await backend.unlock(anouk.id, '482913');
    await expect(backend.newEnrollmentCode(anouk.id)).rejects.toMatchObject({ code: 'not_enrolled' });
    await expect(backend.enrollDevice('server.school.nl', CODE)).rejects.toMatchObject({ code: 'invalid_server' });
    await expect(backend.enrollDevice('https://server.school.nl:8443', 'ABCDE')).rejects.toMatchObject({ code: 'bad_code' });
    const status = await backend.enrollDevice('https://server.school.nl:8443', CODE.toLowerCase());
    expect([status.enrolled, status.line.kind, status.server]).toEqual([true, 'current', 'https://server.school.nl:8443']);
    const code = await backend.newEnrollmentCode(backend.state.users[1].id);
    expect(looksLikeCode(code.text)).toBe(true);
    expect(code.qr_svg).toMatch(/^<\?xml[\s\S]*<svg /);
    expect(Date.parse(code.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);
    const item = backend.state.cases[0];
    const held_at = new Date().toISOString();
    await backend.record(item.case_id, { type: 'record_consultation', held_at, partner: 'class_colleague', partner_name: 'Pieter de Vries', anonymous: false, summary: 'Besproken.' });
    expect((await backend.syncStatus()).line).toEqual({ kind: 'waiting', count: 1 });
    expect((await backend.syncNow()).line.kind).toBe('current');
    expect(backend.state.syncRounds).toBe(1);
    expect(seen).toEqual(['current', 'waiting', 'current']);
  });

  it('revokes another device with the coordinator\'s own PIN, never this one', async () => {
    const backend = mockBackend({ seeded: true });
    backend.setSync({ kind: 'current', at: new Date().toISOString() });
    await backend.unlock(backend.state.users[0].id, '482913');
    const [me, other] = await backend.devices();
    await expect(backend.revokeDevice('735142', other.device_id)).rejects.toMatchObject({ code: 'wrong_pin' });
    await expect(backend.revokeDevice('482913', me.device_id)).rejects.toMatchObject({ code: 'not_allowed' });
    const after = await backend.revokeDevice('482913', other.device_id);
    expect(after.find((d) => d.device_id === other.device_id)?.revoked_at).not.toBeNull();
    await backend.unlock(backend.state.users[1].id, '735142');
    await expect(backend.devices()).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it('resolves a conflict only as the case lead, naming the records in conflict', async () => {
    const backend = mockBackend({ seeded: true });
    const conflict = backend.addConflict('Sanne Bakker');
    const caseId = backend.state.cases[0].case_id;
    await backend.unlock(backend.state.users[1].id, '735142');
    expect((await backend.caseView(caseId)).permitted).not.toContain('resolve_conflict');
    await backend.unlock(backend.state.users[0].id, '482913');
    const view = await backend.caseView(caseId);
    expect(view.permitted).toContain('resolve_conflict');
    expect(view.conflicts).toEqual([{ kind: 'decision_recorded', records: conflict.records, resolved: null }]);
    expect(view.people.map((p) => p.full_name)).toContain('Esther Bos');
    await expect(backend.record(caseId, { type: 'record_decision', report: true, organise_help: false, reasoning: 'x' })).rejects.toMatchObject({ code: 'conflict_open' });
    await expect(
      backend.record(caseId, { type: 'resolve_conflict', records: [conflict.records[0]], kept: conflict.records[0], reasoning: 'x' }),
    ).rejects.toMatchObject({ code: 'conflict_changed' });
    const done = await backend.record(caseId, { type: 'resolve_conflict', records: conflict.records, kept: conflict.records[1], reasoning: 'Melden is nodig.' });
    expect(done.conflicts[0].resolved).toMatchObject({ kept: conflict.records[1], reasoning: 'Melden is nodig.' });
    expect(done.permitted).not.toContain('resolve_conflict');
    expect(done.events[done.events.length - 1].payload.type).toBe('conflict_resolved');
  });

  it('joins a school on a new device as the user the code was made for', async () => {
    const backend = mockBackend();
    await expect(backend.joinSchool('https://server.school.nl:8443', CODE, '123456')).rejects.toMatchObject({ code: 'weak_pin' });
    const session = await backend.joinSchool('https://server.school.nl:8443', CODE, '735142');
    expect(session.user.full_name).toBe('Pieter de Vries');
    expect((await backend.lockScreen()).initialised).toBe(true);
    expect((await backend.syncStatus()).enrolled).toBe(true);
    await expect(backend.joinSchool('https://server.school.nl:8443', CODE, '735142')).rejects.toMatchObject({ code: 'already_initialised' });
  });
});
