// Reminders with the mock backend: the coordinator's digest of the day on the home screen (counts
// only, gone for the day once seen, none for a teacher), and the switch in the settings; axe
// audit, touch targets and a screenshot at each size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEverySize, serveDuringTests, signIn } from './helpers.mjs';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = serveDuringTests(ui, before, after);

atEverySize('reminders', ui, (ctx) => {
  test('the coordinator sees the day\'s digest until she has seen it; a teacher gets none', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Anouk Jansen', '482913');
    const digest = page.getByTestId('daily-digest');
    await digest.waitFor();
    // The seeded school has one case with a step overdue.
    assert.match(await digest.innerText(), /1 dossier is een stap te laat\./);
    assert.ok(!(await digest.innerText()).includes('Sanne'), 'no name in the digest');
    await ctx.check(page, 'home-digest');
    await page.getByTestId('digest-seen').click();
    await digest.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Instellingen' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('case-list').waitFor();
    assert.equal(await page.getByTestId('daily-digest').count(), 0);

    await page.getByTestId('lock').click();
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByTestId('case-list').waitFor();
    assert.equal(await page.getByTestId('daily-digest').count(), 0);
  });

  test('reminders can be turned off in the settings', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByRole('button', { name: 'Instellingen' }).click();
    const box = page.getByLabel('Herinneringen geven');
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    await page.getByRole('button', { name: 'Opslaan' }).first().click();
    await page.getByText('Instellingen opgeslagen.').waitFor();
    assert.equal(await page.evaluate(() => window.__mock.state.settings.reminders), false);
  });
});
