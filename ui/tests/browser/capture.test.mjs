// The quick capture on a phone (390 × 844), as at the school gate: Opslaan is in reach from the
// moment the screen opens, also with the on-screen keyboard up; an existing pupil's signal takes
// three taps plus typing, without scrolling; a signal is found by a word.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './chromium.mjs';
import { SIZES, serveDuringTests, signIn } from './helpers.mjs';

const ui = new URL('../..', import.meta.url).pathname;
const shots = join(ui, 'test-results', 'screenshots');
mkdirSync(shots, { recursive: true });
const site = serveDuringTests(ui, before, after);
const viewport = SIZES.phone;
/** A phone keyboard's height in portrait, about. */
const KEYBOARD = 336;

/** Headless Chromium has no on-screen keyboard: a stand-in visual viewport that can shrink as a
 * keyboard would make it, installed before the capture screen opens. */
function fakeKeyboard(page) {
  return page.evaluate(() => {
    const vv = Object.assign(new EventTarget(), { width: innerWidth, height: innerHeight, offsetTop: 0, offsetLeft: 0, pageTop: 0, pageLeft: 0, scale: 1 });
    Object.defineProperty(window, 'visualViewport', { configurable: true, get: () => vv });
    // Drawn for the screenshots only: where the keyboard would be.
    const drawn = document.createElement('div');
    drawn.setAttribute('aria-hidden', 'true');
    drawn.style.cssText = 'position:fixed;left:0;right:0;bottom:0;height:0;background:#c9ccd1;z-index:50;pointer-events:none';
    document.body.append(drawn);
    window.__keyboard = (px) => {
      vv.height = innerHeight - px;
      drawn.style.height = `${px}px`;
      vv.dispatchEvent(new Event('resize'));
    };
  });
}

/** Where an element is, and whether a finger on its middle would reach it (nothing on top). */
function reach(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { top: r.top, bottom: r.bottom, reachable: !!hit && (hit === el || el.contains(hit)) };
  });
}

describe(`quick capture at the gate, ${viewport.width}×${viewport.height}`, () => {
  let browser;
  let page;
  before(async () => {
    browser = await openBrowser(viewport);
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
  });

  test('Opslaan is in reach from the moment the screen opens, also above the keyboard', async (t) => {
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await fakeKeyboard(page);
    await page.getByRole('button', { name: 'Nieuwe signalering' }).click();
    const save = page.getByTestId('save-signal');
    await save.waitFor();
    let at = await reach(save);
    assert.ok(at.reachable && at.top >= 0 && at.bottom <= viewport.height, `Opslaan on screen at once: ${JSON.stringify(at)}`);
    t.diagnostic(`capture screen height on opening: ${await page.evaluate(() => document.documentElement.scrollHeight)} px`);

    // The search field has focus, so on a phone the keyboard comes up: the bar goes up with it.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'pupil-search');
    await page.evaluate((px) => window.__keyboard(px), KEYBOARD);
    at = await reach(save);
    assert.ok(at.reachable && at.bottom <= viewport.height - KEYBOARD + 1, `Opslaan above the keyboard: ${JSON.stringify(at)}`);

    // Typing the facts, lower on the screen: the field stays above the bar, the bar above the keyboard.
    await page.getByLabel('Zoek op naam of groep').fill('Sanne');
    await page.getByRole('button', { name: 'Sanne Bakker · groep 5' }).click();
    await page.getByLabel('Wat zei het kind zelf? (optioneel)').focus();
    await page.evaluate((px) => window.__keyboard(px), KEYBOARD); // the keyboard is up again
    const field = await page.getByLabel('Wat zei het kind zelf? (optioneel)').boundingBox();
    const bar = await page.getByTestId('capture-actions').boundingBox();
    assert.ok(field.y + field.height <= bar.y + 1, 'the field being typed in is not behind the bar');
    at = await reach(save);
    assert.ok(at.reachable && at.bottom <= viewport.height - KEYBOARD + 1, `Opslaan above the keyboard: ${JSON.stringify(at)}`);

    // Keyboard down: the bar goes back to the bottom of the screen.
    await page.evaluate(() => window.__keyboard(0));
    at = await reach(save);
    assert.ok(at.reachable && at.bottom > viewport.height - KEYBOARD && at.bottom <= viewport.height, `Opslaan at the bottom: ${JSON.stringify(at)}`);
  });

  test('an existing pupil\'s signal: three taps plus typing, nothing scrolled by hand, keyboard up', async () => {
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await fakeKeyboard(page);
    let taps = 0;
    /** A tap where the finger is: the target must be on screen, above the keyboard, not covered. */
    const tap = async (locator) => {
      const at = await reach(locator);
      const bottom = viewport.height - (await page.evaluate(() => innerHeight - visualViewport.height));
      assert.ok(at.reachable && at.top >= 0 && at.bottom <= bottom + 1, `in reach without scrolling: ${JSON.stringify(at)}`);
      await locator.tap();
      taps += 1;
    };
    const focused = () => page.evaluate(() => document.activeElement?.id);
    /** The field being typed in shows above the bar, which shows above the keyboard. */
    const typingInView = async (id) => {
      const field = await page.locator(`#${id}`).boundingBox();
      const bar = await page.getByTestId('capture-actions').boundingBox();
      assert.ok(field.y >= 0 && field.y + Math.min(field.height, 60) <= bar.y, `#${id} in view: ${JSON.stringify({ field, bar })}`);
      assert.ok(bar.y + bar.height <= viewport.height - KEYBOARD + 1, 'the bar above the keyboard');
    };

    await tap(page.getByRole('button', { name: 'Nieuwe signalering' }));
    await page.getByLabel('Zoek op naam of groep').waitFor();
    assert.equal(await focused(), 'pupil-search');
    // The search field has focus: on a phone the keyboard comes up.
    await page.evaluate((px) => window.__keyboard(px), KEYBOARD);
    await typingInView('pupil-search');
    await page.keyboard.type('Sanne');
    await page.getByRole('button', { name: 'Sanne Bakker · groep 5' }).waitFor();
    await page.screenshot({ path: join(shots, 'phone-capture-keyboard-pupil.png') });
    await tap(page.getByRole('button', { name: 'Sanne Bakker · groep 5' }));
    await page.getByTestId('chosen-pupil').waitFor();
    assert.equal(await focused(), 'facts');
    await page.waitForFunction(() => {
      const f = document.getElementById('facts').getBoundingClientRect();
      return f.bottom <= document.querySelector('[data-testid="capture-actions"]').getBoundingClientRect().top;
    });
    await typingInView('facts');
    await page.keyboard.type('Huilde bij het brengen, wilde niet naar binnen.');
    await page.screenshot({ path: join(shots, 'phone-capture-keyboard-up.png') });
    await tap(page.getByTestId('save-signal'));
    await page.getByTestId('saved-notice').waitFor();

    assert.equal(taps, 3);
    const saved = await page.evaluate(() => window.__mock.state.captures.at(-1));
    assert.equal(saved.signal.facts, 'Huilde bij het brengen, wilde niet naar binnen.');
    assert.equal(saved.case_id, await page.evaluate(() => window.__mock.state.cases.find((c) => c.pupil_name === 'Sanne Bakker').case_id));
  });

  test('without an on-screen keyboard, the same three taps need no scrolling at all', async () => {
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByRole('button', { name: 'Nieuwe signalering' }).tap();
    await page.getByLabel('Zoek op naam of groep').waitFor();
    await page.keyboard.type('Sanne');
    await page.getByRole('button', { name: 'Sanne Bakker · groep 5' }).tap();
    await page.getByTestId('chosen-pupil').waitFor();
    await page.keyboard.type('Huilde bij het brengen.');
    assert.equal(await page.evaluate(() => scrollY), 0, 'nothing was scrolled');
    const at = await reach(page.getByTestId('save-signal'));
    assert.ok(at.reachable && at.bottom <= viewport.height);
    await page.getByTestId('save-signal').tap();
    await page.getByTestId('saved-notice').waitFor();
  });

  test('no text field lets the keyboard learn what is typed: spellcheck off everywhere', async () => {
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByTestId('new-signal').click();
    await page.locator('#facts').waitFor();
    const checked = await page.evaluate(() =>
      [...document.querySelectorAll('input[type=text], input:not([type]), textarea')].filter((el) => el.spellcheck).map((el) => el.id),
    );
    assert.deepEqual(checked, [], 'fields with spellcheck on');
  });

  test('a signal is found by a word, and comes first the next time', async () => {
    await page.goto(`${site.base}?mock=seeded`);
    await signIn(page, 'Pieter de Vries', '735142');
    await page.getByRole('button', { name: 'Nieuwe signalering' }).click();
    await page.getByLabel('Zoek op naam of groep').fill('Sanne');
    await page.getByRole('button', { name: 'Sanne Bakker · groep 5' }).click();
    await page.getByLabel('Wat zag of hoorde u?').fill('Rode striemen op de kuit.');
    // Closed by default: no signal is shown before a category is opened or a word is typed.
    assert.equal(await page.locator('.signals details[open]').count(), 0);
    await page.getByLabel('Zoek een signaal').fill('snoer');
    const results = page.getByTestId('signal-results').getByRole('button');
    assert.deepEqual(await results.allInnerTexts(), ['Plekken of striemen met een herkenbare vorm, zoals van vingers, een riem of een snoer']);
    await results.first().click();
    await page.getByTestId('save-signal').click();
    await page.getByTestId('saved-notice').waitFor();
    assert.deepEqual(await page.evaluate(() => window.__mock.state.captures.at(-1).signal.catalogue_codes), ['physical.patterned_marks']);

    await page.getByRole('button', { name: 'Nieuwe signalering' }).click();
    const recent = page.getByTestId('recent-signals');
    assert.match(await recent.innerText(), /Plekken of striemen/);
  });
});
