// The case screen with the mock backend, at phone and tablet size: the screen itself, every
// guided form open (axe-core audit, touch targets, screenshot), a parent conversation signed on
// the canvas, and a teacher's view without the coordinator's actions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './chromium.mjs';
import { check as checkIn, serveDuringTests, signIn } from './helpers.mjs';
import { SIZES } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..', '..');
const shots = join(ui, 'test-results', 'screenshots', 'case');
mkdirSync(shots, { recursive: true });

const FORMS = [
  'declare_emergency', 'record_emergency_call', 'raise_urgent_flag', 'suspect_staff', 'record_board_informed',
  'record_consultation', 'request_advice', 'record_consent', 'consider_risk_index', 'involve_colleague',
  'record_parent_conversation', 'record_exception_ground', 'record_assessment', 'record_decision',
  'start_help_plan', 'review_help', 'end_help_plan', 'record_report_discussion', 'make_report',
  'record_follow_up', 'correct_record', 'close_case',
];

const site = serveDuringTests(ui, before, after);

async function openSanne(page, who, pin) {
  await page.goto(`${site.base}?mock=seeded`);
  await signIn(page, who, pin);
  await page.getByTestId('open-case-Sanne Bakker').click();
  await page.getByTestId('timeline').waitFor();
}

/** Draws a short stroke on a signature canvas with the mouse (pointer events). */
async function sign(page, canvas) {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.1 + i * 0.07), box.y + box.height * (0.6 - (i % 2) * 0.3));
  await page.mouse.up();
}

for (const [size, viewport] of Object.entries(SIZES)) {
  describe(`case screen, ${size} ${viewport.width}×${viewport.height}`, () => {
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

    test('the case: stepper, next actions with their rule, timeline', async () => {
      await openSanne(page, 'Anouk Jansen', '482913');
      assert.match(await page.locator('[aria-current="step"]').innerText(), /Overleg/);
      await page.getByText(/Waarom\? R3/).click();
      await check('case');
    });

    test('every guided form', async () => {
      await openSanne(page, 'Anouk Jansen', '482913');
      for (const kind of FORMS) {
        await page.getByTestId(`open-${kind}`).click();
        const form = page.getByTestId(`form-${kind}`);
        await form.waitFor();
        await check(`form-${kind}`);
        await form.getByRole('button', { name: 'Annuleren' }).click();
        await form.waitFor({ state: 'detached' });
      }
    });

    test('a parent conversation signed on the screen, shown in the timeline', async () => {
      await openSanne(page, 'Anouk Jansen', '482913');
      await page.getByTestId('open-record_parent_conversation').click();
      const form = page.getByTestId('form-record_parent_conversation');
      await form.getByLabel('Aanwezige ouders').fill('Marieke Bakker');
      await form.getByLabel('Aanwezigen van school').fill('Anouk Jansen');
      await form.getByLabel(/Deel 1/).fill('Uitgelegd dat we ons zorgen maken.');
      await form.getByLabel(/Deel 2/).fill('Blauwe plek op de arm, huilen bij het brengen.');
      await form.getByLabel(/Deel 3/).fill('Moeder schrok en vertelde over spanningen thuis.');
      await form.getByLabel(/Deel 5/).fill('Afgesproken: gesprek met schoolmaatschappelijk werk.');
      await form.getByTestId('add-signer').click();
      await form.getByLabel('Naam', { exact: true }).fill('Marieke Bakker');
      await form.getByLabel('Wie is dit?').fill('moeder');
      await sign(page, form.locator('canvas').first());
      await form.getByText('Getekend.', { exact: true }).waitFor();
      await check('form-parent-conversation-signed');
      await form.getByTestId('form-save').click();
      await page.getByTestId('case-saved').waitFor();
      const drawn = page.getByTestId('timeline').locator('svg.signature-view path');
      assert.equal(await drawn.count(), 1);
      assert.match(await drawn.getAttribute('d'), /^M\d+ \d+( L\d+ \d+)+$/);
      await check('case-after-conversation');
    });

    test('a teacher sees the case without the coordinator\'s actions', async () => {
      await openSanne(page, 'Pieter de Vries', '735142');
      await page.getByTestId('open-record_consultation').waitFor();
      for (const lead of ['record_assessment', 'record_decision', 'make_report', 'close_case']) {
        assert.equal(await page.getByTestId(`open-${lead}`).count(), 0, lead);
      }
      await check('case-teacher');
    });
  });
}
