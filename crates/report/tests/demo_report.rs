//! Golden tests of the demo report (芙蓉区科协 2020), read straight from the import files without a database.

use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{Evaluation, EvaluationInput, evaluate};
use jixiao_core::report_model::{ReportModel, build};
use jixiao_report::{Format, render};
use jixiao_testdata::examples::demo_books;

fn demo_evaluation(books: &Books) -> Evaluation {
    let findings = check(books);
    evaluate(&EvaluationInput { books, prior: None, findings: &findings }, &Rules::for_unit(&books.unit.region_code, 2020).unwrap())
}

fn demo_model() -> ReportModel {
    let books = demo_books();
    build(&books, Some(&demo_evaluation(&books)))
}

#[test]
fn markdown_report_prints_every_seed_figure() {
    let md = render(&demo_model(), Format::Markdown).unwrap();
    for expected in [
        "本级财政拨款收入合计242.96万元",
        "科学技术支出148.93万元",
        "社会保障和就业支出5.03万元",
        "基本支出102.96万元",
        "项目支出108.37万元",
        "一般行政管理事务（2060102）",
        "52.24万元",
        "其他社会科学支出（2060699）——省级社科组织能力提升2.00万元",
        "24.13万元",
        "其他科学技术普及支出（2060799）——院士工作站项目30.00万元",
        "本年支出合计211.33万元",
        "预算执行率86.98%",
        "未产生“三公”经费（支出0.00万元",
        "单位编制数为4人",
        "实有在职人数为4人",
        "参会专家12人",
        "区级主题科普宣传活动6次",
        "近20场次",
        "300多人",
        "11000多份",
        "近2万人",
        "注册科普信息员1869人",
        "传播科普中国信息17980次",
        "院士专家工作站1个",
        "2021年4月25日",
        "「缺少数据：报告文字「存在的主要问题及原因分析」未填写」",
    ] {
        assert!(md.contains(expected), "report lacks {expected:?}");
    }
    assert!(md.contains("\n12. 兴办符合中国科学技术协会宗旨的社会公益性事业"), "twelve duties, numbered");
    assert!(!md.contains("其他社会科学普及支出"), "the seed's wrong name is not reproduced");
}

/// A record's 备注 is an internal note: never in the report's text, always in the trace of the figure it feeds.
/// (The demo's receipts carry 「演示补全：原报告未列明」, which the report printed in 收入情况 before.)
#[test]
fn a_receipts_note_stays_in_the_trace_and_out_of_the_text() {
    let mut books = demo_books();
    let note = "内部备注：待财政局确认后再入账";
    assert_eq!(books.records.receipts[1].function_code, "2060101");
    books.records.receipts[1].note = Some(note.into());
    let model = build(&books, None);
    let md = render(&model, Format::Markdown).unwrap();
    assert!(!md.contains(note) && !md.contains("演示补全"), "no 备注 in the Markdown");
    let html = render(&model, Format::Html).unwrap();
    let (text, trace) = html.split_at(html.find("<tr id=\"fig-1\">").expect("trace table"));
    // The visible text: tags (and so the hover titles, which are traces too) left out.
    let visible: String = text.split('<').map(|part| part.split_once('>').map_or(part, |(_, after)| after)).collect();
    assert!(!visible.contains(note) && !visible.contains("演示补全"), "no 备注 in the HTML report's text");
    let traced = model.figures.iter().find(|f| f.formula.contains(note)).expect("the note is in a figure's formula");
    assert_eq!(traced.label, "财政拨款收入：科学技术支出（万元）");
    assert!(trace.contains(note), "the trace table shows the note");
}

/// `--money yuan`: every money figure of the report in 元, and the units named as 元 (forms published in 元).
#[test]
fn the_report_prints_money_in_yuan_when_asked() {
    let books = demo_books();
    let model = jixiao_core::report_model::build_in(&books, Some(&demo_evaluation(&books)), jixiao_core::MoneyUnit::Yuan);
    let md = render(&model, Format::Markdown).unwrap();
    for expected in [
        "本级财政拨款收入合计2429600.00元",
        "年末结转和结余316300.00元。",
        "| 资金来源 | 年初结转和结余（元） | 本年收入（元） |",
        "| 合计 | 0.00 | 2429600.00 | 2113300.00 | 0.00 | 316300.00 |",
        "预算执行率86.98%",
    ] {
        assert!(md.contains(expected), "{expected}");
    }
    // The report's own text names no 万元 (the scored tables of the evaluation keep theirs, labelled).
    let body = &md[..md.find("（五）绩效自评结果").unwrap()];
    assert!(!body.contains("万元"), "{body}");
    assert!(model.figures.iter().filter(|f| f.label.contains("（元）")).count() > 20);
    let wan = render(&demo_model(), Format::Markdown).unwrap();
    assert!(wan.contains("本级财政拨款收入合计242.96万元"));
}

#[test]
fn html_figures_link_to_their_records() {
    let model = demo_model();
    let html = render(&model, Format::Html).unwrap();
    let income = &model.income.fiscal_total;
    assert_eq!(income.text, "242.96");
    assert!(html.contains(&format!("href=\"#fig-{}\"", income.id)));
    assert!(html.contains(&format!("<tr id=\"fig-{}\">", income.id)));
    assert!(html.contains("receipts:"), "sources are listed by record key");
    // every figure in the trace table is used in the text
    for f in &model.figures {
        assert!(html.contains(&format!("id=\"use-{}\"", f.id)), "figure {} ({}) not shown", f.id, f.label);
    }
}

#[test]
fn golden_markdown() {
    insta::assert_snapshot!("demo_2020_md", render(&demo_model(), Format::Markdown).unwrap());
}

#[test]
fn golden_html() {
    insta::assert_snapshot!("demo_2020_html", render(&demo_model(), Format::Html).unwrap());
}

#[test]
fn golden_evaluation_json() {
    let books = demo_books();
    insta::assert_snapshot!("demo_2020_evaluation_json", serde_json::to_string_pretty(&demo_evaluation(&books)).unwrap());
}

#[test]
fn golden_evaluation_md() {
    let books = demo_books();
    insta::assert_snapshot!(
        "demo_2020_evaluation_md",
        jixiao_report::render_evaluation(&demo_evaluation(&books), Format::Markdown).unwrap()
    );
}

#[test]
fn demo_evaluation_figures() {
    let books = demo_books();
    let e = demo_evaluation(&books);
    let value = |id: &str| e.indicators.iter().find(|i| i.id == id).unwrap().value.clone();
    assert_eq!(value("budget_completion_rate"), "86.98%");
    assert_eq!(value("staff_control_rate"), "100.00%");
    assert_eq!(value("sangong_control_rate"), "无法计算", "三公 0 / 0");
    assert_eq!(
        e.indicators.iter().find(|i| i.id == "sangong_control_rate").unwrap().score,
        e.indicators.iter().find(|i| i.id == "sangong_control_rate").unwrap().weight
    );
    assert_eq!(e.total.0, e.indicators.iter().map(|i| i.score.0).sum::<i64>(), "the total is the sum of the scores");
    assert_eq!(e.applied, ["department.toml", "project.toml"], "the unchecked Hunan file no longer applies to a 430102 unit by itself");
    assert_eq!(e.basis, ["《预算绩效评价共性指标体系框架》（财预〔2013〕53号）", "《项目支出绩效评价管理办法》（财预〔2020〕10号）"]);
    assert_eq!(e.projects.len(), 8);
    for p in &e.projects {
        assert_eq!(p.total.0, p.execution_score.0 + p.indicators.iter().map(|i| i.score.0).sum::<i64>(), "{}", p.name);
    }
}

/// `jixiao check` names a missing section by the report's own numbering (report-sections.toml `heading`): each
/// heading's chapter and sub-heading must be the ones the report prints.
#[test]
fn section_headings_follow_the_reports_numbering() {
    let md = render(&demo_model(), Format::Markdown).unwrap();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).map(|l| l.trim_start_matches('#').trim()).collect();
    for s in jixiao_core::sections::report_sections() {
        let (chapter, rest) = s.heading.split_once('、').unwrap_or_else(|| panic!("{}: no chapter", s.heading));
        let chapter_heading =
            headings.iter().position(|h| h.starts_with(&format!("{chapter}、"))).unwrap_or_else(|| panic!("no chapter {chapter}"));
        if rest.starts_with('（') {
            let next_chapter = headings[chapter_heading + 1..]
                .iter()
                .position(|h| !h.starts_with('（'))
                .map_or(headings.len(), |n| chapter_heading + 1 + n);
            assert!(headings[chapter_heading + 1..next_chapter].contains(&rest), "{}: 「{rest}」 is not under chapter {chapter}", s.id);
        } else {
            assert_eq!(headings[chapter_heading], s.heading, "{}", s.id);
        }
    }
}

/// A unit without projects: 项目绩效目标完成情况 says 「无」 rather than nothing.
#[test]
fn no_projects_say_none() {
    let mut books = demo_books();
    books.records.projects.clear();
    books.records.project_indicators.clear();
    for l in &mut books.records.appropriation_lines {
        l.project_code = None;
    }
    let model = jixiao_core::report_model::build(&books, None);
    let md = render(&model, Format::Markdown).unwrap();
    let after = md.split("（四）项目绩效目标完成情况").nth(1).unwrap();
    assert!(after.trim_start().starts_with("无。"), "{}", &after[..after.len().min(80)]);
}

/// 「缺少数据：实际完成值」 carries no unit after it (was 「缺少数据：实际完成值」%).
#[test]
fn a_missing_actual_takes_no_unit() {
    let md = render(&demo_model(), Format::Markdown).unwrap();
    assert!(md.contains("「缺少数据：实际完成值」"));
    assert!(!md.contains("「缺少数据：实际完成值」%"));
}

/// Issue 18: every number of the HTML report's tables — the 评分表 and the 项目支出绩效自评表 included
/// (分值, 指标值, 得分, 项目资金, 执行率, 年度指标值, 实际完成值) — links to its row of 「附：数字来源」, and that
/// row names where the number comes from.
#[test]
fn every_table_number_of_the_html_report_links_to_its_trace_row() {
    let html = render(&demo_model(), Format::Html).unwrap();
    let (body, trace) = html.split_once("<h2>附：数字来源</h2>").expect("trace table");
    let numeric: Vec<&str> = body.split("<td class=\"num\">").skip(1).map(|rest| rest.split_once("</td>").unwrap().0).collect();
    assert!(numeric.len() > 300, "{} number cells", numeric.len());
    let unlinked: Vec<&&str> = numeric.iter().filter(|c| !c.starts_with("<a class=\"fig") && **c != "—").collect();
    assert!(unlinked.is_empty(), "number cells without a trace: {unlinked:?}");
    for (cell, row_must_say) in [
        // 评分表: 分值 from the framework file and indicator id, 指标值 with its measured numerator and denominator.
        ("预算完成率（过程-预算执行）：分值", "department.toml 中指标 budget_completion_rate 的分值"),
        ("预算完成率（过程-预算执行）：指标值", "分子 211.33万元，分母 242.96万元"),
        ("预算完成率（过程-预算执行）：得分", "失分：实际值 86.98%，标准 100%"),
        // 项目支出绩效自评表: the money, the unit's own target and actual, the split weight.
        ("老科协经费：年度资金总额：全年执行数（万元）", "projects:XM2020-01"),
        ("老科协经费：老科协组织开展活动次数：实际完成值", "project_indicators:"),
        ("老科协经费：老科协组织开展活动次数：分值", "project.toml：一级指标「产出指标」的分值"),
    ] {
        let row = trace.lines().find(|l| l.contains(&format!("<td>{cell}</td>"))).unwrap_or_else(|| panic!("no trace row {cell}"));
        assert!(row.contains(row_must_say), "{row}");
        let id = row.split_once("<tr id=\"fig-").unwrap().1.split_once('"').unwrap().0;
        assert!(body.contains(&format!("href=\"#fig-{id}\"")), "{cell} is not linked from the text");
    }
}
