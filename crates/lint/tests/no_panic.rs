//! Property test: no input makes the linter panic, in any output format. Inputs are built from the
//! pieces the parsers care about (CJK, digits, 万元, brackets, headings, dates, dashes) mixed with
//! arbitrary characters, so the fiddly paths (char boundaries, overflow, unbalanced brackets) are hit.

use jixiao_lint::{OutputFormat, lint_text, render};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "一、",
        "（一）",
        "(1)",
        "1、",
        "1.",
        "十二、",
        "①",
        "万元",
        "元",
        "亿元",
        "万余元",
        "%",
        "％",
        "其中",
        "合计",
        "共计",
        "基本支出",
        "项目支出",
        "支出合计",
        "收入合计",
        "财政拨款收入",
        "占总支出的",
        "执行率",
        "增长",
        "比上年",
        "-",
        "—",
        "科学技术支出",
        "社会科学支出",
        "其他社会科学普及支出",
        "（类）",
        "（款）",
        "（项）",
        "年",
        "年度",
        "年底",
        "月",
        "日",
        "2020",
        "2021年4月25日",
        "二〇二一年四月二十五日",
        "2020-12-31",
        "\n",
        "\r\n",
        "。",
        "，",
        "、",
        "；",
        "：",
        "附件",
        ".",
        ",",
        "．",
        "（",
        "）",
        "(",
        ")",
        "约",
        "近",
        "等",
        "2060799",
        "9999999999999999999",
        "１２３．４５",
        "\u{3000}",
        "存在的问题",
        "下一步工作计划：",
        "结果应用",
        "\u{feff}",
        "\u{c}",
        "#",
        "**",
        "|",
        // 自评表 cells and the words the form, kind, rate and residue checks look for.
        "\t",
        " | ",
        "项目支出绩效自评表",
        "部门整体支出绩效自评表",
        "部门决算",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "执行率",
        "分值",
        "得分",
        "年度资金总额:",
        "其中:财政资金",
        "≥",
        "≤",
        "=",
        "完成",
        "/",
        "较上年增加",
        "减少",
        "增长",
        "下降",
        "各",
        "占",
        "的",
        "%",
        " %",
        "?",
        "xx年",
        "(100字以内)",
        "PAGEREF _Toc1",
        "共15个",
        "年初批复预算8个项目",
        "年中增加8个",
        "收入总计",
        "年末结转和结余",
        "\n",
    ]);
    prop_oneof![
        4 => fixed.prop_map(str::to_string),
        2 => "[0-9]{1,12}(\\.[0-9]{1,8})?",
        2 => "[\u{4e00}-\u{9fa5}]{1,6}",
        1 => any::<String>(),
    ]
}

fn report_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..120).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_report_like_text(text in report_text()) {
        let report = lint_text("prop.txt", &text);
        for f in &report.findings {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= report.text.len());
            prop_assert!(report.text.is_char_boundary(f.span.start) && report.text.is_char_boundary(f.span.end));
        }
        for format in [OutputFormat::Text, OutputFormat::Json, OutputFormat::Html] {
            let _ = render(&report, format);
        }
    }

    #[test]
    fn several_documents_never_panic(a in report_text(), b in report_text()) {
        let mut pair = vec![lint_text("a.txt", &a), lint_text("b.txt", &b)];
        for r in pair.iter_mut() {
            r.unit_name = Some("某单位".to_string());
            r.report_year = Some(2022);
        }
        jixiao_lint::compare::compare(&mut pair);
        for r in &pair {
            for f in &r.findings {
                prop_assert!(r.text.is_char_boundary(f.span.start) && r.text.is_char_boundary(f.span.end));
            }
        }
    }

    #[test]
    fn never_panics_on_arbitrary_strings(text in any::<String>()) {
        let report = lint_text("any.txt", &text);
        let _ = render(&report, OutputFormat::Html);
    }

    #[test]
    fn never_panics_on_arbitrary_docx_xml(xml in "(<w:p>|</w:p>|<w:t>|</w:t>|<w:tab/>|&amp;|&#x4e00;|&#0;|&bogus;|[\u{4e00}-\u{9fa5}0-9]{0,5}){0,40}") {
        let _ = jixiao_lint::read::docx_paragraphs(&xml);
    }
}
