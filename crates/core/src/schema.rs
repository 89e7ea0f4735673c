//! The JSON Schema of the content format, derived from the model types ([`crate::model`]) with
//! schemars, so that it never drifts from what the loader accepts: every key of every file,
//! with each of its Chinese aliases ([`crate::model::KEY_ALIASES`]) as a property of the same
//! schema, and no other key (the types deny unknown fields). `zhize schema` prints it, the
//! build writes it to `schema.json`, and `zhize init` maps it to the content files for editors
//! with the YAML language server.

use crate::model::{DeptFile, DeptPart, OrgFile, KEY_ALIASES};
use serde_json::{json, Map, Value};

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `content/<org>/_org.yaml`.
    Org,
    /// `content/<org>/<dept>.yaml`.
    Dept,
    /// `content/<org>/<dept>/*.yaml`: more posts, procedures, forms of a department.
    Part,
    /// `zhize.yaml` (no aliases: its keys are English only).
    Config,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [
        FileKind::Org,
        FileKind::Dept,
        FileKind::Part,
        FileKind::Config,
    ];

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Org => "org",
            FileKind::Dept => "dept",
            FileKind::Part => "part",
            FileKind::Config => "config",
        }
    }

    fn def(self) -> &'static str {
        match self {
            FileKind::Org => "OrgFile",
            FileKind::Dept => "DeptFile",
            FileKind::Part => "DeptPart",
            FileKind::Config => "Config",
        }
    }

    pub fn from_name(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The definitions of every file's type (`$defs`), aliases added.
fn definitions() -> Map<String, Value> {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    generator.subschema_for::<OrgFile>();
    generator.subschema_for::<DeptFile>();
    generator.subschema_for::<DeptPart>();
    let mut defs = generator.take_definitions(true);
    for v in defs.values_mut() {
        add_aliases(v);
    }
    // zhize.yaml is read as it is written: no aliases.
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    generator.subschema_for::<crate::config::Config>();
    defs.extend(generator.take_definitions(true));
    defs
}

/// The schema of one kind of file, as a document of its own.
pub fn schema_of(kind: FileKind) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("zhize {} file", kind.name()),
        "$ref": format!("#/$defs/{}", kind.def()),
        "$defs": definitions(),
    })
}

/// The schema of the whole content format: a content file is an organisation's, a
/// department's or a department part's; `$defs` has each (and `Config`, zhize.yaml's).
pub fn schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "zhize content file",
        "description": "A YAML file of a zhize site's content/: _org.yaml (OrgFile), a department (DeptFile) or a department's part (DeptPart). Keys are English; each has Chinese aliases.",
        "anyOf": [
            {"$ref": "#/$defs/OrgFile"},
            {"$ref": "#/$defs/DeptFile"},
            {"$ref": "#/$defs/DeptPart"},
        ],
        "$defs": definitions(),
    })
}

/// Give every property that has aliases the same schema under each alias, in every object
/// schema inside `v`.
fn add_aliases(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                let keys: Vec<String> = props.keys().cloned().collect();
                for k in keys {
                    let Some((_, aliases)) = KEY_ALIASES.iter().find(|(c, _)| *c == k) else {
                        continue;
                    };
                    let sub = props[&k].clone();
                    for a in *aliases {
                        props.entry(a.to_string()).or_insert_with(|| sub.clone());
                    }
                }
            }
            for child in map.values_mut() {
                add_aliases(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_aliases),
        _ => {}
    }
}
