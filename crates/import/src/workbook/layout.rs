//! The workbook layout: which sheets there are, their columns in order, which columns must
//! be filled, and the instruction sheet (说明) that tells a clerk all of it in Chinese.
//!
//! Export writes this layout, import reads it; a workbook is recognised by its 单位 and 科室
//! sheets and their headers, never by its file name.

/// One column: its header (row 1 of the sheet), whether a row needs it, and what goes in it.
pub struct Col {
    pub header: &'static str,
    pub required: bool,
    pub note: &'static str,
}

/// One sheet: its name, what it holds, and its columns.
pub struct Sheet {
    pub name: &'static str,
    pub purpose: &'static str,
    pub cols: &'static [Col],
}

impl Sheet {
    /// Index of the column with this header.
    pub fn col(&self, header: &str) -> Option<usize> {
        self.cols.iter().position(|c| c.header == header)
    }
}

const fn req(header: &'static str, note: &'static str) -> Col {
    Col {
        header,
        required: true,
        note,
    }
}

const fn opt(header: &'static str, note: &'static str) -> Col {
    Col {
        header,
        required: false,
        note,
    }
}

pub const INSTRUCTIONS: &str = "说明";
pub const ORG: &str = "单位";
pub const DEPT: &str = "科室";
pub const DUTY: &str = "职责";
pub const POST: &str = "岗位";
pub const DIVISION: &str = "职责分工";
pub const RISK: &str = "廉政风险";
pub const PROCEDURE: &str = "工作流程";
pub const STEP: &str = "步骤";
pub const FORM: &str = "表单";
pub const TABLE: &str = "表单内容";
pub const POWER: &str = "权责事项";
pub const CONTACT: &str = "通讯录";
pub const DOCUMENT: &str = "三定文件";
pub const STAFFING: &str = "编制";
pub const EXTERNAL: &str = "外部单位";
pub const PERSON: &str = "人员";
pub const UNPARSED: &str = "未解析";

const UNIT: Col = req("单位", "所属单位：填“单位”表里的单位名称（或文件夹名）");
const OF_DEPT: Col = req("科室", "所属科室：填“科室”表里的科室名称");
const OF_DEPT_OR_ORG: Col = opt(
    "科室",
    "所属科室：填“科室”表里的科室名称；空着表示属于整个单位",
);
/// Marks an entry the content file writes as a map with only its text (`- text: …`) rather
/// than as the plain text: the same to the site, but the open data keeps the file's shape.
pub const SHAPE: &str = "原格式";
/// The value of [`SHAPE`] for the map form.
pub const AS_MAP: &str = "键值";
const SHAPE_COL: Col = opt(
    SHAPE,
    "导出时自动填写，不用管；“键值”表示原文件把这一条写成了“内容:”的形式",
);
const IN_FILE: Col = opt(
    "所在文件",
    "一般空着；写在科室附属文件（content/单位/科室/文件名.yaml）里的，填该文件名",
);

/// The sheets after 说明, in order. The first cells of every data sheet name the
/// organisation and (mostly) the department the row belongs to.
pub const SHEETS: &[Sheet] = &[
    Sheet {
        name: ORG,
        purpose: "单位本身：每行一个单位（局、委、办）。",
        cols: &[
            req("单位名称", "单位全称，如“某某市某某局”"),
            opt("文件夹", "content/ 下的文件夹名（英文字母、数字、-）；空着按名称拼音生成"),
            opt("标识", "网址中用的英文标识；一般空着"),
            opt("别名", "其他叫法，每行一个"),
            opt("牌子", "加挂的牌子，每行一个"),
            opt("级别", "如“正县级”"),
            opt("主要职责", "单位的主要职责（可多段）"),
            opt("内设机构数", "三定规定写明的内设机构个数，填数字"),
            opt("执法依据", "法律法规，每行一部"),
            opt("审核日期", "最后核对日期，如 2024-07-01"),
            opt("审核人", "谁核对的"),
            opt("排序", "数字，小的在前"),
            SHAPE_COL,
        ],
    },
    Sheet {
        name: DEPT,
        purpose: "内设科室（处室）：每行一个科室。其他表用这里的科室名称指明所属科室。",
        cols: &[
            UNIT,
            req("科室名称", "科室全称，如“办公室”"),
            opt("文件名", "保存用的文件名（英文字母、数字、-）；空着按名称拼音生成"),
            opt("标识", "网址中用的英文标识；一般空着"),
            opt("别名", "其他叫法，每行一个"),
            opt("牌子", "加挂的牌子，每行一个"),
            opt("曾用标识", "以前用过的标识，每行一个"),
            opt("主要职责", "科室的主要职责（可多段）"),
            opt("审核日期", "最后核对日期，如 2024-07-01"),
            opt("审核人", "谁核对的"),
            opt("排序", "数字，小的在前；空着排在最后"),
            SHAPE_COL,
        ],
    },
    Sheet {
        name: DUTY,
        purpose: "细化职责：每行一条，按表中先后编号。科室空着的行是单位本身的职责（三定第三条）。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            req("职责内容", "一条职责的全文"),
            opt("序号", "原文印的序号，如“（二）”；一般空着"),
            opt("标识", "英文标识，岗位的“负责职责”可以引用它"),
            opt("分组", "分组标题，显示在该组第一条之前"),
            opt("页码", "原文件页码，只作记录"),
            SHAPE_COL,
        ],
    },
    Sheet {
        name: POST,
        purpose: "岗位：每行一个岗位。",
        cols: &[
            UNIT,
            OF_DEPT,
            req("岗位名称", "如“文秘岗”"),
            opt("标识", "英文标识；一般空着"),
            opt("别名", "其他叫法，每行一个"),
            opt("岗位类别", "正职、副职、业务岗位……"),
            opt("人数", "配备人数，填数字"),
            opt("负责职责", "负责本科室哪几条细化职责：序号、范围或标识，用顿号隔开，如“1、3-5”；全部填“全部”"),
            opt("岗位职责", "岗位本身做什么，每行一条"),
            opt("概述", "一段简介"),
            IN_FILE,
        ],
    },
    Sheet {
        name: DIVISION,
        purpose: "职责分工：每行一项。科室空着的行是单位与其他单位的有关职责分工。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            req("内容", "分工的全文"),
            opt("分类", "外部协作（与外单位）、内部分工（与本单位其他科室）或其他分工；空着为其他分工。单位的行不填"),
            opt("协作对象", "与谁分工：科室或外部单位名称，每行一个"),
            opt("相关部门", "同“协作对象”，单位的分工常用这一栏，每行一个"),
            opt("事项", "分工涉及的事项，如“预算”"),
            SHAPE_COL,
        ],
    },
    Sheet {
        name: RISK,
        purpose: "廉政风险点及防控措施：每行一个风险点。只填“防控措施”、不填“风险点”的行，是科室不针对某一风险点的防控措施。",
        cols: &[
            UNIT,
            OF_DEPT,
            opt("风险点", "风险点的内容"),
            opt("风险类别", "如“采购”"),
            opt("风险等级", "高、中、低"),
            opt("防控措施", "每行一条"),
            opt("责任人", "责任人或责任岗位，每行一个"),
            SHAPE_COL,
        ],
    },
    Sheet {
        name: PROCEDURE,
        purpose: "工作流程：每行一个流程，它的步骤写在“步骤”表。科室空着的行是整个单位的流程。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            req("流程名称", "如“印章使用工作流程”"),
            opt("标识", "英文标识；一般空着"),
            opt("别名", "其他叫法，每行一个"),
            opt("概述", "步骤前的说明"),
            opt("备注", "步骤后的说明，每行一条"),
            opt("表单", "整个流程用到的表单名称，每行一个"),
            IN_FILE,
        ],
    },
    Sheet {
        name: STEP,
        purpose: "流程的步骤：每行一步，按表中先后排列。“工作流程”或“权责事项”二者填一个。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            opt("工作流程", "这一步属于哪个流程：填“工作流程”表里的流程名称"),
            opt("权责事项", "或属于哪个权责事项：填“权责事项”表里的事项名称"),
            opt("环节名称", "简短的名称，如“申请”“审核”；分支用它指向这一步"),
            opt("责任主体", "谁来办：岗位、科室或角色（如“分管领导”）"),
            opt("说明", "这一步做什么"),
            opt("时限", "如“1个工作日”"),
            opt("表单", "这一步用到的表单名称，每行一个"),
            opt("会签", "同时参与的岗位或科室，每行一个"),
            opt("分支", "每行一个：条件 → 转到的环节名称（或第几步）｜分支名称；不写“→”表示流程结束，如“手续不全 → 申请｜退回”"),
        ],
    },
    Sheet {
        name: FORM,
        purpose: "标准化表单：每行一张表，表格内容写在“表单内容”表。",
        cols: &[
            UNIT,
            OF_DEPT,
            req("表单名称", "如“印章使用审批登记表”"),
            opt("标识", "英文标识；一般空着"),
            opt("别名", "其他叫法，每行一个"),
            opt("概述", "表前的说明"),
            opt("备注", "表后的说明，每行一条"),
            IN_FILE,
        ],
    },
    Sheet {
        name: TABLE,
        purpose: "表单的表格：每行是表单的一行，从“第1列”起每个单元格是表格的一格。最后一格会一直延伸到表格右边。",
        cols: &[
            UNIT,
            OF_DEPT,
            req("表单名称", "填“表单”表里的表单名称"),
            opt("格数", "这一行有几格；一般空着（按最后一个非空单元格计）"),
            opt("第1列", "表格的格子，往右可以继续写"),
            opt("第2列", ""),
            opt("第3列", ""),
            opt("第4列", ""),
            opt("第5列", ""),
            opt("第6列", ""),
        ],
    },
    Sheet {
        name: POWER,
        purpose: "权责事项：每行一项。科室空着的行属于整个单位（可在“承办机构”写明承办科室）。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            req("事项名称", "权责事项的名称"),
            opt("序号", "原文印的序号"),
            opt("标识", "英文标识；一般空着"),
            opt("事项编码", "如“WH-XK-001”"),
            opt("事项类别", "行政许可、行政处罚、行政强制、行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力、公共服务"),
            opt("实施依据", "法律法规及条款，每行一条"),
            opt("承办机构", "承办的科室（单位的事项才填）"),
            opt("责任事项", "每行一条"),
            opt("追责情形", "每行一条"),
            opt("办理时限", "如“20个工作日”"),
            opt("收费", "如“不收费”"),
            opt("备注", "每行一条"),
        ],
    },
    Sheet {
        name: CONTACT,
        purpose: "通讯录（联系方式）：每行一人或一处。填了“岗位”或“工作流程”的，是该岗位或流程的联系人；科室空着的属于整个单位。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            req("姓名", "姓名或名称，如“局办公室值班”"),
            opt("岗位", "是哪个岗位的联系人：填“岗位”表里的岗位名称"),
            opt("工作流程", "是哪个流程的联系人：填“工作流程”表里的流程名称"),
            opt("职务", "如“科长”"),
            opt("电话", "如“0631-5200001”"),
            opt("地址", "办公地址"),
            opt("邮箱", "电子邮箱"),
            opt("部门", "所在部门（单位的联系人才填）"),
            IN_FILE,
        ],
    },
    Sheet {
        name: DOCUMENT,
        purpose: "三定规定及以后的通知：每行一份文件。",
        cols: &[
            UNIT,
            req("标题", "文件标题"),
            opt("文号", "如“某办字〔2019〕12号”"),
            opt("发文机关", ""),
            opt("日期", "如 2019-01-30"),
            opt("全文", "文件全文（可多段）"),
        ],
    },
    Sheet {
        name: STAFFING,
        purpose: "编制和领导职数：每行一项，按表中先后显示。",
        cols: &[
            UNIT,
            req("项目", "如“行政编制”“局长”"),
            opt("数值", "如 43"),
        ],
    },
    Sheet {
        name: EXTERNAL,
        purpose: "外部单位：职责分工和流程里提到的本单位以外的机关。",
        cols: &[
            UNIT,
            req("名称", "如“市财政局”"),
            opt("标识", "英文标识；一般空着"),
            opt("别名", "其他叫法，每行一个"),
            opt("简介", "一段简介"),
        ],
    },
    Sheet {
        name: PERSON,
        purpose: "人员：清单里提到的责任人。有电话的会列入通讯录。",
        cols: &[
            UNIT,
            req("姓名", ""),
            opt("别名", "其他叫法，每行一个"),
            opt("职务", ""),
            opt("部门", "所在科室"),
            opt("电话", ""),
        ],
    },
    Sheet {
        name: UNPARSED,
        purpose: "导入文件时未能识别的原文，请移到相应的表里后删除这一行。",
        cols: &[
            UNIT,
            OF_DEPT_OR_ORG,
            req("内容", "原文"),
            opt("行号", "在原文件中的行号"),
        ],
    },
];

/// The layout of the sheet called `name`.
pub fn sheet(name: &str) -> &'static Sheet {
    SHEETS
        .iter()
        .find(|s| s.name == name)
        .expect("every sheet name used is one of SHEETS")
}

/// The opening paragraphs of the 说明 sheet, before the table of sheets and columns.
pub const INTRO: &[&str] = &[
    "职责清单工作簿：在这里填写单位的职责清单，然后用一条命令生成网站。",
    "1. 每张表的第一行是表头，不要改动表头的文字；从第二行起每行一条记录。表的先后、列的先后可以调整，空行会被跳过。",
    "2. 标“*”的列必须填写。一个单元格里要写几项（如别名、每行一条的内容）时，用 Alt+Enter 换行，每行一项；如果某一项本身要分几行写，各项之间用单独一行“——”隔开。",
    "3. 各表通过名称互相对应：“单位”列填“单位”表里的单位名称；“科室”列填“科室”表里的科室名称；步骤的“工作流程”填“工作流程”表里的流程名称。名称要一字不差，写错时导入会指出在哪张表、第几行、哪一列，并提示相近的名称。同一科室里有两个同名的流程（或表单、岗位、权责事项）时，写“名称#2”指第二个。",
    "4. 填好后在网站文件夹里运行：zhize import 本文件.xlsx --output content，再运行 zhize build 生成网站（已有的文件不会被覆盖，除非加 --force）。",
    "5. 从现有网站导出成这种工作簿：zhize export xlsx 文件名.xlsx。",
];
