//! No two types of the workspace share a name (issue 18: `Staffing`, `UnitSummary` … each meant two things):
//! every `pub` or `pub(…)` struct, enum, type alias or trait declared in `crates/*/src`, test code left out,
//! has a name no other declares. Kept here, beside core's layering test, because it parses sources the same
//! way; it reads the whole workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "test"))
}

/// The non-private type names declared in `items` (inline modules included), with where.
fn declared(items: &[syn::Item], file: &Path, out: &mut BTreeMap<String, Vec<String>>) {
    for item in items {
        let (attrs, vis, ident, what) = match item {
            syn::Item::Struct(i) => (&i.attrs, &i.vis, &i.ident, "struct"),
            syn::Item::Enum(i) => (&i.attrs, &i.vis, &i.ident, "enum"),
            syn::Item::Type(i) => (&i.attrs, &i.vis, &i.ident, "type"),
            syn::Item::Trait(i) => (&i.attrs, &i.vis, &i.ident, "trait"),
            syn::Item::Mod(m) => {
                if !is_cfg_test(&m.attrs)
                    && let Some((_, inner)) = &m.content
                {
                    declared(inner, file, out);
                }
                continue;
            }
            _ => continue,
        };
        if is_cfg_test(attrs) || matches!(vis, syn::Visibility::Inherited) {
            continue;
        }
        out.entry(ident.to_string()).or_default().push(format!("{what} in {}", file.display()));
    }
}

/// The `.rs` files under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files a crate declares only under `#[cfg(test)]` (`#[cfg(test)] mod tests;` and the like).
fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for file in files {
        let parsed = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        let dir = match file.file_name().and_then(|n| n.to_str()) {
            Some("lib.rs" | "main.rs" | "mod.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for item in &parsed.items {
            if let syn::Item::Mod(m) = item
                && m.content.is_none()
                && is_cfg_test(&m.attrs)
            {
                let name = m.ident.to_string();
                out.push(dir.join(format!("{name}.rs")));
                out.push(dir.join(&name).join("mod.rs"));
            }
        }
    }
    out
}

#[test]
fn no_two_types_share_a_name() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            sources(&src, &mut files);
        }
    }
    let test_only = test_only_files(&files);
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files.iter().filter(|f| !test_only.contains(f)) {
        let parsed = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        declared(&parsed.items, file.strip_prefix(&crates).unwrap(), &mut names);
    }
    // The scan sees the types it must (a struct of core, an enum of the store).
    assert!(names.contains_key("AppropriationLine") && names.contains_key("StoreError"), "the scan found {} names", names.len());
    let shared: Vec<String> = names.iter().filter(|(_, at)| at.len() > 1).map(|(name, at)| format!("{name}: {}", at.join(", "))).collect();
    assert!(shared.is_empty(), "types sharing a name (rename one so each name says what it is):\n{}", shared.join("\n"));
}
