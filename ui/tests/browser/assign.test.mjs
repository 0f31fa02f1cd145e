// A teacher's PIN on every device she is assigned to, with the mock backend, on a phone and on a
// tablet upright and on its side: the coordinator lets a colleague work on another device too
// (Apparaten: the form, a wrong own PIN, the outcome) or takes her off one (the confirmation, a
// wrong own PIN, the outcome, a refusal of the core), and a user who already has a PIN from her
// other devices joins a new one with another PIN and lands on the lock screen with a notice.
// Every state gets the axe-core audit, the 44 px touch-target check and a screenshot
// (ui/test-results/screenshots/assign).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './chromium.mjs';
import { LINK, SIZES, check as checkIn, mock, serveDuringTests, signIn } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..', '..');
const shots = join(ui, 'test-results', 'screenshots', 'assign');
mkdirSync(shots, { recursive: true });

const site = serveDuringTests(ui, before, after);


for (const [size, viewport] of Object.entries(SIZES)) {
  describe(`assigned devices, ${size} ${viewport.width}×${viewport.height}`, () => {
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

    test('devices: a colleague on another device too, after the coordinator\'s own PIN', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, (m) => m.setSync({ kind: 'current', at: new Date().toISOString() }));
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('button', { name: 'Apparaten' }).click();
      const items = page.getByTestId('devices').getByTestId('device');
      await items.first().waitFor();
      assert.equal(await items.nth(3).getByRole('button', { name: 'Collega toevoegen' }).count(), 0, 'not on a revoked device');

      // With the keyboard: the button opens the form, the focus on the choice.
      const device = items.nth(1);
      const open = device.getByRole('button', { name: 'Collega toevoegen' });
      await open.focus();
      await page.keyboard.press('Enter');
      const select = device.getByLabel('Welke collega?');
      await select.waitFor();
      assert.equal(await open.getAttribute('aria-expanded'), 'true');
      const options = await select.locator('option').allInnerTexts();
      assert.deepEqual(options, ['Kies een collega', 'Anouk Jansen (intern begeleider / aandachtsfunctionaris)', 'Karin Smit (schoolbestuur)']);
      assert.equal(await select.evaluate((el) => el === document.activeElement), true, 'the focus is on the choice');
      await device.getByTestId('add-form').scrollIntoViewIfNeeded();
      await check('devices-add-form');

      await select.selectOption({ label: 'Karin Smit (schoolbestuur)' });
      await device.getByRole('button', { name: 'Verder' }).click();
      const confirm = device.getByTestId('confirm-pin');
      assert.match(await confirm.innerText(), /Karin Smit ook laten werken op het apparaat van Pieter de Vries, Esther Bos, met de eigen pincode\?/);
      await confirm.scrollIntoViewIfNeeded();
      await check('devices-add-confirm');

      await device.getByLabel('Bevestig met uw eigen pincode').fill('735142');
      await device.getByRole('button', { name: 'Bevestigen' }).click();
      await device.getByTestId('confirm-error').getByText('Onjuiste pincode').waitFor();
      await check('devices-add-wrong-pin');

      await device.getByLabel('Bevestig met uw eigen pincode').fill('482913');
      await device.getByRole('button', { name: 'Bevestigen' }).click();
      const status = device.getByRole('status');
      await status.waitFor();
      assert.equal(
        await status.innerText(),
        'Karin Smit kan nu ook op het apparaat van Pieter de Vries, Esther Bos werken, met de eigen pincode. Daar verschijnt Karin Smit op het inlogscherm zodra dat apparaat is bijgewerkt en één keer door iemand is ontgrendeld.',
      );
      assert.match(await device.innerText(), /Esther Bos \(intern begeleider \/ aandachtsfunctionaris\), Karin Smit \(schoolbestuur\)/);
      assert.equal(await device.getByTestId('add-form').count(), 0);
      assert.equal(await open.evaluate((el) => el === document.activeElement), true, 'the focus is back on the button');
      await status.scrollIntoViewIfNeeded();
      await check('devices-added');

      // Opened again, the colleague just added is no longer offered.
      await open.click();
      assert.deepEqual(await device.getByLabel('Welke collega?').locator('option').allInnerTexts(), [
        'Kies een collega',
        'Anouk Jansen (intern begeleider / aandachtsfunctionaris)',
      ]);
    });

    test('devices: taking a colleague off a device, after the coordinator\'s own PIN', async () => {
      await page.goto(`${site.base}?mock=seeded`);
      await mock(page, (m) => m.setSync({ kind: 'current', at: new Date().toISOString() }));
      await signIn(page, 'Anouk Jansen', '482913');
      await page.getByRole('button', { name: 'Instellingen' }).click();
      await page.getByRole('button', { name: 'Apparaten' }).click();
      const items = page.getByTestId('devices').getByTestId('device');
      await items.first().waitFor();

      // Offered where the device has more than one user and is not revoked, not for herself here.
      const offered = [];
      for (let n = 0; n < (await items.count()); n++) {
        offered.push(await items.nth(n).getByTestId('unassign').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label'))));
      }
      assert.deepEqual(offered, [
        ['Pieter de Vries van dit apparaat halen', 'Karin Smit van dit apparaat halen'],
        ['Pieter de Vries van dit apparaat halen', 'Esther Bos van dit apparaat halen'],
        [],
        [],
      ]);
      await check('devices-unassign-offered');

      // With the keyboard: the action opens the confirmation, the focus on what is confirmed.
      const device = items.nth(1);
      const open = device.getByRole('button', { name: 'Esther Bos van dit apparaat halen' });
      await open.focus();
      await page.keyboard.press('Enter');
      const confirm = device.getByTestId('confirm-pin');
      await confirm.waitFor();
      assert.equal(await open.getAttribute('aria-expanded'), 'true');
      assert.equal(
        await confirm.locator('.confirm-what').innerText(),
        'Esther Bos werkt dan niet meer op dit apparaat. Wat het apparaat al had, blijft er versleuteld op staan.',
      );
      assert.equal(await confirm.locator('.confirm-what').evaluate((el) => el === document.activeElement), true, 'the focus is on the sentence');
      await confirm.scrollIntoViewIfNeeded();
      await check('devices-unassign-confirm');

      await device.getByLabel('Bevestig met uw eigen pincode').fill('735142');
      await device.getByRole('button', { name: 'Bevestigen' }).click();
      await device.getByTestId('confirm-error').getByText('Onjuiste pincode').waitFor();
      await check('devices-unassign-wrong-pin');

      await device.getByLabel('Bevestig met uw eigen pincode').fill('482913');
      await device.getByRole('button', { name: 'Bevestigen' }).click();
      const status = device.getByRole('status');
      await status.waitFor();
      assert.equal(
        await status.innerText(),
        'Esther Bos werkt niet meer op dit apparaat. Het apparaat haalt Esther Bos eraf zodra het is bijgewerkt.',
      );
      assert.equal(await device.locator('.device-who').innerText(), 'Pieter de Vries (leerkracht)');
      assert.equal(await device.getByTestId('unassign').count(), 0, 'the last user is not offered');
      const add = device.getByRole('button', { name: 'Collega toevoegen' });
      assert.equal(await add.evaluate((el) => el === document.activeElement), true, 'the focus is on the device\'s other action');
      await status.scrollIntoViewIfNeeded();
      await check('devices-unassigned');
      assert.deepEqual(await mock(page, (m) => m.state.log.map((e) => e.kind)), ['user_unassigned']);

      // Taken off meanwhile (on another coordinator's device, say): the core's refusal, in place.
      const here = items.nth(0);
      await here.getByRole('button', { name: 'Karin Smit van dit apparaat halen' }).click();
      await mock(page, (m) => {
        m.state.devices[0].users = m.state.devices[0].users.filter((u) => u.full_name !== 'Karin Smit');
      });
      await here.getByLabel('Bevestig met uw eigen pincode').fill('482913');
      await here.getByRole('button', { name: 'Bevestigen' }).click();
      const alert = here.getByRole('alert');
      await alert.waitFor();
      assert.equal(await alert.innerText(), 'Deze collega werkt niet op dit apparaat.');
      assert.equal(await here.getByTestId('unassign-form').count(), 0);
      await alert.scrollIntoViewIfNeeded();
      await check('devices-unassign-refused');
    });

    test('first run: joining with another PIN than the one from her other devices goes to the lock screen', async () => {
      await page.goto(site.base);
      await mock(page, (m) => (m.state.joiner.existingPin = '604918'));
      await page.getByRole('button', { name: 'Koppelen aan de schoolserver' }).click();
      await page.getByTestId('join-form').waitFor();
      assert.equal(
        await page.getByTestId('join-pin-existing').innerText(),
        'Hebt u al een pincode op een ander apparaat van school? Vul die in.',
      );
      await page.getByLabel('Koppelcode of koppellink').focus();
      await page.keyboard.insertText(LINK);
      await page.getByLabel('Uw pincode op dit apparaat').fill('735142');
      await page.getByLabel('Pincode nog een keer').fill('735142');
      await page.getByTestId('join-pin-existing').scrollIntoViewIfNeeded();
      await check('first-run-join-hint');
      await page.getByRole('button', { name: 'Koppelen', exact: true }).click();

      const notice = page.getByTestId('lock-notice');
      await notice.waitFor();
      assert.equal(await notice.getAttribute('role'), 'status');
      assert.equal(
        await notice.innerText(),
        'Dit apparaat is gekoppeld. U hebt al een pincode op een ander apparaat van school: die geldt ook hier. Ontgrendel met die pincode.',
      );
      assert.equal(await page.getByRole('alert').count(), 0, 'no failure shown');
      await check('lock-use-other-pin');

      await signIn(page, 'Pieter de Vries', '604918');
      assert.equal(await notice.count(), 0);
      assert.equal(await mock(page, (m) => m.state.current.full_name), 'Pieter de Vries');
    });
  });
}
