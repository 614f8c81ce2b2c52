//! Keeps core's modules layered: a module may use only modules of a lower layer, so no two modules depend
//! on each other (issue 18: records → books → check → governance → check, and evaluation ↔ report_model were
//! such cycles). The sources are parsed with `syn`; a dependency is any `crate::module` path in non-test code
//! (imports, paths in expressions and types, macro bodies; not comments or strings). A path to a name that
//! lib.rs re-exports (`crate::Fen`, `crate::Books`) counts as a use of the module it comes from.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. A new module goes into the lowest layer its uses allow.
const LAYERS: &[(&str, &[&str])] = &[
    ("units and reference data", &["money", "date", "codes", "regional", "sections", "disclosure", "finding", "workflow"]),
    ("the record model", &["ledger", "period", "records"]),
    ("the books", &["books", "schema"]),
    ("rules over the books", &["assets", "balance", "budget_control", "governance", "procurement", "export"]),
    ("the check, the evaluation and the 决算 tables", &["check", "evaluation", "final_accounts"]),
    ("the report model", &["report_model"]),
    ("reports built on the report model", &["consolidated", "monitoring", "project_report", "targets"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "test"))
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The `crate::NAME` first segments in a token stream, `crate::{a, b::c}` included.
fn crate_paths(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Group(g) => crate_paths(g.stream(), out),
            TokenTree::Ident(id) if id == "crate" => {
                let colons = matches!((trees.get(i + 1), trees.get(i + 2)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':');
                // `$crate` in a macro_rules body is the same crate: count it too.
                match (colons, trees.get(i + 3)) {
                    (true, Some(TokenTree::Ident(name))) => {
                        out.insert(name.to_string());
                    }
                    (true, Some(TokenTree::Group(g))) => {
                        let mut first = true;
                        for t in g.stream() {
                            match &t {
                                TokenTree::Ident(name) if first => {
                                    out.insert(name.to_string());
                                    first = false;
                                }
                                TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                                _ => first = false,
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// The non-test code of a module and its submodules (files and inline), as `crate::` first segments.
fn module_uses(items: &[syn::Item], dir: &Path, out: &mut BTreeSet<String>) {
    for item in items.iter().filter(|i| !is_cfg_test(attrs(i))) {
        match item {
            syn::Item::Mod(m) => match &m.content {
                Some((_, inner)) => module_uses(inner, &dir.join(m.ident.to_string()), out),
                None => {
                    let name = m.ident.to_string();
                    let file = [dir.join(format!("{name}.rs")), dir.join(&name).join("mod.rs")]
                        .into_iter()
                        .find(|p| p.exists())
                        .unwrap_or_else(|| panic!("module {name} has no file under {}", dir.display()));
                    module_uses(&parse(&file).items, &dir.join(&name), out);
                }
            },
            other => crate_paths(other.to_token_stream(), out),
        }
    }
}

fn parse(file: &Path) -> syn::File {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Each top-level module of the crate (test-only ones left out) and the modules it uses.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let lib = parse(&src().join("lib.rs"));
    let modules: BTreeSet<String> = lib
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) if !is_cfg_test(&m.attrs) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    // What lib.rs re-exports: a name to its module, and the modules re-exported whole (`pub use records::*`).
    let mut reexported: BTreeMap<String, String> = BTreeMap::new();
    let mut globbed: Vec<String> = Vec::new();
    for item in &lib.items {
        if let syn::Item::Use(u) = item
            && let syn::UseTree::Path(p) = &u.tree
        {
            let module = p.ident.to_string();
            let mut names = Vec::new();
            let mut trees = vec![&*p.tree];
            while let Some(t) = trees.pop() {
                match t {
                    syn::UseTree::Name(n) => names.push(n.ident.to_string()),
                    syn::UseTree::Rename(r) => names.push(r.rename.to_string()),
                    syn::UseTree::Group(g) => trees.extend(g.items.iter()),
                    syn::UseTree::Glob(_) => globbed.push(module.clone()),
                    syn::UseTree::Path(_) => panic!("lib.rs re-exports a nested path; teach this test to read it"),
                }
            }
            for n in names {
                reexported.insert(n, module.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for module in &modules {
        let file = [src().join(format!("{module}.rs")), src().join(module).join("mod.rs")].into_iter().find(|p| p.exists()).unwrap();
        let mut names = BTreeSet::new();
        module_uses(&parse(&file).items, &src().join(module), &mut names);
        let used: BTreeSet<String> = names
            .into_iter()
            .flat_map(|n| {
                if modules.contains(&n) {
                    vec![n]
                } else if let Some(m) = reexported.get(&n) {
                    vec![m.clone()]
                } else {
                    // A name only a glob re-export can give: count every globbed module.
                    globbed.clone()
                }
            })
            .filter(|m| m != module)
            .collect();
        out.insert(module.clone(), used);
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers() {
    let layer_of: BTreeMap<&str, usize> = LAYERS.iter().enumerate().flat_map(|(i, (_, ms))| ms.iter().map(move |m| (*m, i))).collect();
    let deps = dependencies();
    let listed: BTreeSet<&str> = layer_of.keys().copied().collect();
    let actual: BTreeSet<&str> = deps.keys().map(String::as_str).collect();
    assert_eq!(listed, actual, "LAYERS must list exactly the crate's modules");
    let mut violations = Vec::new();
    for (module, used) in &deps {
        let own = layer_of[module.as_str()];
        for u in used {
            let theirs = layer_of[u.as_str()];
            if theirs >= own {
                violations.push(format!("{module} ({}) uses {u} ({})", LAYERS[own].0, LAYERS[theirs].0));
            }
        }
    }
    assert!(violations.is_empty(), "a module uses one of its own or a higher layer:\n{}", violations.join("\n"));
}

/// The scan itself sees what it must: dependencies written as imports, as a grouped import, as inline paths
/// and through lib.rs's re-exports — and nothing from test code.
#[test]
fn the_scan_sees_known_dependencies() {
    let deps = dependencies();
    // `use crate::governance;` in check.rs.
    assert!(deps["check"].contains("governance"), "{:?}", deps["check"]);
    // `crate::balance::fund_balances(..)` inline in report_model.rs.
    assert!(deps["report_model"].contains("balance"), "{:?}", deps["report_model"]);
    // `use crate::Date;` (a lib.rs re-export) in period.rs.
    assert!(deps["period"].contains("date"), "{:?}", deps["period"]);
    // books.rs's tests use the evaluation and the report model; its code does not.
    assert!(!deps["books"].contains("evaluation") && !deps["books"].contains("report_model"), "{:?}", deps["books"]);
    // `fixture` is a test-only module: not listed.
    assert!(!deps.contains_key("fixture"));

    let mut names = BTreeSet::new();
    crate_paths("use crate::{a, b::c}; crate::d::e(); let s = \"crate::f\";".parse().unwrap(), &mut names);
    assert_eq!(names, BTreeSet::from(["a".to_string(), "b".to_string(), "d".to_string()]));
}
