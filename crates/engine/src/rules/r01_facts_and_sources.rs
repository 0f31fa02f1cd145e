//! R1 Facts and sources: a signal says what was seen or heard, when and where, and whether it is
//! the recorder's own observation or someone else's, and whose. A report marks what came from
//! others (step 5b).

use super::check_not_future;
use crate::decide::DecideContext;
use crate::event::{FlagTrigger, UrgentFlag};
use crate::records::ReportInput;
use crate::rule::RuleId;
use crate::signal::{SignalContext, SignalInput, SignalSource};
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

/// A body-mark description or a child's words longer than this is a paste accident.
const MAX_TEXT: usize = 20_000;

/// Checks a signal and returns the urgent flags its catalogue signals raise.
pub(crate) fn check_signal(
    signal: &SignalInput,
    ctx: &DecideContext<'_>,
) -> Result<Vec<UrgentFlag>, Violation> {
    let r1 = RuleId::R1;
    require_text(
        &signal.facts,
        r1,
        "facts_required",
        "Beschrijf wat u zag of hoorde, als feiten.",
    )?;
    check_not_future(signal.observed_at, ctx.now, r1)?;
    if let SignalSource::Other { who, relation } = &signal.source {
        require_text(
            who,
            r1,
            "source_required",
            "Vul in van wie deze informatie komt (volledige naam).",
        )?;
        super::r00_record::require_full_name(who, "van wie de informatie komt")?;
        require_text(
            relation,
            r1,
            "source_relation_required",
            "Vul in wie deze persoon is voor de leerling of de school (bijvoorbeeld buurvrouw, overblijfkracht).",
        )?;
    }
    if signal.context == SignalContext::Other
        && signal
            .context_detail
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
    {
        return Err(Violation::new(
            r1,
            "place_required",
            "Beschrijf waar u het zag of hoorde.",
        ));
    }
    if signal
        .child_words
        .as_deref()
        .is_some_and(|w| w.trim().is_empty())
    {
        return Err(Violation::new(
            r1,
            "child_words_blank",
            "Laat 'woorden van het kind' leeg als het kind niets zei, of schrijf letterlijk op wat het zei.",
        ));
    }
    if [
        signal.facts.len(),
        signal.child_words.as_deref().map_or(0, str::len),
    ]
    .iter()
    .any(|&l| l > MAX_TEXT)
    {
        return Err(Violation::new(
            r1,
            "text_too_long",
            "De tekst is te lang. Houd het bij de feiten.",
        ));
    }
    for mark in &signal.body_marks {
        if mark.x_permille > 1000 || mark.y_permille > 1000 {
            return Err(Violation::new(
                r1,
                "body_mark_outside",
                "Een markering op het lichaamsschema ligt buiten de figuur.",
            ));
        }
        require_text(
            &mark.seen,
            r1,
            "body_mark_description_required",
            "Beschrijf bij elke markering op het lichaamsschema wat u zag.",
        )?;
    }
    let mut flags = Vec::new();
    for (i, code) in signal.catalogue_codes.iter().enumerate() {
        let Some(known) = ctx.catalogue.get(code) else {
            return Err(Violation::new(
                r1,
                "unknown_catalogue_signal",
                "Een gekozen signaal staat niet (meer) in de signalenlijst. Kies opnieuw.",
            ));
        };
        if signal.catalogue_codes[..i].contains(code) {
            return Err(Violation::new(
                r1,
                "duplicate_catalogue_signal",
                "Hetzelfde signaal is twee keer gekozen.",
            ));
        }
        if let Some(kind) = known.urgent {
            if !flags.iter().any(|f: &UrgentFlag| f.kind == kind) {
                flags.push(UrgentFlag {
                    kind,
                    reason: known.text.nl.clone(),
                    trigger: FlagTrigger::CatalogueSignal { code: code.clone() },
                });
            }
        }
    }
    Ok(flags)
}

pub(crate) fn check_report_facts(
    state: &CaseState,
    report: &ReportInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    let r1 = RuleId::R1;
    require_text(
        &report.facts,
        r1,
        "facts_required",
        "Beschrijf in de melding de feiten en gebeurtenissen.",
    )?;
    check_not_future(report.reported_at, now, r1)?;
    if state.has_information_from_others()
        && report
            .from_others
            .as_deref()
            .is_none_or(|t| t.trim().is_empty())
    {
        return Err(Violation::new(
            r1,
            "from_others_required",
            "In dit dossier staat informatie van anderen. Geef in de melding aan wat van anderen afkomstig is en van wie.",
        ));
    }
    require_text(
        &report.school_will_do,
        RuleId::R11,
        "school_actions_required",
        "Leg vast wat de school na de melding zelf nog doet, zoals afgesproken met Veilig Thuis.",
    )
}

#[cfg(test)]
mod tests {
    use crate::signal::*;
    use crate::testkit::*;
    use crate::urgent::UrgentKind;
    use crate::{Command, RuleId};

    fn with(f: impl FnOnce(&mut SignalInput)) -> Command {
        let Command::RecordSignal(mut s) = signal_own() else {
            unreachable!()
        };
        f(&mut s);
        Command::RecordSignal(s)
    }

    #[test]
    fn r1_signal_from_someone_else_needs_its_source() {
        let mut kit = Kit::opened();
        let cmd = with(|s| {
            s.source = SignalSource::Other {
                who: " ".into(),
                relation: "buurvrouw".into(),
            }
        });
        assert_eq!(
            kit.refused(TEACHER, cmd),
            (RuleId::R1, "source_required".into())
        );
    }

    #[test]
    fn r1_signal_needs_facts() {
        let mut kit = Kit::opened();
        let cmd = with(|s| s.facts = "\n ".into());
        assert_eq!(
            kit.refused(TEACHER, cmd),
            (RuleId::R1, "facts_required".into())
        );
    }

    #[test]
    fn r1_signal_in_the_future_is_refused() {
        let mut kit = Kit::opened();
        let later = kit.now + chrono::Duration::hours(2);
        let cmd = with(|s| s.observed_at = later);
        assert_eq!(
            kit.refused(TEACHER, cmd),
            (RuleId::R1, "time_in_future".into())
        );
    }

    #[test]
    fn r1_other_place_needs_a_description() {
        let mut kit = Kit::opened();
        let cmd = with(|s| s.context = SignalContext::Other);
        assert_eq!(
            kit.refused(TEACHER, cmd),
            (RuleId::R1, "place_required".into())
        );
    }

    #[test]
    fn r1_child_words_are_kept_apart_from_the_description() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let s = &kit.state.signals[0].data;
        assert_eq!(
            s.child_words.as_deref(),
            Some("Ik ben gevallen, zegt mama.")
        );
        assert!(!s.facts.contains("zegt mama"));
    }

    #[test]
    fn r1_body_mark_outside_the_outline_is_refused() {
        let mut kit = Kit::opened();
        let cmd = with(|s| s.body_marks[0].x_permille = 1001);
        assert_eq!(kit.refused(TEACHER, cmd).1, "body_mark_outside");
    }

    #[test]
    fn r1_unknown_catalogue_code_is_refused() {
        let mut kit = Kit::opened();
        let cmd = with(|s| s.catalogue_codes = vec!["nonsense.code".into()]);
        assert_eq!(kit.refused(TEACHER, cmd).1, "unknown_catalogue_signal");
    }

    #[test]
    fn r1_catalogue_signal_for_fgm_raises_the_urgent_flag() {
        let mut kit = Kit::opened();
        let code = kit
            .catalogue
            .signals
            .iter()
            .find(|s| s.urgent == Some(UrgentKind::FemaleGenitalMutilation))
            .map(|s| s.code.clone())
            .expect("the catalogue has an urgent FGM signal");
        let events = kit.ok(TEACHER, with(|s| s.catalogue_codes = vec![code]));
        assert_eq!(events.len(), 2);
        assert_eq!(
            kit.state.urgent_kinds(),
            vec![UrgentKind::FemaleGenitalMutilation]
        );
    }

    #[test]
    fn r1_report_marks_what_came_from_others() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_from_other());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(COORDINATOR, advice());
        kit.ok(TEACHER, conversation());
        kit.ok(
            COORDINATOR,
            assessment_2019(crate::records::Answer::Yes, None, None),
        );
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(COORDINATOR, discussion());
        let Command::MakeReport(mut r) = report() else {
            unreachable!()
        };
        r.from_others = None;
        assert_eq!(
            kit.refused(COORDINATOR, Command::MakeReport(r)),
            (RuleId::R1, "from_others_required".into())
        );
    }
}
