/*
 * labsite default theme: search.
 *
 * The index (`_labsite/search-index.js`, built with the site) is a script that
 * assigns `window.labsiteSearchIndex`; it is added to the page the first time
 * the search box is focused, so reading a page never loads it, and it works
 * from file:// where fetching a JSON file is refused.
 *
 * Ranking: every word typed must occur in a section (the last one as a prefix,
 * since it may still be being typed); the page title counts most, then the
 * heading, then the text, and a match at the start of a word beats one inside
 * it. Keys: "/" focuses the box, ↓/↑ choose a result, Enter opens it, Escape
 * closes the list. Results are built with DOM nodes only: nothing from the
 * index becomes markup.
 */
(function () {
  "use strict";

  var doc = document;
  var form = doc.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector(".search-input");
  var panel = form.querySelector(".search-panel");
  var list = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var root = form.getAttribute("data-root") || "";
  var MAX_RESULTS = 12;
  var SNIPPET = 160;

  var sections = null; /* the index, prepared */
  var pages = null;
  var loading = false;
  var results = [];
  var active = -1;
  var timer = 0;

  /* ---------------------------------------------------------------------- */

  function loadIndex() {
    if (sections || loading) return;
    if (window.labsiteSearchIndex) {
      prepare(window.labsiteSearchIndex);
      return;
    }
    loading = true;
    var script = doc.createElement("script");
    script.src = form.getAttribute("data-index");
    script.async = true;
    script.onload = function () {
      loading = false;
      if (window.labsiteSearchIndex) {
        prepare(window.labsiteSearchIndex);
        search();
      } else {
        showStatus("The search index could not be read.");
      }
    };
    script.onerror = function () {
      loading = false;
      showStatus("The search index could not be loaded.");
    };
    doc.head.appendChild(script);
  }

  function prepare(index) {
    pages = index.pages.map(function (p) {
      return { title: p[0], url: p[1], lower: p[0].toLowerCase() };
    });
    sections = index.sections.map(function (s) {
      return {
        page: s[0],
        id: s[1],
        heading: s[2],
        text: s[3],
        headingLower: s[2].toLowerCase(),
        textLower: s[3].toLowerCase()
      };
    });
  }

  /* ---------------------------------------------------------------------- */

  function terms(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(function (t) {
      return t.length > 0;
    });
  }

  function isWordStart(text, at) {
    return at === 0 || !/[\p{L}\p{N}_]/u.test(text.charAt(at - 1));
  }

  /* Score of `term` in `text`: 0 when absent, more at a word start, more when whole. */
  function termScore(text, term, prefix) {
    var at = text.indexOf(term);
    var best = 0;
    var count = 0;
    while (at !== -1 && count < 20) {
      count += 1;
      var score = 1;
      if (isWordStart(text, at)) {
        score = 2;
        var end = at + term.length;
        if (!prefix || end === text.length || !/[\p{L}\p{N}_]/u.test(text.charAt(end))) score = 3;
      }
      if (score > best) best = score;
      at = text.indexOf(term, at + term.length);
    }
    return best === 0 ? 0 : best + Math.min(count, 10) / 10;
  }

  function rank(query) {
    var words = terms(query);
    if (!words.length || !sections) return [];
    var found = [];
    for (var i = 0; i < sections.length; i++) {
      var s = sections[i];
      var page = pages[s.page];
      var total = 0;
      for (var w = 0; w < words.length; w++) {
        var prefix = w === words.length - 1;
        var inTitle = termScore(page.lower, words[w], prefix);
        var inHeading = termScore(s.headingLower, words[w], prefix);
        var inText = termScore(s.textLower, words[w], prefix);
        if (!inTitle && !inHeading && !inText) {
          total = 0;
          break;
        }
        total += inTitle * 3 + inHeading * 5 + inText;
      }
      if (total > 0) found.push({ section: s, score: total, order: i });
    }
    found.sort(function (a, b) {
      return b.score - a.score || a.order - b.order;
    });
    return found.slice(0, MAX_RESULTS).map(function (f) {
      return f.section;
    });
  }

  /* ---------------------------------------------------------------------- */

  /* `text` as nodes with every occurrence of `words` in <mark>. */
  function highlighted(text, words) {
    var fragment = doc.createDocumentFragment();
    var lower = text.toLowerCase();
    var pos = 0;
    while (pos < text.length) {
      var next = -1;
      var length = 0;
      for (var w = 0; w < words.length; w++) {
        var at = lower.indexOf(words[w], pos);
        if (at !== -1 && (next === -1 || at < next || (at === next && words[w].length > length))) {
          next = at;
          length = words[w].length;
        }
      }
      if (next === -1) break;
      if (next > pos) fragment.appendChild(doc.createTextNode(text.slice(pos, next)));
      var mark = doc.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      fragment.appendChild(mark);
      pos = next + length;
    }
    if (pos < text.length) fragment.appendChild(doc.createTextNode(text.slice(pos)));
    return fragment;
  }

  /* The part of `text` around the first match. */
  function snippet(text, words) {
    var lower = text.toLowerCase();
    var first = -1;
    words.forEach(function (w) {
      var at = lower.indexOf(w);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    });
    if (text.length <= SNIPPET) return text;
    var start = Math.max(0, first - 40);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < first) start = space + 1;
    }
    var end = Math.min(text.length, start + SNIPPET);
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function hitUrl(s) {
    return root + pages[s.page].url + (s.id ? "#" + s.id : "");
  }

  function render(query) {
    var words = terms(query);
    list.textContent = "";
    results.forEach(function (s, i) {
      var page = pages[s.page];
      var option = doc.createElement("a");
      option.className = "search-result";
      option.id = "labsite-search-result-" + i;
      option.href = hitUrl(s);
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.tabIndex = -1;
      var title = doc.createElement("span");
      title.className = "search-result-title";
      title.appendChild(highlighted(s.heading || page.title, words));
      option.appendChild(title);
      if (s.heading) {
        var where = doc.createElement("span");
        where.className = "search-result-page";
        where.appendChild(highlighted(page.title, words));
        option.appendChild(where);
      }
      if (s.text) {
        var text = doc.createElement("span");
        text.className = "search-result-text";
        text.appendChild(highlighted(snippet(s.text, words), words));
        option.appendChild(text);
      }
      list.appendChild(option);
    });
    setActive(results.length ? 0 : -1);
  }

  function showStatus(text) {
    status.textContent = text;
  }

  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
  }

  function setActive(i) {
    var options = list.children;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "false");
      options[active].classList.remove("active");
    }
    active = i;
    if (i >= 0 && options[i]) {
      options[i].setAttribute("aria-selected", "true");
      options[i].classList.add("active");
      options[i].scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", options[i].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function search() {
    var query = input.value.trim();
    if (!query) {
      results = [];
      list.textContent = "";
      showStatus("");
      open(false);
      return;
    }
    open(true);
    if (!sections) {
      showStatus("Loading the search index…");
      loadIndex();
      return;
    }
    results = rank(query);
    render(query);
    showStatus(
      results.length === 0
        ? "No results for “" + query + "”"
        : results.length === 1
          ? "1 result"
          : results.length + (results.length === MAX_RESULTS ? " best results" : " results")
    );
  }

  function go(i) {
    var option = list.children[i];
    if (!option) return;
    open(false);
    window.location.href = option.href;
  }

  /* ---------------------------------------------------------------------- */

  input.addEventListener("focus", function () {
    loadIndex();
    if (input.value.trim()) search();
  });

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, sections && sections.length > 5000 ? 120 : 30);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!results.length) return;
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      window.clearTimeout(timer);
      if (input.value.trim() && !results.length) search();
      go(active >= 0 ? active : 0);
    } else if (event.key === "Escape") {
      if (!panel.hidden) {
        event.preventDefault();
        open(false);
      } else if (input.value) {
        input.value = "";
        search();
      } else {
        input.blur();
      }
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });

  /* A click elsewhere closes the list; focus coming back reopens it. */
  doc.addEventListener("click", function (event) {
    if (!form.contains(event.target)) open(false);
  });

  /* Pressing a result's link moves within the page when it is this page: close the list. */
  list.addEventListener("click", function () {
    open(false);
  });

  doc.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
