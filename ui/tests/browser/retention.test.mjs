// Retention with the mock backend: on a closed case the coordinator can still record that the
// pupil left the school (the only record left), and the case then says until when it is kept;
// a teacher is offered nothing there. Axe audit, touch targets and a screenshot at each size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEverySize, mock, serveDuringTests, signIn } from './helpers.mjs';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = serveDuringTests(ui, before, after);

atEverySize('retention', ui, (ctx) => {
  test('the pupil left: recorded on a closed case by the coordinator, kept for two more years', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await mock(page, async (backend) => {
      await backend.unlock(backend.state.users[0].id, '482913');
      const sanne = backend.state.cases.find((c) => c.pupil_name === 'Sanne Bakker');
      await backend.record(sanne.case_id, { type: 'close_case', outcome: 'unfounded', reasoning: 'Zorgen bleken ongegrond.', no_vt_answer_reason: null });
      backend.fireLocked();
    });
    await signIn(page, 'Anouk Jansen', '482913');
    await page.locator('details.closed-cases summary').click();
    await page.getByTestId('open-case-Sanne Bakker').click();
    await page.getByTestId('case-closed').waitFor();
    // The forms offered (the list beside the case, on a tablet on its side, has open-case-… too).
    const offered = await page
      .locator('[data-testid^="open-"]')
      .evaluateAll((els) => els.map((e) => e.dataset.testid).filter((id) => !id.startsWith('open-case-')));
    assert.deepEqual(offered, ['open-record_pupil_left']);
    await page.getByTestId('open-record_pupil_left').click();
    const form = page.getByTestId('form-record_pupil_left');
    await form.getByLabel('Laatste schooldag').fill('2026-07-10');
    await form.getByLabel(/Toelichting/).fill('Verhuisd; naar OBS De Linde in Groningen.');
    await ctx.check(page, 'form-pupil-left');
    await form.getByTestId('form-save').click();
    await page.getByTestId('case-retain-until').getByText('10 juli 2028').waitFor();
    assert.equal(await page.locator('[data-testid^="open-record"]').count(), 0);
    await ctx.check(page, 'case-retained');
  });
});
