//! `zhize init` and `zhize new`: a new site that builds at once, and a new organisation or
//! department from a commented template in Chinese keys, so that a clerk starts from a file
//! that already loads and only fills it in. Files are created, never overwritten.

use std::path::{Path, PathBuf};
use zhize_core::diagnostic::Diagnostic;
use zhize_core::slug::slugify;

const ZHIZE_YAML: &str = "# 站点设置 (site settings). See docs/format.md.\ntitle: 职责清单\nlanguage: zh-CN\n# base_url: https://intranet.example/duties/   # only used in sitemap.xml (none without it)\n# edit_url: https://git.example/duties/edit/main/   # a 纠错 link to each page's source\n# allow_html: false\nsynonyms:\n  - [印章, 公章]\n  - [请假, 请销假]\n";

/// The example organisation's file; `{name}` is the organisation's name.
const ORG_YAML: &str = "name: {name}\naliases: [局]\nexternal:\n  - name: 市财政局\n";

/// A new organisation (`zhize new org`): the name, then every other key commented out with
/// an example, in Chinese keys.
const NEW_ORG_YAML: &str = r#"# {name}：单位信息。以 # 开头的行是说明或示例，去掉 # 即生效。
# 格式说明见 docs/format.md；改完后运行 zhize check 检查。
名称: {name}
# 别名: [简称, 常用名称]        # 别人怎么称呼本单位，搜索和链接都会认
# 主要职责: 一句话概述本单位的职能。
# 职责:                        # 本单位的主要职责，一条一行
#   - 贯彻执行……
#   - 负责……
# 编制:                        # 人员编制
#   行政编制: "10"
# 外部单位:                    # 经常打交道的外单位，文中提到时自动链接
#   - 名称: 市财政局
"#;

/// A new department (`zhize new dept`): the name, then every other key commented out with
/// an example, in Chinese keys.
const NEW_DEPT_YAML: &str = r#"# {name}：科室职责清单。以 # 开头的行是说明或示例，去掉 # 即生效。
# 格式说明见 docs/format.md；改完后运行 zhize check 检查。
名称: {name}
# 主要职责: 一句话概述本科室的职能。
# 职责:                          # 细化职责，一条一行
#   - 负责……
#   - 承担……
# 岗位:
#   - 名称: 科长岗
#     负责: [1, 2]               # 负责上面第几条职责
#     职责: [主持科室全面工作。]
# 职责分工:
#   内部分工:                    # 与本单位其他科室
#     - 协作: [办公室]
#       内容: 本科室负责……，办公室负责……。
#   外部协作:                    # 与外单位
#     - 协作: [市财政局]
#       内容: 按要求报送……。
# 廉政风险:
#   风险点: [审核把关不严。]
#   防控措施: [实行双人审核。]
# 工作流程:
#   - 名称: ……工作流程
#     步骤:
#       - {环节名称: 申请, 责任主体: 经办人, 内容: 填写申请表。}
#       - {环节名称: 审核, 责任主体: 科室负责人, 内容: 审核材料。, 时限: 2个工作日}
# 表单:
#   - 名称: ……申请表
#     行:
#       - [日期, 事由, 经办人, 审批人]
# 联系人:
#   - {姓名: 王某, 职务: 科长, 电话: "0000-0000000"}
"#;

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
/// `org` names the organisation (its folder is the name's pinyin); without it the site is an
/// example (示例局 in `content/example/`). Refuses to touch a folder that already has content.
pub fn init_site(dir: &Path, org: Option<&str>) -> Result<Vec<String>, Diagnostic> {
    if dir.join("zhize.yaml").exists() || dir.join("content").exists() {
        return Err(
            Diagnostic::error(format!("{} already holds a site", dir.display()))
                .hint("choose a new folder; zhize init never overwrites files")
                .zh(format!("{} 里已经有一个网站", dir.display()))
                .hint_zh("换一个新文件夹；zhize init 从不覆盖文件"),
        );
    }
    let name = org.map(str::trim).filter(|n| !n.is_empty());
    let folder = name.map_or_else(|| "example".to_string(), slugify);
    let name = name.unwrap_or("示例局");
    let org_yaml = ORG_YAML.replace("{name}", &yaml_text(name));
    let about = ABOUT_MD.replace("示例局", name);
    let files: [(String, &str); 5] = [
        ("zhize.yaml".into(), ZHIZE_YAML),
        (format!("content/{folder}/_org.yaml"), &org_yaml),
        (format!("content/{folder}/bangongshi.yaml"), OFFICE_YAML),
        (format!("content/{folder}/caiwuke.yaml"), FINANCE_YAML),
        ("content/pages/about.md".into(), &about),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let rel = rel.as_str();
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
                    .zh(format!("无法创建 {}：{e}", parent.display()))
            })?;
        }
        std::fs::write(&p, text).map_err(|e| {
            Diagnostic::error(format!("cannot write {}: {e}", p.display()))
                .zh(format!("无法写入 {}：{e}", p.display()))
        })?;
        written.push(rel.to_string());
    }
    std::fs::write(dir.join(".gitignore"), "public/\n.zhize/\n").map_err(|e| {
        Diagnostic::error(format!("cannot write .gitignore: {e}"))
            .zh(format!("无法写入 .gitignore：{e}"))
    })?;
    written.extend(editor_settings(dir)?);
    Ok(written)
}

/// The schemas of the content files in `.vscode/` and the settings that map them to the
/// files for the YAML language server (VS Code's YAML extension and others that read
/// `yaml.schemas`), so that editors complete and check keys as people type.
fn editor_settings(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    use zhize_core::schema::{schema_of, FileKind};
    let vscode = dir.join(".vscode");
    std::fs::create_dir_all(&vscode).map_err(|e| {
        Diagnostic::error(format!("cannot create {}: {e}", vscode.display()))
            .zh(format!("无法创建 {}：{e}", vscode.display()))
    })?;
    let mut written = Vec::new();
    for kind in FileKind::ALL {
        let rel = format!(".vscode/zhize-{}.schema.json", kind.name());
        let text = serde_json::to_string_pretty(&schema_of(kind)).unwrap_or_default();
        std::fs::write(dir.join(&rel), text).map_err(|e| {
            Diagnostic::error(format!("cannot write {rel}: {e}")).zh(format!("无法写入 {rel}：{e}"))
        })?;
        written.push(rel);
    }
    let settings = serde_json::json!({
        "yaml.schemas": {
            "./.vscode/zhize-org.schema.json": ["content/*/_org.yaml"],
            "./.vscode/zhize-dept.schema.json": ["content/*/[!_]*.yaml"],
            "./.vscode/zhize-part.schema.json": ["content/*/*/*.yaml"],
            "./.vscode/zhize-config.schema.json": ["zhize.yaml"],
        }
    });
    let rel = ".vscode/settings.json";
    std::fs::write(
        dir.join(rel),
        serde_json::to_string_pretty(&settings).unwrap_or_default(),
    )
    .map_err(|e| {
        Diagnostic::error(format!("cannot write {rel}: {e}")).zh(format!("无法写入 {rel}：{e}"))
    })?;
    written.push(rel.to_string());
    Ok(written)
}

/// A name as a YAML plain scalar where it can be one, quoted otherwise (a name with `: `, a
/// leading indicator or a trailing space would change the file's meaning).
fn yaml_text(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.contains(": ")
        && !name.contains(" #")
        && !name.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !name.ends_with(|c: char| c.is_whitespace() || c == ':');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Where `zhize new` put a file, for the message.
pub struct Created {
    pub path: PathBuf,
}

/// `zhize new org NAME`: `content/<id>/_org.yaml` from the commented template; `id` defaults
/// to the name's pinyin.
pub fn new_org(root: &Path, name: &str, id: Option<&str>) -> Result<Created, Diagnostic> {
    let name = checked_name(name, "organisation")?;
    let id = id.map_or_else(|| slugify(name), str::to_string);
    let path = root.join("content").join(&id).join("_org.yaml");
    create(&path, &NEW_ORG_YAML.replace("{name}", &yaml_text(name)))?;
    Ok(Created { path })
}

/// `zhize new dept NAME`: `content/<org>/<id>.yaml` from the commented template. `org` is an
/// organisation's folder; without it the site's only organisation is meant.
pub fn new_dept(
    root: &Path,
    name: &str,
    org: Option<&str>,
    id: Option<&str>,
) -> Result<Created, Diagnostic> {
    let name = checked_name(name, "department")?;
    let content = root.join("content");
    let orgs = org_folders(&content);
    let org = match org {
        Some(o) if orgs.iter().any(|f| f == o) => o.to_string(),
        Some(o) => {
            return Err(Diagnostic::error(format!(
                "there is no organisation folder content/{o}/ with an _org.yaml"
            ))
            .zh(format!("没有单位文件夹 content/{o}/（里面要有 _org.yaml）"))
            .hint(folders_hint(&orgs))
            .hint_zh(folders_hint_zh(&orgs)))
        }
        None if orgs.len() == 1 => orgs[0].clone(),
        None => {
            return Err(Diagnostic::error(
                "say which organisation the department belongs to: --org FOLDER",
            )
            .zh("请用 --org 文件夹名 说明科室属于哪个单位")
            .hint(folders_hint(&orgs))
            .hint_zh(folders_hint_zh(&orgs)))
        }
    };
    let id = id.map_or_else(|| slugify(name), str::to_string);
    if id.starts_with('_') {
        return Err(
            Diagnostic::error(format!("`{id}` cannot name a department file"))
                .hint("files whose name starts with _ are the organisation's own")
                .zh(format!("“{id}”不能作科室文件名"))
                .hint_zh("以 _ 开头的文件属于单位本身"),
        );
    }
    let path = content.join(org).join(format!("{id}.yaml"));
    create(&path, &NEW_DEPT_YAML.replace("{name}", &yaml_text(name)))?;
    Ok(Created { path })
}

fn checked_name<'a>(name: &'a str, what: &str) -> Result<&'a str, Diagnostic> {
    let name = name.trim();
    if name.is_empty() || name.contains(['\n', '\r']) {
        return Err(
            Diagnostic::error(format!("the {what} needs a name on one line"))
                .hint("e.g. zhize new dept 财务科")
                .zh("名称要写在一行里")
                .hint_zh("例如：zhize new dept 财务科"),
        );
    }
    Ok(name)
}

/// The organisation folders of `content/` (those with an `_org.yaml`), sorted.
fn org_folders(content: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("_org.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn folders_hint(orgs: &[String]) -> String {
    if orgs.is_empty() {
        "there is no organisation yet: create one with `zhize new org NAME`".to_string()
    } else {
        format!("organisation folders: {}", orgs.join(", "))
    }
}

fn folders_hint_zh(orgs: &[String]) -> String {
    if orgs.is_empty() {
        "还没有单位：先用 `zhize new org 单位名称` 建一个".to_string()
    } else {
        format!("已有的单位文件夹：{}", orgs.join("、"))
    }
}

/// Write a new file (and its folder); an existing file is never replaced.
fn create(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
                .zh(format!("无法创建 {}：{e}", parent.display()))
        })?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(format!("{} already exists", path.display()))
                    .hint("zhize new never replaces a file: edit it, or choose another --id")
                    .zh(format!("{} 已经存在", path.display()))
                    .hint_zh("zhize new 从不替换文件：直接编辑它，或用 --id 另起一个文件名")
            } else {
                Diagnostic::error(format!("cannot create {}: {e}", path.display()))
                    .zh(format!("无法创建 {}：{e}", path.display()))
            }
        })?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| {
        Diagnostic::error(format!("cannot write {}: {e}", path.display()))
            .zh(format!("无法写入 {}：{e}", path.display()))
    })
}
