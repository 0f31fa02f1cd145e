//! The profile file format and its checks. Fields that can be checked one by one are read
//! leniently (as text, with defaults) so that every problem in the file is found in one pass,
//! instead of serde stopping at the first.

use std::collections::{BTreeMap, HashSet};

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::{Contact, ContactKind, PhoneNumber, ProfileError, ProfileProblem, SchoolProfile};
use crate::policy::Edition;

#[derive(Deserialize)]
struct RawProfile {
    #[serde(default)]
    school_name: String,
    #[serde(default)]
    town: String,
    edition: Option<String>,
    #[serde(default)]
    report_on_doubt: bool,
    consult_within_working_days: Option<i64>,
    weigh_within_working_days: Option<i64>,
    contact_limit_days: Option<i64>,
    retention_years: Option<i64>,
    retention_years_reported: Option<i64>,
    #[serde(default)]
    contacts: Vec<RawContact>,
    /// Collected to report misspelt fields, which serde would otherwise ignore silently or
    /// (with `deny_unknown_fields`) report one at a time.
    #[serde(flatten)]
    unknown: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct RawContact {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    kind: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    address: Option<String>,
    contact_person: Option<String>,
    hours: Option<String>,
    note: Option<String>,
    #[serde(default)]
    emergency_bar: bool,
    #[serde(flatten)]
    unknown: BTreeMap<String, Value>,
}

pub(super) fn from_json(text: &str) -> Result<SchoolProfile, ProfileError> {
    let raw: RawProfile = serde_json::from_str(text).map_err(|e| ProfileError {
        problems: vec![json_problem(&e)],
    })?;
    let mut problems = Problems::default();
    let profile = check(raw, &mut problems);
    match profile {
        Some(profile) if problems.0.is_empty() => Ok(profile),
        _ => Err(ProfileError {
            problems: problems.0,
        }),
    }
}

fn json_problem(e: &serde_json::Error) -> ProfileProblem {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io | Category::Syntax => {
            "Het bestand is geen geldige JSON. Controleer komma's, aanhalingstekens en haakjes"
        }
        Category::Eof => "Het bestand houdt te vroeg op; mist er een sluitend haakje?",
        Category::Data => "Een waarde in het bestand heeft niet de verwachte vorm",
    };
    ProfileProblem {
        contact: None,
        field: "json".to_owned(),
        // serde_json's own text is English, but it names the offending value; the position is
        // what the IT person needs to find it.
        message: format!(
            "{what} (regel {}, kolom {}). Details: {e}",
            e.line(),
            e.column()
        ),
    }
}

#[derive(Default)]
struct Problems(Vec<ProfileProblem>);

impl Problems {
    fn add(&mut self, contact: Option<&str>, field: &str, message: String) {
        self.0.push(ProfileProblem {
            contact: contact.map(str::to_owned),
            field: field.to_owned(),
            message,
        });
    }
}

/// Builds the validated profile, or `None` when a required value could not be read at all;
/// either way every problem is added to `problems`.
fn check(raw: RawProfile, problems: &mut Problems) -> Option<SchoolProfile> {
    for field in raw.unknown.keys() {
        problems.add(None, field, unknown_field(field));
    }
    let school_name = raw.school_name.trim().to_owned();
    if school_name.is_empty() {
        problems.add(
            None,
            "school_name",
            "De naam van de school ontbreekt.".to_owned(),
        );
    }
    let town = raw.town.trim().to_owned();
    if town.is_empty() {
        problems.add(
            None,
            "town",
            "De plaats van de school ontbreekt.".to_owned(),
        );
    }
    let edition = parse_edition(raw.edition.as_deref(), problems);

    // Checked before the contacts so that these problems stay at the top of the list, where
    // they are read first.
    if !raw.contacts.iter().any(|c| c.emergency_bar) {
        problems.add(
            None,
            "contacts",
            "Geen enkel contact staat op de noodbalk. Zet ten minste 112 en Veilig Thuis \
             (0800-2000) erop met \"emergency_bar\": true."
                .to_owned(),
        );
    }
    if !raw
        .contacts
        .iter()
        .any(|c| c.kind.as_deref().map(str::trim) == Some(ContactKind::VeiligThuis.as_str()))
    {
        problems.add(
            None,
            "contacts",
            "Veilig Thuis ontbreekt op de sociale kaart. Voeg een contact toe met \
             \"kind\": \"veilig_thuis\", bijvoorbeeld het landelijke nummer 0800-2000."
                .to_owned(),
        );
    }

    let mut seen_ids = HashSet::new();
    let mut contacts = Vec::with_capacity(raw.contacts.len());
    for (i, raw_contact) in raw.contacts.into_iter().enumerate() {
        let contact = read_contact(raw_contact, i, &mut seen_ids, problems);
        if let Some(contact) = contact {
            contacts.push(contact);
        }
    }

    let consult = working_days(
        raw.consult_within_working_days,
        "consult_within_working_days",
        crate::policy::CONSULT_WITHIN_WORKING_DAYS,
        problems,
    );
    let weigh = working_days(
        raw.weigh_within_working_days,
        "weigh_within_working_days",
        crate::policy::WEIGH_WITHIN_WORKING_DAYS,
        problems,
    );
    if consult > weigh {
        problems.add(
            None,
            "weigh_within_working_days",
            "De termijn voor de weging ligt vóór die voor de consultatie; een weging rust op de consultatie.".to_owned(),
        );
    }
    let contact_limit_days = contact_limit(raw.contact_limit_days, problems);
    let retention_years = retention(raw.retention_years, "retention_years", problems);
    let retention_years_reported = retention(
        raw.retention_years_reported.or(raw.retention_years),
        "retention_years_reported",
        problems,
    );
    if retention_years_reported < retention_years {
        problems.add(
            None,
            "retention_years_reported",
            "Een dossier met een melding wordt niet korter bewaard dan een ander dossier."
                .to_owned(),
        );
    }
    Some(SchoolProfile {
        school_name,
        town,
        edition: edition?,
        report_on_doubt: raw.report_on_doubt,
        consult_within_working_days: consult,
        weigh_within_working_days: weigh,
        contact_limit_days,
        retention_years,
        retention_years_reported,
        contacts,
    })
}

/// Years a closed case is kept after the pupil left: at least one (the AVG asks no longer than
/// needed, not never), at most twenty (what Veilig Thuis itself keeps).
fn retention(raw: Option<i64>, field: &str, problems: &mut Problems) -> u32 {
    match raw {
        None => crate::policy::RETENTION_YEARS,
        Some(years) => match u32::try_from(years) {
            Ok(y) if (1..=20).contains(&y) => y,
            _ => {
                problems.add(
                    None,
                    field,
                    "Kies een bewaartermijn van 1 tot 20 jaar na het vertrek van de leerling."
                        .to_owned(),
                );
                crate::policy::RETENTION_YEARS
            }
        },
    }
}

/// Days without contact with the school server after which a device asks for the recovery key:
/// at least a week (a holiday week offline is normal), at most a year.
fn contact_limit(raw: Option<i64>, problems: &mut Problems) -> u32 {
    match raw {
        None => super::DEFAULT_CONTACT_LIMIT_DAYS,
        Some(days) => match u32::try_from(days) {
            Ok(d) if (7..=365).contains(&d) => d,
            _ => {
                problems.add(
                    None,
                    "contact_limit_days",
                    format!("'{days}' dagen kan niet: kies een termijn van 7 tot 365 dagen."),
                );
                super::DEFAULT_CONTACT_LIMIT_DAYS
            }
        },
    }
}

/// A term in working days: at least one, and at most a school term (60 working days).
fn working_days(raw: Option<i64>, field: &str, default: u32, problems: &mut Problems) -> u32 {
    match raw {
        None => default,
        Some(days) => match u32::try_from(days) {
            Ok(d) if (1..=60).contains(&d) => d,
            _ => {
                problems.add(
                    None,
                    field,
                    format!(
                        "'{days}' werkdagen kan niet: kies een termijn van 1 tot 60 werkdagen."
                    ),
                );
                default
            }
        },
    }
}

fn unknown_field(field: &str) -> String {
    format!("Onbekend veld '{field}'. Is het verkeerd gespeld? Haal het weg of verbeter de naam.")
}

/// Reads a unit enum from its name in the file, so that a wrong value is one problem among
/// others rather than the end of parsing.
fn parse_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(Value::String(name.trim().to_owned())).ok()
}

fn parse_edition(raw: Option<&str>, problems: &mut Problems) -> Option<Edition> {
    let edition = raw.and_then(parse_name::<Edition>);
    if edition.is_none() {
        let got = match raw {
            Some(value) => format!("'{value}' is geen bekende editie."),
            None => "De editie van de meldcode ontbreekt.".to_owned(),
        };
        problems.add(
            None,
            "edition",
            format!(
                "{got} Kies \"meldcode2017\" (stappen 4 en 5 zoals in de meldcode van 2017) of \
                 \"afwegingskader2019\" (het afwegingskader voor het onderwijs sinds 2019)."
            ),
        );
    }
    edition
}

/// Blank text in the file means "not filled in": the seed leaves fields such as the contact
/// person empty, and an empty string is no way to reach anyone.
fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn read_contact(
    raw: RawContact,
    index: usize,
    seen_ids: &mut HashSet<String>,
    problems: &mut Problems,
) -> Option<Contact> {
    let id = raw.id.trim().to_owned();
    // Problems name the contact by id; without one, by its place in the list (counted from 1,
    // as a person counts).
    let label = if id.is_empty() {
        format!("contact {}", index + 1)
    } else {
        id.clone()
    };
    let who = Some(label.as_str());

    for field in raw.unknown.keys() {
        problems.add(who, field, unknown_field(field));
    }
    let name = raw.name.trim().to_owned();
    identity_problems(&id, &name, who, problems);
    if !id.is_empty() && is_slug(&id) && !seen_ids.insert(id.clone()) {
        problems.add(
            who,
            "id",
            format!("Het id '{id}' komt vaker voor. Elk contact heeft een eigen id nodig."),
        );
    }

    let kind = match raw.kind.as_deref() {
        Some(value) => {
            let kind = parse_name::<ContactKind>(value);
            if kind.is_none() {
                problems.add(
                    who,
                    "kind",
                    format!(
                        "'{value}' is geen bekend soort contact. Kies uit: {}.",
                        ContactKind::ALL.map(ContactKind::as_str).join(", ")
                    ),
                );
            }
            kind
        }
        None => {
            problems.add(
                who,
                "kind",
                format!(
                    "Het soort contact ontbreekt. Kies uit: {}.",
                    ContactKind::ALL.map(ContactKind::as_str).join(", ")
                ),
            );
            None
        }
    };

    let raw_phone = present(raw.phone);
    let email = present(raw.email);
    let website = present(raw.website);
    let address = present(raw.address);
    let note = present(raw.note);
    reach_problems(
        &Reach {
            kind,
            // A number that is there but does not parse is reported below, as what it is.
            has_phone: raw_phone.is_some(),
            email: email.as_deref(),
            website: website.as_deref(),
            address: address.as_deref(),
            note: note.as_deref(),
            emergency_bar: raw.emergency_bar,
        },
        who,
        problems,
    );

    let phone = raw_phone.and_then(|p| match PhoneNumber::parse(&p) {
        Ok(phone) => Some(phone),
        Err(message) => {
            problems.add(who, "phone", message);
            None
        }
    });

    Some(Contact {
        id,
        name,
        kind: kind?,
        phone,
        email,
        website,
        address,
        contact_person: present(raw.contact_person),
        hours: present(raw.hours),
        note,
        emergency_bar: raw.emergency_bar,
    })
}

/// Checks one contact in its validated form against the same rules as the profile file. For
/// copies of contacts kept outside the profile, such as the emergency bar's plaintext file,
/// which anyone with access to the files can edit: a stored phone number must be exactly what
/// the parser makes of it, since its `dial` goes into a `tel:` link and its `display` is what
/// the person believes they are calling.
pub fn check_contact(contact: &Contact) -> Result<(), ProfileError> {
    let mut problems = Problems::default();
    let label = if contact.id.trim().is_empty() {
        "contact".to_owned()
    } else {
        contact.id.clone()
    };
    let who = Some(label.as_str());
    identity_problems(&contact.id, contact.name.trim(), who, &mut problems);
    reach_problems(
        &Reach {
            kind: Some(contact.kind),
            has_phone: contact.phone.is_some(),
            email: contact.email.as_deref(),
            website: contact.website.as_deref(),
            address: contact.address.as_deref(),
            note: contact.note.as_deref(),
            emergency_bar: contact.emergency_bar,
        },
        who,
        &mut problems,
    );
    if let Some(phone) = &contact.phone {
        match PhoneNumber::parse(&phone.dial) {
            Ok(parsed) if parsed == *phone => {}
            Ok(_) => problems.add(
                who,
                "phone",
                format!(
                    "Het getoonde nummer '{}' is niet het nummer dat gebeld wordt ('{}').",
                    phone.display, phone.dial
                ),
            ),
            Err(message) => problems.add(who, "phone", message),
        }
    }
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(ProfileError {
            problems: problems.0,
        })
    }
}

fn identity_problems(id: &str, name: &str, who: Option<&str>, problems: &mut Problems) {
    if id.is_empty() {
        problems.add(
            who,
            "id",
            "Het id ontbreekt. Geef elk contact een vaste korte naam, bijvoorbeeld \
             \"veilig-thuis-groningen\"."
                .to_owned(),
        );
    } else if !is_slug(id) {
        problems.add(
            who,
            "id",
            format!(
                "Het id '{id}' mag alleen kleine letters, cijfers en streepjes bevatten, \
                 bijvoorbeeld \"veilig-thuis-groningen\"."
            ),
        );
    }
    if name.is_empty() {
        problems.add(
            who,
            "name",
            "De naam van de organisatie ontbreekt.".to_owned(),
        );
    }
}

/// How a contact can be reached, whether read from the profile file or from a copy of it.
struct Reach<'a> {
    kind: Option<ContactKind>,
    has_phone: bool,
    email: Option<&'a str>,
    website: Option<&'a str>,
    address: Option<&'a str>,
    note: Option<&'a str>,
    emergency_bar: bool,
}

fn reach_problems(f: &Reach<'_>, who: Option<&str>, problems: &mut Problems) {
    // The school board is named even before its number is filled in: R2 sends every staff
    // member to it, and the social map says where to add it (the note is then required).
    let board_to_fill_in = f.kind == Some(ContactKind::Board) && f.note.is_some();
    if !f.has_phone
        && f.email.is_none()
        && f.website.is_none()
        && f.address.is_none()
        && !board_to_fill_in
    {
        problems.add(
            who,
            "phone",
            "Er is geen telefoonnummer, e-mailadres, website of adres. Vul ten minste één \
             manier in om dit contact te bereiken."
                .to_owned(),
        );
    } else if !f.has_phone && f.emergency_bar {
        problems.add(
            who,
            "phone",
            "Dit contact staat op de noodbalk maar heeft geen telefoonnummer. De noodbalk \
             belt met één tik, dus een nummer is nodig."
                .to_owned(),
        );
    }

    if let Some(message) = f.email.and_then(email_problem) {
        problems.add(who, "email", message);
    }
    if let Some(message) = f.website.and_then(website_problem) {
        problems.add(who, "website", message);
    }
}

fn is_slug(id: &str) -> bool {
    !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn looks_like_web_address(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.contains("://") || lower.starts_with("www.")
}

/// Deliberately simple: the aim is to catch values that are plainly something else (a web
/// address, a phone number, a typo without '@'), not to implement RFC 5322.
fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let bad_char =
        |c: char| c.is_whitespace() || matches!(c, '@' | ',' | ';' | ':' | '/' | '<' | '>');
    !local.is_empty()
        && !local.chars().any(bad_char)
        && !domain.chars().any(bad_char)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A web address in the e-mail field is reported, never moved: the seed's Veilig Thuis entry
/// shows how such a slip happens, and guessing what was meant could hide a missing address.
fn email_problem(value: &str) -> Option<String> {
    if looks_like_web_address(value) {
        Some(format!(
            "'{value}' is een webadres, geen e-mailadres. Zet het webadres in het veld \
             \"website\" en vul hier een e-mailadres in, of laat dit veld weg."
        ))
    } else if !looks_like_email(value) {
        Some(format!(
            "'{value}' is geen geldig e-mailadres. Verwacht wordt iets als \
             naam@organisatie.nl."
        ))
    } else {
        None
    }
}

/// Only http(s): the app opens websites from a tap, and other schemes (file:, javascript:)
/// have no place on a social map.
fn website_problem(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some(if looks_like_email(value) {
            format!("'{value}' is een e-mailadres, geen webadres. Zet het in het veld \"email\".")
        } else {
            format!(
                "'{value}' is geen volledig webadres. Het moet beginnen met https:// of \
                 http://, bijvoorbeeld https://www.veiligthuis.nl/."
            )
        });
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok && !value.chars().any(char::is_whitespace) {
        None
    } else {
        Some(format!(
            "'{value}' is geen geldig webadres. Controleer het adres, bijvoorbeeld \
             https://www.veiligthuis.nl/."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_checks() {
        assert_eq!(email_problem("info@bjzgroningen.nl"), None);
        assert_eq!(email_problem("gemeente@stadskanaal.nl"), None);
        for bad in [
            "http://www.veiligthuisgroningen.nl/",
            "www.veiligthuis.nl",
            "https://example.nl/contact",
        ] {
            let message = email_problem(bad).expect(bad);
            assert!(message.contains("webadres"), "{message}");
            assert!(message.contains("website"), "{message}");
        }
        for bad in [
            "050-5239239",
            "info@",
            "@example.nl",
            "info@example",
            "a b@example.nl",
            "mailto:info@example.nl",
            "info@@example.nl",
        ] {
            let message = email_problem(bad).expect(bad);
            assert!(
                message.contains("geen geldig e-mailadres"),
                "{bad}: {message}"
            );
        }
    }

    #[test]
    fn website_checks() {
        assert_eq!(website_problem("http://www.veiligthuisgroningen.nl/"), None);
        assert_eq!(website_problem("https://www.veiligthuis.nl/"), None);
        assert_eq!(website_problem("HTTPS://Example.nl/a?b#c"), None);
        for bad in [
            "www.veiligthuis.nl",
            "ftp://example.nl",
            "javascript:alert(1)",
            "https://",
            "https://localhost",
            "https://exa mple.nl",
        ] {
            assert!(website_problem(bad).is_some(), "{bad}");
        }
        let message = website_problem("info@bjzgroningen.nl").expect("an e-mail address");
        assert!(message.contains("\"email\""), "{message}");
    }

    #[test]
    fn slugs() {
        assert!(is_slug("veilig-thuis-groningen"));
        assert!(is_slug("alarmnummer-112"));
        for bad in ["Veilig", "veilig thuis", "-x", "x-", "vt_groningen", "ë"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn every_contact_of_a_valid_profile_passes_check_contact() {
        for contact in &SchoolProfile::mozaiek().contacts {
            assert_eq!(check_contact(contact), Ok(()), "{}", contact.id);
        }
    }

    #[test]
    fn check_contact_refuses_a_copy_whose_shown_number_is_not_the_dialled_one() {
        let mut contact = SchoolProfile::mozaiek().contacts[1].clone();
        contact.phone = Some(PhoneNumber {
            dial: "+319009876543".to_owned(),
            display: "0800 2000".to_owned(),
        });
        let err = check_contact(&contact).expect_err("display and dial differ");
        assert_eq!(err.problems.len(), 1, "{err}");
        assert_eq!(err.problems[0].field, "phone");
        contact.phone = Some(PhoneNumber {
            dial: "12345".to_owned(),
            display: "12345".to_owned(),
        });
        assert!(check_contact(&contact).is_err());
    }

    #[test]
    fn check_contact_applies_the_profile_rules_to_a_copy() {
        let good = SchoolProfile::mozaiek().contacts[1].clone();
        let mut bad = good.clone();
        bad.website = Some("javascript:alert(1)".to_owned());
        bad.email = Some(String::new());
        bad.id = "Veilig Thuis".to_owned();
        bad.name = " ".to_owned();
        let err = check_contact(&bad).expect_err("refused");
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["id", "name", "email", "website"], "{err}");
        let mut no_phone = good;
        no_phone.phone = None;
        assert!(
            check_contact(&no_phone).is_err(),
            "on the bar without a number"
        );
    }

    #[test]
    fn a_contact_without_id_is_named_by_its_place() {
        let text = r#"{
            "school_name": "Testschool", "town": "Stadskanaal", "edition": "meldcode2017",
            "contacts": [
                { "id": "vt", "name": "Veilig Thuis", "kind": "veilig_thuis",
                  "phone": "0800-2000", "emergency_bar": true },
                { "name": "Zonder id", "kind": "other", "phone": "0599 631631" }
            ]
        }"#;
        let err = SchoolProfile::from_json(text).expect_err("refused");
        assert_eq!(err.problems.len(), 1, "{err}");
        assert_eq!(err.problems[0].contact.as_deref(), Some("contact 2"));
        assert_eq!(err.problems[0].field, "id");
    }
}
