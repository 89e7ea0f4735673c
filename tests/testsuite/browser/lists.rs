//! The 权责清单 and 廉政风险 views (of the lists fixture) in headless Chromium at desktop
//! (1280 px) and phone (375 px) widths: screenshots, and no page that scrolls sideways; the
//! power list's tables sort when a column head is clicked. `ZHIZE_UPDATE_SCREENSHOTS=1`
//! copies the screenshots to `docs/screenshots/` (powers-*.png, risks-*.png).

use super::screenshots::{chromium, measure, png_size};
use crate::common::*;

#[test]
fn power_and_risk_views_render_at_desktop_and_phone_widths() {
    let Some(browser) = find_chromium("the power and risk view screenshots") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let fixture = repo().join("tests/fixtures/lists");
    let o = zhize(&[
        "build",
        "--root",
        fixture.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let update = std::env::var("ZHIZE_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");
    let pages = [
        ("powers", "demo-ju/powers.html"),
        ("risks", "demo-ju/risks.html"),
        ("power", "demo-ju/powers/xk-003.html"),
        ("dept-risks", "demo-ju/shenpike/index.html"),
    ];
    let mut failures = Vec::new();
    for (w, h, label) in [(1280u32, 900u32, "desktop"), (375, 812, "phone")] {
        for (name, page) in pages {
            let (scroll, inner, line) = measure(&browser, &public, page, w, h);
            if inner != w || scroll > inner {
                failures.push(format!("{page} ({label}): {line}"));
            }
            if name != "powers" && name != "risks" {
                continue;
            }
            let png = out.path().join(format!("{name}-{label}.png"));
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
            let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{page} at {w}px: {e}"));
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
        "pages wider than the window:\n{}",
        failures.join("\n")
    );
}
