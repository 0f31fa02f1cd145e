// A tablet imaged by the school's IT person: the app reads the provisioning file at its first
// run. A malformed file is refused with the engine's Dutch list of problems and nothing is set
// up; a good one brings the school's own social map without anyone typing it.
// Started by scripts/provisioning-test.sh (display, keyring, driver, a data folder of its own).
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $t, browser, click, end, launch, shown } from '../session.mjs';

const { MELDCODE_APP: APP, MELDCODE_PROVISIONING: FILE, MELDCODE_PROFILE_TEMPLATE: TEMPLATE, MELDCODE_SHOTS: SHOTS } = process.env;
assert.ok(APP && FILE && TEMPLATE && SHOTS, 'run through scripts/provisioning-test.sh');
mkdirSync(SHOTS, { recursive: true });

/** The school's own profile: the shipped one under another name, with a contact of its own. */
function schoolProfile() {
  const profile = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
  profile.school_name = 'OBS De Wilg';
  profile.town = 'Vlagtwedde';
  profile.contacts.push({
    id: 'wijkteam-vlagtwedde',
    name: 'Wijkteam Vlagtwedde',
    kind: 'youth_and_family',
    phone: '0599 320 320',
    emergency_bar: false,
  });
  return profile;
}

describe('provisioning at first run', () => {
  afterEach(end);

  test('a malformed provisioning file is refused with its problems, and nothing is set up', async () => {
    const profile = schoolProfile();
    profile.school_name = ' ';
    profile.contacts[0].phone = '12';
    writeFileSync(FILE, JSON.stringify({ version: 1, profile, sever: 'https://school.example' }));
    await launch(APP);
    const problems = await shown('provisioning-problems', 60_000);
    const text = await problems.getText();
    assert.match(text, /niet in orde/);
    assert.match(text, /De naam van de school ontbreekt/);
    assert.match(text, /'sever'/);
    assert.equal(await (await $t('profile-next')).isEnabled(), false, 'set-up cannot go on');
    assert.ok(await (await $t('call-alarmnummer-112')).isDisplayed(), 'the emergency bar still works');
    // WebKit under Xvfb shows the first screen's last painted frame until something moves.
    await problems.scrollIntoView({ block: 'center' });
    await browser.pause(500);
    await browser.saveScreenshot(join(SHOTS, 'provisioning-refused.png'));
  });

  test('a good provisioning file brings the school and its social map', async () => {
    writeFileSync(FILE, JSON.stringify({ version: 1, profile: schoolProfile() }, null, 2));
    await launch(APP);
    const provisioned = await shown('provisioned', 60_000);
    assert.match(await provisioned.getText(), /provisioning\.json/);
    assert.match(await (await shown('profile-summary')).getText(), /OBS De Wilg/);
    assert.equal(await (await $t('profile-import')).isExisting(), false, 'nothing to choose or import');
    await click('profile-next');
    await (await browser.$('#coordinator-name')).setValue('Anouk Jansen');
    await (await browser.$('#coordinator-pin')).setValue('482913');
    await (await browser.$('#coordinator-pin-again')).setValue('482913');
    await click('create-coordinator');
    await shown('recovery-key', 60_000);
    await click('recovery-stored');
    await click('recovery-done');
    await click('nav-social-map');
    const contact = await shown('contact-wijkteam-vlagtwedde');
    assert.match(await contact.getText(), /Wijkteam Vlagtwedde/);
    await browser.saveScreenshot(join(SHOTS, 'provisioning-social-map.png'));
  });
});
