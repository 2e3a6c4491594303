// Progressive enhancement only: every page works without this file.
//
// Search as you type: on /cari, typing in a box marked data-live-search
// fetches the same search page for the new words (debounced), swaps in its
// results and keeps the address bar bookmarkable. Without JavaScript the form
// simply submits.
"use strict";

(function () {
  var input = document.querySelector("input[data-live-search]");
  if (!input || !window.fetch || !window.DOMParser || !window.history) {
    return;
  }
  var form = input.form;
  var target = document.getElementById(input.getAttribute("data-live-search"));
  if (!form || !target) {
    return;
  }
  var timer = null;
  var inflight = null;
  var last = input.value;

  function currentURL() {
    var params = new URLSearchParams(new FormData(form));
    // Keep the filters of the current address; the query box replaces q.
    var now = new URLSearchParams(window.location.search);
    now.forEach(function (value, key) {
      if (key !== "q" && key !== "page" && !params.has(key)) {
        params.set(key, value);
      }
    });
    return form.getAttribute("action") + "?" + params.toString();
  }

  function run() {
    var url = currentURL();
    if (inflight) {
      inflight.abort();
    }
    inflight = new AbortController();
    target.setAttribute("aria-busy", "true");
    fetch(url, { signal: inflight.signal, headers: { "Accept": "text/html" } })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(target.id);
        if (fresh) {
          target.replaceWith(fresh);
          target = fresh;
          window.history.replaceState(null, "", url);
          document.title = doc.title;
        }
      })
      .catch(function (err) {
        if (err.name !== "AbortError") {
          form.submit();
        }
      })
      .finally(function () {
        target.removeAttribute("aria-busy");
      });
  }

  input.addEventListener("input", function () {
    if (input.value === last) {
      return;
    }
    last = input.value;
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
})();

// Drafts: a long form (marked data-draft, its value naming the user, the
// form and the record's version) keeps what is typed in this tab's session
// storage. When
// the form comes back empty-handed (the session ended while it was open and
// the login brought the reader back, or another tab's login made its token
// stale), the page offers to put the input back. A draft is dropped once a
// submit leads to a page that is neither the form nor one that keeps drafts
// (the login and error pages carry data-keep-drafts), on logout, and when
// another user is logged in in the tab (a shared office computer): one
// user's draft is never offered to another. Session storage belongs to the
// tab and ends with it; passwords, tokens and hidden fields are never kept.
(function () {
  var store;
  try {
    store = window.sessionStorage;
    store.getItem("tiru-draft-probe");
  } catch (e) {
    return;
  }
  var prefix = "tiru-draft:";

  function keys() {
    var out = [];
    for (var i = 0; i < store.length; i++) {
      var k = store.key(i);
      if (k && k.indexOf(prefix) === 0) {
        out.push(k);
      }
    }
    return out;
  }

  function kept(el) {
    return el.name && el.name !== "csrf" && el.type !== "hidden" && el.type !== "password" &&
      el.type !== "file" && el.type !== "submit" && el.type !== "button";
  }

  function read(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name + "=" + el.value] = el.checked;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function write(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in values) {
          el.checked = values[k];
        }
      } else if (el.name in values) {
        el.value = values[el.name];
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function parse(k) {
    try {
      return JSON.parse(store.getItem(k) || "null");
    } catch (e) {
      store.removeItem(k);
      return null;
    }
  }

  var logout = document.querySelector('form[action="/keluar"]');
  if (logout) {
    logout.addEventListener("submit", function () {
      keys().forEach(function (k) { store.removeItem(k); });
    });
    // Logged in: drop every other user's drafts.
    var mine = prefix + "u" + logout.getAttribute("data-user") + ":";
    keys().forEach(function (k) {
      if (k.indexOf(mine) !== 0) {
        store.removeItem(k);
      }
    });
  }

  var forms = document.querySelectorAll("form[data-draft]");
  if (forms.length === 0) {
    if (!document.querySelector("[data-keep-drafts]")) {
      keys().forEach(function (k) {
        var d = parse(k);
        if (!d || d.submitted) {
          store.removeItem(k);
        }
      });
    }
    return;
  }
  Array.prototype.forEach.call(forms, function (form) {
    var key = prefix + form.getAttribute("data-draft");
    var saved = parse(key);
    var notice = document.getElementById(form.getAttribute("data-draft-notice") || "");
    var timer = null;
    // While the offer stands, what is typed does not replace the draft
    // offered: a reload would lose it.
    var offering = false;
    function keep(submitted) {
      store.setItem(key, JSON.stringify({ values: read(form), submitted: submitted }));
    }
    if (saved && saved.values && notice && !same(saved.values, read(form))) {
      offering = true;
      notice.hidden = false;
      notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
        write(form, saved.values);
        notice.hidden = true;
        offering = false;
        keep(false); // no longer the input of a submit that went through
      });
      notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
        notice.hidden = true;
        offering = false;
        keep(false);
      });
    } else if (saved) {
      store.removeItem(key);
    }
    function changed() {
      if (offering) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { keep(false); }, 400);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      // Sent without answering the offer: what was sent is the input now.
      window.clearTimeout(timer);
      keep(true);
    });
  });
})();

// Picking innovations: a form field that lists innovations one a line
// (marked by a hidden [data-picker] block naming its textarea) gets a
// search box whose suggestions come from the search API as one types;
// choosing one adds "Title (slug)" as a line of the field, which the server
// reads back as that innovation. Without JavaScript the block stays hidden
// and the field takes titles, page addresses or slugs as typed.
(function () {
  if (!window.fetch || !window.URLSearchParams) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), function (block) {
    var field = document.getElementById(block.getAttribute("data-picker"));
    var input = block.querySelector("input");
    var list = block.querySelector("datalist");
    if (!field || !input || !list) {
      return;
    }
    block.hidden = false;
    var timer = null;
    var inflight = null;

    function chosen() {
      for (var i = 0; i < list.options.length; i++) {
        if (list.options[i].value === input.value) {
          return true;
        }
      }
      return false;
    }

    function add() {
      var text = field.value.replace(/\s+$/, "");
      field.value = (text ? text + "\n" : "") + input.value + "\n";
      input.value = "";
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      // As typing would: the draft of the form keeps it.
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function suggest() {
      var q = input.value.trim();
      if (q.length < 2) {
        return;
      }
      if (inflight) {
        inflight.abort();
      }
      inflight = new AbortController();
      var params = new URLSearchParams({ q: q, kind: "innovation", per_page: "8", facets: "none" });
      fetch("/api/v1/search?" + params.toString(), { signal: inflight.signal, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (resp) { return resp.ok ? resp.json() : { hits: [] }; })
        .then(function (res) {
          while (list.firstChild) {
            list.removeChild(list.firstChild);
          }
          (res.hits || []).forEach(function (h) {
            var opt = document.createElement("option");
            opt.value = h.title + " (" + h.slug + ")";
            list.appendChild(opt);
          });
        })
        .catch(function () { /* suggestions are a help; the field still takes what is typed */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      if (chosen()) {
        add();
        return;
      }
      timer = window.setTimeout(suggest, 200);
    });
    // Enter in the search box adds the suggestion chosen; it never sends
    // the whole form half-filled.
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        if (chosen()) {
          add();
        }
      }
    });
  });
})();
