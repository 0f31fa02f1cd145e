// The installed package, as a school's IT person would use it: the binary from /usr/bin, started
// from its desktop entry's command, reaches the first-run screen and sets up the first
// coordinator, so that the data folder exists before the package is removed again.
// Started by scripts/install-test.sh, which installs the package and provides the display, the
// keyring and the driver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { $t, browser, end, launch, shown } from '../session.mjs';

const APP = process.env.MELDCODE_APP;
assert.ok(APP, 'run through scripts/install-test.sh');

describe('the installed package', () => {
  before(() => launch(APP));
  after(end);

  test('starts on the first-run screen and sets up the first coordinator', async () => {
    const summary = await shown('profile-summary', 60_000);
    assert.match(await summary.getText(), /CBS Het Mozaïek/);
    assert.ok(await (await $t('call-alarmnummer-112')).isDisplayed(), 'the emergency bar works before set-up');
    await (await $t('profile-next')).click();
    await (await browser.$('#coordinator-name')).setValue('Anouk Jansen');
    await (await browser.$('#coordinator-pin')).setValue('482913');
    await (await browser.$('#coordinator-pin-again')).setValue('482913');
    await (await $t('create-coordinator')).click();
    await shown('recovery-key', 60_000);
  });
});
