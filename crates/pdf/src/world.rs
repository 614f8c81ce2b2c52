//! The typst `World` of one render: the embedded template as the main file, the report data and the chart
//! SVGs as virtual files, the scanned fonts, and a fixed "today" — nothing is read from disk or the clock.

use crate::fonts::FontSet;
use std::collections::HashMap;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The id of a file at `path` in the project root.
pub fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("template paths are valid")).intern()
}

pub struct ReportWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a FontSet,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl<'a> ReportWorld<'a> {
    /// `files`: (path, bytes) the template reads; `today`: the date `datetime.today()` returns.
    pub fn new(template: &str, files: Vec<(&str, Vec<u8>)>, fonts: &'a FontSet, today: Datetime) -> ReportWorld<'a> {
        ReportWorld {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main: Source::new(file_id("/report.typ"), template.to_string()),
            files: files.into_iter().map(|(path, bytes)| (file_id(path), Bytes::new(bytes))).collect(),
            today,
        }
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or_else(|| FileError::NotFound(format!("{id:?}").into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
