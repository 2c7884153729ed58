//! docs/troubleshooting.md must cover every code the tool can emit, each in the section where the
//! user meets it, and list no code the tool does not know. The codes come from the code itself:
//! `Code::ALL` (decode-token), `replay::CheckCode::ALL` (decode-token --har), `discovery::FindingCode::ALL`, `audit::CheckId::ALL`, `KeyCode::ALL`
//! (keys show), `errors::KNOWN` (the itsme® error codes per stage), `flow::token::REFUSAL_CODES`
//! (the token responses `login` refuses itself), the callback codes `login` reports, and the CIBA
//! codes (`ciba::errors::KNOWN` per stage, `ciba::request::RequestCode::ALL`).

use itsme_cli::audit::CheckId;
use itsme_cli::findings::Code;
use itsme_cli::flow::token::REFUSAL_CODES;
use itsme_cli::itsme::ciba::errors::{CibaStage, KNOWN as CIBA_KNOWN};
use itsme_cli::itsme::ciba::request::RequestCode;
use itsme_cli::itsme::errors::{KNOWN, Stage};
use itsme_cli::key_rules::summary::KeyCode;
use itsme_cli::oidc::discovery::FindingCode;
use itsme_cli::replay::CheckCode;

const DOC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/troubleshooting.md");

/// Codes a section may list although no list above holds them: `login` names a refusal without a
/// JSON `error` after its HTTP status.
const PATTERN_CODES: &[&str] = &["http_<status>"];

fn doc() -> String {
    std::fs::read_to_string(DOC_PATH).expect("docs/troubleshooting.md exists")
}

/// The body of the `## ` section whose title starts with `title`.
fn section<'d>(doc: &'d str, title: &str) -> &'d str {
    let heading = format!("\n## {title}");
    let start = doc
        .find(&heading)
        .unwrap_or_else(|| panic!("docs/troubleshooting.md has no section `## {title}…`"));
    let body = &doc[start + heading.len()..];
    match body.find("\n## ") {
        Some(end) => &body[..end],
        None => body,
    }
}

/// The cells of the table rows of a section (header and separator rows left out).
fn rows(section: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut width = None;
    for line in section.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let cells = cells(line);
        let separator = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
        match width {
            None => width = Some(cells.len()), // the header row
            Some(width) => {
                assert_eq!(
                    cells.len(),
                    width,
                    "a row with another number of cells than its header (a stray `|`?): {line}"
                );
                if !separator {
                    rows.push(cells);
                }
            }
        }
    }
    rows
}

/// The cells of a table row, split like GitHub does: at every `|` not escaped as `\|`.
fn cells(row: &str) -> Vec<String> {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '|' if !escaped => cells.push(String::new()),
            _ => cells.last_mut().expect("one cell at least").push(c),
        }
        escaped = c == '\\';
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The backticked words of a table cell.
fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// Checks one section against the codes the tool knows for it; returns what is wrong.
fn check_section(doc: &str, title: &str, expected: &[&str], allowed_extra: &[&str]) -> Vec<String> {
    let body = section(doc, title);
    let rows = rows(body);
    let mut problems = Vec::new();
    for code in expected {
        let documented = rows
            .iter()
            .find(|cells| backticked(&cells[0]).contains(code));
        match documented {
            None => problems.push(format!("{title}: `{code}` has no table row")),
            Some(cells) if cells.len() < 4 || cells.iter().any(|c| c.is_empty()) => problems.push(
                format!("{title}: the row of `{code}` lacks its meaning, causes or fix"),
            ),
            Some(_) => {}
        }
    }
    for cells in &rows {
        for word in backticked(&cells[0]) {
            if !expected.contains(&word) && !allowed_extra.contains(&word) {
                problems.push(format!(
                    "{title}: `{word}` is listed but the tool has no such code here"
                ));
            }
        }
    }
    problems
}

fn known(stage: Stage) -> Vec<&'static str> {
    KNOWN
        .iter()
        .filter(|(s, _)| *s == stage)
        .map(|(_, code)| *code)
        .collect()
}

#[test]
fn every_code_the_tool_emits_is_explained_where_the_user_meets_it() {
    let doc = doc();
    let decode: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let check_ids: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
    let finding_codes: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
    let key_codes: Vec<&str> = KeyCode::ALL.iter().map(|c| c.as_str()).collect();
    let mut problems = Vec::new();
    problems.extend(check_section(
        &doc,
        "Authorization errors",
        &known(Stage::Authorization),
        &[],
    ));
    // The token stage's codes: the provider's, and the tool's own refusals of a token response.
    let token_codes = [known(Stage::Token), REFUSAL_CODES.to_vec()].concat();
    problems.extend(check_section(
        &doc,
        "Token endpoint errors",
        &token_codes,
        PATTERN_CODES,
    ));
    problems.extend(check_section(
        &doc,
        "Userinfo errors",
        &known(Stage::Userinfo),
        PATTERN_CODES,
    ));
    problems.extend(check_section(
        &doc,
        "Revocation errors",
        &known(Stage::Revocation),
        &[],
    ));
    let ciba = |stage: CibaStage| -> Vec<&'static str> {
        CIBA_KNOWN
            .iter()
            .filter(|(s, _)| *s == stage)
            .map(|(_, code)| code.as_str())
            .collect()
    };
    problems.extend(check_section(
        &doc,
        "CIBA discovery session answers",
        &ciba(CibaStage::Discovery),
        &[],
    ));
    problems.extend(check_section(
        &doc,
        "CIBA backchannel errors",
        &ciba(CibaStage::Backchannel),
        &[],
    ));
    problems.extend(check_section(
        &doc,
        "CIBA token errors",
        &ciba(CibaStage::Token),
        &[],
    ));
    let request_codes: Vec<&str> = RequestCode::ALL.iter().map(|c| c.as_str()).collect();
    problems.extend(check_section(
        &doc,
        "CIBA request object findings",
        &request_codes,
        &[],
    ));
    problems.extend(check_section(&doc, "decode-token codes", &decode, &[]));
    let har_codes: Vec<&str> = CheckCode::ALL.iter().map(|c| c.as_str()).collect();
    problems.extend(check_section(
        &doc,
        "decode-token --har check codes",
        &har_codes,
        &[],
    ));
    problems.extend(check_section(&doc, "validate check ids", &check_ids, &[]));
    problems.extend(check_section(
        &doc,
        "discovery --check finding codes",
        &finding_codes,
        &[],
    ));
    problems.extend(check_section(&doc, "keys show codes", &key_codes, &[]));
    assert!(
        problems.is_empty(),
        "docs/troubleshooting.md is out of step with the code ({} problems):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_callback_codes_of_login_are_explained() {
    // `login` reports listener refusals as `Refusal { stage: "callback", error: "…".into(), … }`.
    let login = include_str!("../../src/flow/report.rs");
    let codes: Vec<&str> = login
        .match_indices("error: \"")
        .map(|(at, marker)| {
            let rest = &login[at + marker.len()..];
            &rest[..rest.find('"').expect("a closing quote")]
        })
        .collect();
    assert!(
        codes.contains(&"state_mismatch"),
        "login.rs no longer reports `state_mismatch`: update this test and the doc"
    );
    let doc = doc();
    let listener = rows(section(&doc, "Listener and callback problems"));
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|code| {
            !listener
                .iter()
                .any(|cells| backticked(&cells[0]).contains(code))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "callback codes missing from `## Listener and callback problems`: {missing:?}"
    );
}

/// GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[test]
fn in_page_links_lead_to_a_heading() {
    let doc = doc();
    let anchors: Vec<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(anchor)
        .collect();
    let broken: Vec<&str> = doc
        .match_indices("](#")
        .map(|(at, marker)| {
            let rest = &doc[at + marker.len()..];
            &rest[..rest.find(')').expect("a closing parenthesis")]
        })
        .filter(|target| !anchors.iter().any(|a| a == target))
        .collect();
    assert!(
        broken.is_empty(),
        "links to missing headings: {broken:?} (headings: {anchors:?})"
    );
}

#[test]
fn the_readme_links_the_guide() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    assert!(readme.contains("](docs/troubleshooting.md)"));
}
