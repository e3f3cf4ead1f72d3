// newsdesk story page: a claim badge jumps to its source sentences and highlights them.
// Served from /static (Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";
  var TARGET = "is-target";

  function scrollIntoColumn(el) {
    // Bring the sentence into view inside its own scrolling column first.
    var column = el.closest(".column-body");
    if (column) {
      var top = el.getBoundingClientRect().top - column.getBoundingClientRect().top + column.scrollTop;
      column.scrollTop = Math.max(0, top - column.clientHeight / 3);
    }
  }

  function jump(ids) {
    document.querySelectorAll("." + TARGET).forEach(function (el) { el.classList.remove(TARGET); });
    var found = [];
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.classList.add(TARGET); found.push(el); }
    });
    if (!found.length) { return false; }
    found.forEach(scrollIntoColumn);
    found[0].scrollIntoView({ block: "center", inline: "nearest" });
    if (history.replaceState) { history.replaceState(null, "", "#" + found[0].id); }
    return true;
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest(".jump[data-targets]");
    if (!trigger) { return; }
    var ids = trigger.getAttribute("data-targets").split(/\s+/).filter(Boolean);
    if (jump(ids)) { event.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.length > 1) { jump([decodeURIComponent(location.hash.slice(1))]); }
  });
})();
