// Pipeline board: drag a card to another column to move it (HTML5 drag and drop, no library).
// The drop sends the same POST as the card's "Move to" form, through htmx, and swaps in the
// board the server renders back (with a message if someone else moved the card first).
(function () {
  "use strict";
  let dragged = null;

  function columnOf(element) {
    return element && element.closest ? element.closest(".board-column") : null;
  }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card[draggable='true']");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.applicationId);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    document.querySelectorAll(".board-column.is-drop-target").forEach(function (column) {
      column.classList.remove("is-drop-target");
    });
    dragged = null;
  });

  document.addEventListener("dragover", function (event) {
    const column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("is-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    const column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    const column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("is-drop-target");
    const card = dragged;
    if (column.dataset.stageId === card.dataset.stageId) return;
    const board = document.getElementById("board");
    // Optimistic: show the card in its new column until the server's board arrives.
    const list = column.querySelector(".board-cards");
    if (list) list.prepend(card);
    htmx.ajax("POST", card.dataset.moveUrl, {
      source: card,
      target: "#board",
      swap: "outerHTML",
      values: {
        to_stage: column.dataset.stageId,
        version: card.dataset.version,
        next: board ? board.dataset.boardUrl : "",
      },
    });
  });

  // The bulk bar's fields follow the chosen action: see app.js.

  // If a move fails outright (the card is gone, the server is down), undo the optimistic
  // placement by reloading the board as the server sees it; app.js shows the message.
  document.body.addEventListener("htmx:responseError", function (event) {
    const board = document.getElementById("board");
    if (!board || event.detail.target !== board || !board.dataset.boardUrl) return;
    const config = event.detail.requestConfig || {};
    if (config.verb !== "post") return; // never loop on a failing reload
    htmx.ajax("GET", board.dataset.boardUrl, { target: "#board", swap: "outerHTML" });
  });
})();
