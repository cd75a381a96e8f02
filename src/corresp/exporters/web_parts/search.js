// The search page: Pagefind's UI (pagefind/pagefind-ui.js), results by date, filters shown.
// Queries are written with е for ё: the index holds both spellings of every word with ё.
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
    processTerm: function (term) { return term.replace(/ё/g, "е").replace(/Ё/g, "Е"); }
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    var input = box.querySelector("input");
    if (input) { input.value = params.get("q"); input.dispatchEvent(new Event("input")); }
  }
});
