//! How far the walks got: reports, help plans, closes, reports after all, closed staff cases.

use super::*;

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Reached {
    pub(crate) report: bool,
    pub(crate) help_plan: bool,
    pub(crate) closed: bool,
    /// A report made after help failed (a review finding the concerns continue, a plan ended
    /// without lasting safety, a family that did not reach the help, or worse after a report).
    pub(crate) report_after_all: bool,
    pub(crate) staff_case_closed: bool,
}

pub(crate) fn reached(events: &[Envelope]) -> Reached {
    let mut r = Reached::default();
    let mut help_failed = false;
    let mut staff_case = false;
    for e in events {
        match &e.payload {
            EventPayload::StaffSuspected(_) => staff_case = true,
            EventPayload::HelpPlanStarted(_) => r.help_plan = true,
            EventPayload::HelpReviewed(x) if x.effect == HelpEffect::ConcernsContinue => {
                help_failed = true
            }
            EventPayload::HelpPlanEnded(x) if !x.lasting_safety => help_failed = true,
            EventPayload::HelpReachChecked(x) if !x.reached => help_failed = true,
            EventPayload::FollowUpRecorded(x) if x.improvement == Improvement::Worse => {
                help_failed = true
            }
            EventPayload::ReportMade(_) => {
                r.report = true;
                r.report_after_all |= help_failed;
            }
            EventPayload::CaseClosed(_) => {
                r.closed = true;
                r.staff_case_closed |= staff_case;
            }
            _ => {}
        }
    }
    r
}

/// How many walks there were and how far they got.
pub(crate) struct Tally {
    pub(crate) walks: AtomicUsize,
    pub(crate) report: AtomicUsize,
    pub(crate) help_plan: AtomicUsize,
    pub(crate) closed: AtomicUsize,
    pub(crate) report_after_all: AtomicUsize,
    pub(crate) staff_case_closed: AtomicUsize,
}

pub(crate) static TALLY: Tally = Tally::new();

impl Tally {
    pub(crate) const fn new() -> Self {
        Self {
            walks: AtomicUsize::new(0),
            report: AtomicUsize::new(0),
            help_plan: AtomicUsize::new(0),
            closed: AtomicUsize::new(0),
            report_after_all: AtomicUsize::new(0),
            staff_case_closed: AtomicUsize::new(0),
        }
    }

    pub(crate) fn line(&self) -> String {
        self.counts()
            .iter()
            .map(|(name, n)| format!("{name}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn add(&self, r: Reached) {
        let bump = |c: &AtomicUsize, hit: bool| {
            if hit {
                c.fetch_add(1, Ordering::Relaxed);
            }
        };
        bump(&self.walks, true);
        bump(&self.report, r.report);
        bump(&self.help_plan, r.help_plan);
        bump(&self.closed, r.closed);
        bump(&self.report_after_all, r.report_after_all);
        bump(&self.staff_case_closed, r.staff_case_closed);
    }

    pub(crate) fn counts(&self) -> [(&'static str, usize); 6] {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        [
            ("walks", get(&self.walks)),
            ("reached report", get(&self.report)),
            ("help plan", get(&self.help_plan)),
            ("closed", get(&self.closed)),
            ("report after all", get(&self.report_after_all)),
            ("staff case closed", get(&self.staff_case_closed)),
        ]
    }
}

/// Prints to the test's output (shown with `--nocapture`) and, in a normal captured run, straight
/// to the process's stderr: `eprintln!` is captured by the test harness just like `println!`.
pub(crate) fn show(line: &str) {
    println!("{line}");
    let captured = !std::env::args().any(|a| a == "--nocapture")
        && std::env::var_os("RUST_TEST_NOCAPTURE").is_none();
    if captured {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}
