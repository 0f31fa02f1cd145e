// Destruction at the end of the retention period with the mock backend: the coordinator is
// asked on the home screen about the closed case whose retention period is over, confirms with
// a reason and her PIN (a wrong PIN destroys nothing), and the case is gone from her list; a
// teacher is never asked. Axe audit, touch targets and a screenshot at each size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEverySize, mock, serveDuringTests, signIn } from './helpers.mjs';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = serveDuringTests(ui, before, after);

atEverySize('destruction', ui, (ctx) => {
  test('the coordinator destroys a case past its retention period, with her PIN', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await mock(page, async (backend) => {
      await backend.unlock(backend.state.users[0].id, '482913');
      const sanne = backend.state.cases.find((c) => c.pupil_name === 'Sanne Bakker');
      await backend.record(sanne.case_id, { type: 'close_case', outcome: 'unfounded', reasoning: 'Zorgen bleken ongegrond.', no_vt_answer_reason: null });
      const left = new Date();
      left.setFullYear(left.getFullYear() - 3);
      await backend.record(sanne.case_id, { type: 'record_pupil_left', left_on: left.toISOString().slice(0, 10), note: null });
      backend.fireLocked();
    });
    await signIn(page, 'Anouk Jansen', '482913');
    const prompt = page.getByTestId('due-destruction');
    await prompt.getByText('Van 1 afgesloten dossier is de bewaartermijn verstreken.').waitFor();
    await prompt.getByTestId('destroy-Sanne Bakker').click();
    const confirm = prompt.getByTestId('destroy-confirm');
    assert.equal(await confirm.getByTestId('destroy-reason').inputValue(), 'De bewaartermijn is verstreken.');
    await ctx.check(page, 'destruction-confirm');
    await confirm.getByLabel('Bevestig met uw eigen pincode').fill('111111');
    await confirm.getByRole('button', { name: 'Bevestigen' }).click();
    await confirm.getByTestId('confirm-error').getByText('Onjuiste pincode').waitFor();
    assert.equal((await page.evaluate(() => window.__mock.state.destroyed)).length, 0);
    await confirm.getByLabel('Bevestig met uw eigen pincode').fill('482913');
    await confirm.getByRole('button', { name: 'Bevestigen' }).click();
    await prompt.getByTestId('destruction-done').waitFor();
    const tombstones = await page.evaluate(() => window.__mock.state.destroyed);
    assert.deepEqual(tombstones.map((t) => t.reason), ['De bewaartermijn is verstreken.']);
    // The school log holds the tombstone: no one as its subject, no name, the records counted.
    const logged = await page.evaluate(() => window.__mock.state.log.filter((e) => e.kind === 'case_destroyed'));
    assert.equal(logged.length, 1);
    assert.equal(logged[0].subject, null);
    assert.ok(logged[0].destroyed.records > 0);
    assert.ok(!JSON.stringify(logged[0]).includes('Sanne'));
    assert.equal(await page.getByTestId('open-case-Sanne Bakker').count(), 0);
    await ctx.check(page, 'destruction-done');
  });

  test('a teacher is never asked to destroy', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByTestId('new-signal').waitFor();
    assert.equal(await page.getByTestId('due-destruction').count(), 0);
  });
});
