//! Printing: a procedure, a blank form and a department's handbook printed to PDF by the
//! Chromium the tests drive (DevTools `Page.printToPDF`, as the print dialog's "save as PDF"),
//! then read back ([`super::pdf`]): how many pages, whether each chart sits on one page, and
//! whether a form prints all its rows. Skipped without Chromium unless
//! ZHIZE_BROWSER_TESTS=required.

use super::pages::{serve, Browser};
use super::pdf;
use crate::common::*;
use zhize::resolve::Target;

/// The fill of every other lane of a swimlane chart: pages whose content draws it hold (part
/// of) a chart of two or more lanes.
const LANE_FILL: &str = "#f4f4f4";

/// How many pages' content draws a fill of `hex` (as Skia writes it: `r g b rg`).
fn pages_with_fill(pages: &[Vec<u8>], hex: &str) -> Vec<usize> {
    let v = u8::from_str_radix(&hex[1..3], 16).unwrap() as f64 / 255.0;
    pages
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let text = String::from_utf8_lossy(c);
            // Skia writes colours with up to 8 decimals; compare the first four.
            text.split(" rg").any(|before| {
                let nums: Vec<f64> = before
                    .split_whitespace()
                    .rev()
                    .take(3)
                    .filter_map(|n| n.parse().ok())
                    .collect();
                nums.len() == 3 && nums.iter().all(|n| (n - v).abs() < 0.002)
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Does `hay` (a page's text, NFKC-normalised) contain `needle`? A character of the CJK
/// radicals supplement in `hay` (what some fonts' ToUnicode maps give for 页, 见 …) matches
/// any character.
fn contains_loose(hay: &str, needle: &str) -> bool {
    let a = zhize::search::Analyzer::new(&[]);
    let hay: Vec<char> = a.normalize(hay).chars().collect();
    let needle: Vec<char> = a
        .normalize(needle)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if needle.is_empty() {
        return true;
    }
    hay.windows(needle.len()).any(|w| {
        w.iter()
            .zip(&needle)
            .all(|(h, n)| h == n || ('\u{2e80}'..='\u{2eff}').contains(h))
    })
}

#[test]
fn procedures_forms_and_handbooks_print_as_documents() {
    let Some(exe) = find_chromium("the print tests") else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let http = serve(public.clone());
    let site = zhize::check(&repo());
    let oi = demo_org(&site, "weihai-gxj");
    let org = &site.orgs[oi];
    // A procedure whose chart has two lanes or more.
    let (pdi, ppi) = (org.depts.iter().enumerate())
        .flat_map(|(di, d)| (0..d.procedures.len()).map(move |pi| (di, pi)))
        .find(|&(di, pi)| {
            let steps = &org.depts[di].raw.procedures[pi].steps;
            let mut actors: Vec<_> = steps.iter().filter_map(|s| s.actor.as_deref()).collect();
            actors.sort();
            actors.dedup();
            steps.len() >= 4 && actors.len() >= 2
        })
        .expect("a procedure with two actors");
    // A form that is one row of column headings (a register to fill in).
    let (fdi, ffi) = (org.depts.iter().enumerate())
        .flat_map(|(di, d)| (0..d.raw.forms.len()).map(move |fi| (di, fi)))
        .find(|&(di, fi)| {
            let rows = &org.depts[di].raw.forms[fi].rows;
            rows.len() == 1 && rows[0].len() >= 3
        })
        .expect("a register form");

    let mut b = Browser::launch(&exe);
    b.viewport(1280, 900);
    let a4_content_px = (297.0 - 2.0 * 18.0) / 25.4 * 96.0;

    // The procedure: the chart with its heading, scaled to one page.
    let url = format!("{http}{}", site.url(Target::Procedure(oi, pdi, ppi)));
    b.goto(&url);
    b.media("print", false);
    let chart_h = b.eval("document.querySelector('#chart').getBoundingClientRect().height");
    let chart_h = chart_h.as_f64().expect("the procedure has a chart");
    assert!(
        chart_h < a4_content_px,
        "{url}: printed, the chart section is {chart_h:.0}px tall, more than a page ({a4_content_px:.0}px)"
    );
    let doc = b.pdf();
    let pages = pdf::pages(&doc);
    assert!(
        !pages.is_empty() && pages.len() <= 4,
        "{url}: {} pages",
        pages.len()
    );
    let with_chart = pages_with_fill(&pages, LANE_FILL);
    assert_eq!(
        with_chart.len(),
        1,
        "{url}: the chart is drawn on pages {with_chart:?}, not on one"
    );
    // The first page is not a title alone: it draws text well beyond a heading; the chart's
    // heading is on the chart's page.
    assert!(
        pdf::count_op(&pages[0], "TJ") + pdf::count_op(&pages[0], "Tj") > 5,
        "{url}: page 1 is nearly empty"
    );
    let texts = pdf::page_texts(&doc);
    assert!(
        contains_loose(&texts[with_chart[0]], "业务流程图"),
        "{url}: the chart's heading is not on its page: {}",
        texts[with_chart[0]]
    );
    std::fs::write(out.path().join("procedure.pdf"), &doc).unwrap();
    eprintln!("procedure: {} pages, chart on {with_chart:?}", pages.len());

    // The form: the headings and twelve blank rows, on one page.
    let url = format!("{http}{}", site.url(Target::Form(oi, fdi, ffi)));
    b.media("screen", false);
    b.goto(&url);
    b.media("print", false);
    let rows = b.eval("Array.from(document.querySelectorAll('table.form-table tr')).map(r => r.getBoundingClientRect().height)");
    let rows: Vec<f64> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert_eq!(rows.len(), 13, "{url}: the heading row and 12 blank rows");
    assert!(
        rows.iter().all(|h| *h >= 30.0),
        "{url}: rows to write in: {rows:?}"
    );
    let doc = b.pdf();
    assert_eq!(pdf::pages(&doc).len(), 1, "{url}: one page");
    let text = &pdf::page_texts(&doc)[0];
    for cell in &org.depts[fdi].raw.forms[ffi].rows[0] {
        assert!(
            contains_loose(text, cell),
            "{url}: the printed form lacks {cell}: {text}"
        );
    }

    // The department's handbook: cover, contents, the department, each chart on a page.
    let url = format!("{http}weihai-gxj/{}/handbook.html", org.depts[pdi].slug);
    b.media("screen", false);
    b.goto(&url);
    let charts = b.eval(&format!(
        "Array.from(document.querySelectorAll('svg.flowchart')).filter(s => s.querySelector('rect[fill=\"{LANE_FILL}\"]')).length"
    ));
    let charts = charts.as_u64().unwrap() as usize;
    assert!(
        charts >= 1,
        "{url}: the handbook shows the department's charts"
    );
    b.media("print", false);
    let doc = b.pdf();
    let pages = pdf::pages(&doc);
    let with_chart = pages_with_fill(&pages, LANE_FILL);
    assert_eq!(
        with_chart.len(),
        charts,
        "{url}: {charts} charts of two lanes or more, drawn on pages {with_chart:?} of {}",
        pages.len()
    );
    assert!(
        !with_chart.contains(&0) && !with_chart.contains(&1),
        "the cover and the contents come first"
    );
    assert!(pages.len() > charts + 2, "{url}: {} pages", pages.len());
    // Page numbers (第 N 页 / 共 M 页) and the running header on every page but the cover.
    let texts = pdf::page_texts(&doc);
    let n = texts.len();
    let dept_name = &org.depts[pdi].raw.name;
    for (i, t) in texts.iter().enumerate().skip(1) {
        assert!(
            contains_loose(t, &format!("第{}", i + 1)) && contains_loose(t, &format!("共{n}")),
            "{url}: page {} has no page number: {t}",
            i + 1
        );
        assert!(
            contains_loose(t, &format!("{dept_name}职责清单汇编")),
            "{url}: page {} has no running header: {t}",
            i + 1
        );
    }
    assert!(
        contains_loose(&texts[0], &format!("{dept_name}职责清单汇编")),
        "the cover"
    );
    std::fs::write(out.path().join("handbook.pdf"), &doc).unwrap();
    eprintln!(
        "handbook: {} pages, {charts} charts on {with_chart:?}",
        pages.len()
    );
    if let Some(d) = std::env::var_os("ZHIZE_PDF_DIR") {
        let _ = std::fs::copy(
            out.path().join("handbook.pdf"),
            std::path::Path::new(&d).join("handbook.pdf"),
        );
        let _ = std::fs::copy(
            out.path().join("procedure.pdf"),
            std::path::Path::new(&d).join("procedure.pdf"),
        );
    }
}
