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

// The import form's file picker shows the page's own 「选择文件」 button and the chosen files' names, not the
// browser's widget (「Choose File / No file chosen」 in a browser without its Chinese resources). An empty
// choice is said beside the button instead of the browser's own bubble.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-file-picker]").forEach(function (picker) {
    var input = picker.querySelector("input[type=file]");
    var names = picker.querySelector(".file-names");
    input.addEventListener("change", function () {
      var chosen = Array.prototype.map.call(input.files, function (f) { return f.name; });
      names.textContent = chosen.length ? chosen.join("、") : "未选择文件";
      picker.classList.remove("missing");
    });
    input.form.addEventListener("submit", function (event) {
      if (input.files.length > 0) return;
      event.preventDefault();
      names.textContent = "请先选择要导入的文件";
      picker.classList.add("missing");
    });
  });
});

// A required field left empty is said in Chinese whatever the browser's own language (its bubble would
// otherwise read 「Please fill out this field」 in a browser without its Chinese resources).
document.addEventListener("invalid", function (event) {
  var field = event.target;
  if (field.validity && field.validity.valueMissing) field.setCustomValidity(field.type === "file" ? "请选择文件。" : "请填写此项。");
}, true);
["input", "change"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    if (event.target.setCustomValidity) event.target.setCustomValidity("");
  }, true);
});
