// Dates and times are written in Dutch whatever the system's locale: Chromium in English
// (LANG=en_US.UTF-8, --lang=en-US, an en-US context), where the system's own format would be
// "11/29/2026, 9:34 AM".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './chromium.mjs';
import { SIZES, check as checkIn, serveDuringTests, signIn } from './helpers.mjs';

const ui = new URL('../..', import.meta.url).pathname;
const shots = join(ui, 'test-results', 'screenshots');
mkdirSync(shots, { recursive: true });
const site = serveDuringTests(ui, before, after);

const MONTH = '(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)';
const DUTCH_DATE = new RegExp(`\\b\\d{1,2} ${MONTH} \\d{4}\\b`);
const DUTCH_MOMENT = new RegExp(`\\b\\d{1,2} ${MONTH} \\d{4} om \\d{2}:\\d{2}\\b`);
const WEEKDAY = '(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)';
/** What an English system writes: 11/29/2026, 9:34 AM, November. */
const ENGLISH = /\d{1,2}\/\d{1,2}\/\d{2,4}|\b[AP]M\b|January|February|March|April|June|July|August|September|October|November|December/;

describe('Dutch dates on an English system', () => {
  let browser;
  let page;
  before(async () => {
    browser = await openBrowser(SIZES.phone, {
      locale: 'en-US',
      env: { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LANGUAGE: 'en_US:en' },
    });
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
  });

  test('home, the quick capture and the case write dates in Dutch', async () => {
    await page.goto(`${site.base}?mock=seeded`);
    const system = await page.evaluate(() => ({
      language: navigator.language,
      written: new Date(2026, 10, 29, 9, 34).toLocaleString(),
    }));
    assert.equal(system.language, 'en-US');
    assert.match(system.written, /^11\/29\/2026, 9:34:00\sAM$/, 'the browser itself writes dates in English');

    await signIn(page, 'Anouk Jansen', '482913');
    const home = await page.getByTestId('case-list').innerText();
    assert.match(home, DUTCH_DATE);
    assert.doesNotMatch(home, ENGLISH);

    await page.getByRole('button', { name: 'Nieuwe signalering' }).click();
    const moment = await page.getByTestId('observed-at-text').innerText();
    assert.match(moment, DUTCH_MOMENT);
    assert.doesNotMatch(moment, ENGLISH);
    await page.getByRole('radio', { name: 'Ander moment' }).click();
    const days = await page.getByLabel('Dag').locator('option').allInnerTexts();
    assert.match(days[0], new RegExp(`^vandaag, ${WEEKDAY} ${DUTCH_DATE.source}$`));
    assert.match(days[1], new RegExp(`^gisteren, ${WEEKDAY} `));
    assert.doesNotMatch(days.join('\n'), ENGLISH);
    await checkIn(page, shots, 'phone-en-US', 'capture-dutch-dates');

    await page.getByRole('button', { name: 'Annuleren' }).click();
    await page.getByTestId('open-case-Sanne Bakker').click();
    const timeline = await page.getByTestId('timeline').innerText();
    assert.match(timeline, DUTCH_MOMENT);
    assert.doesNotMatch(timeline, ENGLISH);
    // A guided form's date field (the browser draws it in the system's format) is written out too.
    await page.getByTestId('open-record_disclosure').click();
    const written = await page.getByTestId('f-record_disclosure-disclosed_at-written').innerText();
    assert.match(written, DUTCH_MOMENT);
  });
});
