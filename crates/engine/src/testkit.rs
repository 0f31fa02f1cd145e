//! Builders for tests, the demo and scenario fixtures: a case driven through `decide` and
//! `evolve` exactly as the store will drive it. Enabled for the crate's own tests and by the
//! `testkit` feature; never used by the app.
#![allow(clippy::expect_used, clippy::panic)]

use crate::catalogue::SignalCatalogue;
use crate::command::Command;
use crate::decide::{decide, DecideContext};
use crate::envelope::{CountingRandom, Envelope, Recorder};
use crate::ids::{CaseId, DeviceId, PupilId, UserId};
use crate::people::{Actor, Parent, Pupil, Role};
use crate::policy::{CasePolicy, Edition};
use crate::records::*;
use crate::signal::*;
use crate::state::CaseState;
use crate::violation::Violation;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

pub const TEACHER: Actor = Actor {
    user_id: UserId(Uuid::from_u128(0x7e01)),
    role: Role::Teacher,
};
pub const OTHER_TEACHER: Actor = Actor {
    user_id: UserId(Uuid::from_u128(0x7e02)),
    role: Role::Teacher,
};
pub const COORDINATOR: Actor = Actor {
    user_id: UserId(Uuid::from_u128(0xc001)),
    role: Role::Coordinator,
};
pub const DIRECTOR: Actor = Actor {
    user_id: UserId(Uuid::from_u128(0xd001)),
    role: Role::Director,
};
pub const BOARD: Actor = Actor {
    user_id: UserId(Uuid::from_u128(0xb001)),
    role: Role::Board,
};

/// Monday 2 March 2026, 08:15 UTC: a drop-off moment.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 15, 0)
        .single()
        .expect("valid fixed date")
}

pub fn pupil() -> Pupil {
    Pupil {
        id: PupilId::from_u128(0x9001),
        full_name: "Sanne de Vries".into(),
        group: "groep 5".into(),
        date_of_birth: NaiveDate::from_ymd_opt(2017, 9, 14),
    }
}

pub fn parent() -> Parent {
    Parent {
        full_name: "Marieke de Vries".into(),
        relation: "moeder".into(),
    }
}

/// A case on one device, with a clock that only moves when the test says so.
pub struct Kit {
    pub case_id: CaseId,
    pub state: CaseState,
    pub events: Vec<Envelope>,
    pub recorder: Recorder,
    pub random: CountingRandom,
    pub now: DateTime<Utc>,
    pub policy: CasePolicy,
    pub catalogue: SignalCatalogue,
}

impl Default for Kit {
    fn default() -> Self {
        Self::new()
    }
}

impl Kit {
    pub fn new() -> Self {
        Self {
            case_id: CaseId::from_u128(0xca5e),
            state: CaseState::default(),
            events: Vec::new(),
            recorder: Recorder::new(DeviceId::from_u128(0xde71), 0, Default::default()),
            random: CountingRandom::default(),
            now: t0() + Duration::minutes(45),
            policy: CasePolicy {
                edition: Edition::Afwegingskader2019,
                ..CasePolicy::default()
            },
            catalogue: SignalCatalogue::default_catalogue(),
        }
    }

    pub fn with_edition(mut self, edition: Edition) -> Self {
        self.policy.edition = edition;
        self
    }

    /// A case opened by `TEACHER` about `pupil()`.
    pub fn opened() -> Self {
        let mut kit = Self::new();
        kit.ok(
            TEACHER,
            Command::OpenCase {
                pupil: pupil(),
                parents: vec![parent()],
            },
        );
        kit
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    pub fn try_as(&mut self, actor: Actor, command: Command) -> Result<Vec<Envelope>, Violation> {
        let ctx = DecideContext {
            actor,
            now: self.now,
            policy: self.policy,
            catalogue: &self.catalogue,
        };
        let payloads = decide(&self.state, &ctx, &command)?;
        let mut events =
            self.recorder
                .stamp(self.case_id, actor, self.now, payloads, &mut self.random);
        crate::rules::r11_offline_conflict::stamp_seen(&self.state, &mut events);
        for e in &events {
            self.state = std::mem::take(&mut self.state).evolve(e);
        }
        self.events.extend(events.iter().cloned());
        Ok(events)
    }

    pub fn ok(&mut self, actor: Actor, command: Command) -> Vec<Envelope> {
        let kind = command.kind();
        match self.try_as(actor, command) {
            Ok(events) => events,
            Err(v) => panic!("{kind} by {:?} refused: {v}", actor.role),
        }
    }

    /// The codes of the case's next actions, in their order.
    pub fn action_codes(&self) -> Vec<String> {
        crate::next_actions::next_actions(&self.state, self.policy, self.now)
            .into_iter()
            .map(|a| a.code)
            .collect()
    }

    /// The rule and code of a refusal, for terse assertions.
    pub fn refused(&mut self, actor: Actor, command: Command) -> (crate::RuleId, String) {
        let kind = command.kind();
        match self.try_as(actor, command) {
            Ok(_) => panic!(
                "{kind} by {:?} was accepted but should be refused",
                actor.role
            ),
            Err(v) => (v.rule, v.code),
        }
    }
}

pub fn signal_own() -> Command {
    Command::RecordSignal(SignalInput {
        observed_at: t0(),
        context: SignalContext::DropOff,
        context_detail: None,
        facts:
            "Blauwe plek op de linker bovenarm, ongeveer 4 cm. Sanne trok haar mouw snel omlaag."
                .into(),
        child_words: Some("Ik ben gevallen, zegt mama.".into()),
        source: SignalSource::Own,
        catalogue_codes: vec![],
        body_marks: vec![BodyMark {
            side: BodySide::Front,
            x_permille: 300,
            y_permille: 280,
            seen: "blauwe plek, ca. 4 cm".into(),
        }],
        indication: Indication::Concern,
    })
}

pub fn signal_from_other() -> Command {
    Command::RecordSignal(SignalInput {
        observed_at: t0(),
        context: SignalContext::Playground,
        context_detail: None,
        facts: "De overblijfkracht hoorde Sanne zeggen dat ze niet naar huis wil.".into(),
        child_words: Some("Ik wil niet naar huis.".into()),
        source: SignalSource::Other {
            who: "Petra Bakker".into(),
            relation: "overblijfkracht".into(),
        },
        catalogue_codes: vec![],
        body_marks: vec![],
        indication: Indication::Concern,
    })
}

pub fn consultation_internal() -> Command {
    Command::RecordConsultation(ConsultationInput {
        held_at: t0(),
        partner: ConsultPartner::Coordinator,
        partner_name: "Anouk Jansen, intern begeleider".into(),
        anonymous: false,
        summary: "Signalen doorgenomen; afgesproken de komende week gericht te observeren.".into(),
        advice: None,
    })
}

pub fn consultation_care_team(anonymous: bool) -> Command {
    Command::RecordConsultation(ConsultationInput {
        held_at: t0(),
        partner: ConsultPartner::CareTeam,
        partner_name: "Zorgadviesteam Stadskanaal".into(),
        anonymous,
        summary: "Leerling besproken in het zorgadviesteam.".into(),
        advice: Some("Gesprek met moeder voeren over de thuissituatie.".into()),
    })
}

pub fn advice() -> Command {
    Command::RequestAdvice(AdviceRequestInput {
        asked_at: t0(),
        anonymous: true,
        question: "Wij zien blauwe plekken en terugtrekgedrag; hoe verder?".into(),
        advice_given: "Gesprek met de ouder voeren en opnieuw contact opnemen na de weging.".into(),
        reference: None,
    })
}

pub fn consent(granted: bool) -> Command {
    Command::RecordConsent(ConsentInput {
        asked_at: t0(),
        parent_name: "Marieke de Vries".into(),
        scopes: vec![ConsentScope::CareTeam],
        granted,
        written: granted,
        note: None,
    })
}

pub fn risk_index() -> Command {
    Command::ConsiderRiskIndex(RiskIndexInput {
        choice: RiskIndexChoice::SchoolNotConnected,
        reasoning: "De school is niet aangesloten op de Verwijsindex.".into(),
        registered_on: None,
        follow_up_on: None,
    })
}

pub fn conversation() -> Command {
    Command::RecordParentConversation(ParentConversationInput {
        held_at: t0(),
        parents_present: vec!["Marieke de Vries".into()],
        staff_present: vec!["Jeroen Smit, leerkracht".into()],
        purpose_explained: "We maken ons zorgen en willen samen kijken hoe het met Sanne gaat."
            .into(),
        facts_described: "Blauwe plek op de bovenarm; Sanne trekt zich terug in de klas.".into(),
        parent_reaction: "Moeder herkent het terugtrekken; thuis is het druk sinds de verhuizing."
            .into(),
        interpretation: Some("We denken dat spanning thuis kan meespelen.".into()),
        record: "Afgesproken: over twee weken opnieuw in gesprek.".into(),
        signatures: vec![
            crate::records::Signature {
                signer_name: "Marieke de Vries".into(),
                signer_role: "ouder".into(),
                drawing: Some("M10 10 L20 20".into()),
                not_signed_reason: None,
            },
            crate::records::Signature {
                signer_name: "Jeroen Smit".into(),
                signer_role: "leerkracht".into(),
                drawing: Some("M5 5 L30 12".into()),
                not_signed_reason: None,
            },
        ],
        other_cause_found: false,
        other_cause: None,
        urgent_suspicion: None,
    })
}

pub fn ground(stage: ExceptionStage, ground: ExceptionGround) -> Command {
    Command::RecordExceptionGround(ExceptionGroundInput {
        stage,
        ground,
        explanation: "Vader heeft gedreigd de leerkracht iets aan te doen.".into(),
    })
}

pub fn assessment_2019(q2: Answer, q3: Option<bool>, q4: Option<bool>) -> Command {
    Command::RecordAssessment {
        instrument: None,
        assessment: AssessmentInput::Afwegingskader2019(Framework2019 {
            q1_suspicion: true,
            q2_unsafety: Some(q2),
            q3_help_possible: q3,
            q4_help_accepted: q4,
            reasoning: "Signalen, advies van Veilig Thuis en het gesprek met moeder gewogen."
                .into(),
        }),
    }
}

pub fn assessment_no_suspicion() -> Command {
    Command::RecordAssessment {
        instrument: None,
        assessment: AssessmentInput::Afwegingskader2019(Framework2019 {
            q1_suspicion: false,
            q2_unsafety: None,
            q3_help_possible: None,
            q4_help_accepted: None,
            reasoning: "Na het gesprek met de ouder is er geen vermoeden meer.".into(),
        }),
    }
}

pub fn assessment_2017(can_protect: Answer) -> Command {
    assessment_2017_risk(RiskLevel::Moderate, can_protect)
}

pub fn assessment_2017_risk(risk: RiskLevel, can_protect: Answer) -> Command {
    Command::RecordAssessment {
        instrument: None,
        assessment: AssessmentInput::Meldcode2017(Weighing2017 {
            risk,
            nature: "Mogelijk fysiek geweld".into(),
            severity: "Herhaalde blauwe plekken".into(),
            can_protect,
            reasoning: "Gewogen met Veilig Thuis.".into(),
        }),
    }
}

pub fn decision(report: bool, organise_help: bool) -> Command {
    Command::RecordDecision(DecisionInput {
        report,
        organise_help,
        reasoning: "Besluit na de weging.".into(),
    })
}

pub fn help_plan(reviews: Vec<NaiveDate>, effect_due: NaiveDate) -> Command {
    Command::StartHelpPlan(HelpPlanInput {
        description: "Opvoedondersteuning via het CJG; extra begeleiding in de klas.".into(),
        case_manager: "Anouk Jansen".into(),
        agreements: "Moeder gaat naar het CJG; de leerkracht houdt wekelijks contact.".into(),
        effect_due,
        reviews,
    })
}

pub fn review(plan: crate::EventId, at: DateTime<Utc>, effect: HelpEffect) -> Command {
    Command::ReviewHelp(HelpReviewInput {
        plan,
        held_at: at,
        effect,
        notes: "Evaluatie met moeder en leerkracht.".into(),
        next_review: None,
    })
}

pub fn discussion() -> Command {
    Command::RecordReportDiscussion(ReportDiscussionInput {
        held_at: t0(),
        with_parent: true,
        with_pupil: false,
        participants: vec!["Marieke de Vries".into(), "Anouk Jansen".into()],
        explanation: "We gaan een melding doen bij Veilig Thuis omdat we ons zorgen blijven maken."
            .into(),
        reaction: "Moeder is boos maar begrijpt de zorg.".into(),
        objections: vec![Objection {
            objection: "Moeder wil niet dat vader het hoort.".into(),
            how_met: "Afgesproken dat Veilig Thuis eerst contact opneemt met moeder.".into(),
        }],
        objections_weighed: Some("De bescherming van Sanne weegt zwaarder.".into()),
    })
}

pub fn report() -> Command {
    Command::MakeReport(ReportInput {
        reported_at: t0(),
        facts: "Herhaalde blauwe plekken op armen en rug; Sanne trekt zich terug.".into(),
        from_others: Some(
            "De overblijfkracht (Petra Bakker) hoorde dat Sanne niet naar huis wil.".into(),
        ),
        school_will_do: "De leerkracht blijft observeren en houdt contact met moeder.".into(),
        vt_reference: Some("VT-2026-0142".into()),
    })
}

pub fn follow_up(improvement: Improvement) -> Command {
    Command::RecordFollowUp(FollowUpInput {
        held_at: t0(),
        with_veilig_thuis: true,
        improvement,
        notes: "Veilig Thuis heeft het besluit teruggekoppeld.".into(),
        next_follow_up: None,
    })
}

pub fn close(outcome: CaseOutcome) -> Command {
    Command::CloseCase(CloseInput {
        outcome,
        reasoning: "Afgesloten na overleg met de intern begeleider.".into(),
        no_vt_answer_reason: None,
    })
}

/// Steps 2 and 3 done, so that the coordinator may weigh: a signal, a consultation, advice from
/// Veilig Thuis and the parent conversation.
pub fn prepare_weighing(kit: &mut Kit) {
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, advice());
    kit.ok(TEACHER, conversation());
}

/// A case weighed as requiring a report and reported to Veilig Thuis (5b), without its answer.
pub fn report_made() -> Kit {
    let mut kit = Kit::opened();
    prepare_weighing(&mut kit);
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(COORDINATOR, discussion());
    kit.ok(COORDINATOR, report());
    kit
}

/// A reported case with Veilig Thuis' answer: things improved enough.
pub fn reported() -> Kit {
    let mut kit = report_made();
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit
}

/// A case weighed as "help possible" and decided: organise help (5a).
pub fn help_decided() -> Kit {
    let mut kit = Kit::opened();
    prepare_weighing(&mut kit);
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    kit.ok(COORDINATOR, decision(false, true));
    kit
}

pub fn suspect_other_teacher() -> Command {
    Command::SuspectStaff(StaffSuspicionInput {
        staff_user: OTHER_TEACHER.user_id,
        staff_name: "Bram Visser".into(),
        note: "Sanne vertelt dat meester Bram haar in de gymzaal pijn deed.".into(),
    })
}

/// A staff case with a signal, reported to the board, which now leads it.
pub fn staff_case_with_board_informed() -> Kit {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, suspect_other_teacher());
    kit.ok(
        TEACHER,
        Command::RecordBoardInformed(BoardInformedInput {
            informed_at: kit.now,
            board_member: "Henk Mulder, voorzitter".into(),
            how: "telefonisch".into(),
        }),
    );
    kit
}

pub fn consultation_confidential_inspector(kit: &Kit) -> Command {
    Command::RecordConsultation(ConsultationInput {
        held_at: kit.now,
        partner: ConsultPartner::ConfidentialInspector,
        partner_name: "Ineke Bos, vertrouwensinspecteur".into(),
        anonymous: false,
        summary: "Vermoeden besproken; er is een redelijk vermoeden.".into(),
        advice: Some("Ouders en medewerker informeren, dan aangifte doen.".into()),
    })
}

fn staff_informed(kit: &Kit, who: &str) -> StaffCaseInformedInput {
    StaffCaseInformedInput {
        informed_at: kit.now,
        informed: vec![who.into()],
        informed_by: "Henk Mulder".into(),
        how: "In een gesprek op het bestuurskantoor.".into(),
        notes: "Uitgelegd wat het bestuur gaat doen.".into(),
    }
}

pub fn staff_parents_informed(kit: &Kit) -> Command {
    Command::InformParentsOfStaffCase(staff_informed(kit, "Marieke de Vries"))
}

pub fn suspected_staff_informed(kit: &Kit) -> Command {
    Command::InformSuspectedStaff(staff_informed(kit, "Bram Visser"))
}

pub fn police_report(kit: &Kit, made: bool) -> Command {
    Command::RecordPoliceReportDecision(PoliceReportInput {
        decided_at: kit.now,
        made,
        reasoning: if made {
            "Redelijk vermoeden na overleg met de vertrouwensinspecteur.".into()
        } else {
            "De vertrouwensinspecteur en het bestuur zien geen redelijk vermoeden.".into()
        },
        reference: made.then(|| "PL0100-2026-12345".into()),
    })
}

pub fn child_conversation() -> Command {
    Command::RecordChildConversation(ChildConversationInput {
        held_at: t0(),
        staff_present: vec!["Jeroen Smit".into()],
        occasion: "Na de gym gevraagd hoe het gaat, in het lege lokaal.".into(),
        child_words: Some("Thuis is het soms eng.".into()),
        record: "Sanne was stil en keek weg; afgesproken dat ze altijd bij de juf mag komen."
            .into(),
    })
}

pub fn disclosure(kit: &Kit) -> Command {
    Command::RecordDisclosure(DisclosureInput {
        disclosed_at: kit.now,
        told_to: "Jeroen Smit".into(),
        circumstances: "In de klas na het voorlezen, toen de andere kinderen buiten speelden."
            .into(),
        child_words: "Papa slaat me met de riem als ik niet luister.".into(),
        response: "Rustig geluisterd, niets beloofd, gezegd dat ik hulp ga vragen.".into(),
    })
}

pub fn other_cause(kit: &Kit) -> Command {
    Command::RecordOtherCause(OtherCauseInput {
        found_at: kit.now,
        cause: "De blauwe plekken komen van een stollingsstoornis, bevestigd door de huisarts."
            .into(),
        how_found: "Moeder liet de brief van de huisarts zien.".into(),
    })
}

pub fn advice_skipped() -> Command {
    Command::RecordAdviceSkipped(AdviceSkippedInput {
        reason: "Na de consultatie en het gesprek met moeder is er geen twijfel over de oorzaak."
            .into(),
    })
}

pub fn care_team_intake(kit: &Kit) -> Command {
    Command::RecordCareTeamIntake(CareTeamIntakeInput {
        held_at: kit.now,
        intake_by: "Fatima Bouali, maatschappelijk werker".into(),
        participants: vec!["Marieke de Vries".into(), "Jeroen Smit".into()],
        notes: "Hulpvraag besproken; Sanne wordt in het ZAT ingebracht.".into(),
    })
}

pub fn share_help_plan(kit: &Kit, plan: crate::EventId) -> Command {
    Command::ShareHelpPlan(HelpPlanSharedInput {
        plan,
        shared_at: kit.now,
        shared_with: vec!["Marieke de Vries".into()],
        reaction: "Moeder gaat akkoord en wil graag naar het CJG.".into(),
    })
}

pub fn help_reached(kit: &Kit, plan: crate::EventId, reached: bool) -> Command {
    Command::CheckHelpReached(HelpReachedInput {
        plan,
        checked_at: kit.now,
        reached,
        notes: if reached {
            "Het CJG bevestigt het eerste gesprek.".into()
        } else {
            "Het CJG heeft moeder niet gezien; twee afspraken gemist.".into()
        },
    })
}

pub fn end_help_plan(plan: crate::EventId, lasting_safety: bool) -> Command {
    Command::EndHelpPlan(HelpPlanEndInput {
        plan,
        lasting_safety,
        monitoring: "De leerkracht blijft alert en spreekt moeder maandelijks.".into(),
    })
}

pub fn parents_informed_of_report(kit: &Kit) -> Command {
    Command::InformParentsOfReport(ReportInformedInput {
        informed_at: kit.now,
        informed: vec!["Marieke de Vries".into()],
        how: "Telefonisch, direct na de melding.".into(),
        reaction: "Moeder is verdrietig maar begrijpt het.".into(),
    })
}

pub fn evaluation(kit: &Kit) -> Command {
    Command::RecordEvaluation(EvaluationInput {
        held_at: kit.now,
        participants: vec!["Anouk Jansen".into(), "Jeroen Smit".into()],
        went_well: "Signalen snel vastgelegd en besproken.".into(),
        to_improve: "Eerder advies vragen aan Veilig Thuis.".into(),
    })
}
