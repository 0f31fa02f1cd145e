//! The protocol rules R0–R15 (DESIGN.md §3), with the Dutch text the UI shows behind each
//! refusal and each next action.

use serde::{Deserialize, Serialize};
use std::fmt;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    R0,
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
}

/// Whether a rule refuses a command or puts a next action on the case; some rules do both.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    Hard,
    Prompt,
    HardAndPrompt,
}

impl RuleId {
    pub const ALL: [RuleId; 16] = [
        Self::R0,
        Self::R1,
        Self::R2,
        Self::R3,
        Self::R4,
        Self::R5,
        Self::R6,
        Self::R7,
        Self::R8,
        Self::R9,
        Self::R10,
        Self::R11,
        Self::R12,
        Self::R13,
        Self::R14,
        Self::R15,
    ];

    pub fn step(self) -> Option<u8> {
        match self {
            Self::R0 | Self::R1 | Self::R2 => Some(1),
            Self::R3 | Self::R4 | Self::R5 | Self::R6 | Self::R7 => Some(2),
            Self::R8 | Self::R9 => Some(3),
            Self::R10 => Some(4),
            Self::R11 | Self::R12 | Self::R13 => Some(5),
            Self::R14 | Self::R15 => None,
        }
    }

    pub fn enforcement(self) -> Enforcement {
        match self {
            // R9's ground is asked for by R8's prompt ("talk to the parent, or record why not").
            Self::R0 | Self::R9 => Enforcement::Hard,
            _ => Enforcement::HardAndPrompt,
        }
    }

    pub fn title_nl(self) -> &'static str {
        match self {
            Self::R0 => "Alles vastleggen",
            Self::R1 => "Feiten en bronnen",
            Self::R2 => "Vermoeden tegen een medewerker",
            Self::R3 => "Collegiale consultatie",
            Self::R4 => "Toestemming van de ouder",
            Self::R5 => "Bij twijfel advies van Veilig Thuis",
            Self::R6 => "Verwijsindex overwegen",
            Self::R7 => "Noodsituatie",
            Self::R8 => "Gesprek met de ouder",
            Self::R9 => "Melden zonder gesprek met de ouder",
            Self::R10 => "Wegen",
            Self::R11 => "Beslissen",
            Self::R12 => "Melding eerst bespreken",
            Self::R13 => "Vervolg na de melding",
            Self::R14 => "Taken en rollen",
            Self::R15 => "Afsluiten",
        }
    }

    /// The rule in plain Dutch, as the code itself puts it; shown behind refusals and actions.
    pub fn text_nl(self) -> &'static str {
        match self {
            Self::R0 => "Leg signalen, contacten, stappen en besluiten vast, met wie en wanneer. Niets wat is vastgelegd wordt gewijzigd of verwijderd; een correctie is een nieuwe aantekening die verwijst naar wat zij verbetert.",
            Self::R1 => "Beschrijf wat is gezien of gehoord, wanneer en waar, en of het een eigen waarneming is of informatie van een ander (van wie).",
            Self::R2 => "Wijzen signalen op kindermishandeling door een medewerker van de school, meld dit dan onmiddellijk bij het schoolbestuur. De betrokken medewerker ziet dit dossier niet.",
            Self::R3 => "Bespreek de signalen met een deskundige collega: intern begeleider, directie, aandachtsfunctionaris, een collega van dezelfde groep, jeugdverpleegkundige of jeugdarts, of het zorgadviesteam.",
            Self::R4 => "Een leerling open (niet anoniem) bespreken in het zorgadviesteam of met andere externe deskundigen kan alleen met schriftelijke toestemming van de ouder. Weigert de ouder, dan is dat een zorgelijk signaal dat meeweegt in stap 4.",
            Self::R5 => "Heeft u ook maar enige twijfel, vraag dan advies aan Veilig Thuis. Advies vragen mag altijd anoniem.",
            Self::R6 => "Overweeg vanaf stap 2 registratie in de Verwijsindex Risicojongeren, als de school daarop is aangesloten.",
            Self::R7 => "Bij acuut en ernstig gevaar gaat de volgorde van de stappen opzij: bel meteen Veilig Thuis (melden kan in hetzelfde gesprek), de crisisdienst of de politie. De andere stappen volgen daarna.",
            Self::R8 => "Het gesprek met de ouder: leg het doel uit, beschrijf feiten en waarnemingen, vraag om een reactie, kom pas daarna zo nodig met een interpretatie, en leg het gesprek vast en laat het ondertekenen. Bij een vermoeden van meisjesbesnijdenis of eergerelateerd geweld neemt u eerst met spoed contact op met Veilig Thuis.",
            Self::R9 => "Melden zonder gesprek met de ouder kan alleen als de veiligheid van de leerling, van u of van een ander in het geding is, of als u goede redenen hebt om aan te nemen dat de ouder het contact verbreekt en de school verlaat. Leg die reden vast.",
            Self::R10 => "Weeg het risico, de aard en de ernst op basis van de signalen, het advies en het gesprek met de ouder. Neem bij het wegen contact op met Veilig Thuis of de jeugdgezondheidszorg.",
            Self::R11 => "Beslis pas na de weging: zelf hulp organiseren en de effecten volgen (5a), of melden bij Veilig Thuis (5b). Meld alsnog als de hulp het geweld niet stopt.",
            Self::R12 => "Bespreek de melding vooraf met de ouder (en met de leerling vanaf 12 jaar): leg uit, vraag om een reactie, leg bezwaren vast en hoe de school daaraan tegemoetkwam. Alleen bij gevaar of als de ouder het contact zou verbreken kan dit achterwege blijven; leg dan de reden vast.",
            Self::R13 => "Zie je na enige tijd onvoldoende verbetering, neem dan opnieuw contact op met Veilig Thuis en doe zo nodig opnieuw een melding.",
            Self::R14 => "Leerkrachten signaleren, leggen vast, overleggen met de intern begeleider en voeren afspraken uit. De intern begeleider coördineert, weegt, beslist en meldt. De school stelt geen mishandeling vast en verleent geen professionele hulp.",
            Self::R15 => "Een dossier wordt alleen afgesloten met een uitkomst en kan daarna alleen nog worden ingezien.",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R14: the school does not establish abuse; nothing the engine says may read as a verdict.
    use crate::Command;

    #[test]
    fn r14_rule_texts_never_word_a_diagnosis() {
        let verdicts = [
            "mishandeld",
            "misbruikt",
            "slachtoffer",
            "dader",
            "bewezen",
            "schuldig",
        ];
        for rule in RuleId::ALL {
            let text = format!("{} {}", rule.title_nl(), rule.text_nl()).to_lowercase();
            for word in verdicts {
                assert!(!text.contains(word), "{rule} uses '{word}'");
            }
        }
    }

    #[test]
    fn every_rule_has_a_step_or_spans_the_code() {
        for rule in RuleId::ALL {
            assert!(!rule.text_nl().is_empty());
            assert!(rule.step().is_some() || matches!(rule, RuleId::R14 | RuleId::R15));
        }
    }

    /// What each rule is declared to do is what the engine does: every rule that refuses has a
    /// refusal below, every rule that prompts has a prompt below.
    #[test]
    fn every_rule_is_enforced_as_declared() {
        use crate::next_actions::next_actions;
        use crate::records::*;
        use crate::testkit::*;
        use std::collections::BTreeSet;

        let mut refused = BTreeSet::new();
        let mut kit = Kit::new();
        let mut initials = pupil();
        initials.full_name = "S. V.".into();
        refused.insert(
            kit.refused(
                TEACHER,
                crate::Command::OpenCase {
                    pupil: initials,
                    parents: vec![],
                },
            )
            .0,
        );
        let mut kit = Kit::opened();
        let Command::RecordSignal(mut blank) = signal_own() else {
            unreachable!()
        };
        blank.facts.clear();
        refused.insert(kit.refused(TEACHER, Command::RecordSignal(blank)).0);
        refused.insert(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None))
                .0,
        );
        kit.ok(TEACHER, signal_own());
        refused.insert(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None))
                .0,
        );
        refused.insert(kit.refused(COORDINATOR, consultation_care_team(false)).0);
        kit.ok(TEACHER, consultation_internal());
        refused.insert(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None))
                .0,
        );
        kit.ok(COORDINATOR, advice());
        refused.insert(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None))
                .0,
        );
        let mut registered = match risk_index() {
            Command::ConsiderRiskIndex(r) => r,
            _ => unreachable!(),
        };
        registered.choice = RiskIndexChoice::Registered;
        refused.insert(
            kit.refused(COORDINATOR, Command::ConsiderRiskIndex(registered))
                .0,
        );
        let Command::RecordParentConversation(mut c) = conversation() else {
            unreachable!()
        };
        c.record.clear();
        refused.insert(kit.refused(TEACHER, Command::RecordParentConversation(c)).0);
        refused.insert(kit.refused(COORDINATOR, decision(true, false)).0);
        refused.insert(
            kit.refused(COORDINATOR, follow_up(Improvement::Sufficient))
                .0,
        );
        refused.insert(kit.refused(TEACHER, close(CaseOutcome::Unfounded)).0);
        refused.insert(
            kit.refused(
                TEACHER,
                Command::DeclareEmergency(EmergencyInput {
                    declared_at: kit.now,
                    danger: " ".into(),
                }),
            )
            .0,
        );
        kit.ok(TEACHER, conversation());
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        refused.insert(kit.refused(COORDINATOR, report()).0);
        refused.insert(kit.refused(COORDINATOR, close(CaseOutcome::Unfounded)).0);
        let mut staff = Kit::opened();
        staff.ok(TEACHER, suspect_other_teacher());
        refused.insert(staff.refused(OTHER_TEACHER, signal_own()).0);
        let mut closed = Kit::opened();
        closed.ok(TEACHER, signal_own());
        closed.ok(COORDINATOR, close(CaseOutcome::Unfounded));
        refused.insert(closed.refused(TEACHER, signal_own()).0);

        let mut prompted = BTreeSet::new();
        let mut note = |kit: &Kit| {
            for a in next_actions(&kit.state, kit.policy, kit.now) {
                prompted.insert(a.rule);
            }
        };
        let mut kit = Kit::opened();
        note(&kit);
        kit.ok(TEACHER, signal_own());
        note(&kit);
        kit.ok(TEACHER, consultation_internal());
        kit.ok(COORDINATOR, consent(false));
        note(&kit);
        kit.advance(chrono::Duration::days(40));
        note(&kit);
        let mut registered = match risk_index() {
            Command::ConsiderRiskIndex(r) => r,
            _ => unreachable!(),
        };
        registered.choice = RiskIndexChoice::Registered;
        registered.registered_on = Some(kit.today());
        registered.follow_up_on = Some(kit.today());
        kit.ok(COORDINATOR, Command::ConsiderRiskIndex(registered));
        kit.ok(COORDINATOR, advice());
        kit.ok(TEACHER, conversation());
        note(&kit);
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        note(&kit);
        kit.ok(COORDINATOR, decision(true, false));
        note(&kit);
        kit.ok(COORDINATOR, discussion());
        kit.ok(COORDINATOR, report());
        note(&kit);
        let mut skipped = Kit::opened();
        skipped.ok(TEACHER, signal_own());
        skipped.ok(TEACHER, consultation_internal());
        skipped.ok(COORDINATOR, advice());
        skipped.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ParentConversation,
                ExceptionGround::SafetyAtStake,
            ),
        );
        skipped.ok(COORDINATOR, assessment_no_suspicion());
        note(&skipped);
        let mut no_talk = Kit::opened();
        no_talk.ok(TEACHER, signal_own());
        no_talk.ok(TEACHER, consultation_internal());
        note(&no_talk);
        let mut staff = Kit::opened();
        staff.ok(TEACHER, suspect_other_teacher());
        staff.ok(
            TEACHER,
            Command::DeclareEmergency(EmergencyInput {
                declared_at: staff.now,
                danger: "Acuut gevaar.".into(),
            }),
        );
        note(&staff);
        let mut report_first = Kit::opened();
        report_first.ok(TEACHER, signal_own());
        report_first.ok(TEACHER, consultation_internal());
        report_first.ok(COORDINATOR, advice());
        report_first.ok(TEACHER, conversation());
        report_first.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        report_first.ok(COORDINATOR, decision(true, false));
        note(&report_first);

        for rule in RuleId::ALL {
            let derived = match (refused.contains(&rule), prompted.contains(&rule)) {
                (true, true) => Some(Enforcement::HardAndPrompt),
                (true, false) => Some(Enforcement::Hard),
                (false, true) => Some(Enforcement::Prompt),
                (false, false) => None,
            };
            assert_eq!(derived, Some(rule.enforcement()), "{rule}");
        }
    }

    /// The README's rule table says the same as the code.
    #[test]
    fn readme_rule_table_matches_the_enforcement() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"));
        for rule in RuleId::ALL {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {rule} ")))
                .unwrap_or_else(|| panic!("{rule} missing from the README's rule table"));
            let column = row.split('|').nth(2).map(str::trim).unwrap_or_default();
            let expected = match rule.enforcement() {
                Enforcement::Hard => "hard",
                Enforcement::Prompt => "prompt",
                Enforcement::HardAndPrompt => "hard + prompt",
            };
            assert_eq!(column, expected, "{rule}");
        }
    }
}
