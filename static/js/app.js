// Shared behaviour for every page. Page-specific scripts live beside their templates.
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
