//! The duty-list workbook: `zhize export xlsx` then `zhize import` gives back the same site
//! byte for byte and the same content field for field; a workbook with problems is reported
//! at sheet, row and column; the empty template imports to a clear "nothing to import".

use crate::common::{copy_tree, repo, stderr, stdout, zhize};
use std::path::{Path, PathBuf};
use zhize::import::workbook::{self, grid, DeptContent, OrgContent};

/// A site at `dir` with the given content folder, built without git dates.
fn site_with(dir: &Path, content: &Path) {
    copy_tree(content, &dir.join("content"));
    std::fs::write(dir.join("zhize.yaml"), "git_dates: false\n").unwrap();
}

/// The YAML files of the organisations (what the workbook holds), relative to content/.
fn org_yaml(content: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(content).unwrap().to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml" || e == "yml") && !p.starts_with("pages")
        })
        .collect();
    files.sort();
    files
}

/// Export the site at `a`, and import the workbook into a copy of it without its YAML:
/// the copy's root.
fn round_trip(a: &Path) -> tempfile::TempDir {
    let book = a.join("清单.xlsx");
    let o = zhize(&[
        "export",
        "xlsx",
        book.to_str().unwrap(),
        "--root",
        a.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "export failed:\n{}", stderr(&o));
    let b = tempfile::tempdir().unwrap();
    site_with(b.path(), &a.join("content"));
    for f in org_yaml(&b.path().join("content")) {
        std::fs::remove_file(b.path().join("content").join(f)).unwrap();
    }
    let out = b.path().join("content");
    let o = zhize(&[
        "import",
        book.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "import failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(stdout(&o).contains("duty-list workbook"), "{}", stdout(&o));
    b
}

/// The content as loaded, as JSON: every field, in the shape its file wrote it in.
fn model(root: &Path) -> serde_json::Value {
    let loaded = zhize::load::load_site(root);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let orgs: Vec<serde_json::Value> = loaded
        .orgs
        .iter()
        .map(|o| {
            let depts: Vec<serde_json::Value> = o
                .depts
                .iter()
                .map(|d| serde_json::json!({"stem": d.stem, "dept": &*d.dept}))
                .collect();
            serde_json::json!({"folder": o.folder, "org": &*o.org, "depts": depts})
        })
        .collect();
    serde_json::Value::Array(orgs)
}

/// Where two JSON values first differ, for a readable failure.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.keys()
                .chain(y.keys())
                .find_map(|k| match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => first_difference(p, q, &format!("{path}.{k}")),
                    (p, q) => Some(format!("{path}.{k}: {p:?} ≠ {q:?}")),
                })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}[{i}]"))),
        _ => (a != b).then(|| format!("{path}: {a} ≠ {b}")),
    }
}

fn assert_same_model(a: &Path, b: &Path) {
    let (x, y) = (model(a), model(b));
    if let Some(d) = first_difference(&x, &y, "") {
        panic!("the content differs after the workbook: {d}");
    }
    assert_eq!(
        org_yaml(&a.join("content")),
        org_yaml(&b.join("content")),
        "the same files"
    );
}

fn build(root: &Path) -> Vec<zhize::render::OutputFile> {
    let public = root.join("public");
    let o = zhize(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    let mut files = crate::common::read_output(&public);
    files.sort_by(|x, y| x.path.cmp(&y.path));
    files
}

#[test]
fn the_demo_through_the_workbook_builds_the_same_site_byte_for_byte() {
    let a = tempfile::tempdir().unwrap();
    site_with(a.path(), &repo().join("content"));
    let b = round_trip(a.path());
    assert_same_model(a.path(), b.path());
    let (x, y) = (build(a.path()), build(b.path()));
    let paths =
        |f: &[zhize::render::OutputFile]| f.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&x), paths(&y));
    let differ: Vec<&str> = x
        .iter()
        .zip(&y)
        .filter(|(p, q)| p.bytes != q.bytes)
        .map(|(p, _)| p.path.as_str())
        .collect();
    assert!(
        differ.is_empty(),
        "{} files differ: {differ:?}",
        differ.len()
    );
}

/// The YAML example of a section of docs/format.md: the first block after `heading`.
fn format_example(heading: &str) -> String {
    let doc = std::fs::read_to_string(repo().join("docs/format.md")).unwrap();
    let from = doc.find(heading).unwrap_or_else(|| panic!("{heading}"));
    let start = doc[from..].find("```yaml\n").unwrap() + from + 8;
    let end = doc[start..].find("```").unwrap() + start;
    doc[start..end].to_string()
}

#[test]
fn every_key_of_the_format_survives_the_workbook() {
    // The examples of docs/format.md show every key of an organisation, a department and a
    // part file; a part file and a second department test the files the workbook keeps apart.
    let a = tempfile::tempdir().unwrap();
    let org = a.path().join("content/weihai");
    std::fs::create_dir_all(org.join("bgs")).unwrap();
    std::fs::write(org.join("_org.yaml"), format_example("## Organisation")).unwrap();
    std::fs::write(org.join("bgs.yaml"), format_example("## Department")).unwrap();
    let part = format_example("A part file, e.g.");
    std::fs::write(org.join("bgs/dangan.yaml"), &part).unwrap();
    std::fs::write(
        org.join("caiwu.yaml"),
        format_example("## Writing it all in Chinese keys"),
    )
    .unwrap();
    // Items of a list that run over several lines.
    std::fs::write(
        org.join("xinxi.yaml"),
        "name: 信息科\nposts: [{name: 网络岗, duties: [\"负责网络。\\n\\n- 机房\\n- 线路\", 负责安全。]}]\nprocedures: [{name: 报修流程, notes: [\"先电话\\n再登记\"]}]\n",
    )
    .unwrap();
    std::fs::write(a.path().join("zhize.yaml"), "git_dates: false\n").unwrap();
    let b = round_trip(a.path());
    assert_same_model(a.path(), b.path());
}

/// A workbook of one organisation with 办公室 (a post, a procedure) whose sheets `edit`
/// changes, written to `path`.
fn edited_workbook(path: &Path, edit: impl FnOnce(&mut [grid::OutSheet])) {
    let dept: zhize::model::DeptFile = serde_yaml::from_str(
        "name: 办公室\nduties: [负责文电。]\nposts: [{name: 文秘岗}]\nprocedures: [{name: 印章使用工作流程, steps: [{label: 申请}]}]\n",
    )
    .unwrap();
    let orgs = [OrgContent {
        folder: "shiju".into(),
        org: zhize::model::OrgFile {
            name: "某市某局".into(),
            ..Default::default()
        },
        depts: vec![DeptContent {
            stem: "bangongshi".into(),
            dept,
            parts: Vec::new(),
        }],
    }];
    let mut sheets = workbook::export::sheets(&orgs);
    edit(&mut sheets);
    std::fs::write(path, grid::write_xlsx(&sheets).unwrap()).unwrap();
}

fn set(sheets: &mut [grid::OutSheet], sheet: &str, header: &str, value: grid::Cell) {
    let s = sheets.iter_mut().find(|s| s.name == sheet).unwrap();
    let c = s.headers.iter().position(|(h, _)| h == header).unwrap();
    s.rows[0][c] = value;
}

#[test]
fn a_workbook_with_problems_names_each_at_its_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("清单.xlsx");
    edited_workbook(&book, |s| {
        set(s, "职责", "科室", grid::Cell::Text("办工室".into()));
        set(s, "岗位", "岗位名称", grid::Cell::Empty);
        set(
            s,
            "步骤",
            "工作流程",
            grid::Cell::Text("印章使用流程".into()),
        );
    });
    let out = dir.path().join("content");
    let o = zhize(&[
        "import",
        book.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("清单.xlsx: sheet 职责, row 2, column B (科室): no department “办工室” of 某市某局 in sheet 科室"),
        "{err}"
    );
    assert!(err.contains("hint: did you mean 办公室?"), "{err}");
    assert!(
        err.contains("sheet 岗位, row 2, column C (岗位名称): the 岗位名称 cell is empty"),
        "{err}"
    );
    assert!(
        err.contains("sheet 步骤, row 2, column C (工作流程): no 工作流程 “印章使用流程”"),
        "{err}"
    );
    assert!(err.contains("did you mean 印章使用工作流程?"), "{err}");
    assert!(err.contains("3 errors"), "{err}");
    assert!(!out.exists(), "nothing is written");
    // The same in Chinese, a clerk's language.
    let o = zhize(&[
        "import",
        "--lang",
        "zh",
        book.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    for needle in [
        "清单.xlsx: 表“职责”第 2 行 B 列（科室）：表“科室”里没有某市某局的“办工室”",
        "是不是要写“办公室”？",
        "表“岗位”第 2 行 C 列（岗位名称）：“岗位名称”是必填的，这一格却是空的",
        "表“步骤”第 2 行 C 列（工作流程）：表“工作流程”里这个科室",
        "是不是要写“印章使用工作流程”？",
        "导入失败；没有覆盖任何文件：3 个错误",
    ] {
        assert!(err.contains(needle), "{needle:?} missing in:\n{err}");
    }
}

#[test]
fn the_untouched_template_imports_to_nothing_to_import_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("模板.xlsx");
    let path = t.to_str().unwrap();
    let o = zhize(&["template", "xlsx", path]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = zhize(&["template", "xlsx", path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("file exists; not overwritten"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = zhize(&["template", "xlsx", path, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("content");
    let o = zhize(&["import", path, "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing to import"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    // The instruction sheet comes first and names every sheet.
    let sheets = grid::read_xlsx(&t).unwrap();
    assert_eq!(sheets[0].name, "说明");
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    for s in [
        "单位",
        "科室",
        "职责",
        "岗位",
        "职责分工",
        "廉政风险",
        "工作流程",
        "步骤",
        "表单",
        "权责事项",
        "通讯录",
    ] {
        assert!(names.contains(&s), "{names:?}");
    }
}

#[test]
fn a_workbook_of_odd_cells_is_reported_without_a_panic() {
    // Every column of every sheet filled with what a clerk might type: a huge number, a
    // fraction, a lone arrow, bars and blank lines: reported or read, never a panic.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("乱.xlsx");
    let odd = [
        grid::Cell::Text("→".into()),
        grid::Cell::Num(1e300),
        grid::Cell::Num(-3.5),
        grid::Cell::Text("第1列｜#0\n\n|".into()),
        grid::Cell::Text("#N/A".into()),
        grid::Cell::Num(99999999.0),
    ];
    edited_workbook(&book, |sheets| {
        for (k, s) in sheets.iter_mut().enumerate() {
            let width = s.headers.len();
            for i in 0..odd.len() {
                s.rows.push(
                    (0..width)
                        .map(|c| odd[(c + i + k) % odd.len()].clone())
                        .collect(),
                );
            }
        }
    });
    let out = dir.path().join("content");
    let o = zhize(&[
        "import",
        book.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("must be a whole number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_template_filled_in_by_a_clerk_imports_and_builds() {
    // Only names and texts, as a clerk types them: folders and file names come from pinyin,
    // a department is named by its name, a step by its procedure's name.
    let mut sheets = workbook::export::sheets(&[]);
    let mut fill = |sheet: &str, cells: &[(&str, &str)]| {
        let s = sheets.iter_mut().find(|s| s.name == sheet).unwrap();
        let mut row = s.row();
        for (h, v) in cells {
            row.text(h, v);
        }
    };
    fill("单位", &[("单位名称", "某市某局")]);
    fill("科室", &[("单位", "某市某局"), ("科室名称", "办公室")]);
    fill("科室", &[("单位", "某市某局"), ("科室名称", "财务科")]);
    fill(
        "职责",
        &[
            ("单位", "某市某局"),
            ("科室", "办公室"),
            ("职责内容", "负责文电工作。"),
        ],
    );
    fill(
        "岗位",
        &[
            ("单位", "某市某局"),
            ("科室", "办公室"),
            ("岗位名称", "文秘岗"),
            ("负责职责", "1"),
        ],
    );
    fill(
        "工作流程",
        &[
            ("单位", "某市某局"),
            ("科室", "办公室"),
            ("流程名称", "发文流程"),
        ],
    );
    for (label, actor) in [("拟稿", "文秘岗"), ("核稿", "财务科")] {
        fill(
            "步骤",
            &[
                ("单位", "某市某局"),
                ("科室", "办公室"),
                ("工作流程", "发文流程"),
                ("环节名称", label),
                ("责任主体", actor),
                ("分支", "不同意 → 拟稿｜退回"),
            ],
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("填好的.xlsx");
    std::fs::write(&book, grid::write_xlsx(&sheets).unwrap()).unwrap();
    let content = dir.path().join("content");
    let o = zhize(&[
        "import",
        book.to_str().unwrap(),
        "--output",
        content.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dept = std::fs::read_to_string(content.join("moushimouju/bangongshi.yaml")).unwrap();
    assert!(dept.contains("goto: 拟稿"), "{dept}");
    std::fs::write(dir.path().join("zhize.yaml"), "git_dates: false\n").unwrap();
    let o = zhize(&["build", "--root", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir
        .path()
        .join("public/moushimouju/bangongshi/index.html")
        .exists());
}
