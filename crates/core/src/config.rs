//! `zhize.yaml`: the site's own settings.

use serde::{Deserialize, Serialize};

/// Settings read from `zhize.yaml` at the site root. Every field has a default, so the file
/// may be missing or empty.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title shown in the header and the browser tab.
    pub title: String,
    pub description: Option<String>,
    /// Language of the site (`lang` attribute).
    pub language: String,
    /// Absolute URL of the published site; only used for sitemap.xml (written only when this
    /// is set). Links stay relative.
    pub base_url: Option<String>,
    /// The icon of the browser tab: a file under the site's (or theme's) `static/`; default
    /// the theme's `favicon.svg`.
    pub favicon: String,
    /// Where a page's source can be corrected (纠错): a URL prefix to which the source file's
    /// path from the site root is appended, e.g. `https://git.example/site/edit/main/`.
    pub edit_url: Option<String>,
    /// Theme folder name under `themes/`; `default` is embedded in the binary.
    pub theme: String,
    /// Keep raw HTML written inside Markdown (off by default: it is dropped).
    pub allow_html: bool,
    /// Link mentions of departments, posts, forms and outside bodies in text.
    pub auto_link: bool,
    /// Search synonyms: groups of words that mean the same (印章 = 公章).
    pub synonyms: Vec<Vec<String>>,
    /// More of the search thesaurus: an official term of the site's duty lists → the everyday
    /// words people ask with (`考勤: [打卡, 补卡]`), added to zhize's own (data/thesaurus/).
    pub thesaurus: std::collections::BTreeMap<String, Vec<String>>,
    /// Syntax highlighting theme for code blocks in Markdown (a syntect theme name).
    pub highlight_theme: String,
    /// Follow symbolic links in content/, static/, templates/ and themes/ that lead outside
    /// the site folder (off: such a link is an error, so that no file from elsewhere on the
    /// machine is published by accident).
    pub allow_outside_links: bool,
    /// Seconds one page may take to render before the build stops with an error naming the
    /// page and its template (a guard against theme templates that loop for ever).
    pub render_timeout: u64,
    /// Make the tantivy index of `zhize search` and `zhize serve` with every build (as
    /// `zhize build --index` does); otherwise those commands make it when they need it.
    pub search_index: bool,
    /// Categories of power items (权力类型) beyond zhize's own (行政许可 … 公共服务), in the
    /// order the 权责清单 view lists them after those.
    pub power_categories: Vec<String>,
    /// Show beside each page the date of the last git commit that changed its source file
    /// (when the site is in a git repository and git is installed).
    pub git_dates: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "职责清单".to_string(),
            description: None,
            language: "zh-CN".to_string(),
            base_url: None,
            favicon: "favicon.svg".to_string(),
            edit_url: None,
            theme: "default".to_string(),
            allow_html: false,
            auto_link: true,
            synonyms: Vec::new(),
            thesaurus: Default::default(),
            highlight_theme: "InspiredGitHub".to_string(),
            allow_outside_links: false,
            render_timeout: 60,
            search_index: false,
            power_categories: Vec::new(),
            git_dates: true,
        }
    }
}
