//! The default theme is compiled in (`include_dir!`), which tracks the files it found but not
//! the folders: without this, a new template or static file would be left out until something
//! else changed.
fn main() {
    println!("cargo:rerun-if-changed=../../themes/default");
}
