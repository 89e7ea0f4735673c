//! `zhize init`: a new site that builds at once.

use crate::diagnostic::Diagnostic;
use std::path::Path;

const ZHIZE_YAML: &str = "# 站点设置 (site settings). See docs/format.md.\ntitle: 职责清单\nlanguage: zh-CN\n# base_url: https://intranet.example/duties/   # only used in sitemap.xml\n# allow_html: false\nsynonyms:\n  - [印章, 公章]\n  - [请假, 请销假]\n";

const ORG_YAML: &str = "name: 示例局\naliases: [局]\nexternal:\n  - name: 市财政局\n";

const OFFICE_YAML: &str = r#"name: 办公室
summary: 负责文电、会务、机要、档案等机关日常运转工作。
duties:
  - 负责文电、机要、档案工作。
  - 负责印章管理和使用。
  - {id: caigou, text: 负责办公用品采购，与财务科衔接资金支付。}
posts:
  - name: 文秘岗
    covers: [1, 2]
    duties: [负责公文收发、登记和归档。]
  - name: 行政岗
    covers: [caigou]
division:
  internal:
    - with: [财务科]
      text: 办公室负责采购审批，财务科负责资金支付审核。
  external:
    - with: [市财政局]
      text: 按市财政局要求报送预算。
procedures:
  - name: 印章使用工作流程
    steps:
      - {label: 申请, actor: 文秘岗, text: 用印人填写《印章使用审批登记表》。, forms: [印章使用审批登记表]}
      - label: 审核
        actor: 办公室
        text: 办公室负责人审核用印内容。
        limit: 1个工作日
        branches: [{when: 手续不全, goto: 申请, label: 退回}]
      - {label: 用印, actor: 文秘岗, text: 盖章并登记。}
forms:
  - name: 印章使用审批登记表
    rows:
      - [日期, 用印事由, 份数, 经办人, 审批人]
      - ["", "", "", "", ""]
contacts:
  - {name: 张三, role: 主任, phone: "0000-0000000"}
reviewed: 2020-07-01
"#;

const FINANCE_YAML: &str = "name: 财务科\nsummary: 负责机关财务管理，审核资金支出。\nduties:\n  - 负责预决算编制。\n  - 审核办公室提交的采购资金支付。\n";

const ABOUT_MD: &str =
    "---\ntitle: 关于本站\n---\n\n本站收录示例局各科室的职责清单。印章使用请先找办公室。\n";

/// Create a new site in `dir`: zhize.yaml, one organisation with two departments, a page.
/// Refuses to touch a folder that already has content.
pub fn init_site(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    if dir.join("zhize.yaml").exists() || dir.join("content").exists() {
        return Err(
            Diagnostic::error(format!("{} already holds a site", dir.display()))
                .hint("choose a new folder; zhize init never overwrites files"),
        );
    }
    let files: [(&str, &str); 5] = [
        ("zhize.yaml", ZHIZE_YAML),
        ("content/example/_org.yaml", ORG_YAML),
        ("content/example/bangongshi.yaml", OFFICE_YAML),
        ("content/example/caiwuke.yaml", FINANCE_YAML),
        ("content/pages/about.md", ABOUT_MD),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        std::fs::write(&p, text)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", p.display())))?;
        written.push(rel.to_string());
    }
    std::fs::write(dir.join(".gitignore"), "public/\n.zhize/\n")
        .map_err(|e| Diagnostic::error(format!("cannot write .gitignore: {e}")))?;
    Ok(written)
}
