//! Opening a contact's phone, e-mail or website. The URL is built here from the school profile
//! (or, while locked, from the emergency numbers), so the UI can open nothing else.

use meldcode_engine::profile::Contact;
use meldcode_store::ErrorBody;
use serde::Deserialize;

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Email,
    Website,
}

pub fn url_for(contact: &Contact, channel: Channel) -> Result<String, ErrorBody> {
    let missing = || ErrorBody {
        code: "not_found".into(),
        message: format!("Voor {} is dit niet bekend.", contact.name),
    };
    match channel {
        Channel::Phone => contact
            .phone
            .as_ref()
            .map(|p| format!("tel:{}", p.dial))
            .ok_or_else(missing),
        Channel::Email => contact
            .email
            .as_ref()
            .map(|e| format!("mailto:{e}"))
            .ok_or_else(missing),
        Channel::Website => contact.website.clone().ok_or_else(missing),
    }
}

pub fn open_failed(contact: &Contact, channel: Channel) -> ErrorBody {
    let message = match (channel, &contact.phone) {
        (Channel::Phone, Some(phone)) => format!(
            "Bellen lukt niet vanaf dit apparaat. Bel {} met een telefoon: {}.",
            contact.name, phone.display
        ),
        _ => format!("Openen lukt niet op dit apparaat ({}).", contact.name),
    };
    ErrorBody {
        code: "open_failed".into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meldcode_engine::profile::SchoolProfile;

    #[test]
    fn urls_come_from_the_profile() {
        let profile = SchoolProfile::mozaiek();
        let vt = profile
            .contact("veilig-thuis-landelijk")
            .expect("in profile");
        assert_eq!(
            url_for(vt, Channel::Phone).expect("phone"),
            "tel:+318002000"
        );
        assert_eq!(
            url_for(vt, Channel::Website).expect("site"),
            "https://www.veiligthuis.nl/"
        );
        assert_eq!(
            url_for(vt, Channel::Email).expect_err("no e-mail").code,
            "not_found"
        );
        let alarm = profile.contact("alarmnummer-112").expect("in profile");
        assert_eq!(url_for(alarm, Channel::Phone).expect("phone"), "tel:112");
    }
}
