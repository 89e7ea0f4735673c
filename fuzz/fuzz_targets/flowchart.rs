//! Any text through the Markdown flowchart (Mermaid subset) parser, and what parses through
//! layout and SVG drawing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = zhize::flowchart::mermaid::blocks(text);
    if let Ok(chart) = zhize::flowchart::mermaid::parse(text, "流程图") {
        let _ = zhize::flowchart::render(&chart, "fuzz");
    }
});
