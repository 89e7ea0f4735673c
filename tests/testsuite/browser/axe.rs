//! Accessibility: axe-core, fetched from npm at test time into the target folder (once, then
//! cached there), runs in the Chromium the tests drive over a page of every kind — light and
//! dark, 1280 and 375 px wide — and may find nothing serious or critical. Also the controls
//! site.js adds: the phone menu opens the navigation, and the dark-mode choice is remembered.
//! Without Chromium, or npm when axe-core is not cached, the tests skip with a note, unless
//! ZHIZE_BROWSER_TESTS=required.

use super::pages::{serve, Browser};
use crate::common::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use zhize::resolve::Target;

/// The axe-core release the test uses.
const AXE_VERSION: &str = "4.10.3";

/// `axe.min.js`, from the cache in the target folder or fetched with `npm pack`.
fn axe_source() -> Option<String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    let dir = target.join(format!("axe-core-{AXE_VERSION}"));
    let file = dir.join("package/axe.min.js");
    if !file.is_file() {
        std::fs::create_dir_all(&dir).ok()?;
        let packed = Command::new("npm")
            .args(["pack", &format!("axe-core@{AXE_VERSION}"), "--silent"])
            .arg("--pack-destination")
            .arg(&dir)
            .output();
        let ok = packed.as_ref().is_ok_and(|o| o.status.success());
        let tgz = dir.join(format!("axe-core-{AXE_VERSION}.tgz"));
        let unpacked = ok
            && Command::new("tar")
                .arg("xzf")
                .arg(&tgz)
                .arg("-C")
                .arg(&dir)
                .arg("package/axe.min.js")
                .status()
                .is_ok_and(|s| s.success());
        if !unpacked || !file.is_file() {
            assert!(
                std::env::var("ZHIZE_BROWSER_TESTS").as_deref() != Ok("required"),
                "ZHIZE_BROWSER_TESTS=required but axe-core could not be fetched with npm: {packed:?}"
            );
            eprintln!("npm could not fetch axe-core: skipping the accessibility test");
            return None;
        }
    }
    std::fs::read_to_string(file).ok()
}

/// A page of every kind in the demonstration site.
fn sample(site: &zhize::resolve::Site) -> Vec<String> {
    let oi = site
        .orgs
        .iter()
        .position(|o| o.slug == "weihai-gxj")
        .expect("weihai-gxj");
    let org = &site.orgs[oi];
    let first = |f: &dyn Fn(usize) -> Option<Target>| (0..org.depts.len()).find_map(f);
    let mut pages = vec![
        "index.html".to_string(),
        "contacts.html".to_string(),
        "404.html".to_string(),
        site.url(Target::Org(oi)),
        format!("{}/handbook.html", org.slug),
    ];
    let dept = (0..org.depts.len())
        .find(|&d| !org.depts[d].procedures.is_empty())
        .expect("a department with procedures");
    pages.push(site.url(Target::Dept(oi, dept)));
    pages.push(format!(
        "{}/{}/handbook.html",
        org.slug, org.depts[dept].slug
    ));
    for t in [
        first(&|d| (!org.depts[d].posts.is_empty()).then_some(Target::Post(oi, d, 0))),
        first(&|d| {
            (org.depts[d].raw.procedures.iter())
                .position(|p| p.steps.len() >= 2)
                .map(|p| Target::Procedure(oi, d, p))
        }),
        first(&|d| (!org.depts[d].forms.is_empty()).then_some(Target::Form(oi, d, 0))),
        (!org.externals.is_empty()).then_some(Target::External(oi, 0)),
        (!site.pages.is_empty()).then_some(Target::Page(0)),
    ]
    .into_iter()
    .flatten()
    {
        pages.push(site.url(t));
    }
    // A traditional-Chinese article, when there is one, and every view.
    if let Some(p) = (0..site.pages.len()).find(|&p| site.pages[p].meta.title.contains('考')) {
        pages.push(site.url(Target::Page(p)));
    }
    for v in zhize::views::OrgPage::ALL {
        pages.push(format!("{}/{}", org.slug, v.file()));
    }
    pages.sort();
    pages.dedup();
    pages
}

#[test]
fn axe_finds_nothing_serious_on_any_page_kind_light_or_dark_wide_or_narrow() {
    let Some(exe) = find_chromium("the accessibility test") else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let http = serve(public.clone());
    let site = zhize::check(&repo());
    let pages = sample(&site);
    let mut b = Browser::launch(&exe);
    let mut problems = Vec::new();
    let mut runs = 0;
    // Dark mode changes colours only (the theme's colour variables) and the phone width
    // changes layout only, so each variant runs the rules it can change: every rule light and
    // wide; the colour rules dark and wide; every rule but the colour ones light and narrow.
    // Colour contrast is nearly all of axe's time on a long page; running it in the four
    // combinations made this the slowest test of the suite by far.
    let colour = "['color-contrast', 'link-in-text-block']";
    let variants = [
        (1280, 900, false, "{resultTypes: ['violations']}".to_string()),
        (1280, 900, true, format!("{{runOnly: {{type: 'rule', values: {colour}}}}}")),
        (
            375,
            812,
            false,
            format!("{{resultTypes: ['violations'], rules: Object.fromEntries({colour}.map(r => [r, {{enabled: false}}]))}}"),
        ),
    ];
    for (width, height, dark, options) in &variants {
        b.viewport(*width, *height);
        b.media("screen", *dark);
        for page in &pages {
            b.goto(&format!("{http}{page}"));
            b.eval(&axe);
            let r = b.eval_async(&format!(
                "axe.run(document, {options}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ' (' + v.impact + '): ' + v.nodes.length + ' nodes, e.g. ' + v.nodes.slice(0, 2).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')).join(' | ')))"
            ));
            runs += 1;
            for v in r.as_array().cloned().unwrap_or_default() {
                problems.push(format!(
                    "{page} at {width}px, {}: {}",
                    if *dark { "dark" } else { "light" },
                    v.as_str().unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "axe-core {AXE_VERSION}: serious or critical violations:\n{}",
        problems.join("\n")
    );
    println!(
        "axe-core {AXE_VERSION}: {runs} runs over {} pages, 0 serious or critical",
        pages.len()
    );
}

#[test]
fn the_phone_menu_opens_the_navigation_and_the_dark_choice_is_remembered() {
    let Some(exe) = find_chromium("the menu and dark-mode test") else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let http = serve(public.clone());
    let mut b = Browser::launch(&exe);
    b.viewport(375, 812);
    b.media("screen", false);
    let url = format!("{http}weihai-gxj/bangongshi/index.html");
    b.goto(&url);
    let shown = "getComputedStyle(document.getElementById('site-nav')).display !== 'none'";
    assert_eq!(
        b.eval(shown),
        json!(false),
        "at 375px the navigation waits behind the menu"
    );
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.menu-toggle')).display !== 'none'"),
        json!(true),
        "the menu button shows at 375px"
    );
    b.eval("document.querySelector('.menu-toggle').click()");
    assert_eq!(b.eval(shown), json!(true), "the menu opens the navigation");
    assert_eq!(
        b.eval("document.querySelector('.menu-toggle').getAttribute('aria-expanded')"),
        json!("true")
    );
    // Nothing on a phone is drawn smaller than 12px.
    let small = b.eval("Array.from(document.querySelectorAll('main *')).filter(e => e.childNodes.length && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) && parseFloat(getComputedStyle(e).fontSize) < 12).length");
    assert_eq!(small, json!(0), "text below 12px at 375px");
    // The graph and the organisation chart keep their labels readable: drawn at full size
    // in a box that pans, not shrunk to the phone's width.
    for view in ["graph.html", "orgchart.html"] {
        b.goto(&format!("{http}weihai-gxj/{view}"));
        let least = b.eval("Math.min.apply(null, Array.from(document.querySelectorAll('main svg text')).map(t => { var svg = t.ownerSVGElement; var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; return parseFloat(getComputedStyle(t).fontSize) * scale; }))");
        let least = least.as_f64().expect("labels");
        assert!(
            least >= 12.0,
            "{view} at 375px: labels drawn at {least:.1}px"
        );
    }
    b.goto(&url);

    // Dark mode: the toggle, remembered on the next page.
    b.viewport(1280, 900);
    let bg = "getComputedStyle(document.body).backgroundColor";
    let light: Value = b.eval(bg);
    b.eval("document.querySelector('.theme-toggle').click()");
    let dark = b.eval(bg);
    assert_ne!(light, dark, "the toggle changes the colours");
    b.goto(&format!("{http}index.html"));
    assert_eq!(
        b.eval("document.documentElement.getAttribute('data-theme')"),
        json!("dark"),
        "the choice is remembered"
    );
    assert_eq!(b.eval(bg), dark);
}
