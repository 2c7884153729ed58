//! What a registry release would ship (issue 16, section 4): `cargo package --list` holds the code,
//! the docs (man pages included), the completion scripts and the lock file, and none of the tests,
//! their fixtures and node packages, the fuzz targets, benchmarks or CI scripts.

use std::path::Path;
use std::process::Command;

fn packaged() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["package", "--locked", "--allow-dirty", "--list"])
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo package --list failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn files_in(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(root.join(dir))
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type()
                .ok()?
                .is_file()
                .then(|| format!("{dir}/{}", e.file_name().to_string_lossy()))
        })
        .collect()
}

#[test]
fn the_package_ships_code_docs_man_pages_and_completions_but_no_test_fixtures() {
    let list = packaged();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(list.iter().any(|f| f == needed), "{needed} in {list:?}");
    }
    let mut wanted = files_in("docs");
    wanted.extend(files_in("docs/man"));
    wanted.extend(files_in("docs/examples"));
    wanted.extend(files_in("completions"));
    assert!(wanted.iter().any(|f| f.ends_with("itsme-cli-login.1")));
    for file in &wanted {
        assert!(list.contains(file), "{file} is not packaged");
    }
    for shipped in &list {
        for excluded in [
            "tests/",
            "fuzz/",
            "benches/",
            ".ci/",
            "target/",
            "node_modules",
        ] {
            assert!(
                !shipped.starts_with(excluded) && !shipped.contains("/node_modules/"),
                "{shipped} should not be packaged"
            );
        }
    }
}

#[test]
fn the_manifest_has_what_a_registry_release_needs() {
    let manifest: toml::Table = toml::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap(),
    )
    .unwrap();
    let package = manifest["package"].as_table().unwrap();
    for field in [
        "description",
        "license",
        "readme",
        "keywords",
        "categories",
        "include",
        "rust-version",
    ] {
        assert!(package.contains_key(field), "[package] {field}");
    }
    assert!(
        package["keywords"].as_array().unwrap().len() <= 5,
        "crates.io takes 5 keywords"
    );
    assert!(
        manifest["features"]["vendored"].as_array().is_some(),
        "the statically linked build of docs/install.md"
    );
}
