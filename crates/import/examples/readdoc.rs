fn main() {
    for p in std::env::args().skip(1) {
        match zhize_import::document::read_document(std::path::Path::new(&p)) {
            Ok(d) => {
                println!("== {p} ({})", d.encoding);
                for l in &d.lines {
                    println!("{:4}| {}", l.no, l.text.replace('\u{2028}', "⏎"));
                }
            }
            Err(e) => println!(
                "== {p}: {}",
                e.render(false, zhize_core::diagnostic::Lang::En)
            ),
        }
    }
}
