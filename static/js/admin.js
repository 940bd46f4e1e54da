// Behaviour of our own admin pages. No inline scripts or event-handler attributes: the
// Content-Security-Policy allows only script files from this site.
(function () {
  "use strict";
  // The scorecard preview of a role template is a form that must never be sent.
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-preview-only]")) event.preventDefault();
  });
})();
