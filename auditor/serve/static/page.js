// auditor serve: drop files to upload; go from a marked figure to the cell it contradicts and back.
// No inline script (the page's Content-Security-Policy forbids it); no network access but this server.
(function () {
  "use strict";

  function setupUpload(form) {
    var input = form.querySelector("input[type=file]");
    var drop = form.querySelector(".drop");
    var problem = form.querySelector(".client-problem");
    var limit = parseInt(form.getAttribute("data-limit"), 10);

    function tooLarge(files) {
      var total = 0;
      for (var i = 0; i < files.length; i++) total += files[i].size;
      var text = form.querySelector("textarea");
      if (text) total += text.value.length * 3;
      if (total <= limit) return false;
      problem.textContent = form.getAttribute("data-too-large").replace("{size}", Math.round(total / 1048576));
      problem.hidden = false;
      return true;
    }

    function send() {
      if (tooLarge(input.files)) return;
      problem.hidden = true;
      form.classList.add("busy");
      var button = form.querySelector("button[type=submit]");
      if (button) button.textContent = form.getAttribute("data-working");
      form.submit();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send();
    });
    input.addEventListener("change", function () {
      var names = [];
      for (var i = 0; i < input.files.length; i++) names.push(input.files[i].name);
      var chosen = form.querySelector(".chosen");
      if (chosen) chosen.textContent = names.join("、");
      if (input.files.length) send();
    });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      send();
    });
  }

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("flash");
    window.setTimeout(function () { element.classList.remove("flash"); }, 1700);
  }

  function activate(index) {
    var items = document.querySelectorAll(".finding.active");
    for (var i = 0; i < items.length; i++) items[i].classList.remove("active");
    var item = document.getElementById("finding-" + index);
    if (item) {
      item.classList.add("active");
      item.scrollIntoView({ block: "nearest" });
    }
    return item;
  }

  function go(id) {
    var target = document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    flash(target);
  }

  // From a marked place, to the next place of its (first) finding: the narrative figure and the
  // cell it contradicts lead to each other.
  function follow(place) {
    var indexes = (place.getAttribute("data-findings") || "").split(" ").filter(Boolean);
    if (!indexes.length) return;
    var item = activate(indexes[0]);
    if (!item) return;
    var places = (item.getAttribute("data-places") || "").split(" ").filter(Boolean);
    var at = places.indexOf(place.id);
    var next = places[(at + 1) % places.length];
    if (next && next !== place.id) go(next); else flash(place);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form.upload");
    for (var i = 0; i < forms.length; i++) setupUpload(forms[i]);

    document.addEventListener("click", function (event) {
      var goto = event.target.closest("button.goto");
      if (goto) {
        var item = goto.closest(".finding");
        if (item) activate(item.id.replace("finding-", ""));
        go(goto.getAttribute("data-place"));
        return;
      }
      var place = event.target.closest(".place");
      if (place) follow(place);
    });
    document.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" || event.key === " ") && event.target.classList && event.target.classList.contains("place")) {
        event.preventDefault();
        follow(event.target);
      }
    });
    if (location.hash.indexOf("#finding-") === 0) activate(location.hash.slice(9));
  });
})();
