//! The department report (部门整体支出绩效自评报告) outline, section by section. Figures come from the report model;
//! nothing here computes one.

use super::evaluation::{department, projects};
use super::{Blocks, Chart, Line, Outline, OutlineCell};
use jixiao_core::report_model::evaluation_figures::EvaluationFigures;
use jixiao_core::report_model::{Prose, ReportModel};

/// The report's blocks, with the trace table of every figure: the model's, then the evaluation tables'.
pub fn outline(model: &ReportModel) -> Outline {
    let figures =
        model.evaluation.as_ref().map(|ev| EvaluationFigures::trace(ev, model.figures.len() + 1, model.evaluation_total.as_ref()));
    let mut b = Blocks::default();
    basic_information(&mut b, model);
    spending(&mut b, model);
    fund_blocks(&mut b, model);
    organisation_and_assets(&mut b, model);
    performance(&mut b, model, figures.as_ref());
    closing_sections(&mut b, model);
    b.signature(
        &model.unit_name,
        match &model.report_date {
            Some(d) => Line::new().text(d),
            None => Line::new().missing_data("报告日期"),
        },
    );
    if let (Some(ev), Some(figures)) = (model.evaluation.as_ref().filter(|e| !e.projects.is_empty()), &figures) {
        b.heading_on_new_page(1, "附件：项目支出绩效自评表");
        projects(&mut b, ev, figures);
    }
    let mut trace = model.figures.clone();
    trace.extend(figures.into_iter().flat_map(|f| f.figures));
    b.finish(&model.title, trace)
}

/// Separators the templates put between list elements: `sep` between, `last` after the final one.
fn separator(index: usize, len: usize, sep: &str, last: &str) -> String {
    if index + 1 < len { sep.to_string() } else { last.to_string() }
}

/// The unit's prose for a section, one paragraph each; its 「缺少数据」 note; or `otherwise`.
fn prose(b: &mut Blocks, section: Option<&Prose>, otherwise: &str) {
    match section {
        Some(p) if p.text.is_some() => p.paragraphs.iter().for_each(|para| b.paragraph(Line::new().text(para.trim()))),
        Some(Prose { missing: Some(note), .. }) => b.paragraph(Line::new().missing(note)),
        _ if !otherwise.is_empty() => b.paragraph(Line::new().text(otherwise)),
        _ => {}
    }
}

fn missing_line(b: &mut Blocks, what: &str) {
    b.paragraph(Line::new().missing_data(what));
}

fn basic_information(b: &mut Blocks, m: &ReportModel) {
    b.heading(1, "一、部门基本情况");
    b.heading(2, "（一）职能职责");
    if m.duties.is_empty() {
        missing_line(b, "职能职责（单位信息）");
    } else {
        b.list(true, m.duties.iter().map(|d| Line::new().text(d)).collect());
    }

    b.heading(2, "（二）机构设置及人员情况");
    let mut line = Line::new().text(&m.unit_name);
    if m.no_offices && m.offices.is_empty() {
        line = line.text("不设内设机构。");
    } else if m.offices.is_empty() {
        line = line.missing_data("内设机构").text("。");
    } else {
        line = line.text(format!("内设{}个机构：", m.offices.len()));
        for (i, o) in m.offices.iter().enumerate() {
            line = line.text(format!("{}，{}{}", o.name, o.duties.trim_matches('。'), separator(i, m.offices.len(), "；", "。")));
        }
    }
    let st = &m.staffing;
    line = line.text("单位编制数为").figure(&st.authorized).text("人");
    if let Some(category) = &st.only_category {
        line = line.text(format!("（{category}）"));
    } else if !st.rows.is_empty() {
        line = line.text("（");
        for (i, r) in st.rows.iter().enumerate() {
            line = line.text(&r.category).figure(&r.authorized).text("人").text(separator(i, st.rows.len(), "、", ""));
        }
        line = line.text("）");
    }
    line = line.text(format!("，{}年底实有在职人数为", m.year)).figure(&st.actual).text("人");
    if !st.rows.is_empty() {
        line = line.text("（");
        for (i, r) in st.rows.iter().enumerate() {
            line = line.text(&r.category).figure(&r.actual).text("人").text(separator(i, st.rows.len(), "、", ""));
        }
        line = line.text("）");
    }
    if let Some(retired) = &st.retired {
        line = line.text("；离退休人员").figure(retired).text("人");
    }
    if let Some(outside) = &st.outside_establishment {
        line = line.text("；编外人员").figure(outside).text("人");
    }
    b.paragraph(line.text("。"));

    b.heading(2, "（三）收入情况");
    let income = &m.income;
    let mut line = Line::new().text(format!("{}年本级财政拨款收入合计", m.year)).figure(&income.fiscal_total).text(m.money_unit);
    if !income.by_class.is_empty() {
        line = line.text("，其中");
        for (i, c) in income.by_class.iter().enumerate() {
            line = line.text(&c.name).figure(&c.amount).text(m.money_unit);
            line = line.text(separator(i, income.by_class.len(), "、", ""));
        }
    }
    line = line.text("。");
    if let Some(other) = &income.other_total {
        line = line.text("其他资金收入").figure(other).text(m.money_unit);
        if !income.other_by_kind.is_empty() {
            line = line.text("，其中");
            for (i, k) in income.other_by_kind.iter().enumerate() {
                line = line.text(&k.name).figure(&k.amount).text(m.money_unit).text(separator(i, income.other_by_kind.len(), "、", ""));
            }
        }
        line = line.text("。");
    }
    b.paragraph(line);

    b.heading(2, "（四）年度重点工作");
    prose(b, m.prose.get("key_work"), "");
}

fn spending(b: &mut Blocks, m: &ReportModel) {
    let s = &m.spending;
    b.heading(1, "二、部门整体支出管理及使用情况");
    b.paragraph(
        Line::new()
            .text(format!("{}年全年预算数", m.year))
            .figure(&s.annual_budget)
            .text(format!("{}（年初预算", m.money_unit))
            .figure(&s.initial_budget)
            .text(format!("{}，年中调整", m.money_unit))
            .figure(&s.adjustments)
            .text(format!("{}，上年结转", m.money_unit))
            .figure(&s.carry_over)
            .text(format!("{}）；本年支出合计", m.money_unit))
            .figure(&s.total)
            .text(format!("{}，其中基本支出", m.money_unit))
            .figure(&s.basic)
            .text(format!("{}、项目支出", m.money_unit))
            .figure(&s.project)
            .text(format!("{}；预算执行率", m.money_unit))
            .figure(&s.execution_rate)
            .text("，年末结转和结余")
            .figure(&s.unspent)
            .text(format!("{}。", m.money_unit)),
    );
    b.paragraph(Line::new().text("收支平衡（按资金来源）：年初结转和结余 + 本年收入 = 本年支出 + 结余分配/缴回 + 年末结转和结余。"));
    let rows = s
        .balance
        .iter()
        .map(|r| {
            vec![
                OutlineCell::text(&r.source),
                OutlineCell::figure(&r.opening),
                OutlineCell::figure(&r.income),
                OutlineCell::figure(&r.spending),
                OutlineCell::figure(&r.returned),
                OutlineCell::figure(&r.closing),
            ]
        })
        .collect();
    b.table(
        &[
            "资金来源",
            &format!("年初结转和结余（{}）", m.money_unit),
            &format!("本年收入（{}）", m.money_unit),
            &format!("本年支出（{}）", m.money_unit),
            &format!("结余分配/缴回（{}）", m.money_unit),
            &format!("年末结转和结余（{}）", m.money_unit),
        ],
        &[4, 3, 3, 3, 3, 3],
        rows,
    );

    b.heading(2, "（一）基本支出");
    let named_list = |mut line: Line, items: &[jixiao_core::report_model::NamedAmount]| {
        if !items.is_empty() {
            line = line.text("（");
            for (i, item) in items.iter().enumerate() {
                line = line.text(&item.name).figure(&item.amount).text(m.money_unit).text(separator(i, items.len(), "、", ""));
            }
            line = line.text("）");
        }
        line
    };
    let line = named_list(
        Line::new()
            .text("基本支出")
            .figure(&s.basic)
            .text(format!("{}，其中人员经费", m.money_unit))
            .figure(&s.personnel)
            .text(m.money_unit),
        &s.personnel_items,
    );
    let line = named_list(line.text("，日常公用经费").figure(&s.public_use).text(m.money_unit), &s.public_use_items);
    b.paragraph(line.text("。"));
    let line = if s.sangong_items.is_empty() {
        Line::new()
            .text(format!("{}年本单位未产生“三公”经费（支出", m.year))
            .figure(&s.sangong_spent)
            .text(format!("{}，预算", m.money_unit))
            .figure(&s.sangong_budget)
            .text(format!("{}）。", m.money_unit))
    } else {
        let mut line = Line::new()
            .text(format!("{}年“三公”经费支出", m.year))
            .figure(&s.sangong_spent)
            .text(format!("{}（预算", m.money_unit))
            .figure(&s.sangong_budget)
            .text(format!("{}），其中", m.money_unit));
        for (i, item) in s.sangong_items.iter().enumerate() {
            line = line.text(&item.name).figure(&item.amount).text(m.money_unit).text(separator(i, s.sangong_items.len(), "、", ""));
        }
        line.text("。")
    };
    b.paragraph(line);

    b.heading(2, "（二）项目支出");
    let mut line = Line::new().text("项目支出").figure(&s.project).text(m.money_unit);
    if s.project_by_function.is_empty() {
        line = line.text("。");
    } else {
        line = line.text("，其中：");
        for (i, l) in s.project_by_function.iter().enumerate() {
            line = line.text(format!("{}（{}）", l.function_path, l.function_code));
            if !l.projects.is_empty() {
                line = line.text(format!("——{}", l.projects.join("、")));
            }
            line = line.figure(&l.spent).text(m.money_unit).text(separator(i, s.project_by_function.len(), "；", "。"));
        }
    }
    b.paragraph(line);
    if !m.projects.is_empty() {
        let rows = m
            .projects
            .iter()
            .map(|p| {
                vec![
                    OutlineCell::text(&p.name),
                    OutlineCell::text(p.function_paths.join("；")),
                    OutlineCell::figure(&p.budget),
                    OutlineCell::figure(&p.spent),
                    OutlineCell::figure(&p.execution_rate),
                ]
            })
            .collect();
        b.table(
            &["项目", "功能科目", &format!("全年预算数（{}）", m.money_unit), &format!("全年执行数（{}）", m.money_unit), "执行率"],
            &[5, 9, 3, 3, 3],
            rows,
        );
        b.chart(Chart::BudgetByFunctionClass);
    }
    b.heading(2, "（三）资金管理情况");
    prose(b, m.prose.get("fund_management"), "");
}

fn fund_blocks(b: &mut Blocks, m: &ReportModel) {
    for (heading, block, name) in [
        ("三、政府性基金预算支出情况", &m.government_fund, "政府性基金预算"),
        ("四、国有资本经营预算支出情况", &m.state_capital, "国有资本经营预算"),
    ] {
        b.heading(1, heading);
        let line = match (&block.budget, &block.spent) {
            (Some(budget), Some(spent)) if block.present => Line::new()
                .text(name)
                .figure(budget)
                .text(format!("{}，支出", m.money_unit))
                .figure(spent)
                .text(format!("{}。", m.money_unit)),
            _ => Line::new().text(format!("无。本单位{}年无{name}指标。", m.year)),
        };
        b.paragraph(line);
    }
}

fn organisation_and_assets(b: &mut Blocks, m: &ReportModel) {
    b.heading(1, "五、部门项目组织实施情况");
    prose(b, m.prose.get("project_organization"), "");
    let p = &m.procurement;
    let mut line = Line::new()
        .text("本年采购项目")
        .figure(&p.count)
        .text("个，合同金额")
        .figure(&p.total)
        .text(format!("{}，其中政府采购", m.money_unit))
        .figure(&p.government_total)
        .text(m.money_unit);
    if !p.by_method.is_empty() {
        line = line.text("；按采购方式：");
        for (i, r) in p.by_method.iter().enumerate() {
            line = line.text(&r.method).figure(&r.count).text("个、").figure(&r.amount).text(m.money_unit).text(separator(
                i,
                p.by_method.len(),
                "；",
                "",
            ));
        }
    }
    b.paragraph(line.text("。"));
    b.paragraph(if m.control_documents.is_empty() {
        Line::new().missing_data("内控制度记录")
    } else {
        Line::new().text(format!("已建立并执行的内部控制制度：{}。", m.control_documents.join("、")))
    });
    b.paragraph(if m.decisions.is_empty() {
        Line::new().text("本年无“三重一大”决策记录。")
    } else {
        let mut line = Line::new().text(format!("本年经领导班子集体决策的“三重一大”事项{}项：", m.decisions.len()));
        for (i, d) in m.decisions.iter().enumerate() {
            line = line.text(format!("{} {}——{}", d.date, d.kind, d.subject));
            if let Some(amount) = &d.amount {
                line = line.text("（").figure(amount).text(format!("{}）", m.money_unit));
            }
            line = line.text(separator(i, m.decisions.len(), "；", "。"));
        }
        line
    });

    b.heading(1, "六、资产管理情况");
    prose(b, m.prose.get("asset_management"), "");
    let a = &m.assets;
    let line = Line::new()
        .text("年末固定资产")
        .figure(&a.count)
        .text("件，原值")
        .figure(&a.original_value)
        .text(format!("{}，其中在用", m.money_unit))
        .figure(&a.in_use_value)
        .text(format!("{}，固定资产利用率", m.money_unit))
        .figure(&a.utilization_rate)
        .text("。本年计提折旧")
        .figure(&a.depreciation)
        .text(format!("{}，年末账面净值", m.money_unit))
        .figure(&a.net_value)
        .text(m.money_unit)
        .text(if a.undepreciated.is_empty() {
            String::new()
        } else {
            format!("（{}的类别未对应折旧年限，未计提）", a.undepreciated.join("、"))
        })
        .text("。本年经批准处置资产")
        .figure(&a.disposals)
        .text("件、调拨")
        .figure(&a.transfers)
        .text("件");
    b.paragraph(match (&a.counted, &a.missing) {
        (Some(counted), Some(missing)) => line.text("；盘点").figure(counted).text("件，盘亏").figure(missing).text("件。"),
        _ => line.text("；本年未记录资产盘点。"),
    });
}

fn performance(b: &mut Blocks, m: &ReportModel, figures: Option<&EvaluationFigures>) {
    // A project indicator's 指标值 and 实际完成值 link to the rows of its 项目支出绩效自评表.
    let scored = |project: &str, indicator: &str| {
        let ev = m.evaluation.as_ref()?;
        let (p, f) = ev.projects.iter().zip(&figures?.projects).find(|(p, _)| p.project_code == project)?;
        p.indicators.iter().zip(&f.indicators).find(|(i, _)| i.indicator_code == indicator).map(|(_, f)| f)
    };
    b.heading(1, "七、部门整体支出绩效情况");
    b.heading(2, "（一）产出情况");
    if m.outputs.is_empty() {
        missing_line(b, "活动产出记录");
    } else {
        b.list(false, m.outputs.iter().map(|o| Line::new().text(format!("{}：{}", o.activity, o.output)).figure(&o.value)).collect());
    }
    b.heading(2, "（二）有效性");
    prose(b, m.prose.get("effectiveness"), "");
    b.heading(2, "（三）持续性");
    prose(b, m.prose.get("sustainability"), "");

    b.heading(2, "（四）项目绩效目标完成情况");
    if m.projects.is_empty() {
        b.paragraph(Line::new().text("无。"));
    }
    for (i, p) in m.projects.iter().enumerate() {
        let mut line = Line::new().text(format!("{}. {}", i + 1, p.name));
        if p.is_key {
            line = line.text("（重点项目）");
        }
        line = line.text(format!("：年度目标——{}", p.goal.trim_matches('。')));
        if let Some(outcome) = &p.outcome {
            line = line.text(format!("；实际完成——{}", outcome.trim_matches('。')));
        }
        b.paragraph(
            line.text("。全年预算数")
                .figure(&p.budget)
                .text(format!("{}，执行数", m.money_unit))
                .figure(&p.spent)
                .text(format!("{}，执行率", m.money_unit))
                .figure(&p.execution_rate)
                .text("。"),
        );
        if !p.indicators.is_empty() {
            let rows = p
                .indicators
                .iter()
                .map(|i| {
                    let target = OutlineCell::text(i.target_text());
                    let actual = OutlineCell::text(i.actual_text());
                    let (target, actual) = match scored(&p.code, &i.code) {
                        Some(f) => {
                            (OutlineCell { figure: Some(f.target.id), ..target }, OutlineCell { figure: Some(f.actual.id), ..actual })
                        }
                        None => (target, actual),
                    };
                    vec![
                        OutlineCell::text(&i.level1),
                        OutlineCell::text(&i.level2),
                        OutlineCell::text(&i.level3),
                        target,
                        actual,
                        OutlineCell::text(&i.deviation_reason),
                    ]
                })
                .collect();
            b.table(&["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "偏差原因及改进措施"], &[5, 6, 7, 5, 5, 6], rows);
        }
    }

    b.heading(2, "（五）绩效自评结果");
    match (&m.evaluation, figures) {
        (Some(ev), Some(figures)) => {
            department(b, ev, figures);
            b.chart(Chart::IndicatorScores);
        }
        _ => missing_line(b, "绩效评价结果（运行 jixiao evaluate）"),
    }
}

fn closing_sections(b: &mut Blocks, m: &ReportModel) {
    b.heading(1, "八、存在的主要问题及原因分析");
    if !m.problems.is_empty() {
        b.paragraph(Line::new().text("根据绩效自评，以下指标未得满分："));
        b.list(true, m.problems.iter().map(|p| Line::new().text(p)).collect());
    }
    prose(b, m.prose.get("problems"), "");
    b.heading(1, "九、下一步改进措施");
    prose(b, m.prose.get("improvements"), "");
    b.heading(1, "十、绩效自评结果应用及公开情况");
    prose(b, m.prose.get("result_application"), "");
    b.heading(1, "十一、其他需要说明的情况");
    prose(b, m.prose.get("other"), "无。");
}
