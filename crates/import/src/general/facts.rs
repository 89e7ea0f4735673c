//! 三定 facts read from sentences: the unit count (`设N个内设机构`), the units an
//! enumeration names (`内设A、B、C3个股室`), staffing (`行政编制42名`, `局长1名`,
//! `科级领导职数15名`), plaques (`加挂X、Y牌子`) and the body's rank (`为正处级`).

use super::text::nchars;
use super::vocab::is_unit_name;
use crate::lines::cn_value;

/// `9`, `十四`, `１２` → the number.
fn number(s: &str) -> Option<u32> {
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    ascii.parse().ok().or_else(|| cn_value(s))
}

fn is_digitish(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c)
}

/// The number of internal units a sentence states, and where the statement ends.
pub fn unit_count(s: &str) -> Option<u32> {
    const AFTER: &[&str] = &[
        "个内设机构",
        "个科室",
        "个股室",
        "个处室",
        "个内设科室",
        "个职能科室",
        "个机构",
    ];
    let chars: Vec<char> = s.chars().collect();
    for (k, (byte, _)) in s.char_indices().enumerate() {
        if k == 0 || !AFTER.iter().any(|a| s[byte..].starts_with(a)) {
            continue;
        }
        let mut s0 = k;
        while s0 > 0 && is_digitish(chars[s0 - 1]) {
            s0 -= 1;
        }
        if s0 == k {
            continue;
        }
        let before: String = chars[..s0].iter().collect();
        // `设14个…`, `设下列14个…`, `内设5个…`, `内设A、B5个股室`, `设有…`.
        let stated = before.ends_with('设')
            || before.ends_with("设下列")
            || before.ends_with("设有")
            || before.contains("内设")
            || before.contains('设');
        if stated {
            let digits: String = chars[s0..k].iter().collect();
            return number(&digits);
        }
    }
    None
}

/// Units an enumeration names: `…设9个内设机构：A、B（C）、D。` or `内设A、B、C3个股室`.
pub fn enumerated_units(s: &str) -> Vec<String> {
    let mut list = None;
    if let Some(k) = s.find(['：', ':']) {
        let before = &s[..k];
        if before.contains("内设")
            || before.contains("机构")
            || before.contains("科室")
            || before.contains("股室")
            || before.contains("处室")
        {
            list = Some(s[k..].trim_start_matches(['：', ':']).to_string());
        }
    }
    if list.is_none() {
        if let Some(k) = s.find("内设") {
            let after = &s[k + "内设".len()..];
            // `内设A、B、C3个股室`: the list ends at the count.
            let end = after
                .char_indices()
                .find(|(_, c)| is_digitish(*c) && !"一二三四五六七八九十".contains(*c))
                .map(|(i, _)| i);
            if let Some(e) = end {
                if after[..e].contains('、') {
                    list = Some(after[..e].to_string());
                }
            }
        }
    }
    let Some(list) = list else {
        return Vec::new();
    };
    let list = list.trim_end_matches(['。', '；', ';', '.']);
    let mut out = Vec::new();
    for part in split_top(list) {
        let p = part.trim();
        let base = p.split(['（', '(']).next().unwrap_or(p);
        if is_unit_name(base) {
            out.push(p.to_string());
        }
    }
    if out.len() < 2 {
        return Vec::new();
    }
    out
}

/// Split at `、` and `，` outside brackets.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',') {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// Staffing items of a sentence that states 编制 or 领导职数: `(kind, number)` pairs.
pub fn staffing(s: &str) -> Vec<(String, String)> {
    if !(s.contains("编制") || s.contains("职数")) {
        return Vec::new();
    }
    // Remarks in brackets are not items.
    let mut plain = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for seg in plain.split(['。', '，', '；', ',', ';', '：', ':', '、']) {
        let seg: String = seg.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(m) = seg.strip_suffix('名') else {
            continue;
        };
        let digits: String = m.chars().rev().take_while(|c| is_digitish(*c)).collect();
        if digits.is_empty() {
            continue;
        }
        let value: String = digits.chars().rev().collect();
        let Some(v) = number(&value) else { continue };
        let key = &m[..m.len() - value.len()];
        let key = strip_subject(key);
        if !key.is_empty() && nchars(key) <= 12 {
            out.push((key.to_string(), v.to_string()));
        }
    }
    out
}

/// `市自然资源和规划局机关行政编制` → `行政编制`; `设局长` → `局长`.
fn strip_subject(key: &str) -> &str {
    let mut k = key;
    for w in ["机关", "核定", "设有", "设", "共有", "配备"] {
        if let Some(p) = k.rfind(w) {
            let after = &k[p + w.len()..];
            if !after.is_empty() {
                k = after;
            }
        }
    }
    k
}

/// The subject of a staffing sentence that is not the organisation's machinery itself
/// (`市场监督管理所核定行政编制48名` → `市场监督管理所`), to tell two 行政编制 apart.
pub fn staffing_subject(s: &str) -> Option<String> {
    let k = s.find("核定")?;
    let before = &s[..k];
    let from = before.rfind(['。', '；', '，', ';', ',']).map_or(0, |p| {
        p + before[p..].chars().next().map_or(1, char::len_utf8)
    });
    let subj = before[from..].trim();
    (nchars(subj) >= 2 && nchars(subj) <= 14).then(|| subj.to_string())
}

/// Names in `加挂X、Y牌子` / `挂X牌子`.
pub fn plaques(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(k) = rest.find('挂') {
        let after = &rest[k + '挂'.len_utf8()..];
        let Some(e) = after.find("牌子") else { break };
        let inner = &after[..e];
        if nchars(inner) <= 40 && !inner.contains(['。', '；']) {
            for p in inner.split('、') {
                let p = p.trim().trim_matches(['“', '”', '"']);
                if nchars(p) >= 2 {
                    out.push(p.to_string());
                }
            }
        }
        rest = &after[e..];
    }
    out
}

/// `为正处级`, `为副县级` → the rank.
pub fn level(s: &str) -> Option<String> {
    let k = s.find("级")?;
    let before: Vec<char> = s[..k].chars().collect();
    let n = before.len();
    if n >= 2 && "正副".contains(before[n - 2]) && "部厅局处县科股乡镇".contains(before[n - 1])
    {
        return Some(format!("{}{}级", before[n - 2], before[n - 1]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lists_and_staffing() {
        assert_eq!(unit_count("县人社局设9个内设机构：办公室、人事科"), Some(9));
        assert_eq!(unit_count("省农业农村厅设下列14个内设机构："), Some(14));
        assert_eq!(unit_count("内设办公室、资源管理股5个股室。"), Some(5));
        assert_eq!(unit_count("设下列内设机构："), None);
        assert_eq!(
            enumerated_units("县人社局设9个内设机构：办公室、人事科（老干部科）、政策法规科。"),
            vec!["办公室", "人事科（老干部科）", "政策法规科"]
        );
        assert_eq!(
            enumerated_units("县林业局内设办公室、资源管理股、生态修复股3个股室。"),
            vec!["办公室", "资源管理股", "生态修复股"]
        );
        assert_eq!(
            staffing("机关行政编制118名。设厅长1名，副厅长4名；处级领导职数31名（含机关党委专职副书记1名）。"),
            vec![
                ("行政编制".to_string(), "118".to_string()),
                ("厅长".into(), "1".into()),
                ("副厅长".into(), "4".into()),
                ("处级领导职数".into(), "31".into())
            ]
        );
        assert_eq!(
            plaques("为正处级，加挂青屿市林业局、青屿市草原局牌子。"),
            vec!["青屿市林业局", "青屿市草原局"]
        );
        assert_eq!(
            level("是市政府工作部门，为正处级。").as_deref(),
            Some("正处级")
        );
    }
}
