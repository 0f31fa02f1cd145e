// The real app (debug build) driven through tauri-driver and WebKitWebDriver under Xvfb, on an
// encrypted data folder of its own; what it saves is read back with the `meldcode` CLI.
// Started by scripts/app-test.sh, which provides the display, the keyring and the driver.
// Files run in name order on one data folder: this one sets the device up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  $t, COORDINATOR, PIN, browser, click, cliJson, shot, shown, start, stop, typeInto,
} from './driver.mjs';

describe('the real app: set-up, lock, quick capture', () => {
  before(start);
  after(stop);

  test('first run: profile, first coordinator and PIN, recovery key once', async () => {
    const summary = await shown('profile-summary', 60_000);
    assert.match(await summary.getText(), /CBS Het Mozaïek/);
    await click('profile-next');
    await typeInto('#coordinator-name', COORDINATOR);
    await typeInto('#coordinator-pin', PIN);
    await typeInto('#coordinator-pin-again', PIN);
    await click('create-coordinator');
    const key = await shown('recovery-key', 60_000);
    assert.match(await key.getText(), /^[A-Z2-7]{4}(-[A-Z2-7]{1,4})+$/);
    await shot('app-recovery-key');
    await click('recovery-stored');
    await click('recovery-done');
    await shown('new-signal');
  });

  test('lock, a wrong PIN refused, unlock', async () => {
    await click('lock');
    await click(`user-${COORDINATOR}`);
    assert.ok(await (await $t('call-alarmnummer-112')).isDisplayed(), 'emergency bar on the lock screen');
    await typeInto('[data-testid="pin-input"]', '111222');
    await click('unlock');
    const error = await shown('lock-error');
    assert.match(await error.getText(), /Onjuiste pincode/);
    await shot('app-wrong-pin');
    await typeInto('[data-testid="pin-input"]', PIN);
    await click('unlock');
    await shown('new-signal');
  });

  test('quick capture saved, then read back through the CLI', async () => {
    await click('new-signal');
    await click('new-pupil');
    await typeInto('#new-pupil-name', 'Sanne Bakker');
    await typeInto('#new-pupil-group', 'groep 5');
    await typeInto('#facts', 'Blauwe plek op de linkerarm, ongeveer 3 cm, bij het brengen.');
    await typeInto('#child-words', 'Ik ben van de trap gevallen.');
    await click('save-signal');
    const notice = await shown('saved-notice');
    assert.match(await notice.getText(), /Opgeslagen/);
    await shot('app-saved');

    const cases = cliJson(COORDINATOR, PIN, 'case', 'list');
    assert.equal(cases.length, 1);
    assert.equal(cases[0].pupil_name, 'Sanne Bakker');
    const view = cliJson(COORDINATOR, PIN, 'case', 'show', cases[0].case_id);
    const signal = view.events.map((e) => e.payload).find((p) => p.type === 'signal_recorded');
    assert.ok(signal, 'a signal event in the case');
    assert.equal(signal.facts, 'Blauwe plek op de linkerarm, ongeveer 3 cm, bij het brengen.');
    assert.equal(signal.child_words, 'Ik ben van de trap gevallen.');
  });

  test('the browser session is still alive', async () => {
    assert.ok(await browser.getTitle());
  });
});
