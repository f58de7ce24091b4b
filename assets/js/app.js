// Foresight's own small enhancements on top of htmx. Everything works
// without this file: forms post and the server redirects.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function statusOf(el) {
    var item = el.closest && el.closest("[data-item]");
    return item ? item.querySelector(".status") : null;
  }

  // Say what is happening to a rating while it travels.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var s = statusOf(e.target);
    if (s) { s.textContent = s.dataset.saving || "Saving…"; s.className = "status"; }
  });
  document.addEventListener("htmx:sendError", function (e) {
    var s = statusOf(e.target);
    if (s) { s.textContent = s.dataset.offline || "Not saved: no connection. Choose again to retry."; s.className = "status failed"; }
  });

  // The participant page follows the workshop's state: when voting opens or
  // closes, reload the page's main region so the form matches.
  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail.type !== "state") return;
    var main = document.getElementById("main");
    var tmp = document.createElement("div");
    tmp.innerHTML = e.detail.data;
    var next = tmp.firstElementChild;
    if (!main || !next) return;
    var was = main.getAttribute("data-state");
    var now = next.getAttribute("data-state");
    if (was && now && was !== now) {
      htmx.ajax("GET", window.location.pathname, { target: "#main", select: "#main", swap: "outerHTML" });
    }
  });

  // Deck editor: drag scenarios into a new order. The Move buttons do the
  // same without a mouse (and without JavaScript); dragging only rewrites the
  // hidden position fields that the server sorts by when the form is posted.
  var dragged = null;
  document.addEventListener("dragstart", function (e) {
    var li = e.target.closest && e.target.closest("[data-sortable] > li");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (e) {
    if (!dragged) return;
    var over = e.target.closest && e.target.closest("[data-sortable] > li");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) return;
    e.preventDefault();
    var box = over.getBoundingClientRect();
    var after = e.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentNode;
    dragged.classList.remove("dragging");
    dragged = null;
    Array.prototype.forEach.call(list.children, function (li, i) {
      var pos = li.querySelector("input[name$='-pos']");
      if (pos) pos.value = String(i);
    });
    var note = document.getElementById("order-note");
    if (note) note.hidden = false;
  });
})();
