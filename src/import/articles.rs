//! Import of Articles, possibly traditional script with pinyin annotations (seed 004), as pages.

use super::document::Document;
use super::lines::Lines;
use super::Imported;

/// Parse the document. Lines put into a field must be marked with `lines.used` /
/// `lines.take`; whatever stays unmarked is kept in `unparsed` by the caller.
pub fn parse(doc: &Document, lines: &mut Lines<'_>) -> Imported {
    super::whole_as_page(doc, lines)
}
