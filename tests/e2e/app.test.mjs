// The real app (debug build) driven through tauri-driver and WebKitWebDriver under Xvfb, on an
// encrypted data folder of its own; what it saves is read back with the `meldcode` CLI.
// Started by scripts/app-test.sh, which provides the display, the keyring and the driver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const APP = process.env.MELDCODE_APP;
const CLI = process.env.MELDCODE_CLI;
const DATA = process.env.MELDCODE_DATA_DIR;
const SHOTS = process.env.MELDCODE_SHOTS;
const PIN = '482913';
const NAME = 'Anouk Jansen';

assert.ok(APP && CLI && DATA && SHOTS, 'run through scripts/app-test.sh');
mkdirSync(SHOTS, { recursive: true });

let browser;
const $t = (id) => browser.$(`[data-testid="${id}"]`);

async function shown(id, timeout = 20_000) {
  const el = await $t(id);
  await el.waitForDisplayed({ timeout });
  return el;
}

async function typeInto(selector, text) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.setValue(text);
}

function cli(...args) {
  return execFileSync(CLI, [...args, '--json'], {
    env: { ...process.env, MELDCODE_DATA_DIR: DATA, MELDCODE_USER: NAME, MELDCODE_PIN: PIN },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the real app', () => {
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

  test('first run: profile, first coordinator and PIN, recovery key once', async () => {
    await (await shown('profile-summary', 60_000)).waitForDisplayed();
    assert.match(await (await $t('profile-summary')).getText(), /CBS Het Mozaïek/);
    await (await $t('profile-next')).click();
    await typeInto('#coordinator-name', NAME);
    await typeInto('#coordinator-pin', PIN);
    await typeInto('#coordinator-pin-again', PIN);
    await (await $t('create-coordinator')).click();
    const key = await shown('recovery-key', 60_000);
    assert.match(await key.getText(), /^[A-Z2-7]{4}(-[A-Z2-7]{1,4})+$/);
    await browser.saveScreenshot(join(SHOTS, 'app-recovery-key.png'));
    await (await $t('recovery-stored')).click();
    await (await $t('recovery-done')).click();
    await shown('new-signal');
  });

  test('lock, a wrong PIN refused, unlock', async () => {
    await (await $t('lock')).click();
    await (await shown(`user-${NAME}`)).click();
    assert.ok(await (await $t('call-alarmnummer-112')).isDisplayed(), 'emergency bar on the lock screen');
    await typeInto('[data-testid="pin-input"]', '111222');
    await (await $t('unlock')).click();
    const error = await shown('lock-error');
    assert.match(await error.getText(), /Onjuiste pincode/);
    await browser.saveScreenshot(join(SHOTS, 'app-wrong-pin.png'));
    await typeInto('[data-testid="pin-input"]', PIN);
    await (await $t('unlock')).click();
    await shown('new-signal');
  });

  test('quick capture saved, then read back through the CLI', async () => {
    await (await $t('new-signal')).click();
    await (await shown('new-pupil')).click();
    await typeInto('#new-pupil-name', 'Sanne Bakker');
    await typeInto('#new-pupil-group', 'groep 5');
    await typeInto('#facts', 'Blauwe plek op de linkerarm, ongeveer 3 cm, bij het brengen.');
    await typeInto('#child-words', 'Ik ben van de trap gevallen.');
    await (await $t('save-signal')).click();
    const notice = await shown('saved-notice');
    assert.match(await notice.getText(), /Opgeslagen/);
    await browser.saveScreenshot(join(SHOTS, 'app-saved.png'));

    const cases = JSON.parse(cli('case', 'list'));
    assert.equal(cases.length, 1);
    assert.equal(cases[0].pupil_name, 'Sanne Bakker');
    const view = JSON.parse(cli('case', 'show', cases[0].case_id));
    const signal = view.events.map((e) => e.payload).find((p) => p.type === 'signal_recorded');
    assert.ok(signal, 'a signal event in the case');
    const text = JSON.stringify(signal);
    assert.ok(text.includes('Blauwe plek op de linkerarm'), 'facts read back');
    assert.ok(text.includes('Ik ben van de trap gevallen.'), "the child's words read back");
  });

  test('locks itself after the idle time', async () => {
    await (await $t('nav-settings')).click();
    const select = await browser.$('#lock-after');
    await select.waitForDisplayed({ timeout: 10_000 });
    await select.selectByAttribute('value', '1');
    await (await browser.$('form.card button[type="submit"]')).click();
    await browser.$('p.ok').waitForDisplayed({ timeout: 10_000 });
    // The core checks every 5 s; one idle minute and a margin.
    await (await $t(`user-${NAME}`)).waitForDisplayed({ timeout: 100_000 });
  });
});
