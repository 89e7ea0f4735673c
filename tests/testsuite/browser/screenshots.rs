//! Screenshot tests: headless Chromium renders the home page, a department page, a procedure
//! page and the organisation views of the demonstration content at desktop (1280 px) and
//! phone (375 px) widths, and no page may scroll sideways.
//!
//! The browser is Debian's `chromium` (or `$ZHIZE_CHROMIUM`). Without one the test prints
//! that it skips, unless `ZHIZE_BROWSER_TESTS=required`, where a missing browser fails.
//! `ZHIZE_UPDATE_SCREENSHOTS=1` copies the screenshots to `docs/screenshots/` for the README.
//!
//! Overflow is measured in the page itself: the test writes a copy of each page next to it
//! (so relative links and the stylesheet still resolve from `file://`) with a script that
//! records `scrollWidth` against `innerWidth` and the widest elements into the DOM, and reads
//! it back with `--dump-dom`. Nothing is loaded from the network.

use crate::common::*;
use std::path::Path;
use std::process::Command;

const WIDTHS: [(u32, u32, &str); 2] = [(1280, 900, "desktop"), (375, 812, "phone")];

/// Run headless Chromium with `args` and a fresh profile; returns stdout.
pub(super) fn chromium(
    browser: &Path,
    profile: &Path,
    width: u32,
    height: u32,
    args: &[&str],
) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},{height}"))
        .args(args)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const PROBE: &str = r#"<script>
window.addEventListener('load', function () {
  var de = document.documentElement, vw = window.innerWidth, wide = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > vw + 1 && wide.length < 5) {
      // Inside a scrolling box is fine: the box scrolls, the page does not.
      for (var p = e.parentElement; p; p = p.parentElement) {
        var s = getComputedStyle(p).overflowX;
        if (s === 'auto' || s === 'scroll' || s === 'hidden') return;
      }
      wide.push(e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ' ' + Math.round(r.right));
    }
  });
  parent.postMessage('scroll=' + de.scrollWidth + ' inner=' + vw + ' wide=' + wide.join('; '), '*');
});
</script>"#;

/// The page that holds the probed copy in a frame of the wanted width (a browser window may
/// not be narrower than 500 px) and writes what the probe reports into its own DOM.
fn wrapper(src: &str, width: u32, height: u32) -> String {
    format!(
        r#"<!DOCTYPE html><html><body style="margin:0">
<iframe src="{src}" style="border:0;width:{width}px;height:{height}px"></iframe>
<script>window.addEventListener('message', function (e) {{
  var o = document.createElement('output'); o.id = 'zhize-probe'; o.textContent = e.data;
  document.body.appendChild(o);
}});</script></body></html>"#
    )
}

/// The probe's line for `page` at `width`: (scrollWidth, innerWidth, report).
pub(super) fn measure(
    browser: &Path,
    public: &Path,
    page: &str,
    width: u32,
    height: u32,
) -> (u32, u32, String) {
    let src = public.join(page);
    let html = std::fs::read_to_string(&src).unwrap();
    let name = src.file_name().unwrap().to_string_lossy().into_owned();
    let probe_path = src.with_file_name(format!("zz-probe-{width}-{name}"));
    let wrapper_path = src.with_file_name(format!("zz-frame-{width}-{name}"));
    std::fs::write(
        &probe_path,
        html.replace("</body>", &format!("{PROBE}</body>")),
    )
    .unwrap();
    std::fs::write(
        &wrapper_path,
        wrapper(&format!("zz-probe-{width}-{name}"), width, height),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(
        browser,
        profile.path(),
        width.max(600) + 40,
        height + 40,
        &[
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", wrapper_path.display()),
        ],
    );
    let _ = std::fs::remove_file(&wrapper_path);
    let _ = std::fs::remove_file(&probe_path);
    let line = dom
        .split("id=\"zhize-probe\">")
        .nth(1)
        .and_then(|s| s.split("</output>").next())
        .unwrap_or_else(|| {
            panic!(
                "{page} at {width}px: the probe did not run; DOM was:\n{}",
                &dom[..dom.len().min(500)]
            )
        })
        .to_string();
    let num = |key: &str| -> u32 {
        line.split(key)
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (num("scroll="), num("inner="), line)
}

/// Width and height of a PNG from its IHDR chunk.
pub(super) fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((be(16), be(20)))
}

/// Pages to look at: the chart with the most lanes (four at most), the first procedure
/// without steps and the first post that covers duties.
fn issue_pages(site: &zhize::resolve::Site) -> (String, String, String) {
    use zhize::resolve::Target;
    let mut lanes = (0, String::new());
    let (mut no_steps, mut post) = (None, None);
    for (oi, o) in site.orgs.iter().enumerate() {
        for (di, d) in o.depts.iter().enumerate() {
            for (pi, (p, pr)) in d.raw.procedures.iter().zip(&d.procedures).enumerate() {
                let url = site.url(Target::Procedure(oi, di, pi));
                if p.steps.is_empty() {
                    no_steps.get_or_insert(url);
                    continue;
                }
                let steps = zhize::chart::steps_of(p, pr, &|t| t.to_string(), &|_| None);
                let chart =
                    zhize::flowchart::Chart::from_steps(&p.name, (&d.raw.name, None), &steps);
                if chart.lanes.len() > lanes.0 && chart.lanes.len() <= 4 {
                    lanes = (chart.lanes.len(), url);
                }
            }
            if let Some(pi) = d.posts.iter().position(|p| !p.covers.is_empty()) {
                post.get_or_insert(site.url(Target::Post(oi, di, pi)));
            }
        }
    }
    (
        lanes.1,
        no_steps.expect("a procedure without steps"),
        post.expect("a post that covers duties"),
    )
}

#[test]
fn pages_render_at_desktop_and_phone_widths_without_overflow() {
    let Some(browser) = find_chromium("the screenshot tests") else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");

    // A procedure with a flowchart: the first with two or more steps, in 威海市工业和信息化局.
    let site = zhize::check(&repo());
    let oi = demo_org(&site, "weihai-gxj");
    let procedure = site.orgs[oi]
        .depts
        .iter()
        .enumerate()
        .flat_map(|(di, d)| (0..d.procedures.len()).map(move |pi| (di, pi)))
        .find(|(di, pi)| site.orgs[oi].depts[*di].procedures[*pi].steps.len() >= 2)
        .map(|(di, pi)| site.url(zhize::resolve::Target::Procedure(oi, di, pi)))
        .expect("a procedure with steps");
    let (lanes, no_steps, post) = issue_pages(&site);
    let shots: Vec<(&str, String)> = vec![
        ("home", "index.html".into()),
        ("department", "weihai-gxj/bangongshi/index.html".into()),
        ("procedure", procedure),
        ("matrix", "weihai-gxj/matrix.html".into()),
        ("chart-lanes", lanes),
        ("procedure-no-steps", no_steps),
        ("post", post),
    ];
    // The other views are checked for overflow too, in every organisation.
    let mut checked: Vec<String> = shots.iter().map(|(_, p)| p.clone()).collect();
    for org in &site.orgs {
        for v in zhize::views::OrgPage::ALL {
            checked.push(format!("{}/{}", org.slug, v.file()));
        }
    }
    checked.sort();
    checked.dedup();

    let update = std::env::var("ZHIZE_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");
    let shot_dir = out.path().join("shots");
    std::fs::create_dir_all(&shot_dir).unwrap();
    let mut failures = Vec::new();
    let jobs: Vec<(u32, u32, &str, &String)> = WIDTHS
        .iter()
        .flat_map(|(w, h, label)| checked.iter().map(move |p| (*w, *h, *label, p)))
        .collect();
    // A few browsers at a time.
    for chunk in jobs.chunks(6) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|&(w, h, label, page)| {
                    let (browser, public) = (&browser, &public);
                    scope.spawn(move || {
                        let (scroll, inner, line) = measure(browser, public, page, w, h);
                        (label, page.clone(), inner == w && scroll <= inner, line)
                    })
                })
                .collect();
            for hd in handles {
                let (label, page, ok, line) = hd.join().unwrap();
                if !ok {
                    failures.push(format!("{page} ({label}): {line}"));
                }
            }
        });
    }
    for (w, h, label) in WIDTHS {
        for (name, page) in &shots {
            let png = shot_dir.join(format!("{name}-{label}.png"));
            let profile = tempfile::tempdir().unwrap();
            chromium(
                &browser,
                profile.path(),
                w,
                h,
                &[
                    &format!("--screenshot={}", png.display()),
                    &format!("file://{}", public.join(page).display()),
                ],
            );
            let bytes = std::fs::read(&png)
                .unwrap_or_else(|e| panic!("no screenshot of {page} at {w}px: {e}"));
            assert_eq!(png_size(&bytes), Some((w, h)), "{page} at {w}px");
            if update {
                let dest = repo().join("docs/screenshots");
                std::fs::create_dir_all(&dest).unwrap();
                std::fs::copy(&png, dest.join(png.file_name().unwrap())).unwrap();
            }
        }
    }
    assert!(
        failures.is_empty(),
        "pages wider than the window (scrollWidth > innerWidth):\n{}",
        failures.join("\n")
    );
    println!(
        "checked {} pages at {} widths; screenshots in {}",
        checked.len(),
        WIDTHS.len(),
        if update {
            "docs/screenshots/"
        } else {
            "a temporary folder (ZHIZE_UPDATE_SCREENSHOTS=1 keeps them)"
        }
    );
}

/// Screenshots of what a newcomer meets on a phone, in the dark and on paper: the phone menu
/// open, a department in dark mode (wide and narrow), a procedure as printed (print media,
/// A4 width) and the first pages of a department's handbook as printed. Written to the
/// temporary folder, and to `docs/screenshots/` with `ZHIZE_UPDATE_SCREENSHOTS=1`.
#[test]
fn phone_menu_dark_mode_and_printed_pages_screenshots() {
    use super::pages::{serve, Browser};
    let Some(exe) = find_chromium("the screenshot tests") else {
        return;
    };
    let out = build_demo();
    let public = out.path().join("public");
    let http = serve(public.clone());
    let site = zhize::check(&repo());
    let oi = demo_org(&site, "weihai-gxj");
    let (di, pi) = (site.orgs[oi].depts.iter().enumerate())
        .flat_map(|(di, d)| (0..d.procedures.len()).map(move |pi| (di, pi)))
        .find(|(di, pi)| site.orgs[oi].depts[*di].procedures[*pi].steps.len() >= 4)
        .expect("a procedure with steps");
    let procedure = site.url(zhize::resolve::Target::Procedure(oi, di, pi));
    let dept = "weihai-gxj/bangongshi/index.html";
    let handbook = format!("weihai-gxj/{}/handbook.html", site.orgs[oi].depts[di].slug);
    let update = std::env::var("ZHIZE_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");
    let dir = std::env::var_os("ZHIZE_SCREENSHOT_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| out.path().join("shots"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut b = Browser::launch(&exe);
    let mut shots: Vec<(String, Vec<u8>, (u32, u32))> = Vec::new();
    let mut take = |b: &mut Browser,
                    name: &str,
                    page: &str,
                    w: u32,
                    h: u32,
                    media: &str,
                    dark: bool,
                    then: &str| {
        b.viewport(w, h);
        b.media("screen", dark);
        b.goto(&format!("{http}{page}"));
        b.media(media, dark);
        if !then.is_empty() {
            b.eval(then);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        let png = b.screenshot(false);
        shots.push((name.to_string(), png, (w, h)));
    };
    take(
        &mut b,
        "phone-menu",
        dept,
        375,
        812,
        "screen",
        false,
        "document.querySelector('.menu-toggle').click()",
    );
    take(
        &mut b,
        "department-dark-desktop",
        dept,
        1280,
        900,
        "screen",
        true,
        "",
    );
    take(
        &mut b,
        "department-dark-phone",
        dept,
        375,
        812,
        "screen",
        true,
        "",
    );
    take(
        &mut b,
        "procedure-print",
        &procedure,
        794,
        1123,
        "print",
        false,
        "document.getElementById('chart').scrollIntoView()",
    );
    take(
        &mut b,
        "handbook-print-cover",
        &handbook,
        794,
        1123,
        "print",
        false,
        "",
    );
    take(
        &mut b,
        "handbook-print-contents",
        &handbook,
        794,
        1123,
        "print",
        false,
        "document.querySelector('.handbook-toc').scrollIntoView()",
    );
    take(
        &mut b,
        "handbook-print-department",
        &handbook,
        794,
        1123,
        "print",
        false,
        "document.querySelector('.hb-dept').scrollIntoView()",
    );
    for (name, png, size) in &shots {
        assert_eq!(png_size(png), Some(*size), "{name}");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        if update {
            let dest = repo().join("docs/screenshots");
            std::fs::create_dir_all(&dest).unwrap();
            std::fs::copy(&path, dest.join(format!("{name}.png"))).unwrap();
        }
    }
    let light = shots.iter().find(|s| s.0 == "phone-menu").unwrap();
    let dark = shots
        .iter()
        .find(|s| s.0 == "department-dark-phone")
        .unwrap();
    assert_ne!(light.1, dark.1, "dark mode looks different");
    println!("screenshots in {}", dir.display());
}
