//! Synthetic content for benchmarks and scale tests:
//!
//! ```sh
//! cargo run --release --example gen -- N OUTDIR [SEEDDIR] [--powers M]
//! ```
//!
//! writes a site (`OUTDIR/zhize.yaml`, `OUTDIR/content/…`) of N organisations shaped like the
//! demonstration content — per organisation about ten departments with detailed duties, posts
//! covering them, division of work naming other departments and outside bodies, integrity
//! risks, procedures whose steps name actors, forms and branches, forms with rows, and a few
//! Markdown pages. Every sentence is taken from the seed documents (`tests/seeds/*.txt`, or
//! SEEDDIR), so the text has the length, characters and punctuation of real duty lists, and
//! department names are woven into it so that mention linking and backlinks have real work.
//!
//! N = 3 matches the demonstration content in size (3 organisations, ~31 departments, ~200
//! procedures, ~480 pages); N = 30 and N = 300 are 10× and 100×. The output depends only on
//! N and the seeds: a fixed-seed SplitMix64 generator (inline, below) makes every choice, and
//! organisation `k` is the same whatever N is.
//!
//! With `--powers M`, each organisation also gets a 权责清单 of M power items (in `_org.yaml`,
//! each naming its department), built from fixed word lists: names, categories, legal bases
//! with articles, responsibilities, accountability cases, and steps for some. Without it there
//! are none, so the other benchmarks' sites stay as they were.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use zhize::model::{
    Branch, DeptFile, Division, DivisionFull, DivisionItem, Duty, ExternalBody, Form, OrgFile,
    Post, Procedure, RiskPoint, Risks, Scalar, Step,
};

/// SplitMix64: tiny, fast, and good enough to pick sentences; fixed seed per organisation.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5EED_2024_D07E_11A7)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.range(0, i));
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const CITIES: &[&str] = &[
    "威海", "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "日照", "临沂",
    "德州", "聊城", "滨州", "菏泽", "荣成", "文登", "乳山", "章丘", "莱芜", "即墨", "胶州", "平度",
    "莱西", "寿光", "诸城", "青州", "曲阜", "邹城", "新泰", "肥城",
];
const BUREAUS: &[&str] = &[
    "生态环境局",
    "工业和信息化局",
    "人民政府研究室",
    "财政局",
    "交通运输局",
    "住房和城乡建设局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "市场监督管理局",
    "自然资源和规划局",
    "水务局",
    "统计局",
    "审计局",
];
const DEPTS: &[&str] = &[
    "办公室",
    "政工科",
    "财务审计科",
    "政策法规科",
    "综合科",
    "规划与技术改造科",
    "经济运行监测科",
    "科技科",
    "电子信息科",
    "产业政策科",
    "大气环境科",
    "水生态环境科",
    "土壤与固体废物管理科",
    "应急与督查科",
    "信访科",
    "行政审批服务科",
    "安全生产监督管理科",
    "宣传教育科",
    "统计信息科",
    "项目管理科",
    "人事教育科",
    "监督检查科",
    "公共服务研究处",
    "经济建设研究处",
];
const EXTERNALS: &[&str] = &[
    "市财政局",
    "市人力资源社会保障局",
    "市发展改革委",
    "市委组织部",
    "市委编办",
    "市审计局",
    "市统计局",
    "市应急管理局",
    "市自然资源和规划局",
    "市住房城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市商务局",
    "市市场监管局",
    "市公安局",
    "市司法局",
    "市档案馆",
    "市大数据中心",
    "市行政审批服务局",
    "市信访局",
    "市委宣传部",
    "市委网信办",
    "市科技局",
    "市教育局",
    "市民政局",
    "市生态环境局",
    "市水务局",
    "市卫生健康委",
    "市文化和旅游局",
    "市退役军人事务局",
    "市税务局",
    "市消防救援支队",
];
const POSTS: &[&str] = &[
    "主任岗",
    "副主任岗",
    "文秘岗",
    "行政岗",
    "综合岗",
    "业务岗",
    "统计岗",
    "审核岗",
    "会计岗",
    "出纳岗",
    "档案岗",
    "信息岗",
];
const FORMS: &[&str] = &[
    "审批表",
    "登记表",
    "申请表",
    "备案表",
    "台账",
    "情况汇总表",
    "督办单",
    "报销单",
];
const STEPS: &[&str] = &[
    "申请", "受理", "初审", "审核", "复核", "会签", "审批", "办理", "反馈", "归档",
];
const LIMITS: &[&str] = &["1个工作日", "3个工作日", "5个工作日", "即时办理", "15日内"];

/// Sentences and paragraphs cut from the seed documents.
struct Material {
    sentences: Vec<String>,
    paragraphs: Vec<String>,
    /// Short noun phrases for procedure and form names.
    topics: Vec<String>,
}

impl Material {
    fn read(dir: &Path) -> Material {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read the seeds in {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let (mut sentences, mut paragraphs, mut topics) = (Vec::new(), Vec::new(), Vec::new());
        for f in &files {
            let (text, _) = zhize::load::read_text(f).unwrap_or_else(|d| panic!("{d:?}"));
            for line in text.lines().map(str::trim) {
                let n = line.chars().count();
                if line.contains('\t') || n < 12 {
                    continue;
                }
                if (30..=400).contains(&n) {
                    paragraphs.push(line.to_string());
                }
                for s in line.split_inclusive(['。', '；']) {
                    let s = s.trim();
                    let k = s.chars().count();
                    if (12..=160).contains(&k) && s.starts_with(|c: char| !c.is_ascii()) {
                        sentences.push(s.to_string());
                    }
                }
                // 负责XXXX工作 → XXXX as a topic.
                for part in line.split(['，', '。', '；', '、']) {
                    if let Some(t) = part.strip_prefix("负责") {
                        let t = t.trim_end_matches("工作");
                        let k = t.chars().count();
                        if (3..=10).contains(&k) && !t.contains(['（', '(', '《', '“', ' ']) {
                            topics.push(t.to_string());
                        }
                    }
                }
            }
        }
        topics.sort();
        topics.dedup();
        assert!(
            sentences.len() > 100 && topics.len() > 20,
            "too little text in {}",
            dir.display()
        );
        Material {
            sentences,
            paragraphs,
            topics,
        }
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        rng.pick(&self.sentences).clone()
    }
    fn sentences(&self, rng: &mut Rng, lo: usize, hi: usize) -> String {
        (0..rng.range(lo, hi)).map(|_| self.sentence(rng)).collect()
    }
}

/// `name` woven into a seed sentence, as duty lists do (“会同财务审计科…”).
fn naming(m: &Material, rng: &mut Rng, name: &str) -> String {
    let verb = *rng.pick(&["会同", "配合", "协调", "商"]);
    format!("{verb}{name}{}", m.sentence(rng).trim_start_matches("负责"))
}

fn org(m: &Material, k: usize) -> (String, OrgFile, Vec<(String, DeptFile)>, Vec<String>) {
    let mut rng = Rng::new(k as u64);
    let city = CITIES[k % CITIES.len()];
    let bureau = BUREAUS[(k / CITIES.len() + k) % BUREAUS.len()];
    let round = k / (CITIES.len() * BUREAUS.len());
    let name = if round == 0 {
        format!("{city}市{bureau}")
    } else {
        format!("{city}市{bureau}（第{}批）", round + 1)
    };
    let folder = format!("org-{k:04}");
    // Outside bodies, some departments of this organisation, and their names.
    let externals: Vec<&str> = {
        let mut v: Vec<&str> = EXTERNALS.to_vec();
        rng.shuffle(&mut v);
        v.truncate(rng.range(20, 32));
        v
    };
    let dept_names: Vec<&str> = {
        let mut v: Vec<&str> = DEPTS[1..].to_vec();
        rng.shuffle(&mut v);
        v.truncate(rng.range(6, 13));
        v.insert(0, DEPTS[0]);
        v
    };
    let org = OrgFile {
        name: name.clone(),
        aliases: vec![format!("{city}{bureau}")],
        summary: Some(m.sentences(&mut rng, 2, 4)),
        duties: (0..rng.range(6, 14))
            .map(|_| Duty::Text(m.sentences(&mut rng, 1, 3)))
            .collect(),
        external: externals
            .iter()
            .map(|e| ExternalBody {
                name: e.to_string(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let mut forms_taken = std::collections::HashSet::new();
    let depts = dept_names
        .iter()
        .enumerate()
        .map(|(di, dname)| {
            let others: Vec<&str> = dept_names.iter().filter(|d| *d != dname).copied().collect();
            let n_duties = rng.range(6, 22);
            let duties: Vec<Duty> = (0..n_duties)
                .map(|_| {
                    Duty::Text(if rng.chance(15) {
                        let other = rng.clone_pick(&others);
                        naming(m, &mut rng, other)
                    } else {
                        m.sentence(&mut rng)
                    })
                })
                .collect();
            let posts: Vec<Post> = if rng.chance(55) {
                let mut names: Vec<&str> = POSTS.to_vec();
                rng.shuffle(&mut names);
                names.truncate(rng.range(2, 7));
                names
                    .iter()
                    .map(|p| {
                        let a = rng.range(1, n_duties);
                        let b = rng.range(a, n_duties.min(a + 4));
                        Post {
                            name: format!("{dname}{p}"),
                            covers: vec![Scalar::Text(format!("{a}-{b}"))],
                            duties: (0..rng.range(3, 7)).map(|_| m.sentence(&mut rng)).collect(),
                            ..Default::default()
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let forms: Vec<Form> = (0..rng.range(0, 4))
                .filter_map(|_| {
                    let name = format!("{}{}", rng.pick(&m.topics), rng.pick(FORMS));
                    forms_taken.insert(name.clone()).then(|| Form {
                        rows: (0..rng.range(3, 8))
                            .map(|r| {
                                (0..rng.range(2, 4))
                                    .map(|c| {
                                        if r == 0 || c == 0 {
                                            rng.pick(&m.topics).clone()
                                        } else {
                                            String::new()
                                        }
                                    })
                                    .collect()
                            })
                            .collect(),
                        notes: vec![m.sentence(&mut rng)],
                        name,
                        ..Default::default()
                    })
                })
                .collect();
            let form_names: Vec<String> = forms.iter().map(|f| f.name.clone()).collect();
            let procedures: Vec<Procedure> = (0..rng.range(2, 11))
                .map(|pi| {
                    let n_steps = rng.range(3, 10);
                    let steps: Vec<Step> = (0..n_steps)
                        .map(|si| {
                            let actor = if !posts.is_empty() && rng.chance(40) {
                                rng.pick(&posts).name.clone()
                            } else if rng.chance(25) {
                                rng.clone_pick(&others).to_string()
                            } else {
                                dname.to_string()
                            };
                            Step {
                                label: Some(format!("{}{}", STEPS[si % STEPS.len()], si + 1)),
                                actor: Some(actor),
                                text: Some(m.sentences(&mut rng, 1, 2)),
                                limit: rng.chance(40).then(|| rng.pick(LIMITS).to_string()),
                                forms: if !form_names.is_empty() && rng.chance(20) {
                                    vec![rng.pick(&form_names).clone()]
                                } else {
                                    vec![]
                                },
                                branches: if si >= 2 && rng.chance(15) {
                                    vec![Branch {
                                        when: "材料不全或不符合要求".into(),
                                        goto: Some(Scalar::Int(rng.range(1, si) as i64)),
                                        label: Some("退回".into()),
                                    }]
                                } else {
                                    vec![]
                                },
                                parallel: if rng.chance(8) {
                                    vec![rng.clone_pick(&others).to_string()]
                                } else {
                                    vec![]
                                },
                            }
                        })
                        .collect();
                    Procedure {
                        name: format!("{}工作流程（{}）", rng.pick(&m.topics), pi + 1),
                        summary: rng.chance(30).then(|| m.sentence(&mut rng)),
                        steps,
                        ..Default::default()
                    }
                })
                .collect();
            let division = Division {
                external: (0..rng.range(1, 6))
                    .map(|_| {
                        let with = rng.clone_pick(&externals).to_string();
                        DivisionItem::Full(DivisionFull {
                            text: naming(m, &mut rng, &with),
                            with: vec![with],
                            ..Default::default()
                        })
                    })
                    .collect(),
                internal: (0..rng.range(1, 6))
                    .map(|_| {
                        let with = rng.clone_pick(&others).to_string();
                        DivisionItem::Full(DivisionFull {
                            text: format!("{dname}{}", naming(m, &mut rng, &with)),
                            with: vec![with],
                            ..Default::default()
                        })
                    })
                    .collect(),
                ..Default::default()
            };
            let risks = if rng.chance(40) {
                Risks {
                    points: (0..rng.range(1, 3))
                        .map(|_| RiskPoint::Text(m.sentence(&mut rng)))
                        .collect(),
                    controls: (0..rng.range(1, 4)).map(|_| m.sentence(&mut rng)).collect(),
                }
            } else {
                Risks::default()
            };
            let dept = DeptFile {
                id: Some(format!("d{di:02}")),
                name: dname.to_string(),
                summary: Some(m.sentences(&mut rng, 1, 3)),
                duties,
                posts,
                division,
                risks,
                procedures,
                forms,
                ..Default::default()
            };
            (format!("d{di:02}"), dept)
        })
        .collect();
    // Pages: Markdown built from seed paragraphs, a list and a table, naming departments.
    let pages = (0..rng.range(3, 6))
        .map(|_| {
            let mut md = format!(
                "---\ntitle: \"{}\"\n---\n\n",
                m.sentence(&mut rng)
                    .chars()
                    .take(20)
                    .filter(|c| *c != '"')
                    .collect::<String>()
            );
            for s in 0..rng.range(2, 4) {
                let _ = write!(md, "## 第{}节\n\n", s + 1);
                for _ in 0..rng.range(1, 3) {
                    md.push_str(rng.pick(&m.paragraphs).as_str());
                    md.push_str("\n\n");
                }
                let dn = rng.clone_pick(&dept_names).to_string();
                let _ = write!(
                    md,
                    "- {}\n- {}\n\n",
                    naming(m, &mut rng, &dn),
                    m.sentence(&mut rng)
                );
            }
            md.push_str("| 序号 | 事项 | 责任单位 |\n|---|---|---|\n");
            for i in 0..rng.range(2, 5) {
                let topic = rng.pick(&m.topics).clone();
                let _ = writeln!(
                    md,
                    "| {} | {topic} | {} |",
                    i + 1,
                    rng.clone_pick(&dept_names)
                );
            }
            md
        })
        .collect();
    (folder, org, depts, pages)
}

/// `pick` for slices of `&str`, returning the element by value (borrows end at once).
trait PickStr {
    fn clone_pick<'s>(&mut self, items: &[&'s str]) -> &'s str;
}
impl PickStr for Rng {
    fn clone_pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Objects and acts power item names are made of, and the laws their bases cite (made-up
/// short titles in the shape of real ones).
const POWER_OBJECTS: &[&str] = &[
    "建设项目",
    "经营场所",
    "运输车辆",
    "排放设施",
    "仓储设施",
    "广告设施",
    "施工现场",
    "供水设施",
    "检测机构",
    "培训机构",
    "中介机构",
    "农业用地",
    "林地",
    "取水工程",
    "档案资料",
    "计量器具",
];
const POWER_ACTS: &[(&str, &str)] = &[
    ("行政许可", "{o}设立审批"),
    ("行政许可", "{o}变更许可"),
    ("行政处罚", "对擅自改变{o}用途的处罚"),
    ("行政处罚", "对未按规定报送{o}资料的处罚"),
    ("行政强制", "查封、扣押违法使用的{o}"),
    ("行政征收", "{o}占用费的征收"),
    ("行政给付", "{o}补助资金的发放"),
    ("行政检查", "对{o}安全状况的检查"),
    ("行政确认", "{o}权属的确认"),
    ("行政奖励", "对{o}管理先进单位的奖励"),
    ("行政裁决", "{o}权属争议的裁决"),
    ("其他行政权力", "{o}年度报告的审核"),
    ("公共服务", "{o}信息查询服务"),
];
const LAWS: &[&str] = &[
    "《示范管理法》",
    "《示范安全条例》",
    "《示范行政许可实施办法》",
    "《示范监督检查规定》",
    "《示范资金管理办法》",
    "《示范登记条例》",
];
const STAGES: &[&str] = &["受理", "审查", "决定", "送达", "事后监管"];

/// `m` power items of an organisation, spread over its departments (by `department:`).
fn powers(k: usize, m: usize, dept_names: &[String]) -> Vec<zhize::model::Power> {
    let mut rng = Rng::new(k as u64 ^ 0x0070_0E25);
    (0..m)
        .map(|i| {
            let (category, pattern) = *rng.pick(POWER_ACTS);
            let object = rng.clone_pick(POWER_OBJECTS);
            let name = pattern.replace("{o}", object);
            let basis = (0..rng.range(1, 3))
                .map(|_| format!("{}第{}条", rng.clone_pick(LAWS), rng.range(3, 80)))
                .collect();
            let with_steps = rng.chance(20);
            zhize::model::Power {
                name: format!("{name}（{}）", i + 1),
                code: Some(format!("P{k:03}-{:04}", i + 1)),
                category: Some(category.to_string()),
                basis,
                department: Some(rng.pick(dept_names).clone()),
                responsibilities: if with_steps {
                    Vec::new()
                } else {
                    STAGES
                        .iter()
                        .map(|s| format!("{s}责任：依法{s}。"))
                        .collect()
                },
                steps: if with_steps {
                    STAGES
                        .iter()
                        .map(|s| Step {
                            label: Some(s.to_string()),
                            text: Some(format!("依法{s}。")),
                            limit: Some(rng.clone_pick(LIMITS).to_string()),
                            ..Default::default()
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                accountability: vec![
                    "不履行或者不正确履行职责的".to_string(),
                    "未在规定时限内办结的".to_string(),
                ],
                limit: rng.chance(50).then(|| rng.clone_pick(LIMITS).to_string()),
                fee: rng.chance(30).then(|| "不收费".to_string()),
                ..Default::default()
            }
        })
        .collect()
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let per_org_powers = match args.iter().position(|a| a == "--powers") {
        Some(i) => {
            let m = args.get(i + 1).and_then(|m| m.parse::<usize>().ok());
            let Some(m) = m else {
                eprintln!("--powers takes a number of power items per organisation");
                std::process::exit(2);
            };
            args.drain(i..i + 2);
            m
        }
        None => 0,
    };
    let (Some(n), Some(out)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!(
            "usage: gen N OUTDIR [SEEDDIR]   (N organisations; 3 ≈ the demonstration content)"
        );
        std::process::exit(2);
    };
    let out = Path::new(out);
    let seeds = args
        .get(2)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds"));
    let m = Material::read(&seeds);
    if out.join("content").exists() {
        eprintln!(
            "{} already has a content/ folder; choose a new OUTDIR",
            out.display()
        );
        std::process::exit(2);
    }
    write(
        &out.join("zhize.yaml"),
        &format!("title: 合成职责清单（{n} 个单位）\n"),
    );
    let (mut depts, mut pages) = (0, 0);
    for k in 0..n {
        let (folder, mut org, ds, ps) = org(&m, k);
        if per_org_powers > 0 {
            let names: Vec<String> = ds.iter().map(|(_, d)| d.name.clone()).collect();
            org.powers = powers(k, per_org_powers, &names);
        }
        let dir = out.join("content").join(&folder);
        write(&dir.join("_org.yaml"), &yaml(&org));
        depts += ds.len();
        for (stem, d) in &ds {
            write(&dir.join(format!("{stem}.yaml")), &yaml(d));
        }
        for (i, p) in ps.iter().enumerate() {
            // Every other page is a free page; the rest belong to the organisation.
            let path = if i % 2 == 0 {
                out.join("content/pages").join(format!("{folder}-{i}.md"))
            } else {
                dir.join(format!("page-{i}.md"))
            };
            write(&path, p);
            pages += 1;
        }
    }
    println!(
        "wrote {n} organisations, {depts} departments, {pages} pages into {}",
        out.join("content").display()
    );
}

/// Any of the model types as YAML.
fn yaml<T: serde::Serialize>(v: &T) -> String {
    serde_yaml::to_string(v).expect("model types serialise")
}
