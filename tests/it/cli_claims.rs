//! `itsme-cli claims`: the catalogue, by country, scope and text, as the availability table says.

use crate::common;

use common::{cli, json_stdout};
use serde_json::Value;

fn claims(args: &[&str]) -> Vec<Value> {
    let output = cli()
        .arg("claims")
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    json_stdout(&output).as_array().unwrap().clone()
}

fn availability<'a>(list: &'a [Value], name: &str) -> &'a Value {
    &list
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))["availability"]
}

#[test]
fn availability_follows_the_document_country() {
    let nl = claims(&["--country", "nl"]);
    assert_eq!(nl.len(), 48);
    assert_eq!(availability(&nl, "address"), "shall_not");
    assert_eq!(availability(&nl, "itsme:BENationalNumber"), "shall_not");
    assert_eq!(availability(&nl, "name"), "shall");
    let be = claims(&["--country", "BE"]);
    assert_eq!(availability(&be, "itsme:BENationalNumber"), "shall");
    assert_eq!(availability(&be, "given_name"), "may_not");
    assert!(
        claims(&[])[0]["availability"].is_null(),
        "no country, no availability"
    );
}

#[test]
fn filters_by_scope_and_text() {
    let eid: Vec<String> = claims(&["--scope", "eid"])
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(eid, ["itsme:BEeidSn", "itsme:BENationalNumber"]);
    let national = claims(&["--search", "NationalNumber"]);
    assert_eq!(
        national.len(),
        12,
        "the Belgian one and the eleven other countries'"
    );
    assert!(national.iter().all(|c| {
        c["claim"]
            .as_str()
            .unwrap()
            .starts_with("http://itsme.services/v2/claim/")
    }));
    assert!(national.iter().all(|c| c["meaning"].is_string()));
}

#[test]
fn an_unknown_country_is_trouble_with_the_known_ones() {
    cli()
        .args(["claims", "--country", "US"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no availability data"))
        .stderr(predicates::str::contains(" BE "))
        .stderr(predicates::str::contains(" NL "));
}

/// `sub` is in no scope, so the table never lists it; the catalogue still says what it is, and that
/// it is pairwise and changes when the user re-creates the account (PROTOCOL §5; issue 14, item 6).
#[test]
fn the_catalogue_explains_that_sub_is_pairwise_and_can_change() {
    let output = cli().args(["claims", "--color", "never"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("sub "))
        .unwrap_or_else(|| panic!("no `sub` line in:\n{text}"));
    assert!(line.contains("pairwise"), "{line}");
    assert!(
        line.contains("deletes and re-creates their itsme® account"),
        "{line}"
    );
}

/// Issue 17, item 14: a search that finds nothing says so and how to widen it; `--country` (which
/// filters nothing) is not the advice.
#[test]
fn a_search_without_match_suggests_what_widens_it() {
    let output = crate::common::cli()
        .args(["claims", "--search", "xyz"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("No claim whose name or meaning contains `xyz`"),
        "{text}"
    );
    assert!(text.contains("shorter or another word"), "{text}");
    assert!(!text.contains("--country"), "{text}");
    let output = crate::common::cli()
        .args(["claims", "--scope", "nope"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("another scope (profile,"), "{text}");
}
