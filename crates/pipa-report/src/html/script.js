(function () {
  // Optional: the page reads the same without it (evidence opens with <details>).
  var all = function () { return document.querySelectorAll("details"); };
  var b = document.getElementById("toggle-all");
  if (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var open = b.getAttribute("aria-pressed") !== "true";
      all().forEach(function (d) { d.open = open; });
      b.setAttribute("aria-pressed", open ? "true" : "false");
      b.textContent = open ? b.dataset.close : b.dataset.open;
    });
  }
  // Print everything, evidence included.
  window.addEventListener("beforeprint", function () {
    all().forEach(function (d) { d.open = true; });
  });
  // Following a link to a finding or an SDK opens its evidence.
  var reveal = function () {
    var t = location.hash && document.getElementById(location.hash.slice(1));
    if (!t) { return; }
    if (t.tagName === "DETAILS") { t.open = true; }
    var d = t.querySelector("details.evidence");
    if (d) { d.open = true; }
  };
  window.addEventListener("hashchange", reveal);
  reveal();
})();
