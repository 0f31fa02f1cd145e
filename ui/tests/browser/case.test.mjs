// The case screen with the mock backend, on a phone and on a tablet upright and on its side
// (there beside the case list): the screen itself, every guided form open (axe-core audit, touch
// targets, screenshot), the board's forms in a staff case, a parent conversation signed on the
// canvas by everyone present, a child's disclosure in the timeline, and a teacher's view without
// the coordinator's actions.
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

// Every command kind but opening a case and the quick capture (src/lib/backend/mock-cases.ts).
const FORMS = [
  'declare_emergency', 'record_emergency_call', 'record_disclosure', 'raise_urgent_flag', 'suspect_staff',
  'record_board_informed', 'record_child_conversation', 'record_consultation', 'request_advice',
  'record_advice_skipped', 'record_consent', 'consider_risk_index', 'record_care_team_intake', 'involve_colleague',
  'record_parent_conversation', 'record_other_cause', 'record_exception_ground', 'record_assessment',
  'record_decision', 'start_help_plan', 'share_help_plan', 'check_help_reached', 'review_help', 'end_help_plan',
  'record_report_discussion', 'make_report', 'inform_parents_of_report', 'record_follow_up', 'correct_record',
  'record_evaluation', 'close_case', 'record_pupil_left',
];
// The board's route: offered only in a staff case (the seeded "Mila de Jong"), to the board.
const STAFF_ROUTE_FORMS = ['inform_parents_of_staff_case', 'inform_suspected_staff', 'record_police_report_decision'];

const site = serveDuringTests(ui, before, after);

async function openCase(page, who, pin, pupil) {
  await page.goto(`${site.base}?mock=seeded`);
  await signIn(page, who, pin);
  await page.getByTestId(`open-case-${pupil}`).click();
  await page.getByTestId('timeline').waitFor();
}
const openSanne = (page, who, pin) => openCase(page, who, pin, 'Sanne Bakker');

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

    /** The forms the case screen offers, by their open-<kind> buttons. */
    const offered = async () =>
      (await page.locator('.case-screen [data-testid^="open-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice('open-'.length)))).sort();

    async function auditForms(kinds) {
      for (const kind of kinds) {
        await page.getByTestId(`open-${kind}`).click();
        const form = page.getByTestId(`form-${kind}`);
        await form.waitFor();
        await check(`form-${kind}`);
        await form.getByRole('button', { name: 'Annuleren' }).click();
        await form.waitFor({ state: 'detached' });
      }
    }

    test('every guided form', async () => {
      await openSanne(page, 'Anouk Jansen', '482913');
      // Everything the coordinator may record here is audited; the board's route is not offered.
      assert.deepEqual(await offered(), [...FORMS].sort());
      await auditForms(FORMS);
    });

    test('the board\'s forms in a staff case', async () => {
      await openCase(page, 'Karin Smit', '604918', 'Mila de Jong');
      await check('case-staff');
      assert.deepEqual(await offered(), [...FORMS, ...STAFF_ROUTE_FORMS].sort());
      await auditForms(STAFF_ROUTE_FORMS);
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
      // One slot per person present, with the name and role filled in: only sign, or say why not.
      const signers = form.locator('.signer-name');
      await signers.nth(1).waitFor();
      assert.deepEqual(await signers.allInnerTexts(), ['Marieke Bakker', 'Anouk Jansen']);
      assert.equal(await form.getByLabel('Wie is dit?').first().inputValue(), 'ouder');
      await sign(page, form.locator('canvas').first());
      await form.getByText('Getekend.', { exact: true }).waitFor();
      await form.getByLabel('Waarom niet getekend?').fill('Tekent na het uitwerken van het verslag.');
      await check('form-parent-conversation-signed');
      await form.getByTestId('form-save').click();
      await page.getByTestId('case-saved').waitFor();
      const drawn = page.getByTestId('timeline').locator('svg.signature-view path');
      assert.equal(await drawn.count(), 1);
      assert.match(await drawn.getAttribute('d'), /^M\d+ \d+( L\d+ \d+)+$/);
      const talk = await page.evaluate(() => [...window.__mock.state.records.values()].flatMap((c) => c.events).find((e) => e.payload.type === 'parent_conversation_recorded').payload);
      assert.deepEqual(talk.signatures.map((s) => [s.signer_name, s.signer_role, !!s.drawing, s.not_signed_reason]), [
        ['Marieke Bakker', 'ouder', true, null],
        ['Anouk Jansen', 'intern begeleider / aandachtsfunctionaris', false, 'Tekent na het uitwerken van het verslag.'],
      ]);
      await check('case-after-conversation');
    });

    test('a teacher records what the child told, its words apart in the timeline', async () => {
      await openSanne(page, 'Pieter de Vries', '735142');
      await page.getByTestId('open-record_disclosure').click();
      const form = page.getByTestId('form-record_disclosure');
      assert.equal(await form.getByLabel(/Aan wie vertelde/).inputValue(), 'Pieter de Vries');
      await form.getByLabel('Waar en hoe kwam het ter sprake').fill('Na de gymles, alleen in de klas.');
      await form.getByLabel(/Wat vertelde het kind/).fill('Papa wordt heel boos als ik huil.');
      await form.getByLabel(/Hoe reageerde u/).fill('Geluisterd, niets beloofd, gezegd dat ik met de juf van de zorg ga praten.');
      await form.getByTestId('form-save').click();
      await page.getByTestId('case-saved').waitFor();
      const words = page.getByTestId('timeline').locator('[data-kind="disclosure_recorded"] blockquote.child-words');
      assert.match(await words.innerText(), /Papa wordt heel boos als ik huil\./);
      await check('case-after-disclosure');
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
