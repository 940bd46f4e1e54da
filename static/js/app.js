// Shared behaviour for every page. Page-specific scripts live beside their templates.
// No inline scripts or event-handler attributes anywhere: the Content-Security-Policy
// allows only our own script files, so behaviour is wired up here with listeners.
(function () {
  "use strict";

  document.body.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    const box = document.getElementById("messages");
    if (!box) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = status === 404
      ? "That item no longer exists or you cannot see it."
      : "The server could not do that (" + status + "). Nothing was lost; please try again.";
    box.replaceChildren(alert);
  });

  // Bulk bars (board and candidate list): show only the fields of the chosen action.
  // The server renders every field, so without JavaScript they are all there.
  function syncBulkFields() {
    const action = document.getElementById("bulk-action");
    if (!action || !action.form) return;
    action.form.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = field.dataset.bulkFor !== action.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.id === "bulk-action") syncBulkFields();
  });
  document.body.addEventListener("htmx:afterSettle", syncBulkFields);
  syncBulkFields();

  // <button data-print>: print the page (the debrief).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
