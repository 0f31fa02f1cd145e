// The evaluation figures screen with the mock backend, on a phone and on a tablet both ways:
// reached from the settings by the director (not by a teacher), charts with hidden counts shown
// as "< 5", no pupil's name, a period that ends before it starts refused in Dutch, the CSV saved
// and the PDF where the dialog says; axe audit, touch targets and a screenshot of each size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEverySize, serveDuringTests, signIn } from './helpers.mjs';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = serveDuringTests(ui, before, after);

atEverySize('figures', ui, (ctx) => {
  test('the director reads the figures, a teacher has no way to them', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await page.waitForFunction(() => window.__mock);
    await page.evaluate(() =>
      window.__mock.state.users.push({ id: 'director-1', full_name: 'Marieke van Dijk', role: 'director', pin: '906142' }),
    );
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByRole('button', { name: 'Instellingen' }).click();
    await page.getByRole('heading', { name: 'Pincode wijzigen' }).first().waitFor();
    assert.equal(await page.getByTestId('open-figures').count(), 0);
    await page.getByTestId('lock').click();

    await signIn(page, 'Marieke van Dijk', '906142');
    await page.getByRole('button', { name: 'Instellingen' }).click();
    await page.getByRole('button', { name: 'Cijfers bekijken' }).click();
    const outcomes = page.getByTestId('chart-outcomes');
    await outcomes.waitFor();
    const lines = (chart) => page.getByTestId(chart).locator('li').allInnerTexts();
    assert.deepEqual((await lines('chart-outcomes')).map((l) => l.replace(/\s+/g, ' ').trim()), [
      'Zorgen ongegrond 5',
      'Andere oorzaak gevonden < 5',
      'Hulp loopt < 5',
      'Gemeld en overgedragen 7',
      'Route medewerker afgerond < 5',
    ]);
    assert.deepEqual((await lines('chart-durations')).map((l) => l.replace(/\s+/g, ' ').trim()), [
      'Tot collegiale consultatie 3 dagen (18 dossiers)',
      'Tot de weging 12 dagen (11 dossiers)',
      'Tot het besluit te weinig dossiers',
    ]);
    assert.equal(await page.getByTestId('figures-overdue').innerText(), '5');
    const text = await page.locator('main').innerText();
    for (const pupil of ['Sanne Bakker', 'Daan', 'Lotte']) assert.ok(!text.includes(pupil), `no ${pupil} on the figures`);
    await ctx.check(page, 'figures');

    await page.getByLabel('Van', { exact: true }).fill('2026-10-01');
    await page.getByLabel('Tot en met', { exact: true }).fill('2026-09-01');
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    await page.getByTestId('figures-error').getByText('eindigt voordat ze begint').waitFor();
    assert.equal(await page.getByTestId('chart-outcomes').count(), 0);

    await page.getByLabel('Tot en met', { exact: true }).fill('2026-11-30');
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    await page.getByTestId('chart-outcomes').waitFor();
    await page.getByRole('button', { name: 'Opslaan als CSV' }).click();
    await page.getByTestId('figures-saved').getByText('meldcode-cijfers-2026-10-01-2026-11-30.csv').waitFor();
    const saved = await page.evaluate(() => window.__mock.state.savedCsv);
    assert.equal(saved.length, 1);
    await page.getByRole('button', { name: 'Opslaan als PDF' }).click();
    await page.getByTestId('figures-saved').getByText('meldcode-cijfers-2026-10-01-2026-11-30.pdf').waitFor();
    assert.equal((await page.evaluate(() => window.__mock.state.savedPdf)).length, 1);
  });
});
