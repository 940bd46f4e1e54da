// django-celery-beat's periodic task form: show the chosen crontab in words under its field.
// (The package does this with an inline script, which the Content-Security-Policy refuses;
// templates/admin/djcelery/change_periodictask_form.html loads this file instead.)
(function () {
  "use strict";
  const data = document.getElementById("readable-crontabs");
  const select = document.getElementById("id_crontab");
  if (!data || !select) return;
  const readable = JSON.parse(data.textContent);
  document.querySelectorAll(".field-crontab_translation").forEach(function (row) { row.hidden = true; });
  const help = document.querySelector(".field-crontab .help");
  if (!help) return;
  const translation = document.createElement("div");
  translation.className = "crontab-translation";
  help.appendChild(translation);
  function show() {
    const text = readable[select.value];
    translation.textContent = text ? "Translation: " + text : "";
  }
  select.addEventListener("change", show);
  show();
})();
