//! Building sites: the output, its pages, and robustness of the loader.

mod first_hour;
mod pages;
mod parts;
mod robustness;
mod schema;
mod site;
mod themes_doc;
mod wayfinding;
