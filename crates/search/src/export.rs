//! The search documents for engines beyond one machine (`zhize export search`): an index
//! definition and a bulk request for OpenSearch (whose bulk format Quickwit's
//! Elasticsearch-compatible API also takes), and an index configuration and one document a
//! line for Quickwit. The documents are those of `zhize search`, each under a stable id (its
//! url), so that exporting again and sending the bulk request again replaces them.

use super::docs::SearchDoc;
use serde_json::json;
use std::collections::HashMap;
use zhize_core::OutputFile;

/// The index name both definitions use (send the files as they are, or change it in all).
pub const INDEX: &str = "zhize";

/// The text fields, searched by default, most telling first.
const TEXT_FIELDS: [&str; 6] = ["title", "aliases", "department", "post", "org", "body"];

/// The files of the export: `opensearch-index.json`, `opensearch-bulk.ndjson`,
/// `quickwit-index.yaml` and `documents.ndjson`.
pub fn files(docs: &[SearchDoc]) -> Vec<OutputFile> {
    let records = records(docs);
    let mut bulk = String::new();
    let mut lines = String::new();
    for r in &records {
        let action = json!({"index": {"_index": INDEX, "_id": r["id"]}});
        bulk.push_str(&format!("{action}\n{r}\n"));
        lines.push_str(&format!("{r}\n"));
    }
    let file = |path: &str, bytes: String| OutputFile {
        path: path.into(),
        bytes: bytes.into_bytes(),
    };
    vec![
        file("opensearch-index.json", opensearch_index()),
        file("opensearch-bulk.ndjson", bulk),
        file("quickwit-index.yaml", quickwit_index()),
        file("documents.ndjson", lines),
    ]
}

/// Each document as a JSON object: its fields, the kind's Chinese label, and an id, its url
/// (`~2`, `~3` … after it where several documents share one).
fn records(docs: &[SearchDoc]) -> Vec<serde_json::Value> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    docs.iter()
        .map(|d| {
            let n = seen.entry(d.url.as_str()).or_default();
            *n += 1;
            let id = match *n {
                1 => d.url.clone(),
                n => format!("{}~{n}", d.url),
            };
            json!({
                "id": id,
                "kind": d.kind.name(),
                "kind_label": d.kind.label(),
                "title": d.title,
                "url": d.url,
                "org": d.org,
                "department": d.department,
                "post": d.post,
                "aliases": d.aliases,
                "body": d.body,
                "incomplete": d.incomplete,
            })
        })
        .collect()
}

/// The OpenSearch index (`PUT /zhize` with this body): Chinese text cut into bigrams, as
/// zhize does, by the engine's own CJK filters; kinds, urls and ids as keywords; organisation
/// and department also as keywords, to filter and count by.
fn opensearch_index() -> String {
    let mut properties = serde_json::Map::new();
    for f in ["id", "kind", "kind_label", "url"] {
        properties.insert(f.into(), json!({"type": "keyword"}));
    }
    for f in TEXT_FIELDS {
        let mut field = json!({"type": "text", "analyzer": "zhize_cjk"});
        if f == "org" || f == "department" {
            field["fields"] = json!({"keyword": {"type": "keyword"}});
        }
        properties.insert(f.into(), field);
    }
    properties.insert("incomplete".into(), json!({"type": "boolean"}));
    let index = json!({
        "settings": {
            "analysis": {
                "analyzer": {
                    "zhize_cjk": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram"]
                    }
                }
            }
        },
        "mappings": {"dynamic": "strict", "properties": properties}
    });
    serde_json::to_string_pretty(&index).unwrap_or_default() + "\n"
}

/// The Quickwit index configuration (`quickwit index create --index-config` with this file):
/// Chinese text by Quickwit's `chinese_compatible` tokenizer, kinds, urls and ids whole.
fn quickwit_index() -> String {
    let mut fields = Vec::new();
    for f in ["id", "kind", "kind_label", "url"] {
        fields.push(json!({"name": f, "type": "text", "tokenizer": "raw"}));
    }
    for f in TEXT_FIELDS {
        fields.push(json!({
            "name": f, "type": "text", "tokenizer": "chinese_compatible", "record": "position"
        }));
    }
    fields.push(json!({"name": "incomplete", "type": "bool"}));
    let config = json!({
        "version": "0.8",
        "index_id": INDEX,
        "doc_mapping": {"mode": "strict", "field_mappings": fields},
        "search_settings": {"default_search_fields": TEXT_FIELDS},
    });
    serde_yaml::to_string(&config).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::Kind;

    fn doc(kind: Kind, title: &str, url: &str) -> SearchDoc {
        SearchDoc {
            kind,
            title: title.into(),
            url: url.into(),
            org: "某市某局".into(),
            department: "办公室".into(),
            post: String::new(),
            aliases: String::new(),
            body: "负责印章管理。\"引号\"</script>".into(),
            incomplete: false,
        }
    }

    #[test]
    fn every_document_is_exported_once_under_its_own_id_with_the_fields_both_indexes_define() {
        let docs = vec![
            doc(Kind::Department, "办公室", "a/bgs/index.html"),
            doc(Kind::Duty, "印章管理", "a/bgs/index.html#duty-1"),
            doc(Kind::Contact, "张三", "contacts.html"),
            doc(Kind::Contact, "李四", "contacts.html"),
        ];
        let files = files(&docs);
        let text = |name: &str| {
            let f = files.iter().find(|f| f.path == name).unwrap();
            String::from_utf8(f.bytes.clone()).unwrap()
        };
        // documents.ndjson: one object a line, ids distinct, every field of the mapping.
        let lines: Vec<serde_json::Value> = text("documents.ndjson")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), docs.len());
        let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "a/bgs/index.html",
                "a/bgs/index.html#duty-1",
                "contacts.html",
                "contacts.html~2"
            ]
        );
        assert_eq!(lines[1]["kind"], "duty");
        assert_eq!(lines[1]["kind_label"], "职责");
        assert_eq!(lines[1]["body"], docs[1].body);
        // The OpenSearch bulk body: an action line naming the index and the id, then the
        // document, for each.
        let bulk: Vec<serde_json::Value> = text("opensearch-bulk.ndjson")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(bulk.len(), 2 * docs.len());
        for (pair, line) in bulk.chunks(2).zip(&lines) {
            assert_eq!(pair[0]["index"]["_index"], INDEX);
            assert_eq!(pair[0]["index"]["_id"], line["id"]);
            assert_eq!(&pair[1], line);
        }
        // Both index definitions name exactly the fields of a document (their mappings are
        // strict: a field they lack would be refused).
        let mut keys: Vec<String> = lines[0].as_object().unwrap().keys().cloned().collect();
        keys.sort();
        let os: serde_json::Value = serde_json::from_str(&text("opensearch-index.json")).unwrap();
        let mut os_fields: Vec<String> = os["mappings"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        os_fields.sort();
        assert_eq!(os_fields, keys);
        assert_eq!(
            os["mappings"]["properties"]["body"]["analyzer"],
            "zhize_cjk"
        );
        assert!(os["settings"]["analysis"]["analyzer"]["zhize_cjk"].is_object());
        let qw: serde_json::Value = serde_yaml::from_str(&text("quickwit-index.yaml")).unwrap();
        assert_eq!(qw["index_id"], INDEX);
        let mut qw_fields: Vec<String> = qw["doc_mapping"]["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        qw_fields.sort();
        assert_eq!(qw_fields, keys);
        for f in qw["search_settings"]["default_search_fields"]
            .as_array()
            .unwrap()
        {
            assert!(keys.contains(&f.as_str().unwrap().to_string()));
        }
    }
}
