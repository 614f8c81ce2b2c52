// Draws every chart on the page: each <div data-chart="ID"> takes its ECharts options from the JSON in
// <script type="application/json" id="ID">. The SVG renderer keeps Chinese labels as text.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(JSON.parse(source.textContent));
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  });
});

// On the voucher form, show the available balance of the chosen appropriation line.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("line_code");
  if (!select) return;
  select.addEventListener("change", function () {
    document.querySelectorAll(".line-available").forEach(function (d) { d.hidden = d.dataset.line !== select.value; });
  });
});

// Forms with data-confirm ask before they are sent (冲销). No inline event handlers: the
// Content-Security-Policy allows scripts from /static only, and the text is never parsed as code.
document.addEventListener("submit", function (event) {
  var message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// On phones the unit navigation is a menu behind a button (app.css hides the links until it is opened).
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector("nav.unit .menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", function () {
    var nav = toggle.closest("nav.unit");
    var open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// An error page's 「返回上一页」 goes back in the history when there is one (else it is the link to the home page).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
