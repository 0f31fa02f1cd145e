// Shared by the WebDriver tests: the session, finding and filling elements, the CLI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browser, click, end, launch, shown, typeInto } from '../session.mjs';

export const APP = process.env.MELDCODE_APP;
export const CLI = process.env.MELDCODE_CLI;
export const DATA = process.env.MELDCODE_DATA_DIR;
export const SHOTS = process.env.MELDCODE_SHOTS;
export const COORDINATOR = 'Anouk Jansen';
export const PIN = '482913';
export const TEACHER = 'Pieter de Vries';
export const TEACHER_PIN = '735142';

assert.ok(APP && CLI && DATA && SHOTS, 'run through scripts/app-test.sh');
mkdirSync(SHOTS, { recursive: true });

export { $t, browser, click, shown, typeInto } from '../session.mjs';

export const start = () => launch(APP);
export const stop = end;

export async function shot(name) {
  await browser.saveScreenshot(join(SHOTS, `${name}.png`));
}

export async function unlockAs(name, pin) {
  await click(`user-${name}`);
  await typeInto('[data-testid="pin-input"]', pin);
  await click('unlock');
  await shown('new-signal');
}

export async function lock() {
  await click('lock');
  await shown(`user-${COORDINATOR}`);
}

export function cli(user, pin, ...args) {
  return execFileSync(CLI, args, {
    env: { ...process.env, MELDCODE_DATA_DIR: DATA, MELDCODE_USER: user, MELDCODE_PIN: pin },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

export function cliJson(user, pin, ...args) {
  return JSON.parse(cli(user, pin, ...args, '--json'));
}

/** The CLI's answer to something refused: exit code and stderr. */
export function cliRefused(user, pin, input, ...args) {
  try {
    execFileSync(CLI, args, {
      env: { ...process.env, MELDCODE_DATA_DIR: DATA, MELDCODE_USER: user, MELDCODE_PIN: pin },
      encoding: 'utf8',
      input,
      timeout: 60_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    return { status: e.status, stderr: String(e.stderr) };
  }
  throw new Error(`expected the CLI to refuse: ${args.join(' ')}`);
}

export function day(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
