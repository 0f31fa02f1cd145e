// Last, because it shortens the lock time: the Rust core locks the app after the idle time and
// the UI goes to the lock screen on its own.
import { after, before, describe, test } from 'node:test';
import { COORDINATOR, PIN, browser, click, shown, start, stop, unlockAs } from './driver.mjs';

describe('the real app: idle lock', () => {
  before(start);
  after(stop);

  test('locks itself after the idle time', async () => {
    await unlockAs(COORDINATOR, PIN);
    await click('nav-settings');
    const select = await browser.$('#lock-after');
    await select.waitForDisplayed({ timeout: 10_000 });
    await select.selectByAttribute('value', '1');
    await (await browser.$('form.card button[type="submit"]')).click();
    await browser.$('p.ok').waitForDisplayed({ timeout: 10_000 });
    // The core checks every 5 s; one idle minute and a margin.
    await shown(`user-${COORDINATOR}`, 100_000);
  });
});
