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
  // Print the findings' evidence (the first items of each list, see the
  // print style); the items' check methods and the SDKs' details stay as
  // they are on screen (closed unless opened).
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.evidence").forEach(function (d) { d.open = true; });
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
  // The filter over the findings: subject, PI type, verdict.
  var bar = document.getElementById("finding-filter");
  if (bar) {
    bar.hidden = false;
    var selects = bar.querySelectorAll("select");
    var shown = bar.querySelector(".shown");
    var apply = function () {
      var cards = document.querySelectorAll("article.finding");
      var n = 0;
      cards.forEach(function (c) {
        var ok = true;
        selects.forEach(function (s) {
          var v = s.value;
          if (!v) { return; }
          var key = s.dataset.filter;
          if (key === "verdict") { ok = ok && c.dataset.verdict === v; }
          else { ok = ok && (c.dataset[key] || "").indexOf(" " + v + " ") >= 0; }
        });
        c.hidden = !ok;
        if (ok) { n += 1; }
      });
      shown.textContent = n + "/" + cards.length + " " + shown.dataset.of;
    };
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  }
})();
