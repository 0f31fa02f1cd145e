//! R1 for what the child itself says: a conversation with the child and a disclosure keep the
//! child's words apart from the staff's account, with who was there and when. A disclosure calls
//! for weighing at once (see `next_actions`), and the 2019 meldnorm treats it as a reason to
//! report (see `r10_weighing`).

use super::check_not_future;
use super::r00_record::{require_full_name, require_full_names};
use crate::records::{ChildConversationInput, DisclosureInput};
use crate::rule::RuleId;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_child_conversation(
    input: &ChildConversationInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_full_names(&input.staff_present, "wie het gesprek met het kind voerde")?;
    require_text(
        &input.occasion,
        RuleId::R1,
        "occasion_required",
        "Beschrijf waarom en waar het gesprek met het kind plaatsvond.",
    )?;
    if input
        .child_words
        .as_deref()
        .is_some_and(|w| w.trim().is_empty())
    {
        return Err(Violation::new(
            RuleId::R1,
            "child_words_blank",
            "Laat 'woorden van het kind' leeg als het kind niets zei, of schrijf letterlijk op wat het zei.",
        ));
    }
    require_text(
        &input.record,
        RuleId::R1,
        "record_required",
        "Leg vast wat u zag en wat er is afgesproken, in uw eigen woorden.",
    )?;
    check_not_future(input.held_at, now, RuleId::R1)
}

pub(crate) fn check_disclosure(
    input: &DisclosureInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_full_name(&input.told_to, "wie het kind het vertelde")?;
    require_text(
        &input.child_words,
        RuleId::R1,
        "child_words_required",
        "Schrijf zo letterlijk mogelijk op wat het kind vertelde.",
    )?;
    require_text(
        &input.circumstances,
        RuleId::R1,
        "circumstances_required",
        "Beschrijf waar en hoe het kind het vertelde.",
    )?;
    require_text(
        &input.response,
        RuleId::R1,
        "response_required",
        "Leg vast hoe u reageerde en wat u het kind over de volgende stap vertelde.",
    )?;
    check_not_future(input.disclosed_at, now, RuleId::R1)
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    #[test]
    fn r1_child_conversation_keeps_the_childs_words_apart() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, child_conversation());
        let c = &kit.state.child_conversations[0].data;
        assert!(c.child_words.is_some());
        assert!(!c
            .record
            .contains(c.child_words.as_deref().unwrap_or_default()));
        let Command::RecordChildConversation(mut blank) = child_conversation() else {
            unreachable!()
        };
        blank.child_words = Some(" ".into());
        assert_eq!(
            kit.refused(TEACHER, Command::RecordChildConversation(blank)),
            (RuleId::R1, "child_words_blank".into())
        );
    }

    #[test]
    fn r1_disclosure_needs_the_childs_words_and_who_heard_them() {
        let mut kit = Kit::opened();
        let Command::RecordDisclosure(mut d) = disclosure(&kit) else {
            unreachable!()
        };
        d.child_words.clear();
        assert_eq!(
            kit.refused(TEACHER, Command::RecordDisclosure(d.clone())).1,
            "child_words_required"
        );
        d.child_words = "Papa slaat me als ik huil.".into();
        d.told_to = "juf".into();
        assert_eq!(
            kit.refused(TEACHER, Command::RecordDisclosure(d)),
            (RuleId::R0, "full_name_required".into())
        );
        kit.ok(TEACHER, disclosure(&kit));
    }

    #[test]
    fn r10_disclosure_prompts_weighing_at_once() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, disclosure(&kit));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        let weigh = actions
            .iter()
            .find(|a| a.code == "weigh_now")
            .expect("weighing prompted");
        assert_eq!((weigh.rule, weigh.due), (RuleId::R10, Some(kit.today())));
        kit.advance(chrono::Duration::days(1));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions[0].overdue && actions[0].code == "weigh_now");
    }
}
