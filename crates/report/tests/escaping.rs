//! Stored XSS (issue 16): every free-text value a user can import reaches the HTML report only as escaped
//! text, in every report (unit, evaluation, consolidated), while Markdown keeps the text as typed.

use jixiao_core::Fen;
use jixiao_core::books::Books;
use jixiao_core::check::check;
use jixiao_core::consolidated::{ConsolidatedUnit, ConsolidationInput, ScopeKind, UnitExecution, build as build_consolidated};
use jixiao_core::evaluation::framework::Rules;
use jixiao_core::evaluation::{EvaluationInput, evaluate};
use jixiao_core::report_model::build;
use jixiao_report::{Format, render, render_consolidated, render_evaluation};

/// Breaks out of text, of a double- or single-quoted attribute, and of a tag.
const PAYLOAD: &str = "X\"onmouseover='alert(3)'<script>alert(1)</script><img src=x onerror=alert(2)>";

/// The demo's 2020 books with the payload in every free-text field (`jixiao_import::demo::hostile`).
fn hostile_books() -> (Books, usize) {
    let (batch, fields) = jixiao_import::demo::hostile(PAYLOAD);
    let year = batch.years.iter().find(|y| y.year == 2020).expect("2020 declared").clone();
    (Books::new(batch.unit.clone(), year, batch.records.for_year(2020)), fields)
}

/// No live markup from the payload: no element it opens, no attribute it adds. Returns how often it appears escaped.
fn assert_inert(html: &str) -> usize {
    for live in ["<script", "<img", "\"onmouseover", "'onmouseover"] {
        assert!(!html.contains(live), "live markup {live:?} in:\n{}", &html[html.find(live).unwrap().saturating_sub(200)..][..400]);
    }
    html.matches("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;").count()
}

#[test]
fn html_report_and_evaluation_escape_every_free_text_field() {
    let (books, fields) = hostile_books();
    assert!(fields > 50, "only {fields} free-text values made hostile");
    let findings = check(&books);
    let evaluation = evaluate(
        &EvaluationInput { books: &books, prior: None, findings: &findings },
        &Rules::for_unit(&books.unit.region_code, 2020).unwrap(),
    );
    let model = build(&books, Some(&evaluation));
    let html = render(&model, Format::Html).unwrap();
    let escaped = assert_inert(&html);
    assert!(escaped >= 20, "the payload reached the report only {escaped} times");
    assert!(assert_inert(&render_evaluation(&evaluation, Format::Html).unwrap()) >= 1);
    // Markdown is plain text for other tools: the payload stays as typed.
    let md = render(&model, Format::Markdown).unwrap();
    assert!(md.contains(PAYLOAD), "Markdown changed the text");
}

#[test]
fn consolidated_html_escapes_unit_department_and_bureau_names() {
    let unit = ConsolidatedUnit {
        code: "U1".into(),
        name: format!("单位{PAYLOAD}"),
        department_code: Some("D1".into()),
        department_name: format!("部门{PAYLOAD}"),
        has_year: true,
        execution: UnitExecution { annual: Fen(100), spent: Fen(50), budget_vouchers: 1, expenditures: 1 },
        score: Some(jixiao_core::evaluation::Points(8000)),
        grade: Some("良".into()),
        errors: 1,
        warnings: 1,
        rules: vec![PAYLOAD.into()],
    };
    for kind in [ScopeKind::Region, ScopeKind::Department] {
        let input =
            ConsolidationInput {
                kind, code: Some("CZ01".into()), name: format!("财政局{PAYLOAD}"), year: 2020, units: vec![unit.clone()]
            };
        let html = render_consolidated(&build_consolidated(&input), Format::Html).unwrap();
        assert!(assert_inert(&html) >= 3, "{html}");
    }
}
