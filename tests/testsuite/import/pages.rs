//! `zhize import` of documents that become pages: the notice with its attachments (seed 002)
//! and the article collection in traditional script with pinyin (seed 004).

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;
use zhize::import::articles::strip_pinyin;
use zhize::import::lines::parse_num;

const NOTICE: &str = "002_239ecc0228ec73d7";
const ARTICLES: &str = "004_78f54be790c0872c";
/// Page slugs are made from the file name.
const N: &str = "002-239ecc0228ec73d7";
const A: &str = "004-78f54be790c0872c";

/// Import `name` into `<tmp>/content`, check the site, and return the pages by file stem.
fn import(name: &str) -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let src = crate::common::seed(&name[..3]);
    let o = zhize(&[
        "import",
        src.to_str().unwrap(),
        "--output",
        content.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "import failed: {}{}",
        stdout(&o),
        stderr(&o)
    );
    let o = zhize(&["check", "--root", dir.path().to_str().unwrap()]);
    let err = stderr(&o) + &stdout(&o);
    assert!(o.status.success(), "check failed: {err}");
    assert!(!err.contains("error"), "check reported errors: {err}");
    let pages = md_files(&content.join("pages"));
    (dir, pages)
}

fn md_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// (front matter, body) of a page.
fn split(page: &str) -> (&str, &str) {
    let rest = page.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("end of front matter");
    (&rest[..end + 1], &rest[end + 5..])
}

fn field<'a>(page: &'a str, key: &str) -> Option<&'a str> {
    let (fm, _) = split(page);
    fm.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(|v| v.trim_matches('\''))
}

/// Rows of the Markdown tables of a body (header and separator rows left out), as cells.
fn table_rows(body: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut in_table = false;
    let mut seen_sep = false;
    for l in body.lines() {
        if !l.starts_with('|') {
            in_table = false;
            continue;
        }
        if !in_table {
            in_table = true;
            seen_sep = false;
            continue; // header
        }
        if !seen_sep {
            seen_sep = true;
            assert!(l.contains("---"), "separator row expected: {l}");
            continue;
        }
        let cells: Vec<String> = l
            .trim()
            .trim_start_matches('|')
            .trim_end_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect();
        rows.push(cells);
    }
    rows
}

/// Every non-blank source line (in fragments) is somewhere in the pages.
fn assert_nothing_lost(source: &str, pages: &BTreeMap<String, String>, pinyin: bool) {
    let norm = |s: &str| s.replace("**", "").replace('\\', "");
    let all: String = pages
        .values()
        .map(|p| norm(p))
        .collect::<Vec<_>>()
        .join("\n");
    for (n, line) in source.lines().enumerate() {
        let line = if pinyin {
            strip_pinyin(line).0
        } else {
            line.to_string()
        };
        let line = norm(&line);
        let line = line.trim().trim_start_matches("- ");
        for frag in line.split(['\t', '：', ':']).flat_map(|f| f.split("一、")) {
            let frag = frag.trim();
            let frag = parse_num(frag).map_or(frag, |(_, rest)| rest).trim();
            // Header keys whose values went into the front matter (`緒論:` → `summary`).
            if frag.is_empty() || frag == "緒論" {
                continue;
            }
            assert!(all.contains(frag), "line {}: `{frag}` is in no page", n + 1);
        }
    }
}

#[test]
fn notice_gives_the_notice_page_and_one_page_per_attachment() {
    let (_dir, pages) = import(NOTICE);
    assert_eq!(pages.len(), 5, "{:?}", pages.keys());
    let notice = &pages[N];
    assert_eq!(
        field(notice, "title"),
        Some("临沂市环境保护局关于印发《2018年文明单位创建工作积分制管理办法》的通知")
    );
    assert_eq!(field(notice, "date"), Some("2018-04-03"));
    assert_eq!(field(notice, "summary"), Some("临环发〔2018〕37号"));
    let (_, body) = split(notice);
    assert!(body.contains("## 2018年文明单位创建工作积分制管理办法"));
    assert!(body.contains("考核分基本分100分"));
    // 4 加分 rules and 13 扣分 rules as numbered lists.
    let list_after = |marker: &str| -> Vec<&str> {
        let at = body.find(marker).unwrap_or_else(|| panic!("{marker}"));
        body[at..]
            .lines()
            .skip(1)
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty())
            .collect()
    };
    let plus = list_after("加分项目");
    assert_eq!(plus.len(), 4, "{plus:?}");
    assert!(plus[3].starts_with("4. 参加文明单位创建系列评比活动"));
    let minus = list_after("（三）扣分项目。");
    assert_eq!(minus.len(), 13, "{minus:?}");
    for (k, l) in minus.iter().enumerate() {
        assert!(l.starts_with(&format!("{}. ", k + 1)), "{l}");
    }
    // Rule 12 keeps its repeated clause as written.
    assert_eq!(minus[11].matches("每出现一人次扣 20 分").count(), 2);

    for k in 1..=4 {
        let p = &pages[&format!("{N}-fujian{k}")];
        assert!(
            field(p, "title")
                .unwrap()
                .starts_with(&format!("附件 {k}:")),
            "{p}"
        );
        assert_eq!(field(p, "date"), Some("2018-04-03"));
    }
    assert_nothing_lost(
        &std::fs::read_to_string(seed(NOTICE)).unwrap(),
        &pages,
        false,
    );
}

#[test]
fn notice_attachment_tables_and_lists() {
    let (_dir, pages) = import(NOTICE);
    // 附件1: 23 units, 203 people.
    let (_, list) = split(&pages[&format!("{N}-fujian1")]);
    assert!(list.contains("| 序 号 | 科 室 (单 位) | 人 数 |"));
    let rows = table_rows(list);
    assert_eq!(rows.len(), 23);
    let people: u32 = rows.iter().map(|r| r[2].parse::<u32>().unwrap()).sum();
    assert_eq!(people, 203);

    // 附件2: the 责任分工 with every `（责任单位：…）` tag kept.
    let (_, plan) = split(&pages[&format!("{N}-fujian2")]);
    let source = std::fs::read_to_string(seed(NOTICE)).unwrap();
    let plan_src: String = source
        .lines()
        .skip_while(|l| !l.starts_with("附件 2"))
        .take_while(|l| !l.starts_with("附件 3"))
        .collect();
    assert_eq!(
        plan.matches("责任单位：").count(),
        plan_src.matches("责任单位：").count()
    );
    assert!(plan.contains("## 三、责任分工"));
    assert!(plan.contains("### （一）思想政治建设"));
    assert!(plan.contains("（责任单位：人事科、机关党委、规财科）"));
    // The sentence cut by a page break is whole again.
    assert!(plan.contains("重点围绕全国文明城市创建等开展活动，每月至少组织一次志愿服务活动"));

    // 附件3: roster, working groups and the 联络员 table.
    let (_, group) = split(&pages[&format!("{N}-fujian3")]);
    assert!(group.contains("- 组 长：\n  - 吴恩坤 局党组书记"));
    assert!(group.contains("  - 刘胜发 产业开发服务中心主任"));
    for g in ["综合组", "活动组", "宣传组", "档案组"] {
        assert!(group.contains(&format!("、{g}\n")), "{g}");
    }
    let contacts = table_rows(group);
    assert_eq!(contacts.len(), 10);
    assert_eq!(contacts[0], ["山东省沂沭河流域环境管理处", "冯秀娟"]);

    // 附件4: one table, header once, 53 requirement rows in 4 columns.
    let (_, tasks) = split(&pages[&format!("{N}-fujian4")]);
    assert_eq!(
        tasks
            .matches("| 项目 | 项目内容 | 项目要求 | 责任人 |")
            .count(),
        1
    );
    let rows = table_rows(tasks);
    assert_eq!(rows.len(), 53);
    for r in &rows {
        assert_eq!(r.len(), 4, "{r:?}");
        assert!(r[0].is_empty() || r[0].starts_with("I-"), "{r:?}");
        assert!(r[1].is_empty() || r[1].starts_with("II-"), "{r:?}");
        assert!(parse_num(&r[2]).is_some(), "{r:?}");
        assert!(!r[3].is_empty(), "no 责任人: {r:?}");
    }
    assert_eq!(rows.iter().filter(|r| !r[0].is_empty()).count(), 7);
    assert_eq!(rows.iter().filter(|r| !r[1].is_empty()).count(), 25);
    assert_eq!(rows.iter().filter(|r| r[3].contains("曲丽娟")).count(), 30);
    assert_eq!(tasks.matches("注：").count(), 9);
    assert!(rows.iter().any(|r| r[3] == "凌 凌"), "typo kept as written");
    // Shifted rows are back in their columns.
    let row = |req: &str| rows.iter().find(|r| r[2].starts_with(req)).unwrap().clone();
    assert_eq!(
        row("1、建立健全业务培训制度")[..2],
        ["I-3 业务工作", "II-11 加强业务培训"]
    );
    assert_eq!(row("1、落实全面从严治党要求")[1], "II-3 加强党风廉政建设");
    assert_eq!(row("1、重点打造“临沂环境”")[1], "II-25 打造特色工作品牌");
    // The row split over two lines: its 责任人 is on the second line.
    assert_eq!(row("1、严格执行卫生管理制度")[3], "王 峰");
    assert_eq!(row("2、办公场所设计合理")[3], "王 峰");
    assert_eq!(row("2、办公场所设计合理")[..2], ["", ""]);
    // The extra `注：` column is kept with its requirement.
    assert!(row("1、以爱国主义教育为重点")[2].ends_with("注：每季度至少开展一次活动。"));
    assert_eq!(row("1、以爱国主义教育为重点")[3], "曲丽娟");
}

#[test]
fn articles_become_eight_pages_without_pinyin() {
    let (_dir, pages) = import(ARTICLES);
    assert_eq!(pages.len(), 8, "{:?}", pages.keys());
    let all: String = pages.values().cloned().collect();
    assert!(!all.contains("(shí)"));
    assert!(all.contains("時間"));
    assert!(all.contains("(附表2)"));
    assert!(all.contains("(一)"));
    // No parenthesised syllable with a tone mark is left anywhere.
    let toned = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    for (i, _) in all.match_indices('(') {
        let inner: String = all[i + 1..]
            .chars()
            .take_while(|c| *c != ')')
            .take(8)
            .collect();
        assert!(
            !(inner.chars().any(|c| toned.contains(c))
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || toned.contains(c))),
            "pinyin left: ({inner})"
        );
    }
    // Traditional script is kept.
    assert!(all.contains("考核對象"));
    assert!(!all.contains("考核对象"));

    let page = |k: usize| pages[&format!("{A}-{k}")].as_str();
    for k in 1..=8 {
        // The header's time as written: `時間:2022-09-23 17:21:58`.
        assert_eq!(
            field(page(k), "date"),
            Some("2022-09-23 17:21:58"),
            "page {k}"
        );
        assert_eq!(field(page(k), "order"), Some(k.to_string().as_str()));
    }
    assert!(field(page(1), "summary")
        .unwrap()
        .starts_with("在尋找寫作靈感嗎?愛發表網為您精選了8篇考核工作開展情況報告"));
    // Where each article starts (catalogue §1.5).
    let starts = [
        "## 一、考核目的",
        "特色報告”,對國家重點關注的環保工作",
        "## 一、項目目標",
        "居民死亡報告和死因統計工作",
        "第二條省中華會計函授學校分校",
        "2019年,我在局領導的帶領下",
        "二、各支部每月向中心學校黨總支專題報告一次意識形態工作",
        "## 一、生態縣(區)、生態鄉鎮、生態村創建目標",
    ];
    for (k, s) in starts.iter().enumerate() {
        let (_, body) = split(page(k + 1));
        assert!(
            body.trim_start().starts_with(s),
            "page {}: {}",
            k + 1,
            &body[..200.min(body.len())]
        );
    }
    assert_eq!(field(page(1), "title"), Some("考核目的"));
    assert_eq!(
        field(page(7), "title"),
        Some("學校意識形態工作分析研判制度")
    );
    // Headings, and the run-in rule titles split off.
    let (_, seven) = split(page(7));
    assert_eq!(
        seven.matches("\n## 學校意識形態工作").count() + usize::from(seven.starts_with("## 學校")),
        6
    );
    assert!(seven.contains("## 學校意識形態工作聯席會議制度\n\n一、聯席會議的主要職責"));
    let (_, three) = split(page(3));
    assert!(three.contains("### (一)總目標"));
    // Article 8 ends where the source ends.
    assert!(page(8).contains("(二)生態建設規劃的編制要高起點"));
    assert_nothing_lost(
        &std::fs::read_to_string(seed(ARTICLES)).unwrap(),
        &pages,
        true,
    );
}

#[test]
fn pinyin_stripping_keeps_real_parentheses() {
    assert_eq!(
        strip_pinyin("考核標(biāo)準為督查考核表(附表2)。").0,
        "考核標準為督查考核表(附表2)。"
    );
    assert_eq!(
        strip_pinyin("(一)各鄉(xiāng)鎮(zhèn)人民政府。").0,
        "(一)各鄉鎮人民政府。"
    );
    assert_eq!(strip_pinyin("(1)創(chuàng)建").0, "(1)創建");
    assert_eq!(strip_pinyin("時(shí)間:2022-09-23").0, "時間:2022-09-23");
    assert_eq!(strip_pinyin("時(shí)間").1, 1);
    assert_eq!(strip_pinyin("GB 3838-2002 (GB 3838-2002)").1, 0);
}

#[test]
fn built_site_renders_the_tables() {
    let (dir, _) = import(NOTICE);
    let o = zhize(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |stem: &str| {
        std::fs::read_to_string(dir.path().join(format!("public/pages/{stem}.html")))
            .unwrap_or_else(|e| panic!("{stem}: {e}"))
    };
    let tasks = read(&format!("{N}-fujian4"));
    assert_eq!(tasks.matches("<table>").count(), 1);
    assert!(tasks.contains(
        "<thead><tr><th>项目</th><th>项目内容</th><th>项目要求</th><th>责任人</th></tr></thead>"
    ));
    assert_eq!(tasks.matches("<tr>").count(), 54);
    assert!(tasks.contains("<td>曲丽娟</td>"));
    let list = read(&format!("{N}-fujian1"));
    assert_eq!(list.matches("<tr>").count(), 24);
    assert!(list.contains("<td>临港区环保分局</td>"));
    let group = read(&format!("{N}-fujian3"));
    assert!(group.contains("<td>冯秀娟</td>"));
    // Bold run-in titles render as bold (CJK punctuation moved out of the `**`).
    let plan = read(&format!("{N}-fujian2"));
    assert!(plan.contains("<strong>深入开展社会主义核心价值观学习教育活动</strong>"));
    assert!(!plan.contains("**"));
    let notice = read(N);
    assert!(notice.contains("<ol>"));
    assert!(!notice.contains("**"));

    let (dir, _) = import(ARTICLES);
    let o = zhize(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let two = std::fs::read_to_string(dir.path().join(format!("public/pages/{A}-2.html"))).unwrap();
    // `[5](以下簡稱…)` is text, not a link.
    assert!(two.contains("[5](以下簡稱"));
}

#[test]
fn importing_twice_gives_identical_files() {
    for name in [NOTICE, ARTICLES] {
        let (a, _) = import(name);
        let (b, _) = import(name);
        let files = |d: &Path| -> BTreeMap<String, Vec<u8>> {
            walkdir::WalkDir::new(d.join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    (
                        e.path()
                            .strip_prefix(d)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        };
        let (fa, fb) = (files(a.path()), files(b.path()));
        assert!(!fa.is_empty());
        assert_eq!(fa, fb, "{name}");
    }
}

mod odd_input {
    use proptest::prelude::*;
    use zhize::import::document::{Document, Line};
    use zhize::import::lines::Lines;
    use zhize::import::{parse, Genre};

    fn piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "附件 1:",
            "附件：1、名单",
            "**",
            "**标题",
            "的通知**",
            "一、",
            "（一）",
            "(一)",
            "1、",
            "2、",
            "第二條",
            "\t",
            "项目\t项目内容\t项目要求\t责任人",
            "I-1 x\tII-1 y\t1、z\t张三",
            "注：每月",
            "- 组 长：张三",
            "成 员：李四",
            "時(shí)",
            "間",
            "”",
            "“",
            "。",
            "，",
            "学校制度一、",
            "[1]",
            "1 标题",
            "2.1 ",
            "2018年4月3日",
            "临环发〔2018〕37号",
            "|",
            "\\",
            "a",
            " ",
            "緒論:",
            "時間:2022-09-23",
        ])
        .prop_map(str::to_string)
    }

    fn doc() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(
            prop::collection::vec(piece(), 0..6).prop_map(|v| v.concat()),
            0..30,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

        /// The page parsers never panic, and every line ends in a page.
        #[test]
        fn parsers_take_every_line(text in doc()) {
            let d = Document {
                name: "x".into(),
                lines: text.iter().enumerate().map(|(i, t)| Line { no: i + 1, text: t.clone() }).collect(),
                encoding: "UTF-8",
            };
            for genre in [Genre::Notice, Genre::Articles] {
                let mut lines = Lines::new(&d.lines);
                let out = parse(&d, genre, &mut lines);
                prop_assert!(!out.pages.is_empty());
                prop_assert!(lines.unparsed().is_empty(), "{:?}", lines.unparsed());
            }
        }
    }
}
