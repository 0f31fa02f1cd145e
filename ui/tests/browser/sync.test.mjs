// Sync with the school server, with the mock backend, on a phone and on a tablet upright and on
// its side: the status line on home in each of its states, linking this device in the settings
// (a pasted link filling both fields), a linking code with its QR code and its lifetime, the
// devices with a revocation confirmed by the coordinator's own PIN, joining the school at first
// run, a device out of contact too long at the lock screen (released with the recovery key), a
// device the school revoked, and two decisions made apart in a case,
// resolved. Every state gets the axe-core audit, the 44 px touch-target check and a screenshot
// (ui/test-results/screenshots/sync).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './chromium.mjs';
import { CODE, LINK, SERVER, SIZES, check as checkIn, mock, serveDuringTests, signIn } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..', '..');
const shots = join(ui, 'test-results', 'screenshots', 'sync');
mkdirSync(shots, { recursive: true });

const site = serveDuringTests(ui, before, after);


const hhmm = (iso) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

for (const [size, viewport] of Object.entries(SIZES)) {
  describe(`sync, ${size} ${viewport.width}×${viewport.height}`, () => {
    let browser;
    let page;
    before(async () => {
      browser = await openBrowser(viewport);
      page = await browser.context.newPage();
    });
    after(async () => {
      await browser?.close();
    });
    const check = (name) => checkIn(page, shots, size, name);

    async function settingsAs(who, pin, line) {
      await page.goto(`${site.base}?mock=seeded`);
      if (line) await mock(page, (m, l) => m.setSync(l), line);
      await signIn(page, who, pin);
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('heading', { name: 'Schoolserver' }).waitFor();
    }

    test('the status line on home, in each of its five states', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Anouk Jansen', '482913');
      const line = page.getByTestId('sync-line');
      const state = page.getByTestId('sync-state');
      assert.equal(await line.count(), 0, 'not linked: no line on home');
      await check('home-not-enrolled');

      // Now, so that it is today whatever the hour (a time before midnight is worded with its date).
      const at = new Date().toISOString();
      await mock(page, (m, a) => m.setSync({ kind: 'current', at: a }), at);
      await state.getByText(`Bijgewerkt om ${hhmm(at)}`, { exact: true }).waitFor();
      await check('home-sync-current');

      await mock(page, (m) => m.setSync({ kind: 'waiting', count: 3 }));
      await state.getByText('3 wachten op verzending', { exact: true }).waitFor();
      await check('home-sync-waiting');

      const since = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
      await mock(page, (m, s) => m.setSync({ kind: 'offline', since: s, waiting: 2 }, {
        contact_overdue: true,
        problem: { code: 'server_unreachable', message: 'De schoolserver is niet bereikbaar.' },
      }), since);
      assert.match(
        await state.innerText(),
        /^Geen verbinding met de schoolserver sinds \d{1,2} \w+ \d{4} om \d\d:\d\d · 2 wachten op verzending$/,
      );
      await page.getByTestId('sync-overdue').getByText('de intern begeleider moet dit apparaat ontgrendelen met de herstelsleutel').waitFor();
      assert.equal(await page.getByTestId('sync-problem').innerText(), 'De schoolserver is niet bereikbaar.');
      await check('home-sync-offline');

      await mock(page, (m) => m.setSync({ kind: 'rolled_back' }));
      await state.getByText('Dit apparaat is teruggezet of gewijzigd', { exact: true }).waitFor();
      assert.match(await page.getByRole('alert').innerText(), /Waarschuw de intern begeleider en leg niets vast/);
      assert.match(await line.getAttribute('class'), /\balarm\b/);
      await check('home-sync-rolled-back');

      await mock(page, (m) => m.setSync({ kind: 'not_enrolled' }));
      await line.waitFor({ state: 'detached' });
    });

    test('"Nu synchroniseren" asks the core for a round, busy meanwhile, and says why one failed', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, (m) => {
        m.setSync({ kind: 'waiting', count: 1 });
        m.state.syncDelayMs = 400;
      });
      await signIn(page, 'Pieter de Vries', '735142');
      await page.getByTestId('sync-state').getByText('1 wacht op verzending').waitFor();
      const button = page.getByTestId('sync-now');
      await button.click();
      await page.getByRole('button', { name: 'Bezig…' }).waitFor();
      assert.equal(await button.isDisabled(), true);
      await page.getByRole('button', { name: 'Nu synchroniseren' }).waitFor();
      assert.match(await page.getByTestId('sync-state').innerText(), /^Bijgewerkt om \d\d:\d\d$/);
      assert.equal(await mock(page, (m) => m.state.syncRounds), 1);

      await mock(page, (m) => {
        m.state.syncDelayMs = 0;
        m.state.syncFailure = { code: 'server_unreachable', message: 'De schoolserver is niet bereikbaar. Wat u vastlegde, blijft hier bewaard.' };
      });
      await button.click();
      await page.getByTestId('sync-error').getByText('De schoolserver is niet bereikbaar.').waitFor();
      assert.equal(await mock(page, (m) => m.state.syncRounds), 2);
      await check('home-sync-failed');
    });

    test('settings: linking this device, a pasted link filling both fields', async () => {
      await settingsAs('Anouk Jansen', '482913');
      const form = page.getByTestId('enroll-form');
      await form.scrollIntoViewIfNeeded();
      await check('settings-enroll');
      // Pasted: one input event with the whole link.
      await page.getByLabel('Koppelcode of koppellink').focus();
      await page.keyboard.insertText(LINK);
      assert.equal(await page.getByLabel('Adres van de schoolserver').inputValue(), SERVER);
      assert.equal(await page.getByLabel('Koppelcode of koppellink').inputValue(), CODE);
      await check('settings-enroll-filled');
      await page.getByRole('button', { name: 'Koppelen aan de schoolserver' }).click();
      await page.getByTestId('enroll-done').waitFor();
      assert.equal(await page.getByTestId('server-address').innerText(), `Gekoppeld aan ${SERVER}`);
      assert.equal((await mock(page, (m) => m.state.sync)).enrolled, true);
      await check('settings-enrolled');
    });

    test('settings: a linking code for a colleague, with its QR code, counting down, then expired', async () => {
      await settingsAs('Anouk Jansen', '482913', { kind: 'current', at: new Date().toISOString() });
      await page.getByLabel('Voor wie is het apparaat?').selectOption({ label: 'Pieter de Vries (leerkracht)' });
      await page.getByRole('button', { name: 'Koppelcode maken' }).click();
      const card = page.getByTestId('enrollment-code');
      await card.waitFor();
      const qr = page.getByRole('img', { name: 'QR-code met de koppellink voor Pieter de Vries' });
      await qr.waitFor();
      const drawn = await qr.evaluate((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('data:image/svg+xml'));
      assert.equal(drawn, true, 'the QR code is drawn from a data: image');
      assert.equal(await card.locator('svg').count(), 0, 'no SVG markup in the page');
      const code = await mock(page, (m) => m.state.codes[0]);
      assert.equal(await page.getByTestId('code-text').innerText(), code.text.split('-').join(' '));
      assert.equal(await page.getByTestId('code-link').innerText(), code.link);
      assert.equal(await page.getByTestId('code-lifetime').innerText(), `Geldig tot ${hhmm(code.expires_at)} (nog 15 minuten)`);
      await card.scrollIntoViewIfNeeded();
      await check('settings-code');

      // A code that lives 61 seconds says "nog 2 minuten", then "nog 1 minuut" a second later.
      await mock(page, (m) => (m.state.codeTtlMs = 61_000));
      await page.getByRole('button', { name: 'Koppelcode maken' }).click();
      await page.getByTestId('code-lifetime').getByText('(nog 2 minuten)').waitFor();
      await page.getByTestId('code-lifetime').getByText('(nog 1 minuut)').waitFor({ timeout: 5000 });

      await mock(page, (m) => (m.state.codeTtlMs = -1000));
      await page.getByRole('button', { name: 'Koppelcode maken' }).click();
      await page.getByTestId('code-lifetime').getByText('Verlopen — maak een nieuwe code').waitFor();
      assert.equal(await page.getByTestId('code-qr').count(), 0);
      await check('settings-code-expired');
    });

    test('devices: the list, and revoking one after the coordinator\'s own PIN', async () => {
      await settingsAs('Anouk Jansen', '482913', { kind: 'current', at: new Date().toISOString() });
      await page.getByRole('button', { name: 'Apparaten' }).click();
      const list = page.getByTestId('devices');
      await list.waitFor();
      const items = list.getByTestId('device');
      assert.equal(await items.count(), 4);
      assert.match(await items.nth(0).innerText(), /Anouk Jansen[\s\S]*Dit apparaat[\s\S]*Laatste contact: \d{1,2} \w+ \d{4} om \d\d:\d\d/);
      assert.match(await items.nth(2).innerText(), /Onbekende gebruiker[\s\S]*Nog geen contact/);
      assert.match(await items.nth(3).innerText(), /Ingetrokken op \d{1,2} \w+ \d{4} om \d\d:\d\d/);
      await check('devices');
      await items.nth(1).getByRole('button', { name: 'Intrekken' }).click();
      const confirm = page.getByTestId('confirm-pin');
      assert.match(
        await confirm.innerText(),
        /Het apparaat van Pieter de Vries, Esther Bos intrekken\? Het apparaat wist bij het volgende contact alle gegevens van Meldcode\. Dit kan niet ongedaan worden gemaakt\./,
      );
      await check('devices-revoke-confirm');
      await page.getByLabel('Bevestig met uw eigen pincode').fill('482913');
      await page.getByRole('button', { name: 'Bevestigen' }).click();
      await page.getByTestId('devices-message').getByText('is ingetrokken').waitFor();
      await items.nth(1).getByTestId('revoked').waitFor();
      assert.equal(await items.nth(1).getByRole('button', { name: 'Intrekken' }).count(), 0);
      await check('devices-revoked');
      await page.getByRole('button', { name: 'Terug' }).click();
      await page.getByRole('heading', { name: 'Schoolserver' }).waitFor();
    });

    test('first run: joining the school from a new device', async () => {
      await page.goto(site.base);
      await page.getByRole('button', { name: 'Koppelen aan de schoolserver' }).click();
      await page.getByTestId('join-form').waitFor();
      await check('first-run-join');
      await page.getByLabel('Koppelcode of koppellink').focus();
      await page.keyboard.insertText(`Je koppellink: ${LINK}`);
      assert.equal(await page.getByLabel('Adres van de schoolserver').inputValue(), SERVER);
      assert.equal(await page.getByLabel('Koppelcode of koppellink').inputValue(), CODE);
      await page.getByLabel('Uw pincode op dit apparaat').fill('123456');
      await page.getByLabel('Pincode nog een keer').fill('123456');
      await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
      await page.getByTestId('join-error').getByText('volgt een reeks').waitFor();
      await check('first-run-join-weak-pin');
      await page.getByLabel('Uw pincode op dit apparaat').fill('735142');
      await page.getByLabel('Pincode nog een keer').fill('735142');
      await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
      await page.getByRole('button', { name: 'Nieuwe signalering' }).waitFor();
      await page.getByTestId('sync-state').getByText(/^Bijgewerkt om/).waitFor();
      assert.equal(await mock(page, (m) => m.state.current.full_name), 'Pieter de Vries');
      await check('home-after-join');
    });

    test('out of contact too long: the recovery key releases the device, then the PINs open it', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      // 3 October 2026, 10:00 local time: the notice names the day.
      const since = new Date(2026, 9, 3, 10, 0).toISOString();
      await mock(page, (m, s) => m.setSync({ kind: 'offline', since: s, waiting: 3 }, { contact_overdue: true }), since);
      await page.getByTestId('contact-overdue').getByText('Geen contact met de schoolserver sinds 3 oktober 2026').waitFor();
      const key = page.getByLabel('Herstelsleutel');
      await key.waitFor();
      assert.equal(await page.getByLabel('Pincode').count(), 0, 'no PIN pad');
      assert.equal(await page.getByRole('button', { name: /Pieter de Vries/ }).count(), 0, 'no one to choose');
      await check('lock-contact-overdue');
      await key.fill('ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRSS');
      await page.getByRole('button', { name: 'Apparaat vrijgeven' }).click();
      await page.getByTestId('lock-error').getByText('De herstelsleutel klopt niet.').waitFor();
      assert.equal(await key.inputValue(), '');
      await check('lock-contact-overdue-wrong-key');
      await key.fill('abcd efgh ijkl mnop qrst uvwx yz23 4567 abcd efgh ijkl mnop qrst');
      await page.getByRole('button', { name: 'Apparaat vrijgeven' }).click();
      await page.getByTestId('released').waitFor();
      await check('lock-released');
      await page.getByRole('button', { name: /Pieter de Vries/ }).click();
      await page.getByLabel('Pincode').waitFor();
    });

    test('a device the school revoked goes back to the first run, saying so calmly', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, (m) => m.setSync({ kind: 'current', at: new Date().toISOString() }));
      await signIn(page, 'Pieter de Vries', '735142');
      await mock(page, (m) => m.fireWiped());
      const notice = page.getByTestId('wiped');
      await notice.waitFor();
      assert.equal(
        await notice.innerText(),
        'De school heeft dit apparaat ingetrokken. Alle gegevens van Meldcode op dit apparaat zijn gewist.',
      );
      assert.equal(await page.getByTestId('nav-home').count(), 0);
      await check('first-run-wiped');
    });

    test('a case with two decisions made apart, side by side, resolved by the coordinator', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, (m) => {
        m.addConflict('Sanne Bakker');
        m.setSync({ kind: 'current', at: new Date().toISOString() });
      });
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByTestId('open-case-Sanne Bakker').click();
      const panel = page.getByTestId('conflict');
      await panel.waitFor();
      assert.equal(await panel.getByRole('heading', { level: 2 }).innerText(), 'Twee besluiten zonder elkaar te kennen');
      const records = panel.getByTestId('conflict-record');
      assert.match(await records.nth(0).innerText(), /Anouk Jansen[\s\S]*Moeder wil meewerken/);
      assert.match(await records.nth(1).innerText(), /Esther Bos[\s\S]*melden bij Veilig Thuis/);
      const [a, b] = [await records.nth(0).boundingBox(), await records.nth(1).boundingBox()];
      if (size === 'phone') assert.ok(b.y >= a.y + a.height - 1, 'stacked on a phone');
      else assert.ok(b.x >= a.x + a.width - 1 && Math.abs(b.y - a.y) < 2, `side by side on a ${size}: ${JSON.stringify([a, b])}`);
      await panel.scrollIntoViewIfNeeded();
      await check('case-conflict');

      await panel.getByRole('radio', { name: /^Deze van Esther Bos/ }).check();
      await panel.getByLabel('Waarom deze? (verplicht)').fill('Het tweede signaal deze week weegt zwaar: melden.');
      await check('case-conflict-resolve-form');
      await panel.getByRole('button', { name: 'Vastleggen' }).click();
      await panel.waitFor({ state: 'detached' });
      await page.getByTestId('case-saved').getByText('Vastgelegd: de keuze tussen de twee.').waitFor();
      const resolved = await mock(page, (m) => [...m.state.records.values()].flatMap((c) => c.conflicts).map((c) => c.resolved?.reasoning));
      assert.deepEqual(resolved, ['Het tweede signaal deze week weegt zwaar: melden.']);
      await page.getByTestId('timeline').getByText('Keuze tussen besluiten van twee apparaten').waitFor();
    });
  });
}
