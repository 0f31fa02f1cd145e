//! How a new device's code is shown on the coordinator's device: as text, as a link that the
//! app's first-run and settings screens accept when pasted, and as that link in a QR code (for
//! phones later).

use super::{EnrollmentCodeView, NewEnrollmentCode};
use meldcode_engine::UserId;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// `meldcode://koppelen?server=…&code=…`
pub fn link(server: &str, code: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("server", server)
        .append_pair("code", code)
        .finish();
    format!("meldcode://koppelen?{query}")
}

/// The link as an SVG document; `None` only if it could not fit a QR code, which a link of this
/// length always does.
fn qr_svg(link: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
    )
}

pub(crate) fn view(server: &str, code: &NewEnrollmentCode, user_id: UserId) -> EnrollmentCodeView {
    let link = link(server, &code.text);
    EnrollmentCodeView {
        text: code.text.to_string(),
        qr_svg: qr_svg(&link).unwrap_or_default(),
        link,
        expires_at: code.expires_at,
        user_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_server_and_code_encoded() {
        let l = link("https://server.school.nl:8443/", "ABCD EFGH");
        assert_eq!(
            l,
            "meldcode://koppelen?server=https%3A%2F%2Fserver.school.nl%3A8443%2F&code=ABCD+EFGH"
        );
    }

    #[test]
    fn the_qr_code_is_an_svg_document_of_the_link() {
        let svg = qr_svg(&link("https://192.168.1.10:8443", &"A".repeat(60))).expect("fits");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        assert!(!svg.contains("<script"), "nothing but shapes");
    }
}
