// Scorecard on any screen: a progress line ("3 of 5 rated") and keys 1-4 to rate.
//
// The keys rate the competency that holds the focus (a rating option or the section itself);
// they do nothing while typing in a text box. A rating chosen by key is announced to the
// page like a tap (a "change" event), so autosave sends it as usual.
(function () {
  "use strict";

  function form() { return document.getElementById("scorecard-form"); }

  function competencies(f) { return f.querySelectorAll("section[id^='competency-']"); }

  function update() {
    var f = form();
    var line = document.getElementById("scorecard-progress");
    var count = document.getElementById("scorecard-progress-count");
    if (!f || !line || !count) return;
    var all = competencies(f);
    var rated = 0;
    all.forEach(function (section) {
      if (section.querySelector("input[type=radio]:checked")) rated += 1;
    });
    count.textContent = rated + " of " + all.length + " rated";
    line.classList.toggle("is-complete", all.length > 0 && rated === all.length);
  }

  function isTyping(el) {
    if (!el || !el.matches) return false;
    if (el.isContentEditable) return true;
    return el.matches("textarea, select, input:not([type=radio]):not([type=checkbox])");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !/^[1-4]$/.test(event.key)) return;
    var target = event.target;
    if (isTyping(target) || !target.closest) return;
    var section = target.closest("#scorecard-form section[id^='competency-']");
    if (!section) return;
    var option = section.querySelector("input[type=radio][value='" + event.key + "']");
    if (!option) return;
    event.preventDefault();
    option.checked = true;
    option.focus();
    option.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("change", function (event) {
    if (event.target && event.target.type === "radio") update();
  });
  // The form is swapped whole after a save or a submit: count again for the new one.
  document.addEventListener("htmx:load", update);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
})();
