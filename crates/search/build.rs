//! The thesaurus files are compiled in (`include_dir!`), which tracks the files it found but
//! not the folder: without this, a new domain file would be left out until something else
//! changed.
fn main() {
    println!("cargo:rerun-if-changed=../../data/thesaurus");
}
