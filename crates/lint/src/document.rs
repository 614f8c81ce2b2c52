//! The text being checked, with the bookkeeping to turn byte offsets into lines, columns and quotes.

use crate::finding::{DocumentFinding, Severity, TextSpan};
use std::ops::Range;

/// One line of the text (a paragraph, in .txt and .docx input).
#[derive(Debug, Clone, Copy)]
pub struct TextLine<'a> {
    /// 1-based.
    pub number: usize,
    /// Byte range of the whole line, without its `\n`.
    pub range: (usize, usize),
    pub text: &'a str,
}

impl TextLine<'_> {
    /// Byte range of the line without leading and trailing blanks (ASCII and the ideographic space).
    pub fn trimmed_range(&self) -> (usize, usize) {
        let lead = self.text.len() - self.text.trim_start_matches(is_blank).len();
        let trail = self.text.len() - self.text.trim_end_matches(is_blank).len();
        let start = self.range.0 + lead;
        (start, (self.range.1 - trail).max(start))
    }

    pub fn trimmed(&self) -> &str {
        self.text.trim_matches(is_blank)
    }
}

pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{feff}'
}

#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub text: String,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Character offset where each line starts (so char offsets need not rescan the text).
    line_char_starts: Vec<usize>,
    /// Byte ranges of sentences: split at 。！？!? and at line ends, because a heading or a table row
    /// ends without punctuation and must not glue onto the next paragraph.
    pub sentences: Vec<Range<usize>>,
}

impl Document {
    /// Normalises line ends (CRLF, CR, form feed from pdftotext) and a leading BOM, then indexes lines.
    pub fn new(name: &str, text: &str) -> Document {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = text.replace("\r\n", "\n").replace(['\r', '\u{c}'], "\n");
        let mut line_starts = vec![0];
        let mut line_char_starts = vec![0];
        for (chars, (i, c)) in text.char_indices().enumerate() {
            if c == '\n' {
                line_starts.push(i + 1);
                line_char_starts.push(chars + 1);
            }
        }
        let sentences = split_sentences(&text);
        Document { name: name.to_string(), text, line_starts, line_char_starts, sentences }
    }

    pub fn lines(&self) -> impl Iterator<Item = TextLine<'_>> {
        self.line_starts.iter().enumerate().map(move |(i, &start)| {
            let end = self.line_starts.get(i + 1).map(|n| n - 1).unwrap_or(self.text.len());
            TextLine { number: i + 1, range: (start, end), text: self.text.get(start..end).unwrap_or("") }
        })
    }

    pub fn line(&self, number: usize) -> Option<TextLine<'_>> {
        self.lines().nth(number.checked_sub(1)?)
    }

    /// The text in `start..end`, or "" when the range is not on char boundaries.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    /// 0-based index of the line containing byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// 1-based line number of byte `offset`.
    pub fn line_number(&self, offset: usize) -> usize {
        self.line_index(offset) + 1
    }

    fn floor_boundary(&self, mut i: usize) -> usize {
        i = i.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn char_offset(&self, offset: usize) -> usize {
        let line = self.line_index(offset);
        let line_start = self.line_starts[line];
        self.line_char_starts[line] + self.slice(line_start, offset).chars().count()
    }

    /// A span for bytes `start..end`, clamped into the text and onto char boundaries.
    pub fn span(&self, start: usize, end: usize) -> TextSpan {
        let start = self.floor_boundary(start);
        let end = self.floor_boundary(end).max(start);
        let line = self.line_index(start);
        let column = self.slice(self.line_starts[line], start).chars().count() + 1;
        TextSpan { start, end, char_start: self.char_offset(start), char_end: self.char_offset(end), line: line + 1, column }
    }

    /// A finding quoting `start..end`. Long quotes are cut (by characters) so output stays readable.
    pub fn finding(&self, rule: &'static str, severity: Severity, range: (usize, usize), message: String) -> DocumentFinding {
        let span = self.span(range.0, range.1);
        let quote = self.slice(span.start, span.end);
        let quote = if quote.chars().count() > 120 {
            let cut: String = quote.chars().take(117).collect();
            format!("{cut}…")
        } else {
            quote.to_string()
        };
        DocumentFinding { rule, severity, message, quote, span }
    }

    /// The sentence containing byte `offset`.
    pub fn sentence_of(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        (i < self.sentences.len() && self.sentences[i].start <= offset).then_some(i)
    }
}

fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let ends = match c {
            '。' | '！' | '？' | '!' | '?' => true,
            '\n' => !is_wrapped_line(text, start, i),
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            if text[start..end].chars().any(|c| !is_blank(c)) {
                sentences.push(start..end);
            }
            start = end;
        }
    }
    if text[start..].chars().any(|c| !is_blank(c)) {
        sentences.push(start..text.len());
    }
    sentences
}

/// Whether the line break at byte `at` only wraps a sentence (PDF text and pages copied from PDFs break
/// lines mid-sentence: 「…116433.12 元,占支\n出总预算 10.73 %…」). A wrapped line is long, ends inside a
/// clause (a Han character, a digit, a comma, 、 or %), and the next line goes on with a Han character
/// or a digit that does not start a heading. Short lines, table rows and headings still end sentences.
fn is_wrapped_line(text: &str, sentence_start: usize, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1).max(sentence_start);
    let line = text[line_start..at].trim_end_matches(is_blank);
    let Some(last) = line.chars().last() else {
        return false;
    };
    let long = line.chars().filter(|c| !is_blank(*c)).count() >= 16;
    let open = crate::cjk::is_han(last) || crate::cjk::is_digit(last) || matches!(last, '，' | ',' | '、' | '%' | '％');
    let next = text[at + 1..].trim_start_matches([' ', '\u{3000}']);
    let Some(first) = next.chars().next() else {
        return false;
    };
    let continues = (crate::cjk::is_han(first) || crate::cjk::is_digit(first)) && !starts_numbered(next);
    long && open && continues && !line.contains('|') && !line.contains('\t')
}

/// 「1、」「2.」「三、」 at the start of a line: a numbered item, not the rest of a wrapped sentence.
fn starts_numbered(line: &str) -> bool {
    let digits = line.chars().take_while(|c| crate::cjk::is_digit(*c)).count();
    let numerals = line.chars().take_while(|c| crate::cjk::is_chinese_numeral(*c)).count();
    let marker = |n: usize| matches!(line.chars().nth(n), Some('、' | '.' | '．'));
    ((1..=2).contains(&digits) && marker(digits) && !line.chars().nth(digits + 1).is_some_and(crate::cjk::is_digit))
        || ((1..=3).contains(&numerals) && marker(numerals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters_not_bytes() {
        let doc = Document::new("t", "\u{feff}一、概况\r\n合计242.96万元。");
        assert_eq!(doc.text, "一、概况\n合计242.96万元。");
        let at = doc.text.find("242").unwrap();
        let span = doc.span(at, at + 6);
        assert_eq!((span.line, span.column, span.char_start), (2, 3, 7));
        // An offset inside a multi-byte character is moved back to its start, never sliced through.
        let s = doc.span(1, 2);
        assert_eq!((s.start, s.end), (0, 0));
        assert_eq!(doc.sentences.len(), 2);
    }
}
