//! The web application in headless Chromium (Debian's /usr/bin/chromium), driven over CDP: sign in, enter a
//! voucher and see the dashboard change, submit and approve the self-evaluation, download the report.
//! Every main page is saved as a PNG under target/screenshots/ to be looked at.

#[allow(dead_code)]
mod common;

use chromiumoxide::Page;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::page::ScreenshotParams;
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
    shot_in(page, &screenshots(), name).await;
}

async fn text(page: &Page, selector: &str) -> String {
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .inner_text()
        .await
        .unwrap()
        .unwrap_or_default()
        .trim()
        .to_string()
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
    // Up to 20 s: an uploaded workbook is read in a debug build on a busy machine.
    for _ in 0..400 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let loaded: bool = page
            .evaluate("window.__jixiao_old_page !== true && document.readyState === 'complete'")
            .await
            .map(|v| v.into_value().unwrap_or(false))
            .unwrap_or(false);
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
        let drawn: usize =
            page.evaluate("document.querySelectorAll('[data-chart][data-drawn] svg').length").await.unwrap().into_value().unwrap();
        let wanted: usize = page.evaluate("document.querySelectorAll('[data-chart]').length").await.unwrap().into_value().unwrap();
        if drawn == wanted && wanted > 0 {
            return drawn;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    0
}

/// Chromium's Chinese resources (Debian's chromium-l10n): without them `--lang=zh-CN` falls back to en-US for
/// what the browser draws itself — a date field reads 12/31/2020 — whatever the page's locale override.
const CHROMIUM_ZH_CN: &str = "/usr/lib/chromium/locales/zh-CN.pak";

/// Whether `path` is installed; a missing one is said, with what it means, and fails the test on CI, which
/// must install `package` (scripts/install-test-deps.sh).
fn installed(path: &str, package: &str, meaning: &str) -> bool {
    if std::path::Path::new(path).exists() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "CI must install {package} (scripts/install-test-deps.sh)");
    eprintln!("{path} not installed: {meaning}");
    false
}

/// Whether Chromium draws its own widgets in Chinese.
fn chromium_speaks_chinese() -> bool {
    installed(CHROMIUM_ZH_CN, "chromium-l10n", "the browser's own widgets (date fields) are drawn in en-US")
}

/// Whether Chromium is missing (the test is then skipped, except on CI).
fn chromium_missing() -> bool {
    !installed(CHROMIUM, "chromium", "browser test skipped")
}

/// Headless Chromium with a fresh profile (kept alive by the returned directory) and one blank page; the task
/// driving its events is to be aborted at the end.
async fn launch() -> (Browser, tokio::task::JoinHandle<()>, Page, tempfile::TempDir) {
    let profile = tempfile::tempdir().unwrap();
    let config = BrowserConfig::builder()
        .chrome_executable(CHROMIUM)
        .no_sandbox()
        .user_data_dir(profile.path())
        .window_size(1280, 900)
        // A debug build typesets the hostile demo's PDF in over a minute on a loaded 2-core machine; the tests check
        // what pages and files contain, not how fast they come.
        .request_timeout(Duration::from_secs(300))
        .args([
            "--headless=new",
            "--lang=zh-CN",
            "--accept-lang=zh-CN,zh",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        // Chromium's own texts in Chinese where its locale file is installed (Debian: chromium-l10n).
        .env("LANGUAGE", "zh_CN")
        .env("LANG", "zh_CN.UTF-8")
        .build()
        .unwrap();
    let (browser, mut handler) = Browser::launch(config).await.unwrap();
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    let page = browser.new_page("about:blank").await.unwrap();
    // The users' locale (dates, number formats and fonts as a Chinese browser has them).
    use chromiumoxide::cdp::browser_protocol::emulation::SetLocaleOverrideParams;
    page.execute(SetLocaleOverrideParams::builder().locale("zh_CN").build()).await.unwrap();
    (browser, events, page, profile)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_evaluation_from_entry_to_approval_in_the_browser() {
    if chromium_missing() {
        return;
    }
    let server = common::start().await;
    let base = server.base.clone();
    let (mut browser, events, page, _profile) = launch().await;
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
    let rule: String = page.evaluate("document.querySelector('.field-error').dataset.rule").await.unwrap().into_value().unwrap();
    assert_eq!(rule, "IMPORT_BAD_AMOUNT", "the rule id is kept for the tooltip");
    assert!(!text(&page, ".field-error").await.contains("IMPORT_BAD_AMOUNT"), "and is not in the text");
    shot(&page, "05-voucher-error").await;
    // Corrected, it is entered, and the dashboard shows it.
    fill(&page, "#amount", "5000.00").await;
    submit(&page, "#save-voucher").await;
    assert!(page.url().await.unwrap().unwrap().contains("/lines/ZB2020-01?entered="));
    let confirmation = text(&page, "#entered").await;
    assert!(confirmation.contains("已登记支出凭证") && confirmation.contains("5,000.00 元"), "{confirmation}");
    visit(&page, &unit).await;
    assert_eq!(text(&page, "#total-spent").await, "211.83 万元", "211.33 + 0.50 万元");

    visit(&page, &format!("{unit}/projects")).await;
    shot(&page, "06-projects").await;
    visit(&page, &format!("{unit}/import")).await;
    shot(&page, "07-import").await;
    // The file picker is the page's own, in Chinese: sending no file is said beside it, a chosen file is named.
    assert_eq!(text(&page, ".file-picker label").await, "选择文件");
    assert_eq!(text(&page, ".file-names").await, "未选择文件");
    page.find_element("form[enctype] button.primary").await.unwrap().click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(text(&page, ".file-names").await, "请先选择要导入的文件");
    let input = page.find_element("#import-files").await.unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020/staffing.csv").canonicalize().unwrap();
    use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
    page.execute(
        SetFileInputFilesParams::builder().file(file.display().to_string()).backend_node_id(input.backend_node_id).build().unwrap(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(text(&page, ".file-names").await, "staffing.csv");
    shot(&page, "07-import-chosen").await;
    // The unit's template with a changed 单位名称, uploaded through the picker: the difference is shown, and
    // cancelling writes nothing.
    let workbook_dir = tempfile::tempdir().unwrap();
    let workbook = workbook_dir.path().join("template.xlsx");
    let mut profile = server.state.store.unit("430102-KX").await.unwrap().unwrap();
    let stored_name = std::mem::replace(&mut profile.name, "芙蓉区科协（更名）".into());
    let years = server.state.store.years("430102-KX").await.unwrap();
    jixiao_import::template::write_workbook(&workbook, Some((&profile, &years)), &Default::default(), 2020).unwrap();
    page.execute(
        SetFileInputFilesParams::builder().file(workbook.display().to_string()).backend_node_id(input.backend_node_id).build().unwrap(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(text(&page, ".file-names").await, "template.xlsx");
    submit(&page, "form[enctype] button.primary").await;
    let differences = text(&page, "#unit-differences").await;
    assert!(differences.contains(&stored_name) && differences.contains("芙蓉区科协（更名）"), "{differences}");
    shot(&page, "07-import-differences").await;
    set_width(&page, WIDTHS[1]).await;
    shot(&page, "07-import-differences-390").await;
    set_width(&page, (1280, 900, false)).await;
    let before = server.state.store.record_counts().await.unwrap();
    submit(&page, "#import-cancel").await;
    assert!(text(&page, "#import-done").await.contains("已取消导入"));
    assert_eq!(server.state.store.record_counts().await.unwrap(), before);
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

/// Breaks out of text, of double- and single-quoted attributes and of a JavaScript string; each part, if it
/// ran, would leave a mark: `window.__xss`, or the title "XSS".
const PAYLOAD: &str = "\"'><script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"><svg onload=\"document.title='XSS'\"></svg>'+(window.__xss=4)+'";

/// What a loaded page shows of the payload: whether any of it ran (or tried to, against the CSP), how many
/// elements or inline scripts it made, and whether its text is on the page (escaped).
async fn payload_state(page: &Page) -> (bool, u64, bool) {
    let js = r#"JSON.stringify({
        ran: window.__xss !== undefined || document.title === 'XSS' || window.__csp_violations !== undefined,
        markup: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], [onmouseover]').length
            + Array.from(document.scripts).filter(s => !s.src && s.type !== 'application/json').length,
        shown: document.body !== null && document.body.innerText.includes("window.__xss=1"),
    })"#;
    let state: String = page.evaluate(js).await.unwrap().into_value().unwrap();
    let v: serde_json::Value = serde_json::from_str(&state).unwrap();
    (v["ran"].as_bool().unwrap(), v["markup"].as_u64().unwrap(), v["shown"].as_bool().unwrap())
}

/// Signs in through the form (oneshot on the router) for the set-up writes.
async fn session(state: &jixiao_web::SharedState, username: &str) -> (String, String) {
    use tower::ServiceExt;
    let request = axum::http::Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!("username={username}&password=demo")))
        .unwrap();
    let response = jixiao_web::router(state.clone()).oneshot(request).await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let (_, csrf) = state.store.session_user(cookie.split_once('=').unwrap().1).await.unwrap().unwrap();
    (cookie, csrf)
}

/// A write as a signed-in user: a form (`json` false) or JSON with the CSRF header. Returns the status.
async fn write(state: &jixiao_web::SharedState, (cookie, csrf): &(String, String), uri: &str, body: serde_json::Value, json: bool) -> u16 {
    use tower::ServiceExt;
    let request = axum::http::Request::post(uri).header("cookie", cookie).header("x-csrf-token", csrf);
    let request = if json {
        request.header("content-type", "application/json").body(axum::body::Body::from(body.to_string()))
    } else {
        let mut form = format!("csrf={csrf}");
        for (k, v) in body.as_object().unwrap() {
            let v = v.as_str().unwrap();
            form.push_str(&format!(
                "&{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect::<String>()
            ));
        }
        request.header("content-type", "application/x-www-form-urlencoded").body(axum::body::Body::from(form))
    };
    jixiao_web::router(state.clone()).oneshot(request.unwrap()).await.unwrap().status().as_u16()
}

/// Issue 16: a payload in every free-text field of the records that reach pages — the demo's 13 record kinds
/// as imported, the unit's name, duties and offices, users' display names, and what is entered on pages (a
/// voucher's payee, purpose and note, an indicator result's evidence and deviation reason, a reviewer's score
/// override reason, a return comment) — then every page of every role and every report format: no script
/// runs, none is even attempted (no CSP violation), no element is made, and the text is shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_stored_payload_runs_on_any_page_or_report() {
    if chromium_missing() {
        return;
    }
    // The hostile books, and the demo's users with hostile display names.
    let dir = tempfile::tempdir().unwrap();
    let store = jixiao_store::Store::open(&format!("sqlite://{}/xss.db", dir.path().display())).await.unwrap();
    let (batch, imported_fields) = jixiao_import::demo::hostile(PAYLOAD);
    store.apply(&batch, "payload").await.unwrap();
    for (username, display, role) in jixiao_web::setup::DEMO_USERS {
        let (unit, region) = if *role == jixiao_web::auth::Role::Bureau { (None, Some("430102")) } else { (Some("430102-KX"), None) };
        store
            .create_user(
                username,
                &format!("{display}{PAYLOAD}"),
                &jixiao_web::auth::hash_password("demo").unwrap(),
                role.id(),
                unit,
                region,
            )
            .await
            .unwrap();
    }
    let state = jixiao_web::AppState::new(store, true);
    let unit = "/units/430102-KX/2020";
    // What users type on pages.
    let (clerk, reviewer) = (session(&state, "clerk").await, session(&state, "reviewer").await);
    let bureau = session(&state, "bureau").await;
    assert_eq!(write(&state, &bureau, &format!("{unit}/task/issue"), serde_json::json!({}), false).await, 303);
    let voucher = serde_json::json!({ "voucher_no": "XSS-1", "date": "2020-12-30", "line_code": "ZB2020-01", "amount": "1.00", "payee": PAYLOAD, "purpose": PAYLOAD, "note": PAYLOAD });
    assert_eq!(write(&state, &clerk, &format!("{unit}/vouchers"), voucher, false).await, 303);
    assert_eq!(write(&state, &reviewer, &format!("{unit}/vouchers/XSS-1/approve"), serde_json::json!({}), false).await, 303);
    let result = serde_json::json!({ "actual": "1", "evidence": PAYLOAD, "deviation_reason": PAYLOAD });
    assert_eq!(write(&state, &clerk, &format!("/api{unit}/indicators/XM2020-01-ZB04/results"), result, true).await, 201);
    let override_form = serde_json::json!({ "indicator": "target_specific", "score": "1", "reason": PAYLOAD });
    assert_eq!(write(&state, &reviewer, &format!("{unit}/evaluation/override"), override_form, false).await, 303);
    for action in ["start", "submit"] {
        assert_eq!(write(&state, &clerk, &format!("{unit}/task/{action}"), serde_json::json!({}), false).await, 303);
    }
    assert_eq!(write(&state, &reviewer, &format!("{unit}/task/return"), serde_json::json!({ "comment": PAYLOAD }), false).await, 303);
    // payee, purpose, note; evidence, deviation reason; the override's reason; the comment; four display names.
    let typed_fields = 3 + 2 + 1 + 1 + 4;

    let server = common::serve(state.clone(), dir).await;
    let base = server.base.clone();
    let (mut browser, events, page, _profile) = launch().await;
    page.evaluate_on_new_document(
        "document.addEventListener('securitypolicyviolation', () => { window.__csp_violations = (window.__csp_violations || 0) + 1; })",
    )
    .await
    .unwrap();

    let lines: Vec<String> = state
        .store
        .books("430102-KX", 2020)
        .await
        .unwrap()
        .records
        .appropriation_lines
        .iter()
        .map(|l| format!("{unit}/lines/{}", l.line_code))
        .collect();
    let mut unit_pages: Vec<String> =
        ["", "/lines", "/vouchers/new", "/projects", "/import", "/evaluation", "/report", "/report.html", "/monitor", "/monitor.html"]
            .iter()
            .map(|p| format!("{unit}{p}"))
            .collect();
    unit_pages.extend(lines);
    let plan: Vec<(&str, Vec<String>)> = vec![
        ("clerk", unit_pages.clone()),
        (
            "reviewer",
            vec![unit.to_string(), format!("{unit}/evaluation"), format!("{unit}/lines/ZB2020-01"), format!("{unit}/vouchers/new")],
        ),
        ("admin", vec![unit.to_string(), format!("{unit}/lines/ZB2020-01")]),
        (
            "bureau",
            vec![
                "/units".into(),
                "/region/2020".into(),
                "/region/2020/report.html".into(),
                "/region/2020/monitoring".into(),
                unit.to_string(),
                format!("{unit}/report.html"),
                format!("{unit}/monitor.html"),
            ],
        ),
    ];
    let (mut opened, mut shown) = (0, 0);
    for (username, pages) in &plan {
        sign_in(&page, &base, username).await;
        for path in pages {
            visit(&page, &format!("{base}{path}")).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            let (ran, markup, text) = payload_state(&page).await;
            assert!(!ran, "{username} {path}: the payload ran");
            assert_eq!(markup, 0, "{username} {path}: the payload made elements");
            opened += 1;
            shown += usize::from(text);
        }
        // A report has no header: sign out from a page.
        visit(&page, &format!("{base}/units")).await;
        sign_out(&page).await;
    }
    // Pages that must show the payload as text: the unit's name is on every unit page.
    assert!(shown >= unit_pages.len(), "the payload was shown as text on only {shown} of {opened} pages");
    // The other formats are files, not documents a browser runs: served, with the sandbox policy.
    sign_in(&page, &base, "clerk").await;
    for format in ["md", "docx", "xlsx", "pdf"] {
        let js = format!("fetch('{unit}/report.{format}').then(r => r.status + ' ' + (r.headers.get('content-security-policy') || ''))");
        let answer: String = page.evaluate(js).await.unwrap().into_value().unwrap();
        assert!(answer.starts_with("200 sandbox;"), "report.{format}: {answer}");
        opened += 1;
    }
    let md: String = page.evaluate(format!("fetch('{unit}/report.md').then(r => r.text())")).await.unwrap().into_value().unwrap();
    assert!(md.contains(PAYLOAD), "Markdown keeps the text as typed");
    eprintln!(
        "payload: {} fields ({imported_fields} imported, {typed_fields} typed on pages) × {opened} pages and formats opened; shown as text on {shown}",
        imported_fields + typed_fields
    );
    browser.close().await.unwrap();
    let _ = browser.wait().await;
    events.abort();
}

/// The widths every page is looked at: a 1366 px laptop and a 390 px phone.
/// (Chromium's mobile emulation is left off: it zooms out to fit a page that is too wide, and `innerWidth`
/// then grows with the page, hiding the very overflow the check looks for.)
const WIDTHS: [(i64, i64, bool); 2] = [(1366, 900, false), (390, 844, true)];

async fn set_width(page: &Page, (width, height, mobile): (i64, i64, bool)) {
    use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
    let _ = mobile;
    page.execute(SetDeviceMetricsOverrideParams::new(width, height, 1.0, false)).await.unwrap();
    // Charts redraw on resize; give layout and ECharts a moment.
    tokio::time::sleep(Duration::from_millis(150)).await;
}

async fn eval_string(page: &Page, js: &str) -> String {
    page.evaluate(js).await.unwrap_or_else(|e| panic!("{js}: {e}")).into_value().unwrap()
}

/// What a page shows that users should not have to read: English rule ids, internal section ids, rules-file
/// names, command lines, user names where display names belong. Returns the offending snippets.
const WORDS_CHECK: &str = r#"(() => {
    const text = document.body ? document.body.innerText : '';
    const found = [];
    for (const re of [/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, /章节 [a-z_]+/g, /jixiao (?:check|template|import|report|serve)\b/g, /[\w-]+\.toml/g, /Invalid URL|Cannot parse/g]) {
        for (const m of text.matchAll(re)) found.push(m[0]);
    }
    return JSON.stringify(found);
})()"#;

/// What the browser itself would draw in its own words, in English where its Chinese resources are missing
/// (headless Chromium without Debian's chromium-l10n): a visible file input (「Choose File / No file chosen」),
/// a required field's bubble (「Please fill out this field」), dates and numbers outside the zh-CN locale.
const WIDGETS_CHECK: &str = r#"(() => {
    const bad = [];
    document.querySelectorAll('input[type=file]').forEach(i => {
        const r = i.getBoundingClientRect();
        if (r.width > 1 && getComputedStyle(i).opacity !== '0') bad.push('file input ' + i.name + ' drawn by the browser');
    });
    document.querySelectorAll('input[required], select[required], textarea[required]').forEach(i => {
        if (i.value) return;
        i.checkValidity();
        if (/[A-Za-z]{3}/.test(i.validationMessage)) bad.push('bubble of ' + i.name + ': ' + i.validationMessage);
        i.setCustomValidity('');
    });
    const locale = Intl.DateTimeFormat().resolvedOptions().locale;
    if (!locale.startsWith('zh')) bad.push('locale ' + locale);
    // The language the browser draws date fields in (zh-CN only with its Chinese resources installed).
    if (window.__jixiao_browser_zh && !navigator.language.startsWith('zh')) bad.push('browser language ' + navigator.language);
    return JSON.stringify(bad);
})()"#;

/// Cells that must stay on one line at desktop width (codes, amounts, a card's figure with its 万元).
const WRAPPED_CHECK: &str = r#"(() => {
    const bad = [];
    document.querySelectorAll('td.code, td.num, .card .value').forEach(el => {
        if (el.querySelector('div, br')) return;
        const range = document.createRange();
        range.selectNodeContents(el);
        // Lines: boxes that do not overlap vertically (a smaller 万元 on the same line overlaps its figure).
        const rects = Array.from(range.getClientRects()).filter(r => r.width > 0).sort((a, b) => a.top - b.top);
        let lines = 0, bottom = -Infinity;
        for (const r of rects) {
            if (r.top >= bottom - 2) { lines += 1; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
        }
        if (lines > 1) bad.push(el.innerText.trim());
        // On one line, and inside its box: a card's 万元 drawn past the card's border was the next failure.
        const box = el.getBoundingClientRect();
        if (rects.some(r => r.right > box.right + 1)) bad.push('overflow: ' + el.innerText.trim());
    });
    return JSON.stringify(bad);
})()"#;

/// Cells of amounts and counts that are not right-aligned (at most three, by their text).
const ALIGN_CHECK: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('td.num')).filter(td => !['right', 'end'].includes(getComputedStyle(td).textAlign)).slice(0, 3).map(td => td.innerText.trim()))"#;

/// Charts that do not stand one per row at phone width, or are too narrow to read.
const CHARTS_CHECK: &str = r#"(() => {
    const boxes = Array.from(document.querySelectorAll('[data-chart]')).map(e => e.getBoundingClientRect());
    const bad = [];
    boxes.forEach((r, i) => {
        if (r.width < window.innerWidth * 0.6) bad.push('a chart ' + Math.round(r.width) + 'px wide');
        boxes.slice(i + 1).forEach(o => { if (o.top < r.bottom - 1 && r.top < o.bottom - 1) bad.push('two charts side by side'); });
    });
    return JSON.stringify(bad);
})()"#;

/// Short table headers (up to four characters, e.g. 「单位数」) broken over more than one line.
const SHORT_HEADERS_CHECK: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('th')).filter(th => th.innerText.trim().length <= 4).filter(th => {
    const range = document.createRange();
    range.selectNodeContents(th);
    return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1;
}).map(th => th.innerText.trim()))"#;

/// Issue 20: every page of every role at 1366 px and 390 px, in the zh-CN locale, saved as PNGs under
/// target/screenshots/pages/ to be looked at. At 390 px no page is wider than the screen and the unit
/// navigation is a menu; at 1366 px codes, amounts and card figures do not wrap; nowhere does a page show
/// rule ids, section ids, rules files, command lines or user names in its text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_every_role_at_laptop_and_phone_width() {
    if chromium_missing() {
        return;
    }
    let server = common::start().await;
    let base = server.base.clone();
    let (mut browser, events, page, _profile) = launch().await;
    let dir = screenshots().join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    let unit = "/units/430102-KX/2020";
    let unit_pages = |extra: &[&str]| -> Vec<String> {
        let mut pages: Vec<String> = ["", "/lines", "/lines/ZB2020-01", "/vouchers/new", "/projects", "/evaluation", "/report", "/monitor"]
            .iter()
            .map(|p| format!("{unit}{p}"))
            .collect();
        pages.extend(extra.iter().map(|p| format!("{unit}{p}")));
        pages
    };
    let plan: Vec<(&str, Vec<String>)> = vec![
        (
            "clerk",
            [unit_pages(&["/import"]), vec!["/account/password".into(), "/no-such-page".into(), "/units/430102-KX/二〇二〇".into()]]
                .concat(),
        ),
        ("reviewer", unit_pages(&[])),
        ("admin", unit_pages(&["/import"])),
        (
            "bureau",
            vec![
                "/units".into(),
                "/region/2020".into(),
                "/region/2020/monitoring".into(),
                unit.into(),
                format!("{unit}/evaluation"),
                format!("{unit}/report"),
                format!("{unit}/monitor"),
            ],
        ),
    ];
    let started = std::time::Instant::now();
    let mut shots = 0;
    let mut problems: Vec<String> = Vec::new();
    let widgets_check = format!("window.__jixiao_browser_zh = {}; {WIDGETS_CHECK}", chromium_speaks_chinese());
    visit(&page, &format!("{base}/login")).await;
    for width in WIDTHS {
        set_width(&page, width).await;
        let widgets = eval_string(&page, &widgets_check).await;
        if widgets != "[]" {
            problems.push(format!("login at {}px shows the browser's own words: {widgets}", width.0));
        }
        shot_in(&page, &dir, &format!("{}-login", width.0)).await;
        shots += 1;
    }
    for (role, paths) in &plan {
        sign_in(&page, &base, role).await;
        for (n, path) in paths.iter().enumerate() {
            let name = format!("{role}-{n:02}-{}", path.trim_start_matches('/').replace(['/', '.'], "_"));
            for width in WIDTHS {
                // Opened at the width, as on that screen; measured before the screenshot, which resizes the
                // page to its full height.
                set_width(&page, width).await;
                visit(&page, &format!("{base}{path}")).await;
                let charts: usize = page.evaluate("document.querySelectorAll('[data-chart]').length").await.unwrap().into_value().unwrap();
                if charts > 0 {
                    assert_eq!(charts_drawn(&page).await, charts, "{role} {path}: charts drawn");
                }
                let (w, _, phone) = width;
                if charts > 0 {
                    let donut =
                        eval_string(&page, "(document.querySelector('[data-chart=chart-split] svg') || {textContent: ''}).textContent")
                            .await;
                    if !(donut.contains("万元") && donut.contains('%')) {
                        problems.push(format!("{role} {path} at {w}px: the donut shows no amounts and shares ({donut})"));
                    }
                }
                let words = eval_string(&page, WORDS_CHECK).await;
                if words != "[]" {
                    problems.push(format!("{role} {path} at {w}px shows {words}"));
                }
                let widgets = eval_string(&page, &widgets_check).await;
                if widgets != "[]" {
                    problems.push(format!("{role} {path} at {w}px shows the browser's own words: {widgets}"));
                }
                if phone {
                    let (scroll, inner): (i64, i64) = (
                        page.evaluate("document.documentElement.scrollWidth").await.unwrap().into_value().unwrap(),
                        page.evaluate("window.innerWidth").await.unwrap().into_value().unwrap(),
                    );
                    if scroll > inner || inner > w {
                        let widest = eval_string(&page, "JSON.stringify(Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)))").await;
                        problems.push(format!("{role} {path} at {w}px is {scroll}px wide: {widest}"));
                    }
                    let nav_links_shown: i64 = page
                        .evaluate("Array.from(document.querySelectorAll('nav.unit a')).filter(a => a.offsetParent !== null).length")
                        .await
                        .unwrap()
                        .into_value()
                        .unwrap();
                    if nav_links_shown > 0 {
                        problems.push(format!("{role} {path} at {w}px shows {nav_links_shown} navigation links before the menu is opened"));
                    }
                    let charts = eval_string(&page, CHARTS_CHECK).await;
                    if charts != "[]" {
                        problems.push(format!("{role} {path} at {w}px: {charts}"));
                    }
                } else {
                    let wrapped = eval_string(&page, WRAPPED_CHECK).await;
                    if wrapped != "[]" {
                        problems.push(format!("{role} {path} at {w}px wraps {wrapped}"));
                    }
                    let unaligned = eval_string(&page, ALIGN_CHECK).await;
                    if unaligned != "[]" {
                        problems.push(format!("{role} {path} at {w}px: amounts not right-aligned {unaligned}"));
                    }
                }
                shot_in(&page, &dir, &format!("{w}-{name}")).await;
                shots += 1;
            }
        }
        visit(&page, &format!("{base}/units")).await;
        sign_out(&page).await;
    }
    // The region report as the 财政局's page frames it, opened alone at each width: short headers on one line,
    // and at 390 px no sideways scrolling of the report itself (its wide tables scroll in their own box).
    sign_in(&page, &base, "bureau").await;
    for width in WIDTHS {
        set_width(&page, width).await;
        visit(&page, &format!("{base}/region/2020/report.html")).await;
        let broken = eval_string(&page, SHORT_HEADERS_CHECK).await;
        if broken != "[]" {
            problems.push(format!("the region report at {}px breaks the headers {broken}", width.0));
        }
        let (scroll, inner): (i64, i64) = (
            page.evaluate("document.documentElement.scrollWidth").await.unwrap().into_value().unwrap(),
            page.evaluate("window.innerWidth").await.unwrap().into_value().unwrap(),
        );
        if scroll > inner {
            problems.push(format!("the region report at {}px is {scroll}px wide", width.0));
        }
        shot_in(&page, &dir, &format!("{}-bureau-region-report-framed", width.0)).await;
        shots += 1;
    }
    visit(&page, &format!("{base}/units")).await;
    sign_out(&page).await;
    eprintln!("{shots} screenshots in {:.1} s under {}", started.elapsed().as_secs_f64(), dir.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    browser.close().await.unwrap();
    let _ = browser.wait().await;
    events.abort();
}

async fn shot_in(page: &Page, dir: &std::path::Path, name: &str) {
    page.save_screenshot(ScreenshotParams::builder().full_page(true).build(), dir.join(format!("{name}.png"))).await.unwrap();
}
