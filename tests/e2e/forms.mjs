// The guided forms of the case screen, filled as a finger would, for the WebDriver tests. The ids
// come from CaseForm.svelte (`f-<kind>-<field>`). They act on the current session (session.mjs).
import assert from 'node:assert/strict';
import { $t, browser, click, shown, typeInto } from '../session.mjs';

/** The teacher named in consultations. */
const COLLEAGUE = 'Pieter de Vries';

/** Date and date-time inputs: WebKitGTK has no picker, so the value is set as the page would. */
export async function setInput(selector, value) {
  await browser.execute(
    (sel, v) => {
      const el = document.querySelector(sel);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    selector,
    value,
  );
}

let kind = '';
/** Names the form the field helpers act on, for a form opened without `record`. */
export function formOf(formKind) {
  kind = formKind;
}
export const id = (field) => `#f-${kind}-${field}`;
export const text = (field, value) => typeInto(id(field), value);
export const date = (field, value) => setInput(id(field), value);
export async function radio(field, value) {
  // Choosing by the option's label, as a finger would: a question that appears after the one
  // before it can still be moving into place when the input itself is clicked.
  const el = await browser.$(`input[name="f-${kind}-${field}"][value="${value}"]`);
  await el.waitForExist({ timeout: 10_000 });
  await el.scrollIntoView({ block: 'center' });
  const label = await el.parentElement();
  await label.waitForClickable({ timeout: 10_000 });
  await label.click();
  await browser.waitUntil(() => el.isSelected(), { timeout: 10_000, timeoutMsg: `${field} = ${value} not chosen` });
}
export async function tick(field) {
  const el = await browser.$(id(field));
  await el.scrollIntoView({ block: 'center' });
  await el.click();
}
export async function choose(field, value) {
  const el = await browser.$(id(field));
  await el.scrollIntoView({ block: 'center' });
  if (typeof value === 'number') await el.selectByIndex(value);
  else await el.selectByAttribute('value', value);
}

/** Draws a zigzag on signer `i`'s canvas with pointer actions, as a finger would. */
export async function sign(i) {
  const canvas = await $t(`f-${kind}-signatures-${i}-canvas`);
  await canvas.scrollIntoView({ block: 'center' });
  let chain = browser.action('pointer', { parameters: { pointerType: 'mouse' } }).move({ origin: canvas, x: -120, y: 10 }).down();
  for (let s = 1; s <= 8; s++) chain = chain.move({ origin: canvas, x: -120 + s * 30, y: s % 2 ? -25 : 20, duration: 20 });
  await chain.up().perform();
}

/** Opens a form, fills it, saves it, and waits for the engine's answer. */
export async function record(formKind, fill) {
  kind = formKind;
  await click(`open-${formKind}`);
  await shown(`form-${formKind}`);
  await fill();
  await click('form-save');
  await browser.waitUntil(
    async () => (await (await $t('case-saved')).isDisplayed()) || (await (await $t('form-error')).isDisplayed()),
    { timeout: 20_000, timeoutMsg: `no answer to ${formKind}` },
  );
  const error = await $t('form-error');
  if (await error.isDisplayed()) assert.fail(`${formKind} refused: ${await error.getText()}`);
}

export async function openCase(name) {
  await click('nav-home');
  await click(`open-case-${name}`);
  await shown('timeline');
}

export async function captureNewPupil(name, group, facts) {
  await click('nav-home');
  await click('new-signal');
  await click('new-pupil');
  await typeInto('#new-pupil-name', name);
  await typeInto('#new-pupil-group', group);
  await typeInto('#facts', facts);
  await click('save-signal');
  await shown('saved-notice');
}

export const consultation = () =>
  record('record_consultation', async () => {
    await choose('partner', 'class_colleague');
    await text('partner_name', COLLEAGUE);
    await text('summary', 'Signalen samen bekeken; ook de leerkracht van vorig jaar zag stille dagen.');
  });
export const advice = () =>
  record('request_advice', async () => {
    await tick('anonymous');
    await text('question', 'Wat is wijs bij een blauwe plek en stil gedrag?');
    await text('advice_given', 'Ga in gesprek met de ouder en weeg daarna opnieuw.');
    await text('reference', 'VT-2026-0412');
  });
// The shipped profile weighs with the 2019 afwegingskader: 'yes' means help is possible,
// 'no' that there is acute or structural unsafety.
export const assessment = (canProtect) =>
  record('record_assessment', async () => {
    await radio('q1_suspicion', 'yes');
    if (canProtect === 'yes') {
      await radio('q2_unsafety', 'no');
      await radio('q3_help_possible', 'yes');
      await radio('q4_help_accepted', 'yes');
    } else {
      await radio('q2_unsafety', 'yes');
    }
    await text('reasoning', 'Gewogen met de signalen, het overleg en het advies.');
  });
export const decision = (value) =>
  record('record_decision', async () => {
    await radio('decision', value);
    await text('reasoning', 'Volgt uit de afweging.');
  });
