//! The school profile: who the school is, which edition of the code it follows, and its social
//! map (sociale kaart) with the numbers that are one tap away on every screen.
//!
//! The file format is what a school IT person writes (phone numbers as text); loading checks it
//! and turns it into the validated form below, which the rest of the app can trust.

mod phone;
mod validate;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::policy::{CasePolicy, Edition};

pub use phone::PhoneNumber;
pub use validate::check_contact;

/// Embedded rather than read at run time: the engine does no I/O, and the emergency bar must
/// work on the very first start, offline.
const MOZAIEK_JSON: &str = include_str!("../../data/profiles/cbs-het-mozaiek.json");

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// 112.
    Emergency,
    VeiligThuis,
    CrisisService,
    /// Centrum voor Jeugd en Gezin and the like.
    YouthAndFamily,
    YouthCare,
    DomesticViolenceSupport,
    /// Inspectie van het Onderwijs, vertrouwensinspecteurs.
    Inspectorate,
    /// The school board: receives suspicions against staff (R2).
    Board,
    Other,
}

impl ContactKind {
    pub const ALL: [ContactKind; 9] = [
        Self::Emergency,
        Self::VeiligThuis,
        Self::CrisisService,
        Self::YouthAndFamily,
        Self::YouthCare,
        Self::DomesticViolenceSupport,
        Self::Inspectorate,
        Self::Board,
        Self::Other,
    ];

    /// The name in the profile file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::VeiligThuis => "veilig_thuis",
            Self::CrisisService => "crisis_service",
            Self::YouthAndFamily => "youth_and_family",
            Self::YouthCare => "youth_care",
            Self::DomesticViolenceSupport => "domestic_violence_support",
            Self::Inspectorate => "inspectorate",
            Self::Board => "board",
            Self::Other => "other",
        }
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Emergency => "Noodnummer",
            Self::VeiligThuis => "Veilig Thuis",
            Self::CrisisService => "Crisisdienst",
            Self::YouthAndFamily => "Jeugd en gezin",
            Self::YouthCare => "Jeugdzorg",
            Self::DomesticViolenceSupport => "Steunpunt huiselijk geweld",
            Self::Inspectorate => "Inspectie van het Onderwijs",
            Self::Board => "Schoolbestuur",
            Self::Other => "Overig",
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Stable slug, e.g. "veilig-thuis-groningen".
    pub id: String,
    pub name: String,
    pub kind: ContactKind,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub contact_person: Option<String>,
    /// Free text, e.g. "24/7" or "werkdagen 08:00–17:00".
    pub hours: Option<String>,
    pub note: Option<String>,
    /// Shown on the one-tap emergency bar, also on the lock screen.
    pub emergency_bar: bool,
}

/// The validated profile. Its serde form (phone as `{dial, display}`) is for the app's own
/// storage and the UI; a file written by a person goes through [`SchoolProfile::from_json`],
/// which reads the simpler file format and checks it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolProfile {
    pub school_name: String,
    pub town: String,
    pub edition: Edition,
    pub report_on_doubt: bool,
    /// Working days from the first signal by which step 2 (consultation) is due.
    #[serde(default = "default_consult_days")]
    pub consult_within_working_days: u32,
    /// Working days from the first signal by which step 4 (weighing) is due.
    #[serde(default = "default_weigh_days")]
    pub weigh_within_working_days: u32,
    /// Days an enrolled device may go without contact with the school server before it opens
    /// with the recovery key only: a device kept away from the network never hears that it was
    /// revoked.
    #[serde(default = "default_contact_limit_days")]
    pub contact_limit_days: u32,
    /// Years a closed case is kept after the pupil left the school.
    #[serde(default = "default_retention")]
    pub retention_years: u32,
    /// Years for a case with a report; at least `retention_years`.
    #[serde(default = "default_retention")]
    pub retention_years_reported: u32,
    pub contacts: Vec<Contact>,
}

fn default_retention() -> u32 {
    crate::policy::RETENTION_YEARS
}

/// The contact limit when the profile sets none.
pub const DEFAULT_CONTACT_LIMIT_DAYS: u32 = 30;

fn default_contact_limit_days() -> u32 {
    DEFAULT_CONTACT_LIMIT_DAYS
}

fn default_consult_days() -> u32 {
    crate::policy::CONSULT_WITHIN_WORKING_DAYS
}

fn default_weigh_days() -> u32 {
    crate::policy::WEIGH_WITHIN_WORKING_DAYS
}

impl SchoolProfile {
    /// Parses the profile file format and validates it; every problem found is reported at once,
    /// so whoever maintains the file can fix them in one go.
    pub fn from_json(text: &str) -> Result<Self, ProfileError> {
        validate::from_json(text)
    }

    /// The profile of CBS Het Mozaïek, Stadskanaal, from the social map in its 2017 code. It
    /// weighs with the 2019 afwegingskader, which the law has required since 1 January 2019.
    pub fn mozaiek() -> Self {
        // The embedded file is fixed at compile time and `mozaiek_profile_loads` checks it, so a
        // failure here is a build defect, not a run-time condition to handle.
        Self::from_json(MOZAIEK_JSON).expect("the embedded Mozaïek profile is valid")
    }

    pub fn policy(&self) -> CasePolicy {
        CasePolicy {
            edition: self.edition,
            report_on_doubt: self.report_on_doubt,
            consult_within_working_days: self.consult_within_working_days,
            weigh_within_working_days: self.weigh_within_working_days,
            retention_years: self.retention_years,
            retention_years_reported: self.retention_years_reported,
        }
    }

    /// The contacts for the one-tap emergency bar, in the order of the file.
    pub fn emergency_bar(&self) -> impl Iterator<Item = &Contact> {
        self.contacts.iter().filter(|c| c.emergency_bar)
    }

    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }
}

/// One thing wrong in a profile file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileProblem {
    /// The contact's id (or "contact 3" when it has none); `None` for the profile as a whole.
    pub contact: Option<String>,
    /// The field in the file, e.g. "email".
    pub field: String,
    /// Dutch, for the school's IT person.
    pub message: String,
}

impl fmt::Display for ProfileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.contact {
            Some(contact) => write!(
                f,
                "contact '{contact}', veld '{}': {}",
                self.field, self.message
            ),
            None => write!(f, "veld '{}': {}", self.field, self.message),
        }
    }
}

/// A profile file that cannot be used, with every problem found in it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileError {
    pub problems: Vec<ProfileProblem>,
}

impl ProfileError {
    pub fn code(&self) -> &'static str {
        "invalid_profile"
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProfileError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn mozaiek_json() -> Value {
        serde_json::from_str(MOZAIEK_JSON).expect("embedded JSON parses")
    }

    fn refused(json: &Value) -> ProfileError {
        SchoolProfile::from_json(&json.to_string()).expect_err("profile should be refused")
    }

    fn has(err: &ProfileError, contact: Option<&str>, field: &str) -> bool {
        err.problems
            .iter()
            .any(|p| p.contact.as_deref() == contact && p.field == field)
    }

    /// The seed's Veilig Thuis entry as written in the 2017 social map.
    fn seed_veilig_thuis() -> Value {
        json!({
            "id": "veilig-thuis-groningen",
            "name": "Veilig Thuis",
            "kind": "veilig_thuis",
            "address": "Leonard Springerlaan 13 9727 KB Groningen",
            "phone": "050-5239239",
            "email": "http://www.veiligthuisgroningen.nl/"
        })
    }

    #[test]
    fn mozaiek_profile_loads() {
        let profile = SchoolProfile::mozaiek();
        assert_eq!(profile.school_name, "CBS Het Mozaïek");
        assert_eq!(profile.town, "Stadskanaal");
        assert_eq!(
            profile.policy(),
            CasePolicy {
                edition: Edition::Afwegingskader2019,
                report_on_doubt: false,
                consult_within_working_days: 5,
                weigh_within_working_days: 20,
                retention_years: 2,
                retention_years_reported: 2,
            }
        );
        assert_eq!(profile.contact_limit_days, DEFAULT_CONTACT_LIMIT_DAYS);
        assert_eq!(profile.contacts.len(), 9);
        let board = profile.contact("schoolbestuur").expect("board contact");
        assert_eq!(board.kind, ContactKind::Board);
    }

    #[test]
    fn mozaiek_emergency_bar_has_112_veilig_thuis_national_and_the_crisis_service() {
        let profile = SchoolProfile::mozaiek();
        let bar: Vec<_> = profile
            .emergency_bar()
            .filter_map(|c| c.phone.as_ref())
            .map(|p| p.dial.as_str())
            .collect();
        assert_eq!(bar, ["112", "+318002000", "+31505239200"]);
        let vt = profile
            .contact("veilig-thuis-landelijk")
            .expect("VT national");
        assert_eq!(vt.kind, ContactKind::VeiligThuis);
        assert_eq!(vt.hours.as_deref(), Some("24/7"));
    }

    #[test]
    fn mozaiek_numbers_are_normalised() {
        let profile = SchoolProfile::mozaiek();
        let dial = |id: &str| {
            profile
                .contact(id)
                .and_then(|c| c.phone.as_ref())
                .map(|p| p.dial.clone())
        };
        assert_eq!(
            dial("veilig-thuis-groningen").as_deref(),
            Some("+31505239239")
        );
        assert_eq!(dial("alarmnummer-112").as_deref(), Some("112"));
        assert_eq!(dial("cjgv-stadskanaal").as_deref(), Some("+31599631631"));
        assert_eq!(
            dial("steunpunt-huiselijk-geweld").as_deref(),
            Some("+319001262626")
        );
        assert_eq!(
            dial("inspectie-vertrouwensinspecteurs").as_deref(),
            Some("+319001113111")
        );
        let vt = profile
            .contact("veilig-thuis-groningen")
            .expect("VT Groningen");
        assert_eq!(vt.email, None);
        assert_eq!(
            vt.website.as_deref(),
            Some("http://www.veiligthuisgroningen.nl/")
        );
        assert!(vt
            .note
            .as_deref()
            .is_some_and(|n| n.contains("e-mailadres")));
    }

    #[test]
    fn seed_veilig_thuis_with_a_url_as_email_is_reported() {
        let mut json = mozaiek_json();
        json["contacts"][5] = seed_veilig_thuis();
        let err = refused(&json);
        assert_eq!(err.code(), "invalid_profile");
        let problem = err
            .problems
            .iter()
            .find(|p| p.field == "email")
            .expect("a problem with the e-mail field");
        assert_eq!(problem.contact.as_deref(), Some("veilig-thuis-groningen"));
        assert!(problem.message.contains("website"), "{}", problem.message);
        assert_eq!(err.problems.len(), 1, "{err}");
    }

    #[test]
    fn an_invalid_phone_is_reported() {
        let mut json = mozaiek_json();
        json["contacts"][3]["phone"] = "12345".into();
        let err = refused(&json);
        assert_eq!(err.problems.len(), 1, "{err}");
        assert!(has(&err, Some("cjgv-stadskanaal"), "phone"));
        assert!(err.problems[0].message.contains("12345"));
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let mut json = mozaiek_json();
        json["school_name"] = " ".into();
        json["edition"] = "meldcode2025".into();
        json["contacts"][0]["emergency_bar"] = false.into();
        json["contacts"][1]["emergency_bar"] = false.into();
        json["contacts"][2]["emergency_bar"] = false.into();
        json["contacts"][2]["phone"] = "12345".into();
        json["contacts"][3]["email"] = "gemeente-at-stadskanaal.nl".into();
        json["contacts"][4]["id"] = "cjgv-stadskanaal".into();
        json["contacts"][4]["kind"] = "politie".into();
        json["contacts"][6]["website"] = "www.example.nl".into();
        json["contacts"][7]["emial"] = "x@example.nl".into();
        json["contacts"].as_array_mut().expect("array").push(json!({
            "id": "leeg",
            "name": "",
            "kind": "other"
        }));
        let err = refused(&json);
        let expected = [
            (None, "school_name"),
            (None, "edition"),
            (None, "contacts"),
            (Some("crisisdienst-jeugdbescherming-noord"), "phone"),
            (Some("cjgv-stadskanaal"), "email"),
            (Some("cjgv-stadskanaal"), "id"),
            (Some("cjgv-stadskanaal"), "kind"),
            (Some("steunpunt-huiselijk-geweld"), "website"),
            (Some("inspectie-vertrouwensinspecteurs"), "emial"),
            (Some("leeg"), "name"),
            (Some("leeg"), "phone"),
        ];
        for (contact, field) in expected {
            assert!(
                has(&err, contact, field),
                "missing {contact:?}/{field} in\n{err}"
            );
        }
        assert_eq!(err.problems.len(), expected.len(), "{err}");
        assert_eq!(err.to_string().lines().count(), expected.len());
    }

    #[test]
    fn profile_needs_veilig_thuis_and_an_emergency_bar() {
        let json = json!({
            "school_name": "Testschool",
            "town": "Stadskanaal",
            "edition": "afwegingskader2019",
            "contacts": [
                { "id": "cjg", "name": "CJG", "kind": "youth_and_family", "phone": "0599 631631" }
            ]
        });
        let err = refused(&json);
        let messages: Vec<_> = err
            .problems
            .iter()
            .filter(|p| p.contact.is_none() && p.field == "contacts")
            .collect();
        assert_eq!(messages.len(), 2, "{err}");
    }

    #[test]
    fn profile_sets_the_days_a_device_may_go_without_contact() {
        let mut json = mozaiek_json();
        json["contact_limit_days"] = 14.into();
        let profile = SchoolProfile::from_json(&json.to_string()).expect("valid profile");
        assert_eq!(profile.contact_limit_days, 14);
        for wrong in [0, 6, 366, -1] {
            json["contact_limit_days"] = wrong.into();
            assert!(has(&refused(&json), None, "contact_limit_days"), "{wrong}");
        }
    }

    #[test]
    fn r15_profile_sets_the_retention_years_and_longer_for_reported_cases() {
        let mut json = mozaiek_json();
        json["retention_years"] = 3.into();
        let profile = SchoolProfile::from_json(&json.to_string()).expect("valid profile");
        // Reported cases follow the other cases unless the profile says longer.
        assert_eq!(
            (profile.retention_years, profile.retention_years_reported),
            (3, 3)
        );
        json["retention_years_reported"] = 7.into();
        let profile = SchoolProfile::from_json(&json.to_string()).expect("valid profile");
        assert_eq!(profile.policy().retention_years_reported, 7);
        json["retention_years_reported"] = 2.into();
        assert!(has(&refused(&json), None, "retention_years_reported"));
        for wrong in [0, 21, -1] {
            json["retention_years"] = wrong.into();
            json["retention_years_reported"] = 7.into();
            assert!(has(&refused(&json), None, "retention_years"), "{wrong}");
        }
    }

    #[test]
    fn r10_profile_sets_the_working_days_for_consultation_and_weighing() {
        let mut json = mozaiek_json();
        json["consult_within_working_days"] = 3.into();
        json["weigh_within_working_days"] = 15.into();
        let policy = SchoolProfile::from_json(&json.to_string())
            .expect("valid profile")
            .policy();
        assert_eq!(
            (
                policy.consult_within_working_days,
                policy.weigh_within_working_days
            ),
            (3, 15)
        );
        json["weigh_within_working_days"] = 0.into();
        assert!(has(&refused(&json), None, "weigh_within_working_days"));
        json["consult_within_working_days"] = 30.into();
        json["weigh_within_working_days"] = 10.into();
        assert!(has(&refused(&json), None, "weigh_within_working_days"));
    }

    #[test]
    fn social_map_marks_the_data_that_may_be_out_of_date() {
        let profile = SchoolProfile::mozaiek();
        for id in ["bureau-jeugdzorg-groningen", "steunpunt-huiselijk-geweld"] {
            let note = profile
                .contact(id)
                .and_then(|c| c.note.as_deref())
                .unwrap_or_default();
            assert!(
                note.contains("2015") && note.contains("Veilig Thuis"),
                "{id}: {note}"
            );
        }
    }

    #[test]
    fn emergency_bar_contact_needs_a_phone() {
        let mut json = mozaiek_json();
        json["contacts"][1]
            .as_object_mut()
            .expect("object")
            .remove("phone");
        let err = refused(&json);
        assert!(has(&err, Some("veilig-thuis-landelijk"), "phone"), "{err}");
    }

    #[test]
    fn report_on_doubt_defaults_to_false_and_can_be_set() {
        let mut json = mozaiek_json();
        json.as_object_mut()
            .expect("object")
            .remove("report_on_doubt");
        let profile = SchoolProfile::from_json(&json.to_string()).expect("valid");
        assert!(!profile.report_on_doubt);
        json["report_on_doubt"] = true.into();
        json["edition"] = "afwegingskader2019".into();
        let policy = SchoolProfile::from_json(&json.to_string())
            .expect("valid")
            .policy();
        assert!(policy.report_on_doubt);
        assert_eq!(policy.edition, Edition::Afwegingskader2019);
    }

    #[test]
    fn blank_optional_fields_count_as_absent() {
        // The seed leaves "Contactpersoon:" empty everywhere; that is not an error.
        let mut json = mozaiek_json();
        json["contacts"][3]["contact_person"] = "".into();
        json["contacts"][3]["email"] = "  ".into();
        let profile = SchoolProfile::from_json(&json.to_string()).expect("valid");
        let cjg = profile.contact("cjgv-stadskanaal").expect("CJG");
        assert_eq!(cjg.contact_person, None);
        assert_eq!(cjg.email, None);
    }

    #[test]
    fn json_errors_are_a_profile_error_not_a_panic() {
        for text in [
            "",
            "{",
            "[]",
            "{\"school_name\": 12}",
            "{\"contacts\": [1]}",
        ] {
            let err = SchoolProfile::from_json(text).expect_err(text);
            assert_eq!(err.problems.len(), 1, "{text}: {err}");
            assert_eq!(err.problems[0].field, "json");
        }
    }

    #[test]
    fn validated_profile_round_trips_through_serde() {
        let profile = SchoolProfile::mozaiek();
        let text = serde_json::to_string(&profile).expect("serialises");
        let back: SchoolProfile = serde_json::from_str(&text).expect("deserialises");
        assert_eq!(back, profile);
        let value: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(value["contacts"][1]["phone"]["dial"], "+318002000");
    }
}
