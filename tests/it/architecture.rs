//! The shape of the crate (docs/architecture.md), checked: the top-level modules of `src/` import
//! each other without cycles, only `commands` and `main` import `printer`, each layer imports only
//! layers below it, and the architecture page names every top-level module with its layer.
//!
//! The imports are read from the source text (`crate::NAME` and `use crate::{…}` paths, test
//! modules left out): the compiler has no way to forbid a cycle between modules of one crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules: `src/X.rs` and `src/X/`, without `lib` and `main`.
fn top_level_modules() -> BTreeSet<String> {
    std::fs::read_dir(src())
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_stem()?.to_string_lossy().into_owned();
            let is_module = path.is_dir() || path.extension().is_some_and(|e| e == "rs");
            (is_module && name != "lib" && name != "main").then_some(name)
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a file without its `#[cfg(test)]` module (tests may reach anywhere) and comments.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            !trimmed.starts_with("//")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules that `code` refers to through `crate::…`.
fn referenced(code: &str, modules: &BTreeSet<String>, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: every first segment of the group.
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                found.insert(name);
            }
        }
    }
    found
}

/// Module → the top-level modules it imports (`main` included, as a module of its own).
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = top_level_modules();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let relative = file.strip_prefix(src()).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let owner = Path::new(first)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if owner == "lib" {
            continue;
        }
        let code = code_of(&file);
        let prefix = if owner == "main" {
            "itsme_cli::"
        } else {
            "crate::"
        };
        let imports = referenced(&code, &modules, prefix);
        let entry = graph.entry(owner.clone()).or_default();
        entry.extend(imports.into_iter().filter(|m| *m != owner));
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in &graph[at] {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(graph, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let graph = import_graph();
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn only_commands_and_main_import_the_printer() {
    let graph = import_graph();
    let importers: Vec<&String> = graph
        .iter()
        .filter(|(_, imports)| imports.contains("printer"))
        .map(|(module, _)| module)
        .collect();
    assert_eq!(importers, ["commands", "main"], "who imports printer");
}

/// The layers of docs/architecture.md, read from its table: `| layer | modules |` rows, top first.
fn documented_layers() -> Vec<(String, Vec<String>)> {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    let start = page
        .find("<!-- layers -->")
        .expect("docs/architecture.md has a <!-- layers --> table");
    let end = page.find("<!-- /layers -->").expect("the table ends");
    page[start..end]
        .lines()
        .filter(|line| {
            line.starts_with('|') && !line.starts_with("|---") && !line.contains("layer |")
        })
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let modules = cells[1]
                .split(',')
                .map(|m| m.trim().trim_matches('`').to_string())
                .filter(|m| !m.is_empty())
                .collect();
            (cells[0].to_string(), modules)
        })
        .collect()
}

#[test]
fn every_module_sits_in_one_documented_layer_and_imports_only_downward() {
    let layers = documented_layers();
    let mut rank = BTreeMap::new();
    for (index, (_, modules)) in layers.iter().enumerate() {
        for module in modules {
            assert!(
                rank.insert(module.clone(), index).is_none(),
                "`{module}` is in two layers of docs/architecture.md"
            );
        }
    }
    let graph = import_graph();
    for module in graph.keys() {
        assert!(
            rank.contains_key(module),
            "`{module}` is missing from the layers of docs/architecture.md"
        );
    }
    for documented in rank.keys() {
        assert!(
            graph.contains_key(documented),
            "docs/architecture.md names `{documented}`, which is not a module of src/"
        );
    }
    let mut upward = Vec::new();
    for (module, imports) in &graph {
        for import in imports {
            // Same layer is allowed (no cycles, checked above); a higher layer is not.
            if rank[import] < rank[module] {
                upward.push(format!(
                    "`{module}` ({}) imports `{import}` ({})",
                    layers[rank[module]].0, layers[rank[import]].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_reader_finds_imports_of_every_form() {
    let modules: BTreeSet<String> = ["http", "jose", "oidc", "trace"].map(String::from).into();
    let code =
        "use crate::http::Http;\nuse crate::{jose::keys, oidc};\nlet x = crate::trace::trace(1);";
    assert_eq!(
        referenced(code, &modules, "crate::"),
        modules,
        "single paths, groups and inline paths"
    );
    assert!(referenced("use crate::elsewhere;", &modules, "crate::").is_empty());
}

#[test]
fn the_cycle_search_finds_a_cycle_and_only_a_cycle() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            graph
                .entry(from.to_string())
                .or_default()
                .insert(to.to_string());
            graph.entry(to.to_string()).or_default();
        }
        graph
    };
    let circle = graph(&[
        ("commands", "printer"),
        ("printer", "audit"),
        ("audit", "commands"),
    ]);
    assert_eq!(
        cycle_from(&circle, "commands").unwrap(),
        ["commands", "printer", "audit", "commands"]
    );
    let chain = graph(&[
        ("commands", "printer"),
        ("printer", "audit"),
        ("commands", "audit"),
    ]);
    assert!(chain.keys().all(|m| cycle_from(&chain, m).is_none()));
}
