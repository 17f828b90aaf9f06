//! The structure of `src/` reads top to bottom: each module of the library
//! uses only the modules below its own layer, so there is no import circle,
//! and only the editions (`src/template/`) name an edition.

use std::path::{Path, PathBuf};

/// The library's top-level modules, by layer, from the top.
const LAYERS: &[&[&str]] = &[
    &["lib"],
    &["init", "assess"],
    &["pipeline"],
    &["template"],
    &["write"],
    &["tally"],
    &["check"],
    &["schema"],
    &["ingest"],
    &[
        "redact", "stats", "fiscal", "display", "progress", "spill", "error",
    ],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
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

/// A file's code without its comments and its test module.
fn code_of(text: &str) -> String {
    let body = text.split("#[cfg(test)]\nmod").next().unwrap_or(text);
    body.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names as `crate::module`, directly
/// or in a `crate::{a, b}` group.
fn used_modules(code: &str) -> Vec<String> {
    let mut used = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            used.extend(
                group
                    .split(',')
                    .map(|p| p.trim().split("::").next().unwrap_or_default().to_string()),
            );
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            used.push(name);
        }
    }
    used.retain(|m| m.starts_with(|c: char| c.is_ascii_lowercase()));
    used
}

fn library_files() -> Vec<(String, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).unwrap();
            let first = rel.components().next()?.as_os_str().to_str()?;
            let module = first.trim_end_matches(".rs").to_string();
            // The binary is the top: it may use anything.
            (module != "main" && module != "cli").then_some((module, path))
        })
        .collect()
}

#[test]
fn each_module_uses_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (module, path) in library_files() {
        let Some(own) = layer_of(&module) else {
            wrong.push(format!("{module} ({}) is in no layer", path.display()));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(&path).unwrap());
        for used in used_modules(&code) {
            // A name that is no module is an item of the library's root (a
            // re-export): only the root itself may use it.
            let layer = layer_of(&used).unwrap_or(0);
            if used != module && layer <= own && !(module == "lib" && layer == 0) {
                wrong.push(format!("{} uses crate::{used}", path.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn only_the_editions_name_an_edition() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let naming: Vec<String> = files
        .iter()
        .filter(|p| !p.starts_with(src.join("template")))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            ["a11_v1", "a11_v2", "A11V1", "A11V2"]
                .iter()
                .any(|name| text.contains(name))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(naming.is_empty(), "name an edition: {naming:?}");
}

#[test]
fn the_layer_check_sees_a_use() {
    // A check that cannot fail proves nothing: a use is found, grouped or
    // not, and a comment is not one.
    let code = code_of(
        "use crate::{check::Checker, schema};\n// crate::pipeline\nlet x = crate::write::Table;\n",
    );
    assert_eq!(used_modules(&code), ["check", "schema", "write"]);
}
