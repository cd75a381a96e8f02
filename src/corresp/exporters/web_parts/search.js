// The search page: Pagefind's UI (pagefind/pagefind-ui.js), results by date, filters shown.
// Queries are written with е for ё: the index holds both spellings of every word with ё.
// A Russian letter's lemmas follow its text (after LEMMAS) for the index only: when a
// query matched only there, show the text around the word the lemma stands for instead.
var LEMMAS = "\u2042";
function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function visibleExcerpt(result) {
  var content = result.content || "";
  var cut = content.indexOf(LEMMAS);
  if (cut < 0) return result;
  var excerpt = (result.excerpt || "").replace(/<\/?mark>/g, "");
  var visible = content.slice(0, cut);
  var inLemmas = (result.excerpt || "").indexOf(LEMMAS);
  if (inLemmas >= 0 && (result.excerpt || "").indexOf("<mark>") >= 0 &&
      result.excerpt.indexOf("<mark>") < inLemmas) {
    // The excerpt runs from the text into the lemmas, its match in the text: cut it there.
    result.excerpt = result.excerpt.slice(0, inLemmas).replace(/\s+$/, "") + " \u2026";
    return result;
  }
  if (inLemmas < 0 && excerpt && visible.indexOf(excerpt.slice(0, 40)) >= 0) return result;
  var marked = /<mark>([^<]+)<\/mark>/.exec(result.excerpt || "");
  var words = visible.split(/\s+/);
  var at = -1;
  if (marked) {
    var lemma = marked[1].toLowerCase().replace(/ё/g, "е");
    var need = Math.min(lemma.length, Math.max(4, lemma.length - 3));
    for (var i = 0; i < words.length && at < 0; i++) {
      var w = words[i].toLowerCase().replace(/ё/g, "е").replace(/[^а-яa-z0-9-]/g, "");
      var k = 0;
      while (k < w.length && k < lemma.length && w[k] === lemma[k]) k++;
      if (k >= need) at = i;
    }
  }
  var from = Math.max(0, at - 12);
  var shown = words.slice(from, from + 30).map(function (w, i) {
    return from + i === at ? "<mark>" + escapeHtml(w) + "</mark>" : escapeHtml(w);
  });
  result.excerpt = shown.join(" ");
  return result;
}

window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: false,
    showImages: false,
    sort: { date: "asc" },
    // Results link from the site's root wherever the site is served (a sub-folder too).
    baseUrl: new URL("../", window.location.href).pathname,
    processTerm: function (term) { return term.replace(/ё/g, "е").replace(/Ё/g, "Е"); },
    processResult: visibleExcerpt
  });
  var field = box.querySelector("input");
  var heading = document.querySelector("main h1");
  if (field && heading && !field.hasAttribute("aria-label")) {
    field.setAttribute("aria-label", heading.textContent);  // a name, not only a placeholder/title
  }
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    var input = box.querySelector("input");
    if (input) { input.value = params.get("q"); input.dispatchEvent(new Event("input")); }
  }
});
