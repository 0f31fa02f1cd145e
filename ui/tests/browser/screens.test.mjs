// Every screen of the built UI with the mock backend, on a phone and on a tablet upright and on
// its side (there also the case list beside the open case): an axe-core audit (no serious or
// critical violation), touch targets of at least 44 px, and a screenshot of each screen kept in
// ui/test-results/screenshots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './chromium.mjs';
import { audit, check as checkIn, serveDuringTests, signIn } from './helpers.mjs';
import { SIZES } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..', '..');
const shots = join(ui, 'test-results', 'screenshots');
mkdirSync(shots, { recursive: true });


const site = serveDuringTests(ui, before, after);

const check = (page, size, name) => checkIn(page, shots, size, name);
/** The mock backend, once the page has loaded it (on demand, after the first paint). */
const mock = async (page, fn) => {
  await page.waitForFunction(() => window.__mock);
  return page.evaluate(fn);
};

for (const [size, viewport] of Object.entries(SIZES)) {
  describe(`${size} ${viewport.width}×${viewport.height}`, () => {
    let browser;
    let page;
    before(async () => {
      browser = await openBrowser(viewport);
      page = await browser.context.newPage();
    });
    after(async () => {
      await browser?.close();
    });

    test('first run: profile, coordinator, recovery key', async () => {
      await page.goto(site.base);
      await page.getByText('CBS Het Mozaïek, Stadskanaal').waitFor();
      await check(page, size, 'first-run-profile');
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByLabel('Volledige naam').fill('Anouk Jansen');
      await page.getByLabel('Pincode', { exact: true }).fill('482913');
      await page.getByLabel('Pincode nog een keer').fill('482913');
      await check(page, size, 'first-run-coordinator');
      await page.getByRole('button', { name: 'Inrichten' }).click();
      await page.getByTestId('recovery-key').waitFor();
      await check(page, size, 'first-run-recovery-key');
    });

    test('lock screen, with a wrong PIN refused', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await page.getByText('Wie bent u?').waitFor();
      await check(page, size, 'lock-users');
      await page.getByRole('button', { name: /Pieter de Vries/ }).click();
      await page.getByLabel('Pincode').fill('111222');
      await page.getByRole('button', { name: 'Openen' }).click();
      await page.getByTestId('lock-error').waitFor();
      await check(page, size, 'lock-wrong-pin');
    });

    test('emergency bar on the lock screen calls without unlocking', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await page.getByRole('button', { name: /Bel 112/ }).click();
      const opened = await page.evaluate(() => window.__mock.state.opened);
      assert.deepEqual(opened, [{ contactId: 'alarmnummer-112', channel: 'phone' }]);
    });

    test('home with my cases, overdue first', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Anouk Jansen', '482913');
      const first = page.getByTestId('case-list').locator('li').first();
      assert.match(await first.innerText(), /Sanne Bakker[\s\S]*Te laat/);
      await check(page, size, 'home');
    });

    test('quick capture: pupil, facts, time, a signal found, body map, saved', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Pieter de Vries', '735142');
      await page.getByRole('button', { name: 'Nieuwe signalering' }).click();
      await page.getByLabel('Zoek een signaal').waitFor();
      await check(page, size, 'capture-open');
      await page.getByLabel('Zoek op naam of groep').fill('Sanne');
      await page.getByRole('button', { name: 'Sanne Bakker · groep 5' }).click();
      await page.getByLabel('Wat zag of hoorde u?').fill('Blauwe plek op de linkerarm, ca. 3 cm.');
      await page.getByLabel('Wat zei het kind zelf? (optioneel)').fill('Ik ben van de trap gevallen.');
      await page.getByRole('radio', { name: 'Gisteren' }).click();
      await page.getByLabel('Zoek een signaal').fill('riem');
      await page.getByRole('button', { name: /^Plekken of striemen/ }).click();
      await check(page, size, 'capture-signal-search');
      await page.getByLabel('Zoek een signaal').fill('');
      await page.getByText('Lichamelijke signalen').click();
      await page.getByTestId('body-map-toggle').click();
      const front = page.getByTestId('body-front');
      const box = await front.boundingBox();
      await front.click({ position: { x: box.width * 0.25, y: box.height * 0.4 } });
      await page.getByLabel(/Plek 1/).fill('blauwe plek, ca. 3 cm');
      await check(page, size, 'capture');
      await page.getByRole('radio', { name: 'Ander moment' }).click();
      await page.getByLabel('Dag').waitFor();
      await check(page, size, 'capture-other-moment');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.getByTestId('saved-notice').waitFor();
      const saved = await page.evaluate(() => window.__mock.state.captures[0]);
      assert.equal(saved.signal.child_words, 'Ik ben van de trap gevallen.');
      assert.deepEqual(saved.signal.catalogue_codes, ['physical.patterned_marks']);
      assert.equal(saved.signal.body_marks.length, 1);
      assert.equal(saved.signal.body_marks[0].side, 'front');
      const day = 24 * 3600 * 1000;
      const ago = Date.now() - Date.parse(saved.signal.observed_at);
      assert.ok(ago > day - 5 * 60_000 && ago < day + 5 * 60_000, `seen yesterday, not ${saved.signal.observed_at}`);
      await check(page, size, 'home-saved');
    });

    if (viewport.width > viewport.height && viewport.width >= 1100) {
      test('the case list and the open case side by side', async () => {
        await page.goto(`${site.base}?mock=seeded`);
        await signIn(page, 'Anouk Jansen', '482913');
        await page.getByTestId('case-pane').getByText('Kies een dossier').waitFor();
        await page.getByTestId('open-case-Sanne Bakker').click();
        const pane = page.getByTestId('case-pane');
        await pane.getByTestId('timeline').waitFor();
        const list = await page.getByTestId('case-list').boundingBox();
        const open = await pane.boundingBox();
        assert.ok(list.x + list.width <= open.x, 'the case stands to the right of the list');
        assert.ok(open.y < list.y + list.height && list.y < open.y + open.height, 'both at the same height');
        assert.ok(open.x + open.width <= viewport.width + 1, 'the case fits the screen');
        assert.match(await pane.getByRole('heading', { level: 1 }).innerText(), /Sanne Bakker/);
        assert.equal(await page.locator('.case-list li[aria-current="true"]').innerText().then((t) => t.includes('Sanne Bakker')), true);
        await check(page, size, 'home-side-by-side');
        // Another case replaces it, and the list stays.
        await page.getByTestId('open-case-Daan Visser').click();
        await pane.getByRole('heading', { name: /Daan Visser/ }).waitFor();
        // A signal added from the open case comes back to the same place, saved.
        await pane.getByTestId('case-add-signal').click();
        await page.getByLabel('Wat zag of hoorde u?').fill('Kwam zonder jas, rilde.');
        await page.getByRole('button', { name: 'Opslaan' }).click();
        await page.getByTestId('saved-notice').waitFor();
        await pane.getByRole('heading', { name: /Daan Visser/ }).waitFor();
        assert.equal(await page.getByTestId('saved-notice').count(), 1);
        await page.getByTestId('case-list').waitFor();

        // Turned upright while typing in a form beside the list: the case fills the screen and
        // keeps what was typed; turned back, the list is there again.
        await pane.getByTestId('open-record_consultation').click();
        await pane.getByLabel('Wat is besproken').fill('Half getypt.');
        await page.setViewportSize({ width: viewport.height, height: viewport.width });
        await page.getByTestId('back-to-list').waitFor();
        assert.equal(await page.getByTestId('case-list').isVisible(), false);
        assert.equal(await pane.getByLabel('Wat is besproken').inputValue(), 'Half getypt.');
        await page.setViewportSize(viewport);
        await page.getByTestId('case-list').waitFor();
        assert.equal(await pane.getByLabel('Wat is besproken').inputValue(), 'Half getypt.');
        // "Start" again closes the case beside the list.
        await page.getByRole('button', { name: 'Start' }).click();
        await pane.getByText('Kies een dossier').waitFor();
      });
    }

    test('social map', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Pieter de Vries', '735142');
      await page.getByRole('button', { name: 'Sociale kaart' }).click();
      await page.getByTestId('contact-veilig-thuis-landelijk').waitFor();
      await check(page, size, 'social-map');
    });

    test('settings for the coordinator', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('heading', { name: 'Gebruikers' }).waitFor();
      await check(page, size, 'settings');
    });

    test('school log for the director, and none for the coordinator', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, async () => {
        const backend = window.__mock;
        backend.state.users.push({ id: 'director-1', full_name: 'Marieke van Dijk', role: 'director', pin: '906142' });
        await backend.unlock(backend.state.users[0].id, '482913');
        const jeroen = await backend.addUser('482913', 'Jeroen Smit', 'teacher', '640275');
        await backend.resetPin('482913', jeroen.id, '579204');
        await backend.removeUser('482913', backend.state.users[2].id);
        backend.state.log[1].with_recovery_key = true;
        backend.fireLocked(); // the lock screen lists the users again
      });
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('heading', { name: 'Gebruikers' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Logboek bekijken' }).count(), 0);
      await page.getByTestId('lock').click();
      await signIn(page, 'Marieke van Dijk', '906142');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('button', { name: 'Logboek bekijken' }).click();
      const log = page.getByTestId('school-log');
      await log.waitFor();
      const lines = await log.locator('li').allInnerTexts();
      assert.equal(lines.length, 3);
      assert.match(lines[0], /verwijderde Karin Smit\.$/);
      assert.match(lines.join('\n'), /stelde een nieuwe pincode in voor Jeroen Smit, met de herstelsleutel\./);
      assert.match(lines[2], /^\d{1,2} \w+ \d{4} om \d\d:\d\d\n+Anouk Jansen \(intern begeleider \/ aandachtsfunctionaris\) voegde Jeroen Smit toe als leerkracht\.$/);
      await check(page, size, 'school-log');
    });

    test('lock screen with a passphrase instead of the PIN pad', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, () => (window.__mock.state.users[1].pin = 'paard nietje fiets'));
      await page.getByRole('button', { name: /Pieter de Vries/ }).click();
      await page.getByRole('button', { name: 'Wachtwoordzin gebruiken' }).click();
      const phrase = page.getByLabel('Wachtwoordzin');
      assert.equal(await phrase.evaluate((el) => el === document.activeElement), true);
      await phrase.fill('paard nietje fiets');
      await check(page, size, 'lock-passphrase');
      await page.getByRole('button', { name: 'Openen' }).click();
      await page.getByRole('button', { name: 'Nieuwe signalering' }).waitFor();
    });

    test('first run with a passphrase, and a weak PIN refused with the store\'s reason', async () => {
      await page.goto(site.base);
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByLabel('Volledige naam').fill('Anouk Jansen');
      await page.getByLabel('Pincode', { exact: true }).fill('010190');
      await page.getByLabel('Pincode nog een keer').fill('010190');
      await page.getByRole('button', { name: 'Inrichten' }).click();
      await page.getByTestId('first-run-error').getByText('lijkt op een datum').waitFor();
      await check(page, size, 'first-run-weak-pin');
      await page.getByRole('button', { name: 'Wachtwoordzin gebruiken' }).click();
      await page.getByLabel('Wachtwoordzin', { exact: true }).fill('fiets regen brug');
      await page.getByLabel('Wachtwoordzin nog een keer').fill('fiets regen brug');
      await check(page, size, 'first-run-passphrase');
      await page.getByRole('button', { name: 'Inrichten' }).click();
      await page.getByTestId('recovery-key').waitFor();
    });

    test('an alarm about the record above every screen; a teacher cannot dismiss it', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, () => window.__mock.raiseAlarm());
      await signIn(page, 'Pieter de Vries', '735142');
      const banner = page.getByTestId('alarm-banner');
      await banner.waitFor();
      assert.match(await banner.innerText(), /ontbreken in het dossier[\s\S]*Sinds 17 november 2026 om \d\d:30[\s\S]*Zet niets terug/);
      assert.equal(await banner.getByRole('button', { name: 'Afgehandeld' }).count(), 0);
      await check(page, size, 'alarm-home-teacher');
      // Folded to its headline, the screen under it is in reach again, also on a phone.
      await page.getByRole('button', { name: 'Inklappen' }).click();
      const start = await page.getByRole('button', { name: 'Nieuwe signalering' }).boundingBox();
      assert.ok(start.y + start.height <= viewport.height, `Nieuwe signalering on screen: ${JSON.stringify(start)}`);
      await check(page, size, 'alarm-home-folded');
      await page.getByRole('button', { name: 'Nieuwe signalering' }).click();
      await page.getByTestId('save-signal').waitFor();
      await banner.waitFor();
      await check(page, size, 'alarm-capture');
    });

    test('the coordinator marks the alarm as dealt with', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, () => window.__mock.raiseAlarm());
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByTestId('alarm-banner').waitFor();
      await check(page, size, 'alarm-home-coordinator');
      await page.getByRole('button', { name: 'Afgehandeld' }).click();
      await page.getByTestId('alarm-banner').waitFor({ state: 'detached' });
      assert.deepEqual(await page.evaluate(() => window.__mock.state.alarms), []);
    });

    test('a new user chooses their own PIN before anything else', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, async () => {
        const backend = window.__mock;
        await backend.unlock(backend.state.users[0].id, '482913');
        await backend.addUser('482913', 'Fatima Yilmaz', 'teacher', '640275');
        backend.fireLocked(); // the lock screen lists the users again
      });
      await page.getByRole('button', { name: /Fatima Yilmaz/ }).click();
      await page.getByLabel('Pincode').fill('640275');
      await page.getByRole('button', { name: 'Openen' }).click();
      await page.getByRole('heading', { name: 'Kies uw eigen pincode' }).waitFor();
      await page.getByLabel('De pincode die u net gebruikte').fill('640275');
      await page.getByLabel('Nieuwe pincode').fill('123456');
      await page.getByLabel('Pincode nog een keer').fill('123456');
      await page.getByRole('button', { name: 'Eigen pincode opslaan' }).click();
      await page.getByTestId('change-pin-error').getByText('volgt een reeks').waitFor();
      await check(page, size, 'choose-pin');
      await page.getByLabel('De pincode die u net gebruikte').fill('640275');
      await page.getByLabel('Nieuwe pincode').fill('579204');
      await page.getByLabel('Pincode nog een keer').fill('579204');
      await page.getByRole('button', { name: 'Eigen pincode opslaan' }).click();
      await page.getByTestId('saved-notice').waitFor();
      await page.getByRole('button', { name: 'Nieuwe signalering' }).waitFor();
    });

    test('user administration asks for the coordinator\'s own PIN', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByLabel('Volledige naam').fill('Fatima Yilmaz');
      await page.getByLabel(/Eerste pincode/).fill('640275');
      await page.getByTestId('add-user').click();
      await page.getByLabel('Bevestig met uw eigen pincode').fill('735142');
      await page.getByRole('button', { name: 'Bevestigen' }).click();
      await page.getByTestId('confirm-error').waitFor();
      await check(page, size, 'settings-confirm-pin');
      await page.getByTestId('own-pin-toggle').click();
      await page.getByLabel('Bevestig met uw eigen wachtwoordzin').waitFor();
      await check(page, size, 'settings-confirm-passphrase');
      await page.getByTestId('own-pin-toggle').click();
      await page.getByLabel('Bevestig met uw eigen pincode').fill('482913');
      await page.getByRole('button', { name: 'Bevestigen' }).click();
      await page.getByText('Fatima Yilmaz is toegevoegd.').waitFor();
      await page.getByTestId('reset-Pieter de Vries').click();
      await page.getByTestId('reset-save').click();
      await page.getByText(/Te kort/).waitFor();
      await check(page, size, 'settings-reset-pin');
    });

    test('privacy screen blanks everything and nothing underneath can be reached', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await signIn(page, 'Pieter de Vries', '735142');
      await page.getByRole('button', { name: 'Scherm verbergen' }).click();
      await page.getByRole('dialog').waitFor();
      const covered = await page.evaluate(() => {
        const el = document.elementFromPoint(innerWidth / 2, innerHeight / 3);
        return el?.closest('.privacy-screen') !== null && document.querySelector('.app').inert;
      });
      assert.equal(covered, true);
      await page.screenshot({ path: join(shots, `${size}-privacy.png`) });
      await audit(page, `${size}/privacy`);
      await page.getByRole('button', { name: 'Tik om verder te gaan' }).click();
      await page.getByRole('button', { name: 'Nieuwe signalering' }).waitFor();
    });
  });
}
