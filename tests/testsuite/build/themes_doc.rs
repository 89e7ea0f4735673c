//! docs/themes.md lists every variable a template receives, with its type: the data of every
//! page of the demonstration site and of the mini fixture, with people and a reviewer added
//! (`Renderer::page_data`, serialised as the template gets it), is checked against the tables
//! there, both ways. A field added to a page's data (`crates/site/src/render/context.rs`) and
//! not to the docs fails, and so does a documented field that no page has any more, or a value
//! of a kind the docs do not give (a null where the type does not say `or null`).
//!
//! The tables are read as a small schema. A row is `` | `path` | type | meaning | ``, where
//! `dept.duties[].anchor` is the `anchor` of each item of the list `dept.duties`; several
//! paths may share a row. A type names the kind of value (`string`, `HTML`, `number`, `bool`,
//! `list`, `object`, `or null`) or one of the shapes of "## Shapes" (`link`, `name link` …),
//! whose own table then applies to the value (to each item of a list); more keys of the same
//! object are listed as rows of their own (`orgs[].counts`).

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use zhize::render::Renderer;

/// Path → type, for one section of the docs.
type Schema = BTreeMap<String, String>;

/// The tables of docs/themes.md: the common section, the shapes, and one section per
/// template (`views/*.html` for what every organisation view has).
struct Doc {
    common: Schema,
    shapes: BTreeMap<String, Schema>,
    templates: BTreeMap<String, Schema>,
}

impl Doc {
    fn parse(text: &str) -> Doc {
        let mut doc = Doc {
            common: Schema::new(),
            shapes: BTreeMap::new(),
            templates: BTreeMap::new(),
        };
        // Where rows go: None outside the sections the test reads.
        enum At {
            None,
            Common,
            Shape(String),
            Template(String),
        }
        let mut at = At::None;
        let mut in_shapes = false;
        for line in text.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                in_shapes = h.trim() == "Shapes";
                at = if h.contains("Variables every template receives") {
                    At::Common
                } else {
                    At::None
                };
            } else if let Some(h) = line.strip_prefix("### ") {
                let template = backticked(h).into_iter().find(|t| t.ends_with(".html"));
                at = match template {
                    Some(t) => At::Template(t),
                    None if in_shapes => At::Shape(h.trim().to_string()),
                    None => At::None,
                };
            } else if line.starts_with('|') {
                let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
                if cells.len() < 2 {
                    continue;
                }
                let schema = match &at {
                    At::None => continue,
                    At::Common => &mut doc.common,
                    At::Shape(s) => doc.shapes.entry(s.clone()).or_default(),
                    At::Template(t) => doc.templates.entry(t.clone()).or_default(),
                };
                for path in backticked(cells[0]) {
                    schema.insert(path, cells[1].trim().to_string());
                }
            }
            if let At::Template(t) = &at {
                doc.templates.entry(t.clone()).or_default();
            }
        }
        doc
    }

    /// The shape a type names, if any: the longest shape name in it.
    fn shape_of(&self, ty: &str) -> Option<&str> {
        self.shapes
            .keys()
            .filter(|s| ty.contains(s.as_str()))
            .max_by_key(|s| s.len())
            .map(String::as_str)
    }
}

/// The `code` spans of a Markdown line.
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// A schema in use while walking a value: which one, and the path within it.
#[derive(Clone)]
struct Frame<'d> {
    name: &'d str,
    schema: &'d Schema,
    prefix: String,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Walks page data against the docs, collecting problems and the rows it used.
struct Checker<'d> {
    doc: &'d Doc,
    /// (schema name, path) of every row some value matched.
    used: BTreeSet<(String, String)>,
    /// The templates of the pages checked.
    templates: BTreeSet<&'d str>,
    /// Each problem, with the first page it was seen on.
    problems: BTreeMap<String, String>,
}

impl<'d> Checker<'d> {
    fn new(doc: &'d Doc) -> Checker<'d> {
        Checker {
            doc,
            used: BTreeSet::new(),
            templates: BTreeSet::new(),
            problems: BTreeMap::new(),
        }
    }

    fn problem(&mut self, what: String, page: &str) {
        self.problems
            .entry(what)
            .or_insert_with(|| page.to_string());
    }

    /// The data of one page, rendered with `template`, against its sections.
    fn page(&mut self, value: &Value, template: &'d str, page: &str) {
        let doc = self.doc;
        self.templates.insert(template);
        let Some(own) = doc.templates.get(template) else {
            let what = format!("{template} has no \"### `{template}`\" section");
            self.problem(what, page);
            return;
        };
        let mut frames = vec![
            Frame {
                name: template,
                schema: own,
                prefix: String::new(),
            },
            Frame {
                name: "common",
                schema: &doc.common,
                prefix: String::new(),
            },
        ];
        if template.starts_with("views/") {
            frames.push(Frame {
                name: "views/*.html",
                schema: doc
                    .templates
                    .get("views/*.html")
                    .expect("a \"### `views/*.html`\" section in docs/themes.md"),
                prefix: String::new(),
            });
        }
        self.value(value, page, &frames, None);
    }

    /// What the docs list that no page checked has: rows no value matched, and sections of
    /// templates no page uses.
    fn stale(&self) -> Vec<String> {
        let doc = self.doc;
        let mut schemas: Vec<(&str, &Schema)> = vec![("common", &doc.common)];
        schemas.extend(doc.shapes.iter().map(|(n, s)| (n.as_str(), s)));
        for (t, schema) in &doc.templates {
            if self.templates.contains(t.as_str()) || t == "views/*.html" {
                schemas.push((t, schema));
            }
        }
        let mut out: Vec<String> = schemas
            .into_iter()
            .flat_map(|(name, schema)| schema.keys().map(move |path| (name, path)))
            .filter(|(name, path)| !self.used.contains(&(name.to_string(), path.to_string())))
            .map(|(name, path)| format!("`{path}` ({name}) is on no page"))
            .collect();
        for t in doc.templates.keys() {
            if t != "views/*.html" && !self.templates.contains(t.as_str()) {
                out.push(format!("{t} is documented, but no page uses it"));
            }
        }
        out
    }

    /// A value found under `frames`, with `shape` applying to it (or its items).
    fn value(&mut self, v: &Value, page: &str, frames: &[Frame<'d>], shape: Option<&'d str>) {
        match v {
            Value::Object(map) => {
                let mut frames = frames.to_vec();
                if let Some(s) = shape {
                    frames.push(Frame {
                        name: s,
                        schema: &self.doc.shapes[s],
                        prefix: String::new(),
                    });
                }
                for (k, child) in map {
                    self.key(k, child, page, &frames);
                }
            }
            Value::Array(items) => {
                let frames: Vec<Frame> = frames
                    .iter()
                    .map(|f| Frame {
                        prefix: format!("{}[]", f.prefix),
                        ..f.clone()
                    })
                    .collect();
                for item in items {
                    self.value(item, page, &frames, shape);
                }
            }
            _ => {}
        }
    }

    fn key(&mut self, k: &str, v: &Value, page: &str, frames: &[Frame<'d>]) {
        let mut ty = None;
        for f in frames {
            let path = join(&f.prefix, k);
            if let Some(t) = f.schema.get(&path) {
                self.used.insert((f.name.to_string(), path));
                ty.get_or_insert(t.as_str());
            }
        }
        let path = join(&frames[0].prefix, k);
        let Some(ty) = ty else {
            self.problem(format!("`{path}` is not documented"), page);
            return;
        };
        if let Some(kind) = kind_missing(v, ty, self.doc.shape_of(ty).is_some()) {
            self.problem(
                format!("`{path}` is {kind}, but documented as `{ty}`"),
                page,
            );
        }
        let deeper: Vec<Frame> = frames
            .iter()
            .map(|f| Frame {
                prefix: join(&f.prefix, k),
                ..f.clone()
            })
            .collect();
        self.value(v, page, &deeper, self.doc.shape_of(ty));
    }
}

/// The kind of `v` when the documented type `ty` does not allow it.
fn kind_missing(v: &Value, ty: &str, names_shape: bool) -> Option<&'static str> {
    let (kind, ok) = match v {
        Value::Null => ("null", ty.contains("null")),
        Value::Bool(_) => ("a bool", ty.contains("bool")),
        Value::Number(_) => ("a number", ty.contains("number")),
        Value::String(_) => ("a string", ty.contains("string") || ty.contains("HTML")),
        Value::Array(_) => ("a list", ty.starts_with("list")),
        Value::Object(_) => ("an object", ty.contains("object") || names_shape),
    };
    (!ok).then_some(kind)
}

#[test]
fn docs_themes_lists_every_variable_of_every_page() {
    let text = std::fs::read_to_string(repo().join("docs/themes.md")).unwrap();
    let doc = Doc::parse(&text);
    assert!(
        doc.shapes.contains_key("link") && !doc.common.is_empty(),
        "docs/themes.md lost its \"## Shapes\" or \"Variables every template receives\" tables"
    );
    // The demo, and the mini fixture with what the demo has none of: people, a reviewer.
    let mini = mini_site();
    let org_yaml = mini.path().join("content/shiju/_org.yaml");
    let yaml = std::fs::read_to_string(&org_yaml).unwrap().replace(
        "reviewed: 2024-01-02",
        "reviewed: {date: 2024-01-02, by: 办公室}\npeople:\n  - {name: 王某, role: 局长, department: 办公室, phone: \"0631-5200000\"}\n  - {name: 李某, phone: \"0631-5200001\"}",
    );
    std::fs::write(&org_yaml, yaml).unwrap();
    let mut checker = Checker::new(&doc);
    // And the lists fixture: power items, risk records, 三定 facts.
    let lists = repo().join("tests/fixtures/lists");
    for root in [repo(), mini.path().to_path_buf(), lists] {
        let site = zhize::check(&root);
        assert!(!site.diagnostics.has_errors(), "{}", root.display());
        let renderer = Renderer::new(&site).unwrap_or_else(|e| panic!("{e:?}"));
        for job in renderer.jobs() {
            let (template, data) = renderer.page_data(job);
            let value = serde_json::to_value(&data).unwrap();
            checker.page(&value, template, &renderer.path_of(job));
        }
    }
    let mut problems: Vec<String> = (checker.problems.iter())
        .map(|(what, page)| format!("{what} (first on {page})"))
        .collect();
    problems.extend(checker.stale());
    assert!(
        problems.is_empty(),
        "docs/themes.md and the page data (crates/site/src/render/context.rs) differ:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_docs_checker_catches_an_undocumented_and_a_stale_field() {
    let doc = Doc::parse(
        "## Variables every template receives\n\n| Variable | Type | Value |\n|---|---|---|\n\
         | `title` | string | |\n\n## Shapes\n\n### link\n\n| Key | Type | Value |\n|---|---|---|\n\
         | `name` | string | |\n| `url` | string | |\n\n## Pages\n\n### `x.html`\n\n\
         | Variable | Type | Value |\n|---|---|---|\n| `items` | list of links | |\n\
         | `items[].n` | number | |\n| `gone` | string | |\n",
    );
    assert_eq!(doc.shape_of("list of links"), Some("link"));
    let mut checker = Checker::new(&doc);
    let page = serde_json::json!({
        "title": "t",
        "items": [{"name": "a", "url": "a.html", "n": 1, "extra": true}],
    });
    checker.page(&page, "x.html", "x.html");
    let problems: Vec<&String> = checker.problems.keys().collect();
    assert_eq!(problems, ["`items[].extra` is not documented"]);
    assert_eq!(checker.stale(), ["`gone` (x.html) is on no page"]);
}
