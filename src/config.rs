//! `zhize.yaml`: the site's own settings.

use serde::{Deserialize, Serialize};

/// Settings read from `zhize.yaml` at the site root. Every field has a default, so the file
/// may be missing or empty.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title shown in the header and the browser tab.
    pub title: String,
    pub description: Option<String>,
    /// Language of the site (`lang` attribute).
    pub language: String,
    /// Absolute URL of the published site; only used for sitemap.xml. Links stay relative.
    pub base_url: Option<String>,
    /// Theme folder name under `themes/`; `default` is embedded in the binary.
    pub theme: String,
    /// Keep raw HTML written inside Markdown (off by default: it is dropped).
    pub allow_html: bool,
    /// Link mentions of departments, posts, forms and outside bodies in text.
    pub auto_link: bool,
    /// Search synonyms: groups of words that mean the same (印章 = 公章).
    pub synonyms: Vec<Vec<String>>,
    /// Syntax highlighting theme for code blocks in Markdown (a syntect theme name).
    pub highlight_theme: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "职责清单".to_string(),
            description: None,
            language: "zh-CN".to_string(),
            base_url: None,
            theme: "default".to_string(),
            allow_html: false,
            auto_link: true,
            synonyms: Vec::new(),
            highlight_theme: "InspiredGitHub".to_string(),
        }
    }
}
