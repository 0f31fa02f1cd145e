// The installed package, as a school's IT person would use it: the binary from /usr/bin, started
// from its desktop entry's command, reaches the first-run screen and sets up the first
// coordinator, so that the data folder exists before the package is removed again.
// Started by scripts/install-test.sh, which installs the package and provides the display, the
// keyring and the driver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { remote } from 'webdriverio';

const APP = process.env.MELDCODE_APP;
assert.ok(APP, 'run through scripts/install-test.sh');
let browser;
const $t = (id) => browser.$(`[data-testid="${id}"]`);
async function shown(id, timeout = 60_000) {
  const el = await $t(id);
  await el.waitForDisplayed({ timeout });
  return el;
}

describe('the installed package', () => {
  before(async () => {
    browser = await remote({
      hostname: '127.0.0.1',
      port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
      logLevel: 'error',
      connectionRetryCount: 5,
      capabilities: { 'tauri:options': { application: APP } },
    });
  });
  after(async () => {
    await browser?.deleteSession().catch(() => undefined);
  });

  test('starts on the first-run screen and sets up the first coordinator', async () => {
    const summary = await shown('profile-summary');
    assert.match(await summary.getText(), /CBS Het Mozaïek/);
    assert.ok(await (await $t('call-alarmnummer-112')).isDisplayed(), 'the emergency bar works before set-up');
    await (await $t('profile-next')).click();
    await (await browser.$('#coordinator-name')).setValue('Anouk Jansen');
    await (await browser.$('#coordinator-pin')).setValue('482913');
    await (await browser.$('#coordinator-pin-again')).setValue('482913');
    await (await $t('create-coordinator')).click();
    await shown('recovery-key');
  });
});
