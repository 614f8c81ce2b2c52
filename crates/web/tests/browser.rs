//! The web application in headless Chromium (Debian's /usr/bin/chromium), driven over CDP: sign in, enter a
//! voucher and see the dashboard change, submit and approve the self-evaluation, download the report.
//! Every main page is saved as a PNG under target/screenshots/ to be looked at.

#[allow(dead_code)]
mod common;

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::Page;
use futures::StreamExt;
use std::path::PathBuf;
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(page: &Page, name: &str) {
    page.save_screenshot(ScreenshotParams::builder().full_page(true).build(), screenshots().join(format!("{name}.png"))).await.unwrap();
}

async fn text(page: &Page, selector: &str) -> String {
    page.find_element(selector).await.unwrap_or_else(|e| panic!("{selector}: {e}")).inner_text().await.unwrap().unwrap_or_default().trim().to_string()
}

/// Navigates and waits for the page to load.
async fn visit(page: &Page, url: &str) {
    page.goto(url).await.unwrap();
    page.wait_for_navigation().await.unwrap();
}

async fn fill(page: &Page, selector: &str, value: &str) {
    let el = page.find_element(selector).await.unwrap_or_else(|e| panic!("{selector}: {e}"));
    el.click().await.unwrap();
    // Clear what the form pre-filled, then type as a user would; Chinese text goes in as an input method
    // would commit it (CDP key events cover only keyboard keys).
    page.evaluate(format!("document.querySelector({selector:?}).value = ''")).await.unwrap();
    if value.is_ascii() {
        el.type_str(value).await.unwrap();
    } else {
        page.evaluate(format!("(e => {{ e.value = {value:?}; e.dispatchEvent(new Event('input', {{bubbles: true}})); }})(document.querySelector({selector:?}))")).await.unwrap();
    }
}

/// Clicks a submit button and waits until the next document has loaded (a marker on the old one is gone).
async fn submit(page: &Page, selector: &str) {
    page.evaluate("window.__jixiao_old_page = true").await.unwrap();
    page.find_element(selector).await.unwrap_or_else(|e| panic!("{selector}: {e}")).click().await.unwrap();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let loaded: bool = page.evaluate("window.__jixiao_old_page !== true && document.readyState === 'complete'").await.map(|v| v.into_value().unwrap_or(false)).unwrap_or(false);
        if loaded {
            return;
        }
    }
    panic!("clicking {selector} loaded no new page");
}

async fn sign_in(page: &Page, base: &str, username: &str) {
    visit(page, &format!("{base}/login")).await;
    fill(page, "input[name=username]", username).await;
    fill(page, "input[name=password]", "demo").await;
    submit(page, "button[type=submit]").await;
}

async fn sign_out(page: &Page) {
    submit(page, "header form button").await;
}

/// Waits until ECharts has drawn every chart of the page (app.js marks them).
async fn charts_drawn(page: &Page) -> usize {
    for _ in 0..50 {
        let drawn: usize = page.evaluate("document.querySelectorAll('[data-chart][data-drawn] svg').length").await.unwrap().into_value().unwrap();
        let wanted: usize = page.evaluate("document.querySelectorAll('[data-chart]').length").await.unwrap().into_value().unwrap();
        if drawn == wanted && wanted > 0 {
            return drawn;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_evaluation_from_entry_to_approval_in_the_browser() {
    if !std::path::Path::new(CHROMIUM).exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium (scripts/install-test-deps.sh)");
        eprintln!("{CHROMIUM} not installed: browser test skipped");
        return;
    }
    let server = common::start().await;
    let base = server.base.clone();
    let profile = tempfile::tempdir().unwrap();
    let config = BrowserConfig::builder()
        .chrome_executable(CHROMIUM)
        .no_sandbox()
        .user_data_dir(profile.path())
        .window_size(1280, 900)
        .args(["--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .build()
        .unwrap();
    let (mut browser, mut handler) = Browser::launch(config).await.unwrap();
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    let page = browser.new_page("about:blank").await.unwrap();
    let unit = format!("{base}/units/430102-KX/2020");

    // The login page lists the demo users.
    visit(&page, &format!("{base}/login")).await;
    assert!(text(&page, "main").await.contains("演示账号"));
    shot(&page, "01-login").await;

    // 填报员: the dashboard, with its charts drawn.
    sign_in(&page, &base, "clerk").await;
    assert_eq!(page.url().await.unwrap().unwrap(), unit);
    assert_eq!(charts_drawn(&page).await, 3, "all three charts drawn");
    assert!(text(&page, "header").await.contains("演示模式"));
    assert_eq!(text(&page, "#total-spent").await, "211.33 万元");
    shot(&page, "02-dashboard").await;

    visit(&page, &format!("{unit}/lines")).await;
    shot(&page, "03-lines").await;
    visit(&page, &format!("{unit}/lines/ZB2020-29")).await;
    shot(&page, "04-line-vouchers").await;

    // A bad amount is refused with the message beside the field.
    visit(&page, &format!("{unit}/vouchers/new")).await;
    page.evaluate("document.querySelector('#line_code').value = 'ZB2020-01'").await.unwrap();
    fill(&page, "#amount", "12元").await;
    fill(&page, "#payee", "长沙某文印店").await;
    fill(&page, "#purpose", "宣传资料印刷").await;
    submit(&page, "#save-voucher").await;
    assert!(text(&page, ".field-error").await.contains("IMPORT_BAD_AMOUNT"));
    shot(&page, "05-voucher-error").await;
    // Corrected, it is entered, and the dashboard shows it.
    fill(&page, "#amount", "5000.00").await;
    submit(&page, "#save-voucher").await;
    assert!(page.url().await.unwrap().unwrap().ends_with("/lines/ZB2020-01"));
    visit(&page, &unit).await;
    assert_eq!(text(&page, "#total-spent").await, "211.83 万元", "211.33 + 0.50 万元");

    visit(&page, &format!("{unit}/projects")).await;
    shot(&page, "06-projects").await;
    visit(&page, &format!("{unit}/import")).await;
    shot(&page, "07-import").await;
    visit(&page, &format!("{unit}/evaluation")).await;
    shot(&page, "08-evaluation").await;
    visit(&page, &format!("{unit}/report")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    shot(&page, "09-report").await;
    // The report downloads, with the new figure in it.
    let report: String = page.evaluate(format!("fetch('{unit}/report.md').then(r => r.text())")).await.unwrap().into_value().unwrap();
    assert!(report.contains("本年支出合计211.83万元") && report.contains("242.96"), "report.md");

    // Start and submit the self-evaluation.
    visit(&page, &unit).await;
    submit(&page, "#task-start").await;
    submit(&page, "#task-submit").await;
    assert_eq!(text(&page, "nav.unit .status .badge").await, "已提交待审核");
    sign_out(&page).await;

    // 审核员 approves.
    sign_in(&page, &base, "reviewer").await;
    submit(&page, "#task-approve").await;
    assert_eq!(text(&page, "nav.unit .status .badge").await, "审核通过");
    shot(&page, "10-approved").await;
    sign_out(&page).await;

    // 财政局 sees the unit in its region's list.
    sign_in(&page, &base, "bureau").await;
    assert!(page.url().await.unwrap().unwrap().ends_with("/units"));
    assert!(text(&page, "main").await.contains("审核通过"));
    shot(&page, "11-bureau-units").await;
    // …and its area consolidated: execution, ranking by score, findings.
    visit(&page, &format!("{base}/region/2020")).await;
    let frame_text: String = page.evaluate("fetch('/region/2020/report.html').then(r => r.text())").await.unwrap().into_value().unwrap();
    assert!(frame_text.contains("芙蓉区科学技术协会") && frame_text.contains("242.96"), "the area view");
    tokio::time::sleep(Duration::from_millis(500)).await;
    shot(&page, "12-bureau-region").await;

    browser.close().await.unwrap();
    let _ = browser.wait().await;
    events.abort();
}
