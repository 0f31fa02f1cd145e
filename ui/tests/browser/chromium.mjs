// Debian's Chromium through playwright-core: no browser download, flags for a closed network.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh profile per context, removed again on close. `locale` is the browser's language
 * (default Dutch); `env` is added to the browser's environment (e.g. `LANG`). */
export async function openBrowser(viewport, { locale = 'nl-NL', env = {} } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'meldcode-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, `--lang=${locale}`],
    env: { ...process.env, ...env },
    viewport,
    hasTouch: true,
    locale,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
