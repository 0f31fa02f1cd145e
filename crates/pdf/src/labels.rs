//! The Dutch labels of records, fields and values: the app's own dictionary
//! (`ui/src/lib/i18n/nl-case.json`), so that a printed dossier says what the case screen says.

use serde_json::Value;
use std::sync::OnceLock;

const NL_CASE: &str = include_str!("../../../ui/src/lib/i18n/nl-case.json");

fn dictionary() -> &'static Value {
    static DICTIONARY: OnceLock<Value> = OnceLock::new();
    // The file is checked by the UI's type checker and by this crate's tests; a broken file
    // leaves the keys as they are rather than stopping an export.
    DICTIONARY.get_or_init(|| serde_json::from_str(NL_CASE).unwrap_or(Value::Null))
}

/// The text for a dotted key (`event.signal_recorded`), if the dictionary has one.
pub fn tr(key: &str) -> Option<&'static str> {
    key.split('.')
        .try_fold(dictionary(), |node, part| node.get(part))?
        .as_str()
}

/// The text for a key with `{{name}}` placeholders filled in, or the key itself.
pub fn tr_with(key: &str, values: &[(&str, &str)]) -> String {
    let mut text = tr(key).unwrap_or(key).to_string();
    for (name, value) in values {
        text = text.replace(&format!("{{{{{name}}}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_dictionary_names_every_event_kind() {
        assert!(dictionary().is_object());
        assert_eq!(tr("event.signal_recorded"), Some("Signaal"));
        assert_eq!(tr("event.nope"), None);
        assert_eq!(
            tr_with("case.corrected_on", &[("date", "1 mei"), ("who", "Anna")]),
            "Gecorrigeerd op 1 mei door Anna:"
        );
    }
}
