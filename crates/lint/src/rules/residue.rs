//! `template-text`, `mojibake`, `count-mismatch`: what a reviewer sees before reading a figure —
//! instructions of the form left where the answer belongs (「说明…(100字以内)」), placeholders never
//! filled in (「xx年」), Word field codes in the 目录 (「PAGEREF _Toc…」), text garbled by a wrong
//! encoding (「目 ??录」, U+FFFD, 「锟斤拷」), and counts that do not add up (年初 8 个 + 年中增加 8 个
//! against 共 15 个).

use super::Context;
use crate::cjk;
use crate::finding::{DocumentFinding, Severity, rule};

pub fn check(ctx: &Context) -> Vec<DocumentFinding> {
    let mut findings = Vec::new();
    instructions(ctx, &mut findings);
    placeholders(ctx, &mut findings);
    field_codes(ctx, &mut findings);
    mojibake(ctx, &mut findings);
    project_counts(ctx, &mut findings);
    enumerated_counts(ctx, &mut findings);
    findings
}

/// 「设9个内设机构,分别为:办公室、…、项目服务股。」: the list after 分别为 must have as many names.
fn enumerated_counts(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    let text = ctx.doc.text.as_str();
    for marker in ["分别为", "分别是"] {
        for (at, _) in text.match_indices(marker) {
            // 「N个…」 within the clause before the marker.
            // 「设9个内设机构,分别为」: the count is in the clause before the comma that precedes it.
            let before = text[..at].trim_end_matches(['，', ',', ' ']);
            let clause_start =
                before.rfind(['，', ',', '。', '；', ';', '\n']).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
            let clause = &text[clause_start..at];
            let Some(k) = clause.find('个') else {
                continue;
            };
            let Some((n, n_at)) = count_before(clause, k) else {
                continue;
            };
            let list_start = at + marker.len();
            let rest = text[list_start..].trim_start_matches([':', '：']);
            let list_start = text.len() - rest.len();
            let list_end = rest.find(['。', '；', ';', '\n']).map_or(text.len(), |i| list_start + i);
            let list = &text[list_start..list_end];
            if list.ends_with('等') || list.contains(['（', '(']) || !list.contains('、') {
                continue;
            }
            let items = list.split('、').filter(|x| !x.trim().is_empty()).count() as u64;
            if items != n {
                findings.push(ctx.doc.finding(
                    rule::COUNT_MISMATCH,
                    Severity::Warning,
                    (clause_start + n_at, list_end),
                    format!("个数对不上：写 {n} 个，「{marker}」后列出 {items} 个"),
                ));
            }
        }
    }
}

/// The cell (between 「|」, tabs or line ends) holding byte `at`.
fn cell_at(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind(['|', '\t', '\n']).map_or(0, |i| i + 1);
    let end = text[at..].find(['|', '\t', '\n']).map_or(text.len(), |i| at + i);
    (start, end)
}

/// 「对照年度目标,说明相关任务目标的完成情况(100字以内)」 where the answer should be. The form's own
/// numbered notes (「1.预算执行率=…(100字以内)」) are printed on every form and are not flagged.
fn instructions(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    let text = ctx.doc.text.as_str();
    let mut last_cell = None;
    for (at, _) in text.match_indices("字以内") {
        let (start, end) = cell_at(text, at);
        if last_cell == Some(start) {
            continue;
        }
        last_cell = Some(start);
        let cell = text[start..end].trim_matches(crate::document::is_blank);
        let numbered_note =
            cell.chars().next().is_some_and(cjk::is_digit) && cell.chars().nth(1).is_some_and(|c| matches!(c, '.' | '、' | '．'));
        let asks = ["说明", "分析", "提出", "填写", "描述", "简述", "概述"].iter().any(|w| cell.contains(w));
        if numbered_note || !asks {
            continue;
        }
        let trimmed_start = start + (text[start..end].len() - text[start..end].trim_start().len());
        findings.push(ctx.doc.finding(
            rule::TEMPLATE_TEXT,
            Severity::Warning,
            (trimmed_start, end),
            format!("栏内仍是填表说明「{}」，没有填写内容", cell.chars().take(40).collect::<String>()),
        ));
    }
}

/// 「xx年」「粤财绩﹝xx﹞13号」「XXX单位」: a placeholder of the model text, one finding per line.
fn placeholders(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    for line in ctx.doc.lines() {
        let chars: Vec<(usize, char)> = line.text.char_indices().collect();
        let mut hits = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if !matches!(c, 'x' | 'X' | '×' | 'Ｘ' | 'ｘ') {
                i += 1;
                continue;
            }
            let run = chars[i..].iter().take_while(|(_, d)| *d == c).count();
            let before = i.checked_sub(1).map(|j| chars[j].1);
            let after = chars.get(i + run).map(|(_, d)| *d);
            let latin_word = before.is_some_and(|b| b.is_ascii_alphanumeric()) || after.is_some_and(|a| a.is_ascii_alphanumeric());
            let marks_slot =
                after.is_some_and(|a| "年月日号﹞〕]单部局万元个".contains(a)) || before.is_some_and(|b| "〔﹝[第".contains(b));
            if run >= 2 && !latin_word && marks_slot {
                hits.push((
                    chars[i].0,
                    chars[i].0 + chars[i..i + run].iter().map(|(_, d)| d.len_utf8()).sum::<usize>() + after.map_or(0, char::len_utf8),
                ));
            }
            i += run;
        }
        if let (Some(first), Some(last)) = (hits.first(), hits.last()) {
            let quoted: Vec<&str> = hits.iter().map(|(s, e)| &line.text[*s..(*e).min(line.text.len())]).collect();
            findings.push(ctx.doc.finding(
                rule::TEMPLATE_TEXT,
                Severity::Warning,
                (line.range.0 + first.0, line.range.0 + last.1.min(line.text.len())),
                format!("模板占位符未替换：{}", quoted.iter().map(|q| format!("「{q}」")).collect::<Vec<_>>().join("")),
            ));
        }
    }
}

/// 「PAGEREF _Toc25831 h 3」: the 目录 was pasted with Word's field codes instead of page numbers.
fn field_codes(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    let text = ctx.doc.text.as_str();
    for code in ["PAGEREF _Toc", "HYPERLINK \\l", "TOC \\o"] {
        let hits: Vec<usize> = text.match_indices(code).map(|(i, _)| i).collect();
        if let Some(&first) = hits.first() {
            let end = text[first..].find('\n').map_or(text.len(), |i| first + i).min(first + 40);
            let end = (first..=end).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(first);
            findings.push(ctx.doc.finding(
                rule::TEMPLATE_TEXT,
                Severity::Warning,
                (first, end),
                format!("留有 Word 域代码「{code}…」{} 处：目录未转换为页码", hits.len()),
            ));
        }
    }
}

/// Text a wrong encoding garbled: U+FFFD, 「锟斤拷」, Latin-1 readings of UTF-8 (「â€」「Ã」), and
/// 「?」 standing for a character inside Chinese words (「目 ??录」). One finding per line.
fn mojibake(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    for line in ctx.doc.lines() {
        let t = line.text;
        let chars: Vec<(usize, char)> = t.char_indices().collect();
        let mut hit: Option<(usize, usize)> = None;
        for (k, &(i, c)) in chars.iter().enumerate() {
            let prev = k.checked_sub(1).map(|j| chars[j].1);
            let next = chars.get(k + 1).map(|(_, d)| *d);
            let garbled = match c {
                '\u{fffd}' => true,
                // 「目 ??录」「第一部分 ?长沙市」; not 「合适呢?下面是」, a question mark typed in ASCII.
                '?' => {
                    next.is_some_and(|n| cjk::is_han(n) || n == '?')
                        && (prev.is_none_or(|p| p == ' ' || p == '\u{3000}' || p == '?') || next == Some('?'))
                }
                _ => false,
            };
            if garbled {
                hit = Some(hit.map_or((i, i + c.len_utf8()), |(s, _)| (s, i + c.len_utf8())));
            }
        }
        for pattern in ["锟斤拷", "â€", "Ã©", "Ã¨", "ï»¿"] {
            if let Some(i) = t.find(pattern) {
                hit = Some(hit.map_or((i, i + pattern.len()), |(s, e)| (s.min(i), e.max(i + pattern.len()))));
            }
        }
        if let Some((s, e)) = hit {
            let from = t[..s].char_indices().rev().nth(2).map_or(0, |(i, _)| i);
            let to = t[e..].char_indices().nth(3).map_or(t.len(), |(i, _)| e + i);
            findings.push(ctx.doc.finding(
                rule::MOJIBAKE,
                Severity::Warning,
                (line.range.0 + from, line.range.0 + to),
                format!("乱码：「{}」含无法显示的字符（编码转换错误，常见于全角空格或生僻字变成「?」）", &t[from..to]),
            ));
        }
    }
}

/// The number before 「个」 that ends at byte `end` of `text`, if any.
fn count_before(text: &str, end: usize) -> Option<(u64, usize)> {
    let digits: String = text[..end]
        .chars()
        .rev()
        .take_while(|c| cjk::is_digit(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter_map(|c| cjk::digit_value(c).and_then(|d| char::from_digit(d, 10)))
        .collect();
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    let start = end - text[..end].chars().rev().take(digits.chars().count()).map(char::len_utf8).sum::<usize>();
    Some((digits.parse().ok()?, start))
}

/// 「实施项目共15个…年初批复预算8个项目…年中增加8个项目」: projects at the start of the year plus those
/// added must make the total stated, in one paragraph.
fn project_counts(ctx: &Context, findings: &mut Vec<DocumentFinding>) {
    for line in ctx.doc.lines() {
        let t = line.text;
        if !t.contains("项目") {
            continue;
        }
        // The total: 「共N个」 in a clause about projects.
        let total = t.match_indices("共").find_map(|(i, _)| {
            let rest = &t[i + '共'.len_utf8()..];
            let n = rest.chars().take_while(|c| cjk::is_digit(*c)).count();
            let after = rest.char_indices().nth(n)?;
            (n > 0 && after.1 == '个').then(|| {
                let digits: String =
                    rest[..after.0].chars().filter_map(|c| cjk::digit_value(c).and_then(|d| char::from_digit(d, 10))).collect();
                (digits.parse::<u64>().ok(), i)
            })
        });
        let Some((Some(total), total_at)) = total else {
            continue;
        };
        let clause_count = |markers: &[&str]| -> Option<(u64, usize)> {
            markers.iter().find_map(|m| {
                let i = t.find(m)?;
                let clause_end = t[i..].find(['，', ',', '；', ';', '。']).map_or(t.len(), |e| i + e);
                let clause = &t[i..clause_end];
                let k = clause.find("个")?;
                let (n, _) = count_before(clause, k)?;
                Some((n, i))
            })
        };
        let Some((initial, _)) = clause_count(&["年初批复", "年初安排", "年初预算"]) else {
            continue;
        };
        let Some((added, added_at)) = clause_count(&["年中增加", "年中追加", "年中新增"]) else {
            continue;
        };
        if initial + added != total {
            let end = t[added_at..].find(['，', ',', '；', ';', '。']).map_or(t.len(), |e| added_at + e);
            findings.push(ctx.doc.finding(
                rule::COUNT_MISMATCH,
                Severity::Warning,
                (line.range.0 + total_at, line.range.0 + end),
                format!("项目个数对不上：年初 {initial} 个 + 年中增加 {added} 个 = {} 个，文中写共 {total} 个", initial + added),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    fn rules(text: &str) -> Vec<&'static str> {
        crate::lint_text("t.txt", text)
            .findings
            .iter()
            .map(|f| f.rule)
            .filter(|r| ["template-text", "mojibake", "count-mismatch"].contains(r))
            .collect()
    }

    #[test]
    fn real_residue_is_found() {
        // 青神县发展和改革局 2023 自评表: the instruction left in the answer cell; the form's note is not.
        assert_eq!(
            rules(
                "年度目标完成情况 |\n对照年度目标,说明相关任务目标的完成情况(100字以内) |\n1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的 |"
            ),
            vec!["template-text"]
        );
        assert_eq!(rules("根据《关于开展xx年省级财政资金绩效自评工作的通知》(粤财绩﹝xx﹞13号)要求"), vec!["template-text"]);
        assert_eq!(rules("第一部分 单位概况 PAGEREF _Toc25831 h 3"), vec!["template-text"]);
        assert_eq!(rules("目 ??录\n第一部分 ?长沙市人民代表大会"), vec!["mojibake", "mojibake"]);
        assert!(rules("网址 http://a.cn/?id=3，是否完成?").is_empty());
        assert!(rules("报告应该怎么写才合适呢?下面是小编收集的范文").is_empty());
        assert_eq!(
            rules(
                "2024年,红河州数据发展中心实施项目共15个(含2023年转列暂付性款项项目5个),年初批复预算8个项目985万元,年中增加8个项目(含2023年转列暂付性款项项目5个),实际到位资金334.67万元。"
            ),
            vec!["count-mismatch"]
        );
        assert!(rules("实施项目共16个,年初批复预算8个项目,年中增加8个项目。").is_empty());
        // 南漳县招商服务中心 2019: nine announced, eight named.
        assert_eq!(
            rules(
                "招商服务中心设9个内设机构,分别为:办公室、投资促进股科、区域协作股、招商股、信息统计股、政工人事股、政策法规股、项目服务股。"
            ),
            vec!["count-mismatch"]
        );
        assert!(rules("设3个职能科室,分别为:综合办公室、评审科、稽核科。").is_empty());
    }
}
