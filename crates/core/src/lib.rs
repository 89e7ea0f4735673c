//! zhize-core: what every other part of zhize shares, and nothing else.
//!
//! - [`model`] — the content as written (organisations, departments, duties, posts,
//!   procedures, forms, pages), plain data with serde;
//! - [`config`] — `zhize.yaml`;
//! - [`source`] — source text with positions (decoding, YAML spans, limits);
//! - [`yaml`] — a YAML file's value and positions in one pass;
//! - [`diagnostic`] — errors and warnings with file, line, column and a hint;
//! - [`slug`] — ids and URL slugs; [`escape`] — HTML and terminal escaping;
//! - [`text`] — the character classes and similarity every stage uses;
//! - [`bodies`] — names of bodies read by their shape (level words × body kinds);
//! - [`atomic`] — folders replaced atomically and locked against other writers;
//! - [`fix`] — full-width punctuation where YAML needs ASCII, named and mended.
//!
//! This crate is the leaf of the workspace: it depends on no other zhize crate, knows
//! nothing of the pipeline's stages, and does no I/O but what [`atomic`] and
//! [`source::read_text`]-style helpers do on behalf of their callers.

pub mod atomic;
pub mod bodies;
pub mod config;
pub mod diagnostic;
pub mod escape;
pub mod fix;
pub mod model;
pub mod schema;
pub mod slug;
pub mod source;
pub mod text;
pub mod yaml;

/// A file of the finished site: its path relative to the output root (with `/`) and bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
