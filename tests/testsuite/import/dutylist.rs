//! Import of the two duty-list seeds (000 威海市生态环境局, 001 威海市工业和信息化局): counts,
//! a clean `check`, deterministic output and the hard cases of the seeds catalogue.

use crate::common::{stderr, stdout, zhize};
use std::path::{Path, PathBuf};
use zhize::model::{DeptFile, Duty, OrgFile};

/// Import `seed` into `<tmp>/content/<org>`; returns the site root.
fn import(seed: &str, org: &str) -> Option<tempfile::TempDir> {
    let seed = crate::common::seed(seed);
    let seed = seed.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let out = zhize(&[
        "import",
        seed,
        "--output",
        content.to_str().unwrap(),
        "--org",
        org,
    ]);
    assert!(out.status.success(), "import failed: {}", stderr(&out));
    Some(dir)
}

fn stats(root: &Path) -> serde_json::Value {
    let out = zhize(&["stats", "--root", root.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "stats failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn assert_checks(root: &Path) {
    let out = zhize(&["check", "--root", root.to_str().unwrap()]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "check failed:\n{all}");
    assert!(!all.contains("error"), "check reported errors:\n{all}");
}

fn org_dir(root: &Path, org: &str) -> PathBuf {
    root.join("content").join(org)
}

fn depts(root: &Path, org: &str) -> Vec<DeptFile> {
    let mut v: Vec<DeptFile> = std::fs::read_dir(org_dir(root, org))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yaml")
                && !p.file_name().unwrap().to_string_lossy().starts_with('_')
        })
        .map(|p| serde_yaml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap())
        .collect();
    v.sort_by_key(|d: &DeptFile| d.order);
    v
}

fn dept<'a>(all: &'a [DeptFile], name: &str) -> &'a DeptFile {
    all.iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no department {name}"))
}

fn org_file(root: &Path, org: &str) -> OrgFile {
    serde_yaml::from_str(&std::fs::read_to_string(org_dir(root, org).join("_org.yaml")).unwrap())
        .unwrap()
}

fn report(root: &Path, org: &str) -> String {
    std::fs::read_dir(org_dir(root, org))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("_import-report-")
        })
        .map(|p| std::fs::read_to_string(p).unwrap())
        .unwrap()
}

fn unparsed_count(report: &str) -> usize {
    let line = report
        .lines()
        .find(|l| l.contains("unparsed lines"))
        .unwrap();
    line.split(", ")
        .last()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn seed_000_counts_and_check() {
    let Some(dir) = import("000", "weihai-sthjj") else {
        return;
    };
    let s = stats(dir.path());
    assert_eq!(s["departments"], 9);
    assert_eq!(s["detailed_duties"], 156);
    assert_eq!(s["procedures_with_steps"], 89);
    assert_eq!(s["procedures"], 89);
    assert_eq!(s["forms"], 11);
    assert_checks(dir.path());
    assert_eq!(unparsed_count(&report(dir.path(), "weihai-sthjj")), 0);
}

#[test]
fn seed_001_counts_and_check() {
    let Some(dir) = import("001", "weihai-gxj") else {
        return;
    };
    let s = stats(dir.path());
    assert_eq!(s["departments"], 15);
    assert_eq!(s["detailed_duties"], 206);
    assert_eq!(s["posts"], 56);
    assert_eq!(s["post_duties"], 349);
    assert_eq!(s["procedures_with_steps"], 58);
    assert_eq!(s["forms"], 53);
    assert_eq!(s["risk_points"], 42);
    assert_eq!(s["controls"], 65);
    assert_checks(dir.path());
    assert_eq!(unparsed_count(&report(dir.path(), "weihai-gxj")), 0);
}

#[test]
fn importing_twice_gives_identical_files() {
    for (seed, org) in [("000", "a"), ("001", "b")] {
        let (Some(x), Some(y)) = (import(seed, org), import(seed, org)) else {
            return;
        };
        let read = |root: &Path| -> Vec<(String, Vec<u8>)> {
            let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root.join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let rel = e
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    (rel, std::fs::read(e.path()).unwrap())
                })
                .collect();
            v.sort();
            v
        };
        let (a, b) = (read(x.path()), read(y.path()));
        assert_eq!(a.len(), b.len());
        for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
            assert_eq!(pa, pb);
            // The report names the source path, which is the same for both imports.
            assert!(ba == bb, "{pa} differs between two imports");
        }
    }
}

/// 000 办公室: the TOC lists 印章使用 5th (line 70), the body comes 10th (273). Procedures
/// follow the bodies; the TOC order does not break the matching.
#[test]
fn seed_000_toc_order_differs_from_body_order() {
    let Some(dir) = import("000", "o") else {
        return;
    };
    let all = depts(dir.path(), "o");
    let office = dept(&all, "办公室");
    let names: Vec<&str> = office.procedures.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 11);
    assert_eq!(names[4], "办公低值易耗品采购工作流程");
    assert_eq!(names[9], "印章使用工作流程");
    // 行文工作流程: labelled steps; 核稿 returns to 拟稿 (line 101).
    let p = &office.procedures[0];
    assert_eq!(p.steps.len(), 4);
    assert_eq!(p.steps[0].label.as_deref(), Some("拟稿"));
    let b = &p.steps[1].branches[0];
    assert_eq!(b.label.as_deref(), Some("退回"));
    assert_eq!(
        b.goto.as_ref().map(|g| g.to_string()).as_deref(),
        Some("拟稿")
    );
    // Line 110 follows the last step: a note.
    assert_eq!(p.notes.len(), 1);
    // 工作交接: `2个工作日内` (296) and the form 《工作交接清单》 of the same department.
    let handover = office
        .procedures
        .iter()
        .find(|p| p.name == "工作交接工作流程")
        .unwrap();
    assert_eq!(handover.steps[2].limit.as_deref(), Some("2个工作日内"));
    assert_eq!(handover.steps[0].forms, vec!["工作交接清单".to_string()]);
    // Forms: the tab row at 412 (`用餐人员名单`) is a row, not a form; HTML is cleaned (447).
    let handover_form = office
        .forms
        .iter()
        .find(|f| f.name == "工作交接清单")
        .unwrap();
    assert!(handover_form
        .rows
        .iter()
        .flatten()
        .any(|c| c.contains("☐ 离职")));
    assert!(!office.forms.iter().any(|f| f.name == "用餐人员名单"));
}

/// 000 总量控制科: TOC entry 排污许可证核发 (2189) has no body; reported as a repair.
/// The title at 2195 is followed by an intro sentence (2197) that becomes the summary.
#[test]
fn seed_000_toc_entry_without_body_is_a_repair() {
    let Some(dir) = import("000", "o") else {
        return;
    };
    let r = report(dir.path(), "o");
    assert!(
        r.contains("line 2189: table-of-contents entry without a body"),
        "{r}"
    );
    let all = depts(dir.path(), "o");
    let d = dept(&all, "污染物排放总量控制科");
    assert_eq!(d.plaques, vec!["行政许可科".to_string()]);
    assert_eq!(d.procedures.len(), 3);
    assert_eq!(d.procedures[0].name, "建设项目环境影响评价文件审批工作流程");
    assert!(d.procedures[0]
        .summary
        .as_deref()
        .unwrap()
        .starts_with("威海市生态环境局（以下简称"));
}

/// 000 生态保护与监测科: the main duties are split at 2285/2287 and re-joined; the alias
/// after 清单 (2281) becomes an alias; TOC titles that differ become procedure aliases.
#[test]
fn seed_000_main_duties_rejoined_and_aliases() {
    let Some(dir) = import("000", "o") else {
        return;
    };
    let all = depts(dir.path(), "o");
    let d = dept(&all, "生态保护与监测科");
    assert_eq!(d.aliases, vec!["核与辐射安全管理科".to_string()]);
    let summary = d.summary.as_deref().unwrap();
    assert!(!summary.contains("\n\n"), "one paragraph: {summary}");
    assert!(summary.contains("承担全市自然"));
    assert!(summary.contains("督管理。组织辐射环境事故应急处理"));
    assert!(report(dir.path(), "o").contains("line 2287:"));
    let plan = d
        .procedures
        .iter()
        .find(|p| p.name == "全市生态环境保护规划编制工作流程")
        .unwrap();
    assert_eq!(
        plan.aliases,
        vec!["全市生态环境保护规划编制流程".to_string()]
    );
    // 政工科: two paragraphs of main duties (the second is 机关党委's, 465).
    let z = dept(&all, "政工科");
    assert_eq!(z.summary.as_deref().unwrap().split("\n\n").count(), 2);
    assert_eq!(z.duties.len(), 39);
}

/// 000 应急与督查科 (header `…职责`, no 清单): 18 duties in three groups with restarted
/// numbering; its division has plain-text sub-groups and an unnumbered item (3455).
#[test]
fn seed_000_grouped_duties() {
    let Some(dir) = import("000", "o") else {
        return;
    };
    let all = depts(dir.path(), "o");
    let d = dept(&all, "应急与督查科");
    let groups: Vec<&str> = d.duties.iter().map(|x| x.group().unwrap()).collect();
    let count = |g: &str| groups.iter().filter(|x| **x == g).count();
    assert_eq!(count("应急工作"), 6);
    assert_eq!(count("法规标准工作"), 7);
    assert_eq!(count("环保督察工作"), 5);
    assert!(matches!(&d.duties[5], Duty::Full(f) if f.text == "负责局党组交办的其他工作。"));
    assert_eq!(d.division.external.len(), 6);
    assert_eq!(d.division.internal.len(), 8);
    let legal = &d.division.external[3];
    assert_eq!(legal.topic(), Some("沟通协调"));
    assert!(legal.with().contains(&"市司法局"));
    // 大气环境科履职清单: the other suffix.
    assert!(all.iter().any(|d| d.name == "大气环境科"));
}

/// 001 front matter: the 三定规定 and the 编办 notice as documents, 6 organisation-level
/// division items, staffing from 第五条, plaques; the footer printed twice (172–182).
#[test]
fn seed_001_front_matter() {
    let Some(dir) = import("001", "g") else {
        return;
    };
    let org = org_file(dir.path(), "g");
    assert_eq!(org.name, "威海市工业和信息化局");
    let nos: Vec<&str> = org
        .documents
        .iter()
        .filter_map(|d| d.no.as_deref())
        .collect();
    assert_eq!(nos, vec!["室字〔2019〕38号", "威编〔2020〕34号"]);
    assert!(org.documents[0].body.as_deref().unwrap().contains("第五条"));
    assert_eq!(org.division.len(), 6);
    assert_eq!(org.division[2].topic(), Some("与市大数据局的有关职责分工"));
    assert!(org.division[2].with().contains(&"市大数据局"));
    let staffing: Vec<(&str, &str)> = org
        .staffing
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(staffing[0], ("行政编制", "39"));
    assert!(org
        .plaques
        .contains(&"威海市国防科技工业办公室".to_string()));
    assert!(org
        .plaques
        .contains(&"市非公有制经济发展服务局".to_string()));
    // Every outside body named in a `with` list is declared.
    let declared: Vec<&str> = org.external.iter().map(|e| e.name.as_str()).collect();
    for w in org.division.iter().flat_map(|d| d.with()) {
        assert!(declared.contains(&w), "{w} not declared");
    }
    assert!(report(dir.path(), "g").contains("line 178: block of 3 lines printed twice"));
}

/// 001 绿色发展推进科: the flowchart heading comes before the description (4566/4571);
/// duties in three `…部分` groups (41).
#[test]
fn seed_001_green_flowchart_heading_first() {
    let Some(dir) = import("001", "g") else {
        return;
    };
    let all = depts(dir.path(), "g");
    let d = dept(&all, "绿色发展推进科");
    assert_eq!(d.duties.len(), 41);
    assert_eq!(d.duties[0].group(), Some("绿色发展推进部分"));
    assert_eq!(d.duties[8].group(), Some("民用爆炸器材管理部分"));
    assert_eq!(d.procedures.len(), 17);
    let p = &d.procedures[0];
    assert_eq!(p.name, "实施绿色制造工程");
    assert_eq!(
        p.aliases,
        vec!["实施绿色制造工程工作流程和工作规范".to_string()]
    );
    assert_eq!(p.steps.len(), 8);
    assert!(d.procedures.iter().all(|p| !p.steps.is_empty()));
}

/// 001 非公科: post numbering `(二)` twice (3968/3980) is repaired; 服务体系建设科: the TOC
/// entry (4285) is the first procedure itself; 政工科: 10 flowchart-only procedures.
#[test]
fn seed_001_posts_and_procedure_anomalies() {
    let Some(dir) = import("001", "g") else {
        return;
    };
    let all = depts(dir.path(), "g");
    let r = report(dir.path(), "g");

    let f = dept(&all, "非公有制经济（中小企业）发展科");
    let posts: Vec<&str> = f.posts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(posts, vec!["科长岗", "业务岗位1", "业务岗位2"]);
    assert!(f.posts.iter().all(|p| p.duties.len() == 5));
    assert!(r.contains("line 3980: post number (二)"), "{r}");

    let s = dept(&all, "服务体系建设科");
    let names: Vec<&str> = s.procedures.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "中小企业公共服务示范平台申报工作流程",
            "专项资金申报工作流程"
        ]
    );
    assert_eq!(s.procedures[0].steps.len(), 4);
    assert_eq!(s.procedures[0].steps[0].label.as_deref(), Some("项目申报"));

    let z = dept(&all, "政工科");
    assert_eq!(z.plaques, vec!["人才工作科".to_string()]);
    assert_eq!(z.procedures.len(), 10);
    assert!(z.procedures.iter().all(|p| p.steps.is_empty()));
    assert_eq!(z.procedures[0].name, "岗位竞聘工作流程");
    assert_eq!(z.forms.len(), 10);

    // 装备产业科: header without 清单; the unnumbered TOC line equals the title (2796/2798).
    let e = dept(&all, "装备产业科");
    assert_eq!(e.plaques, vec!["军民结合推进科".to_string()]);
    assert_eq!(e.procedures.len(), 1);
    assert!(e.procedures[0].aliases.is_empty());

    // 办公室: 8 TOC entries, 11 bodies.
    assert_eq!(dept(&all, "办公室").procedures.len(), 11);
    // 工业互联网科: 27 templates after the last procedure, without a heading.
    assert_eq!(dept(&all, "工业互联网科").forms.len(), 27);
    // 综合科: the title printed twice (1581/1583) is one form.
    assert_eq!(dept(&all, "综合科").forms.len(), 1);
    assert!(r.contains("line 1583: form title printed twice"));
    // Risk categories `N. 类别风险：`.
    let office = dept(&all, "办公室");
    assert_eq!(office.risks.points[0].category(), Some("廉政风险"));
}
