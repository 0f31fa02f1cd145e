// Whole cases through the real engine and store, entirely in the app's guided forms: help
// organised and reviewed; a report after the parent conversation, signed on the screen by
// everyone present; a report on a safety ground without the conversation; a help plan that
// fails and ends in a report after all; the first, once closed, takes the pupil's leaving and
// says until when it is kept. After each, `meldcode verify` passes and `meldcode export` shows
// every record in order. Then the roles: a teacher cannot take a coordinator's step, and cannot
// see a case about themselves as suspected staff.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  $t, COORDINATOR, PIN, TEACHER, TEACHER_PIN, browser, click, cli, cliJson, cliRefused, day, lock,
  shot, shown, start, stop, typeInto, unlockAs,
} from './driver.mjs';
import {
  advice, assessment, captureNewPupil, choose, consultation, date, decision, formOf, openCase, radio, record, sign, text,
  tick,
} from './forms.mjs';

/** The PIN the coordinator gives the teacher, who replaces it with TEACHER_PIN at first use. */
const FIRST_PIN = '640275';

const report = () =>
  record('make_report', async () => {
    await text('facts', 'Blauwe plekken op 16 en 23 november; kind zegt thuis bang te zijn.');
    await text('school_will_do', 'De leerkracht blijft het kind volgen; de intern begeleider houdt contact met Veilig Thuis.');
    await text('vt_reference', 'VT-2026-0413');
  });
const followUp = () =>
  record('record_follow_up', async () => {
    await tick('with_veilig_thuis');
    await radio('improvement', 'sufficient');
    await text('notes', 'Veilig Thuis heeft de zaak overgenomen; het kind is rustiger.');
  });
const close = (outcome) =>
  record('close_case', async () => {
    await radio('outcome', outcome);
    await text('reasoning', 'De afspraken zijn uitgevoerd.');
  });

function verifyAndExport(caseId, expected) {
  const verified = cli(COORDINATOR, PIN, 'verify');
  assert.match(verified, /ok|OK|verified|in orde/i, verified);
  const exported = JSON.parse(cli(COORDINATOR, PIN, 'export', caseId));
  const kinds = exported.events.map((e) => e.payload.type);
  assert.deepEqual(kinds, expected);
  const seqs = exported.events.map((e) => e.device_seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'records in order');
}

function caseIdOf(name) {
  return cliJson(COORDINATOR, PIN, 'case', 'list').find((c) => c.pupil_name === name).case_id;
}

describe('the real app: whole cases', () => {
  before(async () => {
    await start();
    await unlockAs(COORDINATOR, PIN);
  });
  after(stop);

  test('help organised and reviewed', async () => {
    await openCase('Sanne Bakker');
    await consultation();
    await advice();
    await record('consider_risk_index', async () => {
      await radio('choice', 'not_registered');
      await text('reasoning', 'Eerst het gesprek met de ouder; geen andere hulpverleners betrokken.');
    });
    await record('record_parent_conversation', async () => {
      await text('parents_present', 'Marieke Bakker');
      await text('staff_present', COORDINATOR);
      await text('purpose_explained', 'Uitgelegd dat we ons zorgen maken en wat we zagen.');
      await text('facts_described', 'Blauwe plek op de linkerarm, stil in de klas.');
      await text('parent_reaction', 'Moeder vertelde over spanningen thuis en wil hulp.');
      await text('record', 'Afgesproken: aanmelding bij het schoolmaatschappelijk werk.');
      // One slot per person present, parents first: each signs or says why not.
      await text('signatures-0-reason', 'Wilde het verslag eerst thuis lezen.');
      await sign(1);
    });
    await assessment('yes');
    await decision('help');
    await record('start_help_plan', async () => {
      await text('description', 'Gesprekken met het schoolmaatschappelijk werk, opvoedondersteuning.');
      await text('case_manager', COORDINATOR);
      await text('agreements', 'Moeder gaat wekelijks; school belt elke twee weken.');
      await date('effect_due', day(42));
      await click('add-reviews');
      await date('reviews-0', day(14));
    });
    await record('review_help', async () => {
      await choose('plan', 1);
      await radio('effect', 'improving');
      await text('notes', 'Moeder gaat trouw; het kind lacht weer.');
    });
    await record('end_help_plan', async () => {
      await choose('plan', 1);
      await tick('lasting_safety');
      await text('monitoring', 'De leerkracht blijft alert; over drie maanden kort contact.');
    });
    await close('help_in_place');
    await shown('case-closed');
    await shot('case-help-closed');
    // The one record a closed case still takes: the pupil left, which starts the retention.
    const lastDay = day(-1);
    await record('record_pupil_left', async () => {
      await date('left_on', lastDay);
    });
    const kept = await (await $t('case-retain-until')).getText();
    assert.match(kept, new RegExp(`${Number(lastDay.slice(0, 4)) + 2}`), kept);
    verifyAndExport(caseIdOf('Sanne Bakker'), [
      'case_opened', 'signal_recorded', 'consultation_recorded', 'advice_requested', 'risk_index_considered',
      'parent_conversation_recorded', 'assessment_recorded', 'decision_recorded', 'help_plan_started',
      'help_reviewed', 'help_plan_ended', 'case_closed', 'pupil_left_school',
    ]);
  });

  test('report after the parent conversation, signed on the screen', async () => {
    await captureNewPupil('Daan Visser', 'groep 3', 'Striemen in de nek, zegt dat papa boos was.');
    await openCase('Daan Visser');
    await consultation();
    await advice();
    await record('record_parent_conversation', async () => {
      await text('parents_present', 'Sandra Visser; Erik Visser');
      await text('staff_present', COORDINATOR);
      await text('purpose_explained', 'Uitgelegd waarom we dit gesprek voeren.');
      await text('facts_described', 'Striemen in de nek op maandag; Daan zei dat papa boos was.');
      await text('parent_reaction', 'Vader ontkent, moeder zwijgt.');
      await text('record', 'Geen afspraken mogelijk; ouders weten dat de school het advies volgt.');
      // Slots: Sandra Visser, Erik Visser, the coordinator.
      await sign(0);
      await text('signatures-1-reason', 'Vader weigerde te tekenen en verliet het gesprek.');
      await sign(2);
      await shot('case-conversation-signed');
    });
    await assessment('no');
    await decision('report');
    await record('record_report_discussion', async () => {
      await text('participants', 'Sandra Visser; Anouk Jansen');
      await text('explanation', 'Uitgelegd dat we melden bij Veilig Thuis en waarom.');
      await text('reaction', 'Moeder is boos maar begrijpt het.');
    });
    await report();
    await followUp();
    await close('reported_and_handed_over');
    await shown('case-closed');
    const drawn = await browser.$$('svg.signature-view path');
    assert.equal(drawn.length, 2, 'both signatures shown in the timeline');
    await shot('case-report-closed');
    const caseId = caseIdOf('Daan Visser');
    verifyAndExport(caseId, [
      'case_opened', 'signal_recorded', 'consultation_recorded', 'advice_requested',
      'parent_conversation_recorded', 'assessment_recorded', 'decision_recorded', 'report_discussed',
      'report_made', 'follow_up_recorded', 'case_closed',
    ]);
    const exported = JSON.parse(cli(COORDINATOR, PIN, 'export', caseId));
    const talk = exported.events.find((e) => e.payload.type === 'parent_conversation_recorded').payload;
    assert.equal(talk.signatures.length, 3, 'everyone present signed or said why not');
    const drawings = talk.signatures.filter((s) => s.drawing);
    assert.equal(drawings.length, 2);
    for (const s of drawings) assert.match(s.drawing, /^M\d+ \d+( L\d+ \d+)+/);
    assert.match(talk.signatures[1].not_signed_reason, /weigerde/);
  });

  test('report on a safety ground, without the conversation', async () => {
    await captureNewPupil('Noor el Amrani', 'groep 7', 'Vertelt dat ze thuis is opgesloten; bang om naar huis te gaan.');
    await openCase('Noor el Amrani');
    await consultation();
    await advice();
    const ground = (stage) =>
      record('record_exception_ground', async () => {
        await radio('stage', stage);
        await radio('ground', 'safety_at_stake');
        await text('explanation', 'Een gesprek kan Noor thuis in gevaar brengen.');
      });
    await ground('parent_conversation');
    await assessment('no');
    await decision('report');
    await ground('report_discussion');
    await report();
    await followUp();
    await close('reported_and_handed_over');
    await shown('case-closed');
    verifyAndExport(caseIdOf('Noor el Amrani'), [
      'case_opened', 'signal_recorded', 'consultation_recorded', 'advice_requested',
      'exception_ground_recorded', 'assessment_recorded', 'decision_recorded', 'exception_ground_recorded',
      'report_made', 'follow_up_recorded', 'case_closed',
    ]);
  });

  test('a help plan that fails ends in a report after all', async () => {
    await captureNewPupil('Bram Koster', 'groep 5', 'Komt steeds zonder ontbijt; blauwe plek op de wang.');
    await openCase('Bram Koster');
    await consultation();
    await advice();
    await record('record_parent_conversation', async () => {
      await text('parents_present', 'Linda Koster');
      await text('staff_present', COORDINATOR);
      await text('purpose_explained', 'Uitgelegd dat we ons zorgen maken over Bram.');
      await text('facts_described', 'Geen ontbijt, een blauwe plek op de wang.');
      await text('parent_reaction', 'Moeder vertelt over geldzorgen en wil hulp.');
      await text('record', 'Afgesproken: hulp via het CJG.');
      await text('signatures-0-reason', 'Wilde eerst met haar partner overleggen.');
      await sign(1);
    });
    await assessment('yes');
    await decision('help');
    await record('start_help_plan', async () => {
      await text('description', 'Opvoedondersteuning via het CJG; ontbijt op school.');
      await text('case_manager', COORDINATOR);
      await text('agreements', 'Moeder meldt zich deze week bij het CJG.');
      await date('effect_due', day(42));
      await click('add-reviews');
      await date('reviews-0', day(14));
    });
    await record('share_help_plan', async () => {
      await choose('plan', 1);
      await text('shared_with', 'Linda Koster');
      await text('reaction', 'Moeder gaat akkoord.');
    });
    await record('check_help_reached', async () => {
      await choose('plan', 1);
      await radio('reached', 'yes');
      await text('notes', 'Het CJG bevestigt het eerste gesprek.');
    });
    await record('review_help', async () => {
      await choose('plan', 1);
      await radio('effect', 'concerns_continue');
      await text('notes', 'Nieuwe blauwe plekken; Bram zegt dat papa boos was.');
    });
    // The case asks for a new weighing and a report after all.
    assert.match(await (await shown('next-actions')).getText(), /alsnog een melding/);
    await shot('case-report-after-all');
    await assessment('yes');
    assert.match(await (await shown('next-actions')).getText(), /melden nodig/);
    await decision('report_and_help');
    await record('end_help_plan', async () => {
      await choose('plan', 1);
      await text('monitoring', 'Veilig Thuis neemt het over; de leerkracht blijft alert.');
    });
    await record('record_report_discussion', async () => {
      await text('participants', 'Linda Koster; Anouk Jansen');
      await text('explanation', 'Uitgelegd dat de hulp niet genoeg is en dat we melden.');
      await text('reaction', 'Moeder is verdrietig maar begrijpt het.');
    });
    await report();
    await record('inform_parents_of_report', async () => {
      await text('informed', 'Linda Koster');
      await text('how', 'Telefonisch, direct na de melding.');
      await text('reaction', 'Moeder wil meewerken met Veilig Thuis.');
    });
    await followUp();
    await record('record_evaluation', async () => {
      await text('participants', 'Anouk Jansen');
      await text('went_well', 'Hulp snel ingezet en gevolgd.');
      await text('to_improve', 'Eerder opnieuw wegen toen de signalen bleven.');
    });
    await close('reported_and_handed_over');
    await shown('case-closed');
    await shot('case-report-after-all-closed');
    const caseId = caseIdOf('Bram Koster');
    verifyAndExport(caseId, [
      'case_opened', 'signal_recorded', 'consultation_recorded', 'advice_requested',
      'parent_conversation_recorded', 'assessment_recorded', 'decision_recorded', 'help_plan_started',
      'help_plan_shared', 'help_reach_checked', 'help_reviewed', 'assessment_recorded',
      'decision_recorded', 'help_plan_ended', 'report_discussed', 'report_made',
      'parents_informed_of_report', 'follow_up_recorded', 'case_evaluated', 'case_closed',
    ]);
    const exported = JSON.parse(cli(COORDINATOR, PIN, 'export', caseId));
    const weighings = exported.events.filter((e) => e.payload.type === 'assessment_recorded').map((e) => e.payload);
    assert.deepEqual(weighings.map((w) => w.outcome), ['help_possible', 'report_required']);
    assert.equal(weighings[1].basis.help_failed, true, 'the second weighing rests on the failed help');
  });

  test('the engine refuses in Dutch what the code does not allow', async () => {
    await captureNewPupil('Lotte Smit', 'groep 6', 'Komt al een week zonder jas en eten naar school.');
    await openCase('Lotte Smit');
    formOf('make_report');
    await click('open-make_report');
    await text('facts', 'Komt zonder jas en eten.');
    await text('school_will_do', 'Volgen.');
    await click('form-save');
    const error = await shown('form-error');
    assert.match(await error.getText(), /\(R\d+\)/);
    await shot('case-refused');
    await click('nav-home');
  });

  test('a teacher cannot take a coordinator\'s step, nor see a case about themselves', async () => {
    // The coordinator adds the teacher in the app's settings, with a first PIN, and confirms
    // with her own PIN; a wrong one is refused by the core.
    await click('nav-settings');
    await typeInto('#add-name', TEACHER);
    await (await browser.$('#add-role')).selectByAttribute('value', 'teacher');
    await typeInto('#add-pin', FIRST_PIN);
    await click('add-user');
    await typeInto('[data-testid="own-pin-input"]', FIRST_PIN);
    await click('confirm-send');
    assert.match(await (await shown('confirm-error')).getText(), /Onjuiste pincode/);
    await typeInto('[data-testid="own-pin-input"]', PIN);
    await click('confirm-send');
    await browser.$(`p=${TEACHER} is toegevoegd.`).waitForDisplayed({ timeout: 20_000 });
    await lock();

    // The teacher opens with the first PIN and chooses their own before anything else.
    await click(`user-${TEACHER}`);
    await typeInto('[data-testid="pin-input"]', FIRST_PIN);
    await click('unlock');
    await typeInto('#current-pin', FIRST_PIN);
    await typeInto('#new-pin', TEACHER_PIN);
    await typeInto('#new-pin-again', TEACHER_PIN);
    await shot('choose-pin');
    await click('change-pin');
    await shown('new-signal');
    await lock();

    // The teacher records a signal: their own case, without the coordinator's actions.
    await unlockAs(TEACHER, TEACHER_PIN);
    await captureNewPupil('Milan de Jong', 'groep 4', 'Vertelt dat een meester hem hard bij de arm pakte.');
    await openCase('Milan de Jong');
    await shown('open-record_consultation');
    for (const lead of ['record_assessment', 'record_decision', 'make_report', 'close_case']) {
      assert.equal(await (await $t(`open-${lead}`)).isExisting(), false, lead);
    }
    await shot('case-teacher');
    const milan = cliJson(TEACHER, TEACHER_PIN, 'case', 'list').find((c) => c.pupil_name === 'Milan de Jong');
    const refused = cliRefused(
      TEACHER,
      TEACHER_PIN,
      JSON.stringify({ case_id: milan.case_id, command: { type: 'record_decision', report: true, organise_help: false, reasoning: 'x' } }),
      'apply',
    );
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /intern begeleider/);
    await lock();

    // The coordinator records that this teacher is suspected: the board leads, the teacher is out.
    await unlockAs(COORDINATOR, PIN);
    await openCase('Milan de Jong');
    await record('suspect_staff', async () => {
      await choose('staff_user', 1);
      await text('note', 'Milan noemt de leerkracht bij naam.');
    });
    await record('record_board_informed', async () => {
      await text('board_member', 'Henk Mulder');
      await text('how', 'Telefonisch, daarna per brief.');
    });
    await lock();
    await unlockAs(TEACHER, TEACHER_PIN);
    await browser.waitUntil(async () => !(await browser.$('p=Even geduld…').isExisting()), { timeout: 20_000 });
    const list = await $t('case-list');
    const listed = (await list.isExisting()) ? await list.getText() : '';
    assert.ok(!listed.includes('Milan de Jong'), 'the case is gone from the teacher\'s list');
    assert.equal(cliJson(TEACHER, TEACHER_PIN, 'case', 'list').some((c) => c.case_id === milan.case_id), false);
    const hidden = cliRefused(TEACHER, TEACHER_PIN, '', 'case', 'show', milan.case_id);
    assert.match(hidden.stderr, /niet gevonden|not found/i);
    await shot('case-teacher-after-suspicion');
    await lock();
  });

  test('acute danger: call, report first, the rest after; an urgent route, consent, a colleague, a correction', async () => {
    await unlockAs(COORDINATOR, PIN);
    await captureNewPupil('Emma de Wit', 'groep 8', 'Vertelt huilend dat ze vanavond niet naar huis durft; vader dreigde haar te slaan.');
    await openCase('Emma de Wit');
    await record('declare_emergency', async () => {
      await text('danger', 'Emma durft niet naar huis; vader dreigde met geweld.');
    });
    await record('record_emergency_call', async () => {
      await radio('service', 'veilig_thuis');
      await text('summary', 'Veilig Thuis komt vandaag; Emma blijft tot dan op school.');
    });
    await report();
    await record('record_consent', async () => {
      await text('parent_name', 'Ingrid de Wit');
      const careTeam = await browser.$('[data-testid="form-record_consent"] input[value="care_team"]');
      await careTeam.scrollIntoView({ block: 'center' });
      await careTeam.click();
      await radio('granted', 'yes');
      await tick('written');
    });
    await record('involve_colleague', async () => {
      await choose('user', 1);
    });
    await record('correct_record', async () => {
      await choose('corrects', 2);
      await text('reason', 'Groep verkeerd genoemd bij het vastleggen.');
      await text('corrected_text', 'Emma zit in groep 7, niet in groep 8.');
    });
    // Last: from here on the engine holds the parent conversation and consent until Veilig
    // Thuis has been contacted about this suspicion.
    await record('raise_urgent_flag', async () => {
      await radio('kind', 'honour_related_violence');
      await text('reason', 'Emma vertelt over een uithuwelijking die de familie plant.');
    });
    const correction = await shown('correction');
    assert.match(await correction.getText(), /groep 7/);
    await shot('case-emergency-corrected');
    const exported = JSON.parse(cli(COORDINATOR, PIN, 'export', caseIdOf('Emma de Wit')));
    assert.deepEqual(exported.events.map((e) => e.payload.type), [
      'case_opened', 'signal_recorded', 'emergency_declared', 'emergency_call_made', 'report_made',
      'consent_recorded', 'colleague_involved', 'record_corrected', 'urgent_flag_raised',
    ]);
    assert.equal(exported.events.find((e) => e.payload.type === 'report_made').payload.route, 'emergency');
    assert.match(cli(COORDINATOR, PIN, 'verify'), /^ok/);
  });
});
