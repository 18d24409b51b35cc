/*
 * labsite default theme: progressive enhancement.
 *
 * Every page works without this file; it adds the theme toggle, the chapter
 * drawer on narrow screens, copy buttons on code blocks, ←/→ to go to the
 * previous/next page, the highlighted entry of "On this page" and the print
 * view's button. Search is in search.js.
 * No dependencies, no requests. Loaded with `defer`, so the DOM is ready.
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var THEME_KEY = "labsite-theme";

  function one(selector, scope) {
    return (scope || doc).querySelector(selector);
  }

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || doc).querySelectorAll(selector));
  }

  /* ----------------------------------------------------------------------
     Screen-reader announcements ("Copied")
     ---------------------------------------------------------------------- */

  var liveRegion = null;

  function announce(text) {
    if (!liveRegion) {
      liveRegion = doc.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      doc.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    window.setTimeout(function () {
      liveRegion.textContent = text;
    }, 50);
  }

  /* ----------------------------------------------------------------------
     Theme: automatic (system) → the other palette → the system's → automatic.
     The choice is applied before first paint by the inline script in <head>.
     ---------------------------------------------------------------------- */

  var THEME_NAMES = { auto: "automatic", light: "light", dark: "dark" };
  var themeButton = one(".theme-toggle");

  function readStoredTheme() {
    try {
      var value = window.localStorage.getItem(THEME_KEY);
      return value === "light" || value === "dark" ? value : "auto";
    } catch (e) {
      return "auto";
    }
  }

  function storeTheme(choice) {
    try {
      if (choice === "auto") {
        window.localStorage.removeItem(THEME_KEY);
      } else {
        window.localStorage.setItem(THEME_KEY, choice);
      }
    } catch (e) {
      /* storage unavailable (private mode, file:// policy): not remembered */
    }
  }

  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
      ? "dark"
      : "light";
  }

  function currentTheme() {
    var value = root.getAttribute("data-theme");
    return value === "light" || value === "dark" ? value : "auto";
  }

  function nextTheme(choice) {
    var system = systemTheme();
    var other = system === "dark" ? "light" : "dark";
    if (choice === "auto") return other;
    if (choice === other) return system;
    return "auto";
  }

  function showTheme(choice) {
    if (choice === "auto") {
      root.removeAttribute("data-theme");
    } else {
      root.setAttribute("data-theme", choice);
    }
    if (themeButton) {
      var label = "Color theme: " + THEME_NAMES[choice] +
        ". Switch to " + THEME_NAMES[nextTheme(choice)];
      themeButton.setAttribute("data-choice", choice);
      themeButton.setAttribute("aria-label", label);
      themeButton.setAttribute("title", label);
    }
  }

  if (themeButton) {
    showTheme(currentTheme());
    themeButton.addEventListener("click", function () {
      var choice = nextTheme(currentTheme());
      showTheme(choice);
      storeTheme(choice);
    });
    /* Another tab changed the theme. */
    window.addEventListener("storage", function (event) {
      if (event.key === THEME_KEY) showTheme(readStoredTheme());
    });
  }

  /* ----------------------------------------------------------------------
     Sidebar: the current entry in view; a drawer on narrow screens.
     Without JavaScript the menu link opens the drawer through :target.
     ---------------------------------------------------------------------- */

  var sidebar = one("#labsite-sidebar");
  var menuButton = one(".menu-toggle");
  var closeButton = one(".sidebar-close");

  function revealCurrentEntry() {
    var current = sidebar && one('[aria-current="page"]', sidebar);
    if (!current) return;
    var box = sidebar.getBoundingClientRect();
    var item = current.getBoundingClientRect();
    if (item.top < box.top + 48 || item.bottom > box.bottom - 48) {
      sidebar.scrollTop += item.top - box.top - box.height / 3;
    }
  }

  function navIsOpen() {
    return root.classList.contains("nav-open");
  }

  function setNav(open, moveFocus) {
    root.classList.toggle("nav-open", open);
    if (menuButton) menuButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      revealCurrentEntry();
      var target = one('[aria-current="page"]', sidebar) || one("a", sidebar);
      if (moveFocus && target) target.focus({ preventScroll: true });
    } else if (moveFocus && menuButton) {
      menuButton.focus();
    }
  }

  /* Links styled as buttons also answer the space bar. */
  function actAsButton(element, action) {
    if (!element) return;
    element.addEventListener("click", function (event) {
      event.preventDefault();
      action();
    });
    element.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        action();
      }
    });
  }

  if (sidebar) {
    revealCurrentEntry();

    actAsButton(menuButton, function () {
      setNav(!navIsOpen(), true);
    });
    actAsButton(closeButton, function () {
      setNav(false, true);
    });

    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && navIsOpen()) setNav(false, true);
    });

    /* Tabbing out of the open drawer closes it. */
    sidebar.addEventListener("focusout", function (event) {
      if (navIsOpen() && event.relatedTarget && !sidebar.contains(event.relatedTarget)) {
        setNav(false, false);
      }
    });

    /* A click on the backdrop (anything outside the drawer) closes it. */
    doc.addEventListener("click", function (event) {
      if (!navIsOpen()) return;
      if (sidebar.contains(event.target)) return;
      if (menuButton && menuButton.contains(event.target)) return;
      setNav(false, false);
    });
  }

  /* ----------------------------------------------------------------------
     Copy buttons on code blocks
     ---------------------------------------------------------------------- */

  function copyWithTextarea(text) {
    var active = doc.activeElement;
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;";
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = doc.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    doc.body.removeChild(area);
    if (active && active.focus) active.focus({ preventScroll: true });
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () {
          return true;
        },
        function () {
          return copyWithTextarea(text);
        }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }

  function codeText(pre) {
    var code = one("code", pre);
    if (code) return code.textContent;
    var copy = pre.cloneNode(true);
    all(".copy-button", copy).forEach(function (button) {
      button.remove();
    });
    return copy.textContent;
  }

  function selectContents(element) {
    var range = doc.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  all(".markdown-body pre").forEach(function (pre) {
    var button = doc.createElement("button");
    var timer = 0;
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    button.addEventListener("click", function () {
      var text = codeText(pre).replace(/\n$/, "");
      copyText(text).then(function (ok) {
        window.clearTimeout(timer);
        if (ok) {
          button.textContent = "Copied";
          button.classList.add("copied");
          announce("Copied to clipboard");
        } else {
          selectContents(one("code", pre) || pre);
          button.textContent = "Selected";
          announce("Copy failed: the code is selected, copy it with the keyboard");
        }
        timer = window.setTimeout(function () {
          button.textContent = "Copy";
          button.classList.remove("copied");
        }, 2000);
      });
    });
    pre.appendChild(button);
  });

  /* Code blocks and tables that scroll sideways can be reached with Tab and
     scrolled with the arrow keys. */
  function markScrollers() {
    all(".markdown-body pre > code, .markdown-body .table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  markScrollers();
  window.addEventListener("resize", function () {
    window.clearTimeout(markScrollers.timer);
    markScrollers.timer = window.setTimeout(markScrollers, 150);
  });

  /* The print view's button (shown only with JavaScript, by the stylesheet). */
  all(".print-button").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  /* ----------------------------------------------------------------------
     Keyboard: ← previous page, → next page
     ---------------------------------------------------------------------- */

  function isTyping(element) {
    for (; element && element.nodeType === 1; element = element.parentElement) {
      if (element.isContentEditable) return true;
      if (/^(INPUT|TEXTAREA|SELECT|VIDEO|AUDIO)$/.test(element.tagName)) return true;
    }
    return false;
  }

  /* Arrow keys already scroll a focused code block or table sideways. */
  function inSideScroller(element) {
    for (; element && element !== doc.body && element.nodeType === 1; element = element.parentElement) {
      if (element.scrollWidth > element.clientWidth + 1) {
        var overflow = window.getComputedStyle(element).overflowX;
        if (overflow === "auto" || overflow === "scroll") return true;
      }
    }
    return false;
  }

  doc.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (isTyping(event.target) || inSideScroller(event.target)) return;
    var rel = event.key === "ArrowLeft" ? "prev" : "next";
    var link = one('link[rel="' + rel + '"]');
    if (link && link.href) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });

  /* ----------------------------------------------------------------------
     "On this page": highlight the section being read
     ---------------------------------------------------------------------- */

  var toc = one(".toc");
  var tocEntries = all(".toc-list a").map(function (link) {
    var id = link.getAttribute("href").slice(1);
    var heading = doc.getElementById(id);
    if (!heading) {
      try {
        heading = doc.getElementById(decodeURIComponent(id));
      } catch (e) {
        heading = null;
      }
    }
    return { link: link, heading: heading };
  }).filter(function (entry) {
    return entry.heading;
  });

  var activeLink = null;
  var scheduled = false;

  function markActiveSection() {
    scheduled = false;
    if (!toc || toc.offsetParent === null) return;
    var offset = parseFloat(window.getComputedStyle(root).scrollPaddingTop) || 80;
    var atBottom = window.innerHeight + window.scrollY >= doc.documentElement.scrollHeight - 2;
    var active = null;
    for (var i = 0; i < tocEntries.length; i++) {
      var top = tocEntries[i].heading.getBoundingClientRect().top;
      if (top <= offset + 8 || (atBottom && top < window.innerHeight)) {
        active = tocEntries[i].link;
      } else if (!atBottom) {
        break;
      }
    }
    if (active === activeLink) return;
    if (activeLink) activeLink.classList.remove("active");
    if (active) active.classList.add("active");
    activeLink = active;
  }

  function scheduleMark() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(markActiveSection);
    }
  }

  if (tocEntries.length) {
    window.addEventListener("scroll", scheduleMark, { passive: true });
    window.addEventListener("resize", scheduleMark, { passive: true });
    markActiveSection();
  }
})();
