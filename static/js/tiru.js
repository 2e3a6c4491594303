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
