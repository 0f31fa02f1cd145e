// The WebDriver session with the real app, and the few helpers every WebDriver test uses. The
// scripts under scripts/ provide the display, the keyring and tauri-driver (TAURI_DRIVER_PORT).
import { remote } from 'webdriverio';

/** The session of the test file that is running (one at a time: --test-concurrency=1). */
export let browser;

export async function launch(application, port = Number(process.env.TAURI_DRIVER_PORT ?? 4444)) {
  browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryCount: 5,
    // tauri-driver's own capability, unknown to WebdriverIO's types.
    capabilities: /** @type {any} */ ({ 'tauri:options': { application } }),
  });
  return browser;
}

/** Makes `session` the one the helpers below act on (a test with two app instances). */
export function use(session) {
  browser = session;
}

export async function end() {
  await browser?.deleteSession().catch(() => undefined);
  browser = undefined;
}

export const $t = (id) => browser.$(`[data-testid="${id}"]`);

export async function shown(id, timeout = 20_000) {
  const el = await $t(id);
  await el.waitForDisplayed({ timeout });
  return el;
}

export async function click(id) {
  const el = await shown(id);
  await el.scrollIntoView({ block: 'center' });
  await el.click();
}

export async function typeInto(selector, text) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.scrollIntoView({ block: 'center' });
  await el.setValue(text);
}
