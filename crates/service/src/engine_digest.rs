//! The digest of what computes a stored unit-year summary: the source and reference data of jixiao-core (books
//! check, evaluation, the consolidated row), of jixiao-store (books in summary form, the notable vouchers' SQL)
//! and of this crate, with the locked dependency versions and the crate version. build.rs embeds it in every
//! summary's key; a test recomputes it from the files on disk. Shared by both through `#[path]`, so it uses
//! nothing of the crate.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Under the workspace root; a directory counts with every file below it. A missing one is skipped (a source
/// tree without Cargo.lock), so the digest is of what is there.
pub const INPUTS: &[&str] = &[
    "Cargo.lock",
    "crates/core/Cargo.toml",
    "crates/core/build.rs",
    "crates/core/data",
    "crates/core/src",
    "crates/store/Cargo.toml",
    "crates/store/src",
    "crates/service/Cargo.toml",
    "crates/service/build.rs",
    "crates/service/src",
];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every file of [`INPUTS`] under `root`, as paths relative to it with `/` separators, sorted.
pub fn files(root: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for input in INPUTS {
        let path = root.join(input);
        if path.is_dir() {
            walk(&path, &mut paths);
        } else if path.is_file() {
            paths.push(path);
        }
    }
    let mut relative: Vec<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
        .collect();
    relative.sort();
    relative
}

/// SHA-256 over each file's path, length and bytes, then `version`; lowercase hex.
pub fn digest(root: &Path, version: &str) -> String {
    let mut h = Sha256::new();
    for file in files(root) {
        let bytes = std::fs::read(root.join(&file)).unwrap_or_default();
        h.update(file.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    h.update(version.as_bytes());
    format!("{:x}", h.finalize())
}
