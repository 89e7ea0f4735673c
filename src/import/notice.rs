//! Import of Notices with scoring rules and task-decomposition tables (seed 002), as a page.

use super::document::Document;
use super::lines::Lines;
use super::Imported;

/// Parse the document. Lines put into a field must be marked with `lines.used` /
/// `lines.take`; whatever stays unmarked is kept in `unparsed` by the caller.
pub fn parse(doc: &Document, lines: &mut Lines<'_>) -> Imported {
    super::whole_as_page(doc, lines)
}
