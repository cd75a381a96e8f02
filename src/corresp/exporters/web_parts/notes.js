// Note pop-ups on wide screens: an enhancement only. Without this script (or on a phone)
// a marker is a link to its note, and the note's number a link back.
(function () {
  "use strict";
  // A printed letter carries its citation, opened or not.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.cite").forEach(function (d) { d.open = true; });
  });
  if (!window.matchMedia || !window.matchMedia("(min-width: 48em) and (hover: hover)").matches) return;
  var open = null;
  function close() { if (open) { open.remove(); open = null; } }
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a.noteref");
    if (!a) { if (!(open && open.contains(event.target))) close(); return; }
    var note = document.getElementById(a.getAttribute("href").slice(1));
    if (!note) return;
    event.preventDefault();
    close();
    open = document.createElement("div");
    open.className = "note-popup";
    open.setAttribute("role", "note");
    open.innerHTML = note.innerHTML;
    var r = a.getBoundingClientRect();
    open.style.left = Math.max(8, window.scrollX + r.left - 40) + "px";
    open.style.top = (window.scrollY + r.bottom + 6) + "px";
    document.body.appendChild(open);
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
})();
