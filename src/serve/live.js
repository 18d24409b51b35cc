// labsite preview: live reload and build-error overlay.
// Injected by `labsite serve` into the pages it serves; never part of a built site.
(function () {
  "use strict";

  var me = document.currentScript;
  var servedVersion = me ? Number(me.getAttribute("data-version")) : 0;
  var here = location.pathname.replace(/^\//, "");
  if (here === "" || here.endsWith("/")) here += "index.html";
  try { here = decodeURIComponent(here); } catch (e) { /* keep as is */ }
  var SCROLL_KEY = "labsite-scroll:" + location.pathname;

  // Restore the scroll position kept across a live reload.
  var saved = sessionStorage.getItem(SCROLL_KEY);
  if (saved !== null) {
    sessionStorage.removeItem(SCROLL_KEY);
    var y = Number(saved);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
    window.scrollTo(0, y);
  }

  function reload() {
    sessionStorage.setItem(SCROLL_KEY, String(window.scrollY));
    location.reload();
  }

  function swapCss() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("labsite", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.addEventListener("load", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function overlay(errors) {
    var box = document.getElementById("labsite-error-overlay");
    if (!errors || errors.length === 0) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "labsite-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#1f1f1f;color:#f5f5f5;border-left:6px solid #e5484d;border-radius:8px;padding:1rem 1.25rem;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed: the last good version is shown. Fix the file and save.";
    title.style.display = "block";
    title.style.marginBottom = ".5rem";
    box.appendChild(title);
    errors.forEach(function (e) {
      var p = document.createElement("pre");
      p.style.cssText = "margin:.25rem 0;white-space:pre-wrap;color:inherit;background:none;border:0;padding:0";
      var where = e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "");
      p.textContent = where + ": " + e.message + (e.hint ? "\n  hint: " + e.hint : "");
      box.appendChild(p);
    });
  }

  function connect() {
    var source = new EventSource("/_labsite/events");
    source.onopen = function () { document.documentElement.dataset.labsiteLive = "connected"; };
    source.onerror = function () { document.documentElement.dataset.labsiteLive = "reconnecting"; };
    source.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.type === "hello") {
        overlay(msg.errors);
        // After a server restart or a missed update, the page may be stale.
        if (msg.version !== servedVersion && servedVersion !== 0 && !(msg.errors && msg.errors.length)) reload();
      } else if (msg.type === "reload") {
        overlay([]);
        if (msg.pages === null || msg.pages.indexOf(here) !== -1) reload();
        else servedVersion = msg.version;
      } else if (msg.type === "css") {
        overlay([]);
        servedVersion = msg.version;
        swapCss();
      } else if (msg.type === "error") {
        overlay(msg.errors);
      } else if (msg.type === "ok") {
        overlay([]);
        servedVersion = msg.version;
      }
    };
    // EventSource reconnects by itself; its next "hello" tells whether to reload.
  }

  // ---- Live checks: a "Check" button on every verify widget, "Check all" per page.
  var TOKEN_KEY = "labsite-token";
  var tokenFromUrl = new URLSearchParams(location.search).get("token");
  if (tokenFromUrl) localStorage.setItem(TOKEN_KEY, tokenFromUrl);
  var LABELS = { pass: "Passed", fail: "Failed", error: "Error", timeout: "Timed out", running: "Checking…", unknown: "Not checked" };

  function progressKey(chapter) { return "labsite-progress:" + chapter; }

  function loadProgress(chapter) {
    try { return JSON.parse(localStorage.getItem(progressKey(chapter))) || { results: {} }; } catch (e) { return { results: {} }; }
  }

  function taskCheckbox(widget) {
    var li = widget.closest("li");
    if (!li) {
      var prev = widget.previousElementSibling;
      if (prev && (prev.tagName === "UL" || prev.tagName === "OL")) li = prev.lastElementChild;
    }
    return li ? li.querySelector(':scope > input[type="checkbox"], :scope > p > input[type="checkbox"]') : null;
  }

  function show(widget, result) {
    var status = widget.querySelector(".verify-status");
    var message = widget.querySelector(".verify-message");
    var state = result.status || "unknown";
    status.dataset.status = state;
    status.textContent = LABELS[state] || state;
    widget.dataset.status = state;
    if (message) {
      var text = result.message || "";
      if (typeof result.duration_ms === "number") text += (text ? " " : "") + "(" + (result.duration_ms / 1000).toFixed(1) + " s)";
      message.textContent = text; // text, never HTML: validators' output is not markup
      message.hidden = text === "";
    }
    var box = taskCheckbox(widget);
    if (box) box.checked = state === "pass";
  }

  function record(chapter, id, result, total) {
    var p = loadProgress(chapter);
    p.results[id] = { status: result.status, message: result.message, duration_ms: result.duration_ms };
    p.total = total;
    p.url = location.pathname;
    localStorage.setItem(progressKey(chapter), JSON.stringify(p));
    sidebarProgress();
  }

  function runCheck(widget, total) {
    var chapter = widget.dataset.chapter, id = widget.dataset.check;
    var button = widget.querySelector(".verify-run");
    if (button) button.disabled = true;
    show(widget, { status: "running" });
    var headers = { "Content-Type": "application/json" };
    var token = localStorage.getItem(TOKEN_KEY);
    if (token) headers["X-Labsite-Token"] = token;
    var path = "/_labsite/verify/" + chapter.split("/").map(encodeURIComponent).join("/") + "/" + encodeURIComponent(id);
    return fetch(path, { method: "POST", headers: headers, body: "{}" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) {
        var result = r.ok ? r.body : { status: "error", message: r.body.error || "the server refused the check" };
        show(widget, result);
        if (r.ok) record(chapter, id, result, total);
      })
      .catch(function (e) { show(widget, { status: "error", message: "the preview server did not answer: " + e }); })
      .then(function () { if (button) button.disabled = false; });
  }

  function sidebarProgress() {
    var byPath = {};
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i);
      if (k.indexOf("labsite-progress:") !== 0) continue;
      try {
        var p = JSON.parse(localStorage.getItem(k));
        var passed = Object.keys(p.results).filter(function (id) { return p.results[id].status === "pass"; }).length;
        byPath[p.url] = { passed: passed, total: p.total || Object.keys(p.results).length };
      } catch (e) { /* ignore damaged entries */ }
    }
    document.querySelectorAll("nav a[href]").forEach(function (a) {
      var entry = byPath[a.pathname] || byPath[a.pathname.replace(/index\.html$/, "")];
      var badge = a.querySelector(".labsite-progress");
      if (!entry) { if (badge) badge.remove(); return; }
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "labsite-progress";
        badge.style.cssText = "margin-left:.4em;font-size:.8em;opacity:.8";
        a.appendChild(badge);
      }
      badge.textContent = entry.passed + "/" + entry.total + (entry.passed === entry.total ? " ✓" : "");
      badge.title = entry.passed + " of " + entry.total + " checks passed";
    });
  }

  function setUpChecks() {
    var widgets = Array.prototype.slice.call(document.querySelectorAll(".verify[data-check]"));
    if (widgets.length === 0) { sidebarProgress(); return; }
    var total = widgets.length;
    var chapter = widgets[0].dataset.chapter;
    var saved = loadProgress(chapter).results;
    widgets.forEach(function (widget) {
      var head = widget.querySelector(".verify-head") || widget;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "verify-run";
      button.textContent = "Check";
      button.addEventListener("click", function () { runCheck(widget, total); });
      head.appendChild(document.createTextNode(" "));
      head.appendChild(button);
      var previous = saved[widget.dataset.check];
      if (previous) show(widget, previous);
    });
    var all = document.createElement("button");
    all.type = "button";
    all.className = "verify-run-all";
    all.textContent = "Check all (" + total + ")";
    all.addEventListener("click", function () {
      all.disabled = true;
      Promise.all(widgets.map(function (w) { return runCheck(w, total); })).then(function () { all.disabled = false; });
    });
    // Under the heading of the first check's section (Success Criteria), else before the checks.
    var anchor = widgets[0].closest("li") ? widgets[0].closest("ul,ol") : widgets[0];
    var prev = anchor.previousElementSibling;
    if (prev && (prev.tagName === "UL" || prev.tagName === "OL") && taskCheckbox(widgets[0])) anchor = prev;
    var heading = anchor;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    if (heading) heading.after(all);
    else anchor.parentNode.insertBefore(all, anchor);
    sidebarProgress();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpChecks);
  else setUpChecks();

  connect();
})();
