//! Golden tests of the demo report (芙蓉区科协 2020), read straight from the import files without a database.

use jixiao_core::records::Books;
use jixiao_core::report_model::{ReportModel, build};
use jixiao_core::RecordSet;
use jixiao_report::{Format, render};
use std::path::Path;

fn demo_model() -> ReportModel {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020");
    let source = jixiao_import::read(&dir).expect("demo reads");
    let batch = source.validate(&RecordSet::default(), &[]).expect("demo validates");
    let year = batch.years.iter().find(|y| y.year == 2020).expect("2020 declared").clone();
    build(&Books { unit: batch.unit.clone(), year, records: batch.records.for_year(2020) })
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
        "演示补全：原报告未列明",
        "「缺少数据：报告文字「存在的主要问题及原因分析」（章节 problems）未填写」",
    ] {
        assert!(md.contains(expected), "report lacks {expected:?}");
    }
    assert_eq!(md.matches("12. ").count(), 1, "twelve duties, numbered");
    assert!(!md.contains("其他社会科学普及支出"), "the seed's wrong name is not reproduced");
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
