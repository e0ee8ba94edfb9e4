// newsevents: link records and their highlights both ways (no libraries, no network).
(function () {
  "use strict";
  function activate(id) {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
    if (!id) { return; }
    document.querySelectorAll("[data-rec]").forEach(function (el) {
      if (el.getAttribute("data-rec").split(" ").indexOf(id) >= 0) { el.classList.add("active"); }
    });
    var mark = document.getElementById("hl-" + id);
    if (mark) { mark.classList.add("active"); }
  }
  function fromHash() {
    var m = /^#(?:hl|rec)-([0-9a-f]+)$/.exec(window.location.hash);
    activate(m ? m[1] : null);
  }
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("DOMContentLoaded", function () {
    fromHash();
    document.querySelectorAll("li.rec").forEach(function (li) {
      li.addEventListener("mouseenter", function () { activate(li.getAttribute("data-rec")); });
      li.addEventListener("mouseleave", fromHash);
    });
  });
})();
