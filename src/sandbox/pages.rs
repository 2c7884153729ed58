//! The sandbox's HTML: the stand-in for the itsme® app (who asks, for which service, which claims
//! in words, the Confirmation content, a persona picker, Approve / Deny), and its own error page.
//! Every value from a request is HTML-escaped.

use std::fmt::Write;

use super::authorize::{AuthorizationRequest, Confirmation};
use super::config::Client;
use super::personas;
use crate::escape::html;
use crate::itsme::{catalogue, short_claim_name};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.4rem}.tag{display:inline-block;background:#ff4612;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem}\
li small{color:#666}.box{border:1px solid #ccc;border-radius:6px;padding:.8rem;margin:1rem 0}\
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.6rem}";

/// The response headers of every HTML page: no page of the sandbox may be framed, so another site
/// cannot overlay the Approve button (clickjacking; RFC 7034, CSP Level 2 `frame-ancestors`). The
/// transport sets them on each page (`server::page_answer`).
pub const PAGE_HEADERS: [(&str, &str); 2] = [
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
];

/// Whether the Approve / Deny form was posted from the sandbox's own page: `origin` (the request's
/// `Origin`, or its `Referer` without one) must be the issuer's origin, on 127.0.0.1 or localhost
/// (both reach the sandbox). Anything else, or neither header, is a cross-site request (CSRF).
pub fn check_origin(origin: Option<&str>, issuer: &str) -> Result<(), String> {
    let own = url::Url::parse(issuer).ok();
    let port = own.as_ref().and_then(url::Url::port_or_known_default);
    let allowed: Vec<String> = ["127.0.0.1", "localhost"]
        .iter()
        .filter_map(|host| {
            let url = url::Url::parse(&format!("http://{host}:{}/", port?)).ok()?;
            Some(url.origin().ascii_serialization())
        })
        .collect();
    let Some(origin) = origin else {
        return Err(
            "the decision carries neither `Origin` nor `Referer`: the sandbox accepts it only from its own page (CSRF protection)".into(),
        );
    };
    let given = url::Url::parse(origin)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| origin.to_string());
    if allowed.contains(&given) {
        Ok(())
    } else {
        Err(format!(
            "the decision comes from `{given}`, not from the sandbox's own page ({}): refused as a cross-site request (CSRF)",
            allowed.join(" or ")
        ))
    }
}

pub(super) fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        html(title)
    )
}

/// The page shown for a refused request whose client or redirect URI cannot be trusted.
pub fn error_page(error: &str, description: &str) -> String {
    document(
        "itsme-cli sandbox: request refused",
        &format!(
            "<p class=\"tag\">itsme-cli sandbox</p><h1>This request cannot be processed</h1><p><code>{}</code></p><p>{}</p>",
            html(error),
            html(description)
        ),
    )
}

/// The authorization page: the stand-in for the user's itsme® app.
pub fn consent_page(
    request: &AuthorizationRequest,
    request_id: &str,
    _clients: &[Client],
) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"tag\">itsme-cli sandbox: this page stands in for the itsme® app</p>\
         <h1><code>{}</code> asks you to confirm</h1><p>Service <code>{}</code> ({:?})</p>",
        html(&request.client_id),
        html(&request.service),
        request.service_kind
    );
    if let Some(confirmation) = &request.confirmation {
        body.push_str(&confirmation_box(confirmation));
    }
    body.push_str(&claims_list(
        &request
            .id_token_claims
            .iter()
            .chain(&request.userinfo_claims)
            .collect::<Vec<_>>(),
    ));
    let _ = write!(
        body,
        "<form method=\"post\" action=\"authorization/decision\"><input type=\"hidden\" name=\"request\" value=\"{}\">\
         <p><label>Log in as <select name=\"persona\" id=\"persona\">",
        html(request_id)
    );
    body.push_str(&persona_options());
    body.push_str(
        "</select></label></p><button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button></form>",
    );
    document("itsme-cli sandbox: confirm", &body)
}

/// The `<option>`s of a persona picker.
pub(super) fn persona_options() -> String {
    let mut options = String::new();
    for persona in personas::all() {
        let _ = write!(
            options,
            "<option value=\"{}\">{}</option>",
            html(persona.id),
            html(persona.label)
        );
    }
    options
}

/// What a Confirmation asks the user to approve, as a box.
pub(super) fn confirmation_box(confirmation: &Confirmation) -> String {
    let content = match confirmation {
        Confirmation::AdvPayment {
            amount,
            currency,
            iban,
        } => {
            format!(
                "<p>Pay <strong>{} {}</strong> to <strong>{}</strong></p>",
                html(amount),
                html(currency),
                html(iban)
            )
        }
        Confirmation::FreeText { text } => format!("<p>{}</p>", html(text)),
    };
    format!(
        "<div class=\"box\" id=\"confirmation\"><strong>You are asked to approve:</strong>{content}</div>"
    )
}

/// The claims a request asks for, in words.
pub(super) fn claims_list(claims: &[&String]) -> String {
    let mut body = String::new();
    if claims.is_empty() {
        body.push_str("<p>No personal data is requested: only that you log in.</p>");
    } else {
        body.push_str("<p>It will receive:</p><ul id=\"claims\">");
        for claim in claims {
            let meaning = catalogue::meaning(claim).unwrap_or("");
            let _ = write!(
                body,
                "<li><code>{}</code> <small>{}</small></li>",
                html(&short_claim_name(claim)),
                html(meaning)
            );
        }
        body.push_str("</ul>");
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            html("<script>alert('x')&\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;"
        );
        assert!(error_page("<e>", "<d>").contains("&lt;e&gt;"));
    }

    #[test]
    fn decisions_come_only_from_the_sandboxs_own_origin() {
        let issuer = "http://127.0.0.1:41234/v2";
        for own in [
            "http://127.0.0.1:41234",
            "http://localhost:41234",
            "http://127.0.0.1:41234/v2/authorization?client_id=x",
        ] {
            assert!(check_origin(Some(own), issuer).is_ok(), "{own}");
        }
        for other in [
            "http://127.0.0.1:41235",
            "https://127.0.0.1:41234",
            "http://evil.example",
            "null",
            "",
        ] {
            let why = check_origin(Some(other), issuer).unwrap_err();
            assert!(why.contains("CSRF"), "{other}: {why}");
        }
        assert!(check_origin(None, issuer).is_err());
    }

    #[test]
    fn pages_forbid_framing() {
        assert!(PAGE_HEADERS.contains(&("X-Frame-Options", "DENY")));
        assert!(PAGE_HEADERS.contains(&("Content-Security-Policy", "frame-ancestors 'none'")));
    }
}
