// Exporting a dossier with the mock backend: the coordinator makes the full dossier, then the
// parent's inspection copy after choosing in the preview what stays out (who told the school,
// what colleagues said to each other); each copy lands in the case's timeline. A teacher has no
// export. Axe audit, touch targets and a screenshot at each size.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEverySize, mock, serveDuringTests, signIn } from './helpers.mjs';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = serveDuringTests(ui, before, after);

atEverySize('export', ui, (ctx) => {
  test('full dossier and an inspection copy with chosen masks, each on record', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await mock(page, async (backend) => {
      await backend.unlock(backend.state.users[0].id, '482913');
      const sanne = backend.state.cases.find((c) => c.pupil_name === 'Sanne Bakker');
      await backend.record(sanne.case_id, {
        type: 'record_signal',
        observed_at: new Date().toISOString(),
        context: 'playground',
        context_detail: null,
        facts: 'De overblijfkracht hoorde Sanne zeggen dat ze niet naar huis wil.',
        child_words: 'Ik wil niet naar huis.',
        source: { kind: 'other', who: 'Petra Bakker', relation: 'overblijfkracht' },
        catalogue_codes: [],
        body_marks: [],
        indication: 'concern',
      });
      await backend.record(sanne.case_id, {
        type: 'record_consultation',
        held_at: new Date().toISOString(),
        partner: 'coordinator',
        partner_name: 'Anouk Jansen, intern begeleider',
        anonymous: false,
        summary: 'Signalen doorgenomen; gericht observeren.',
        advice: null,
      });
      backend.fireLocked();
    });
    await signIn(page, 'Anouk Jansen', '482913');
    await page.getByTestId('open-case-Sanne Bakker').first().click();
    await page.getByTestId('case-export').click();
    const form = page.getByTestId('export-dossier');
    await form.waitFor();
    await ctx.check(page, 'export-full');
    await form.getByTestId('export-save').click();
    await page.getByTestId('case-saved').getByText(/controlecode/).waitFor();
    await page.getByText('Kopie van het dossier gemaakt').first().waitFor();

    await page.getByTestId('case-export').click();
    await form.getByTestId('export-copy-inzage').check();
    assert.equal(await form.getByTestId('export-recipient').inputValue(), 'parent');
    const masks = form.getByTestId('export-masks');
    await masks.getByText('Petra Bakker (overblijfkracht)').waitFor();
    assert.equal(await masks.locator('li').count(), 3);
    await form.getByTestId('export-masked-count').getByText('3 van 3').waitFor();
    // The summary of the consultation may be seen by the parent: she unticks it.
    const summary = masks.locator('li', { hasText: 'Samenvatting' });
    await summary.getByRole('checkbox').uncheck();
    await form.getByTestId('export-masked-count').getByText('2 van 3').waitFor();
    await ctx.check(page, 'export-inzage-preview');
    await form.getByTestId('export-save').click();
    await page.getByTestId('case-saved').getByText('2 delen weggelaten').waitFor();
    const copies = await page.evaluate(() => window.__mock.state.savedPdf);
    assert.deepEqual(copies.map((p) => p.split('/').pop()), ['meldcode-dossier.pdf', 'meldcode-inzagekopie.pdf']);
    assert.equal(await page.getByText('Kopie van het dossier gemaakt').count(), 2);

    // "Anders" needs to say for whom, in Dutch.
    await page.getByTestId('case-export').click();
    await form.getByTestId('export-recipient').selectOption('other');
    await form.getByTestId('export-save').click();
    await form.getByTestId('export-error').getByText('Vul in voor wie de kopie is.').waitFor();
    await form.getByTestId('export-cancel').click();
    assert.equal(await page.getByTestId('export-dossier').count(), 0);
  });

  test('a teacher has no export', async () => {
    const page = ctx.page;
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByTestId('open-case-Sanne Bakker').first().click();
    await page.getByRole('heading', { name: /Sanne Bakker/ }).waitFor();
    assert.equal(await page.getByTestId('case-export').count(), 0);
  });
});
