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
            Self::R0 | Self::R1 | Self::R9 | Self::R12 | Self::R14 | Self::R15 => Enforcement::Hard,
            Self::R2 | Self::R4 | Self::R8 | Self::R11 => Enforcement::HardAndPrompt,
            Self::R3 | Self::R5 | Self::R6 | Self::R7 | Self::R10 | Self::R13 => {
                Enforcement::Prompt
            }
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
    fn every_rule_has_a_step_or_spans_the_code_and_a_way_to_be_enforced() {
        for rule in RuleId::ALL {
            assert!(!rule.text_nl().is_empty());
            let _ = rule.enforcement();
            assert!(rule.step().is_some() || matches!(rule, RuleId::R14 | RuleId::R15));
        }
    }
}
