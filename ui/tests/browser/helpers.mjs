// Shared by the browser tests: serving the built UI, signing in, and the checks every screen
// gets (axe-core audit, 44 px touch targets, a screenshot).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import { join } from 'node:path';
import { preview } from 'vite';
import { openBrowser } from './chromium.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Phone, tablet upright, and tablet on its side (where home shows the list and the open case
 * side by side). */
export const SIZES = {
  phone: { width: 390, height: 844 },
  tablet: { width: 820, height: 1180 },
  landscape: { width: 1180, height: 820 },
};

export function serve(root) {
  return preview({ root, logLevel: 'silent', preview: { port: 0, host: '127.0.0.1' } });
}

/** Serves the built UI for one test file; `base` is its address once the file's tests run. */
export function serveDuringTests(root, before, after) {
  const site = { base: '', server: null };
  before(async () => {
    site.server = await serve(root);
    site.base = site.server.resolvedUrls.local[0];
  });
  after(async () => {
    await site.server?.close();
  });
  return site;
}

export async function audit(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${name}: serious or critical accessibility violations`,
  );
}

/** Buttons, fields and choices that can be reached must be at least 44 px high and wide
 * (a radio or checkbox counts by its label). */
export async function touchTargets(page, name) {
  const small = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, select, input, textarea, summary, a[href]')) {
      const target = el.matches('input[type=radio], input[type=checkbox]') ? el.closest('label') ?? el : el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not shown
      if (el.closest('[inert]')) continue;
      if (r.height < 44 || r.width < 44) out.push(`${el.outerHTML.slice(0, 80)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
  assert.deepEqual(small, [], `${name}: touch targets under 44 px`);
}

export async function check(page, shots, size, name) {
  await audit(page, `${size}/${name}`);
  await touchTargets(page, `${size}/${name}`);
  // A full-page screenshot briefly makes the window as tall as the page, which would turn a
  // landscape layout upright; the list and the case side by side are shot as the screen shows them.
  const fullPage = (await page.locator('.side-by-side').count()) === 0;
  await page.screenshot({ path: join(shots, `${size}-${name}.png`), fullPage });
}

export async function signIn(page, name, pin) {
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.getByLabel('Pincode').fill(pin);
  await page.getByRole('button', { name: 'Openen' }).click();
  await page.getByRole('button', { name: 'Nieuwe signalering' }).waitFor();
}

// A school server and an enrollment code as the mock takes them.
export const SERVER = 'https://server.school.nl:8443';
export const CODE = 'ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-67ABC-DEFGH-IJKLM-NOPQR-STUVW-XYZ23';
export const LINK = `meldcode://koppelen?server=${encodeURIComponent(SERVER)}&code=${CODE}`;

/** Runs `fn(window.__mock, arg)` in the page once the mock backend is there. */
export async function mock(page, fn, arg) {
  await page.waitForFunction(() => window.__mock);
  return page.evaluate(`(${fn})(window.__mock, ${JSON.stringify(arg ?? null)})`);
}

/** One suite per size in `SIZES`, each with a browser and a page of its own: `body` gets the
 * page (once the suite's `before` has run), the size's name and a `check(name)` that audits
 * the page and keeps its screenshot in ui/test-results/screenshots. */
export function atEverySize(title, uiRoot, body) {
  const shots = join(uiRoot, 'test-results', 'screenshots');
  mkdirSync(shots, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    describe(`${title} ${size} ${viewport.width}×${viewport.height}`, () => {
      let browser;
      const ctx = { page: null, size, check: (page, name) => check(page, shots, size, name) };
      before(async () => {
        browser = await openBrowser(viewport);
        ctx.page = await browser.context.newPage();
      });
      after(async () => {
        await browser?.close();
      });
      body(ctx);
    });
  }
}
