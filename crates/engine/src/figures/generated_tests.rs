//! 200 cases generated with known dates and outcomes: the figures must give exactly the counts
//! the generator wrote down, for the whole span and for periods cut through it.

use super::*;
use crate::records::*;
use crate::testkit::*;
use crate::urgent::UrgentKind;
use crate::{CaseId, Command};
use chrono::{Duration, TimeZone};

/// What the generator did to one case, in days since `base()`.
#[derive(Default)]
struct Truth {
    opened: i64,
    closed: Option<(i64, CaseOutcome)>,
    reports: Vec<i64>,
    help_plans: Vec<i64>,
    emergencies: Vec<i64>,
    /// (day reached, days since the first signal)
    consultation: Option<(i64, u32)>,
    weighing: Option<(i64, u32)>,
    decision: Option<(i64, u32)>,
    urgent: Option<(i64, UrgentKind)>,
    staff: Option<i64>,
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0)
        .single()
        .expect("valid fixed date")
}

fn day_of(at: DateTime<Utc>) -> i64 {
    (at - base()).num_days()
}

/// The testkit's commands carry fixed dates; each is moved to the moment it is recorded.
fn at(command: Command, when: DateTime<Utc>) -> Command {
    match command {
        Command::RecordSignal(mut i) => {
            i.observed_at = when;
            Command::RecordSignal(i)
        }
        Command::RecordConsultation(mut i) => {
            i.held_at = when;
            Command::RecordConsultation(i)
        }
        Command::RequestAdvice(mut i) => {
            i.asked_at = when;
            Command::RequestAdvice(i)
        }
        Command::RecordParentConversation(mut i) => {
            i.held_at = when;
            Command::RecordParentConversation(i)
        }
        Command::RecordReportDiscussion(mut i) => {
            i.held_at = when;
            Command::RecordReportDiscussion(i)
        }
        Command::MakeReport(mut i) => {
            i.reported_at = when;
            Command::MakeReport(i)
        }
        Command::RecordFollowUp(mut i) => {
            i.held_at = when;
            Command::RecordFollowUp(i)
        }
        other => other,
    }
}

struct Gen {
    kit: Kit,
    truth: Truth,
    signal_day: i64,
}

impl Gen {
    fn open(i: u32) -> Self {
        let mut kit = Kit::new();
        kit.case_id = CaseId::from_u128(0xf1_0000 + u128::from(i));
        kit.now = base() + Duration::days(2 * i64::from(i));
        kit.ok(
            TEACHER,
            Command::OpenCase {
                pupil: pupil(),
                parents: vec![parent()],
            },
        );
        let opened = day_of(kit.now);
        let mut g = Self {
            kit,
            truth: Truth {
                opened,
                ..Truth::default()
            },
            signal_day: opened,
        };
        g.ok(TEACHER, signal_own());
        g
    }

    fn later(&mut self, days: i64) -> &mut Self {
        self.kit.advance(Duration::days(days));
        self
    }

    fn ok(&mut self, actor: crate::Actor, command: Command) -> Vec<crate::Envelope> {
        let now = self.kit.now;
        self.kit.ok(actor, at(command, now))
    }

    fn reached(&self) -> (i64, u32) {
        let day = day_of(self.kit.now);
        (
            day,
            u32::try_from(day - self.signal_day).expect("after the signal"),
        )
    }

    fn up_to_weighing(&mut self, consult_after: i64, weigh_after: i64) {
        self.later(consult_after)
            .ok(TEACHER, consultation_internal());
        self.truth.consultation = Some(self.reached());
        self.later(1).ok(COORDINATOR, advice());
        self.later(1).ok(TEACHER, conversation());
        self.later(weigh_after);
    }

    fn close(&mut self, outcome: CaseOutcome) {
        self.ok(COORDINATOR, close(outcome));
        self.truth.closed = Some((day_of(self.kit.now), outcome));
    }
}

/// Eight kinds of case in turn: stuck after the signal, stuck after the consultation, help in
/// place, reported, unfounded, an emergency, an urgent route, a staff case.
fn generate(i: u32) -> Gen {
    let mut g = Gen::open(i);
    let c = i64::from(1 + i % 5);
    let w = i64::from(2 + i % 4);
    match i % 8 {
        0 => {}
        1 => {
            g.later(c).ok(TEACHER, consultation_internal());
            g.truth.consultation = Some(g.reached());
        }
        2 => {
            g.up_to_weighing(c, w);
            g.ok(
                COORDINATOR,
                assessment_2019(Answer::No, Some(true), Some(true)),
            );
            g.truth.weighing = Some(g.reached());
            g.later(1).ok(COORDINATOR, decision(false, true));
            g.truth.decision = Some(g.reached());
            let review_on = g.kit.today() + Duration::days(14);
            let plan = g.ok(COORDINATOR, help_plan(vec![review_on], review_on))[0].id;
            g.truth.help_plans.push(day_of(g.kit.now));
            g.later(14);
            let now = g.kit.now;
            g.ok(TEACHER, review(plan, now, HelpEffect::Improving));
            g.later(20).close(CaseOutcome::HelpInPlace);
        }
        3 => {
            g.up_to_weighing(c, w);
            g.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
            g.truth.weighing = Some(g.reached());
            g.later(1).ok(COORDINATOR, decision(true, false));
            g.truth.decision = Some(g.reached());
            g.later(1).ok(COORDINATOR, discussion());
            g.ok(COORDINATOR, report());
            g.truth.reports.push(day_of(g.kit.now));
            g.later(5)
                .ok(COORDINATOR, follow_up(Improvement::Sufficient));
            g.later(30).close(CaseOutcome::ReportedAndHandedOver);
        }
        4 => g.later(3).close(CaseOutcome::Unfounded),
        5 => {
            let now = g.kit.now;
            g.ok(
                TEACHER,
                Command::DeclareEmergency(EmergencyInput {
                    declared_at: now,
                    danger: "Vader staat dreigend bij het hek.".into(),
                }),
            );
            g.truth.emergencies.push(day_of(now));
            g.ok(
                TEACHER,
                Command::RecordEmergencyCall(EmergencyCallInput {
                    called_at: now,
                    service: EmergencyService::VeiligThuis,
                    summary: "Melding gedaan; politie komt.".into(),
                }),
            );
            g.ok(TEACHER, report());
            g.truth.reports.push(day_of(now));
        }
        6 => {
            let kind = if (i / 8).is_multiple_of(2) {
                UrgentKind::FemaleGenitalMutilation
            } else {
                UrgentKind::HonourRelatedViolence
            };
            g.later(1).ok(
                TEACHER,
                Command::RaiseUrgentFlag(UrgentFlagInput {
                    kind,
                    reason: "Sanne vertelt over een lange reis naar familie.".into(),
                }),
            );
            g.truth.urgent = Some((day_of(g.kit.now), kind));
        }
        _ => {
            g.ok(TEACHER, suspect_other_teacher());
            g.truth.staff = Some(day_of(g.kit.now));
        }
    }
    g
}

fn period(from: i64, to: i64) -> Period {
    let day = |d: i64| (base() + Duration::days(d)).date_naive();
    Period::new(day(from), day(to)).expect("from before to")
}

/// The counts as the generator knows them, independent of the state.
fn expected(truths: &[Truth], from: i64, to: i64) -> Tally {
    let inside = |d: i64| from <= d && d <= to;
    let n = |it: &mut dyn Iterator<Item = bool>| it.filter(|b| *b).count() as u32;
    let mut t = Tally {
        opened: n(&mut truths.iter().map(|c| inside(c.opened))),
        closed: n(&mut truths
            .iter()
            .map(|c| c.closed.is_some_and(|(d, _)| inside(d)))),
        ..Tally::default()
    };
    for (i, outcome) in OUTCOMES.iter().enumerate() {
        t.outcomes[i] = n(&mut truths
            .iter()
            .map(|c| c.closed.is_some_and(|(d, o)| inside(d) && o == *outcome)));
    }
    let days = |v: &Vec<i64>| v.iter().filter(|d| inside(**d)).count() as u32;
    t.reports = truths.iter().map(|c| days(&c.reports)).sum();
    t.help_plans = truths.iter().map(|c| days(&c.help_plans)).sum();
    t.emergencies = truths.iter().map(|c| days(&c.emergencies)).sum();
    let timed = |pick: fn(&Truth) -> Option<(i64, u32)>| -> Vec<u32> {
        let mut v: Vec<u32> = truths
            .iter()
            .filter_map(pick)
            .filter(|(d, _)| inside(*d))
            .map(|(_, days)| days)
            .collect();
        v.sort_unstable();
        v
    };
    t.days_to_consultation = timed(|c| c.consultation);
    t.days_to_weighing = timed(|c| c.weighing);
    t.days_to_decision = timed(|c| c.decision);
    let urgent = |kind: UrgentKind| {
        n(&mut truths
            .iter()
            .map(|c| c.urgent.is_some_and(|(d, k)| inside(d) && k == kind)))
    };
    t.female_genital_mutilation = urgent(UrgentKind::FemaleGenitalMutilation);
    t.honour_related_violence = urgent(UrgentKind::HonourRelatedViolence);
    t.staff_cases = n(&mut truths.iter().map(|c| c.staff.is_some_and(inside)));
    t
}

fn sorted(mut t: Tally) -> Tally {
    t.days_to_consultation.sort_unstable();
    t.days_to_weighing.sort_unstable();
    t.days_to_decision.sort_unstable();
    t
}

#[test]
fn figures_of_200_generated_cases_match_the_known_counts() {
    let (states, truths): (Vec<CaseState>, Vec<Truth>) = (0..200)
        .map(generate)
        .map(|g| (g.kit.state, g.truth))
        .unzip();
    // Long after the last case: every open one has waited past a due date.
    let now = base() + Duration::days(500);
    let policy = Kit::new().policy;
    let open = truths.iter().filter(|t| t.closed.is_none()).count() as u32;

    for (from, to) in [(0, 499), (0, 89), (120, 240), (301, 301)] {
        let got = sorted(Tally::of(&states, period(from, to), policy, now));
        let mut want = expected(&truths, from, to);
        want.overdue_now = open;
        assert_eq!(got, want, "period day {from} to day {to}");
    }

    let whole = Tally::of(&states, period(0, 499), policy, now);
    assert_eq!(whole.opened, 200);
    assert_eq!(
        (whole.closed, whole.reports, whole.emergencies),
        (75, 50, 25)
    );
    assert_eq!(whole.outcomes, [25, 0, 25, 25, 0]);
    assert_eq!(whole.staff_cases, 25);
    assert_eq!(whole.days_to_consultation.len(), 75);
}

#[test]
fn figures_hide_small_counts_and_the_medians_behind_them() {
    let cases: Vec<Gen> = (0..200).map(generate).collect();
    let states: Vec<&CaseState> = cases.iter().map(|g| &g.kit.state).collect();
    let now = base() + Duration::days(500);
    let policy = Kit::new().policy;

    let whole = Figures::of(states.iter().copied(), period(0, 499), policy, now);
    assert_eq!(whole.cases[0].count, Count::Exact { n: 200 });
    // Nobody found another cause and no staff route ended: both hide as "< 5", and no single
    // outcome can be worked out from the total.
    assert_eq!(whole.outcomes[1].count, Count::FewerThanFive);
    assert_eq!(whole.outcomes[4].count, Count::FewerThanFive);
    assert_eq!(whole.outcomes[2].count, Count::Exact { n: 25 });
    let consult = whole.durations[0];
    assert_eq!(consult.cases, Count::Exact { n: 75 });
    // Cases 1, 2 and 3 of every eight consult after 1 + i % 5 days: a median of 3.
    assert_eq!(consult.median_days, Some(3));

    // One day holds one case at most: every count and every median is hidden.
    let day = Figures::of(states.iter().copied(), period(301, 301), policy, now);
    for f in day
        .cases
        .iter()
        .chain(&day.outcomes)
        .chain(&day.steps)
        .chain(&day.routes)
    {
        assert_eq!(f.count, Count::FewerThanFive, "{:?}", f.code);
    }
    assert!(day.durations.iter().all(|d| d.median_days.is_none()));
    // Today's overdue count is the one figure that does not depend on the period.
    assert_eq!(day.overdue_now, Count::Exact { n: 125 });
    assert!(day
        .rows()
        .iter()
        .filter(|(label, ..)| *label != FigureCode::OverdueNow.label_nl())
        .all(|(_, count, median)| count == "< 5" && median.is_none()));
}
