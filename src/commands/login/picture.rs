//! `--save-picture`: the `picture` claim's photo, fetched with the access token.

use crate::error::hinted;
use crate::flow::LoginReport;
use crate::http::{Http, parse_fetch_url};
use crate::oidc::endpoints::Endpoints;
use crate::printer::Printer;
use crate::token::inspect::TokenReport;

/// Where the photo goes, and what may be sent to fetch it.
pub(super) struct PictureRequest<'a> {
    /// The access token.
    pub access_token: &'a str,
    /// The provider's endpoints: the access token goes only to their origins
    /// (`Endpoints::access_token_may_go_to`).
    pub endpoints: &'a Endpoints,
    /// The file to write.
    pub path: &'a std::path::Path,
    /// Overwrite it.
    pub force: bool,
}

/// Fetches the `picture` claim's photo with the access token. The token is a credential: it goes
/// only to the provider's own origins (those of its token and userinfo endpoints), and only once the
/// ID token proved to come from the provider.
pub(super) fn save_picture(
    http: &Http,
    report: &LoginReport,
    id_report: &TokenReport,
    request: &PictureRequest<'_>,
    printer: &Printer,
) -> anyhow::Result<()> {
    let PictureRequest {
        access_token,
        endpoints,
        path,
        force,
    } = *request;
    if !id_report.valid {
        return Err(hinted(
            "--save-picture: not fetching the picture, because the ID token is not valid",
            "the access token is sent only after the tokens proved to come from the provider; fix the problems above first",
        ));
    }
    let picture = [report.userinfo.as_ref(), Some(id_report)]
        .into_iter()
        .flatten()
        .filter_map(|r| {
            r.claims
                .as_ref()?
                .get("picture")?
                .as_str()
                .map(str::to_string)
        })
        .next()
        .ok_or_else(|| {
            hinted(
                "--save-picture: no `picture` claim was returned",
                "ask for it with --scope profile",
            )
        })?;
    let url = parse_fetch_url(&picture, "the picture URL")?;
    if let Err(why) = endpoints.access_token_may_go_to(&url) {
        // Never repeat a password the URL carried.
        let mut shown = url.clone();
        let _ = (shown.set_username(""), shown.set_password(None));
        return Err(hinted(
            format!(
                "--save-picture: the picture URL `{shown}` {why}; the access token is not sent there"
            ),
            "a genuine itsme® picture URL is at the provider's own origin (scheme, host and port), without user info; report this to itsme® if it is theirs",
        ));
    }
    let response = http.get_bearer(&url, access_token, "image/*")?;
    if response.status != 200 {
        anyhow::bail!("the picture at `{url}` answered HTTP {}", response.status);
    }
    crate::commands::write_private_file(path, &response.body, force)?;
    printer.note(format_args!(
        "Saved the ID-document photo to `{}` (mode 0600: personal data).",
        path.display()
    ));
    Ok(())
}
