// Foresight's own small enhancements on top of htmx. Everything works
// without this file: forms post and the server redirects.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function statusOf(el) {
    var item = el.closest && el.closest("[data-item]");
    return item ? item.querySelector(".status") : null;
  }

  // The participant page's messages are in its HTML (data-* attributes of
  // the form), so they are translated with the rest of the page.
  function voteForm() { return document.getElementById("vote-form"); }
  function message(name) {
    var f = voteForm();
    return (f && f.getAttribute("data-" + name)) || "";
  }
  function say(s, text, failed) {
    if (!s || !text) return;
    s.textContent = text;
    s.className = failed ? "status failed" : "status";
  }

  // Ratings and reasons that have not reached the server are kept, by field
  // name, in this tab's sessionStorage (a reload or a new page region keeps
  // them) and sent again, with growing pauses, until the server answers
  // 2xx: only then does the page say "Saved". A refusal (4xx) is the
  // server's to explain; a lost connection, a busy (429) or failing (5xx)
  // server means try again, after Retry-After when the server gives one.
  // They belong to one round: a choice not sent before the next round
  // began is not carried into it.
  var unsentKey = "foresight-unsent:" + window.location.pathname;
  var unsent = {};
  var unsentRound = "";
  try {
    var kept = JSON.parse(window.sessionStorage.getItem(unsentKey) || "{}") || {};
    unsent = kept.items || {};
    unsentRound = kept.round || "";
  } catch (err) { unsent = {}; }
  var retryTimer = null;
  var attempts = 0;

  // pageRound is the round of the page's main region ("open-2-…" → "2").
  function pageRound() {
    var main = document.getElementById("main");
    return ((main && main.getAttribute("data-state")) || "").split("-")[1] || "";
  }
  function keepUnsent() {
    if (Object.keys(unsent).length && !unsentRound) unsentRound = pageRound();
    try {
      if (Object.keys(unsent).length) window.sessionStorage.setItem(unsentKey, JSON.stringify({ round: unsentRound, items: unsent }));
      else window.sessionStorage.removeItem(unsentKey);
    } catch (err) { /* private mode: kept in memory only */ }
    if (!Object.keys(unsent).length) unsentRound = "";
  }
  function dropOtherRound() {
    if (unsentRound && unsentRound !== pageRound()) {
      unsent = {};
      keepUnsent();
    }
  }
  // fieldOf is the rating ("r-S-C") or reason ("reason-S") an element sends.
  function fieldOf(el) {
    var p = el && el.getAttribute && (el.getAttribute("data-hx-params") || el.getAttribute("hx-params"));
    return p && /^(r|reason)-[0-9-]+$/.test(p) ? p : "";
  }
  function valueOf(name) {
    var f = voteForm();
    var field = f && f.elements[name];
    return field ? field.value : "";
  }
  function senderOf(name) {
    return document.querySelector('[data-hx-params="' + name + '"]');
  }
  // statusFor is the status element of a rating or reason field. The IDs
  // are made in Go (views/ids.go: ItemStatusID, ReasonStatusID): field
  // r-S-C has status i-S-C-status, reason-S has reason-S-status.
  function statusFor(name) {
    return document.getElementById(name.replace(/^r-/, "i-") + "-status");
  }
  function retriable(status) {
    return status === 0 || status === 408 || status === 429 || status >= 500;
  }
  // retryAfter reads a Retry-After header (seconds or a date) in ms, or -1.
  function retryAfter(xhr) {
    var h = xhr && xhr.getResponseHeader && xhr.getResponseHeader("Retry-After");
    if (!h) return -1;
    var ms = /^[0-9]+$/.test(h) ? Number(h) * 1000 : Date.parse(h) - Date.now();
    return isNaN(ms) ? -1 : Math.min(Math.max(ms, 500), 120000);
  }
  function scheduleRetry(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(retryUnsent, ms);
  }
  function retryUnsent() {
    retryTimer = null;
    dropOtherRound();
    Object.keys(unsent).forEach(function (name) {
      var el = senderOf(name);
      if (!el || el.matches(":disabled")) {
        // Voting closed before the choice arrived: nothing can take it
        // now, and the page shows what the server has.
        delete unsent[name];
        return;
      }
      var f = voteForm();
      if (f && f.elements[name]) f.elements[name].value = unsent[name];
      htmx.trigger(el, el.tagName === "FIELDSET" ? "change" : "click");
    });
    keepUnsent();
  }
  // showUnsent puts the kept choices back on a (new) page and says they
  // are not sent yet.
  function showUnsent() {
    dropOtherRound();
    var names = Object.keys(unsent);
    if (!names.length || !voteForm()) return;
    names.forEach(function (name) {
      var f = voteForm();
      if (f.elements[name]) f.elements[name].value = unsent[name];
      say(statusFor(name), /^reason-/.test(name) ? message("typing") : message("unsent"), true);
    });
    countAll();
    scheduleRetry(300);
  }

  // Reasons save themselves like ratings: after a pause in typing and when
  // the participant leaves the box. What is typed goes into `unsent` at
  // once, so a reload, a new main region or a lost connection keeps it and
  // it is sent again; the page warns before it is left with anything
  // unsent. A counter shows the length against the limit; a text over the
  // limit is not sent by itself (the server would refuse it), and nothing
  // is ever cut.
  var typingTimer = {};
  function isReason(el) {
    return el && el.tagName === "TEXTAREA" && /^reason-[0-9]+$/.test(el.name || "");
  }
  function overLimit(el) {
    var max = Number(el.getAttribute("data-max")) || 0;
    return max > 0 && Array.from(el.value).length > max;
  }
  function countReason(el) {
    var out = document.getElementById(el.name + "-count");
    var max = Number(el.getAttribute("data-max")) || 0;
    if (!out || !max) return;
    var n = Array.from(el.value).length;
    var over = n > max;
    out.textContent = (over ? message("over") : message("count")).replace("{n}", String(n)).replace("{over}", String(n - max)).replace("{max}", String(max));
    out.className = over ? "counter over" : "counter";
    el.setAttribute("aria-invalid", over ? "true" : "false");
  }
  function saveReason(name) {
    clearTimeout(typingTimer[name]);
    delete typingTimer[name];
    var el = senderOf(name);
    var box = voteForm() && voteForm().elements[name];
    if (!el || !box || el.matches(":disabled") || !(name in unsent)) return;
    if (overLimit(box)) {
      say(statusFor(name), message("toolong"), true);
      return;
    }
    htmx.trigger(el, "click");
  }
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (!isReason(el)) return;
    countReason(el);
    unsent[el.name] = el.value;
    keepUnsent();
    say(statusFor(el.name), overLimit(el) ? message("toolong") : message("typing"), overLimit(el));
    clearTimeout(typingTimer[el.name]);
    typingTimer[el.name] = setTimeout(function () { saveReason(el.name); }, 1500);
  });
  document.addEventListener("change", function (e) {
    if (isReason(e.target)) saveReason(e.target.name);
  });
  // "Keep this reason" copies last round's reason into the box and saves it.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-keep-reason]");
    if (!btn) return;
    var name = btn.getAttribute("data-keep-reason");
    var box = voteForm() && voteForm().elements[name];
    var prev = document.getElementById(name + "-previous");
    if (!box || !prev) return;
    box.value = prev.textContent;
    countReason(box);
    unsent[name] = box.value;
    keepUnsent();
    saveReason(name);
    box.focus();
  });
  window.addEventListener("beforeunload", function (e) {
    Object.keys(typingTimer).forEach(saveReason);
    if (Object.keys(unsent).length) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  function countAll() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-max]"), countReason);
  }

  // Say what is happening to a rating while it travels.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var el = senderOfEvent(e);
    var name = fieldOf(el);
    if (name) el.foresightSent = valueOf(name);
    say(statusOf(el), message("saving"), false);
  });
  // senderOfEvent is the element that made an htmx request (the event
  // itself may be dispatched on the target).
  function senderOfEvent(e) {
    return (e.detail.requestConfig && e.detail.requestConfig.elt) || e.detail.elt;
  }
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && retriable(xhr.status) && fieldOf(senderOfEvent(e))) e.detail.shouldSwap = false;
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var el = senderOfEvent(e);
    var xhr = e.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var name = fieldOf(el);
    if (!name) {
      if (el && el.name === "clear" && status >= 200 && status < 300) {
        delete unsent["r-" + el.value];
        keepUnsent();
      } else if (status === 0) {
        say(statusOf(el), message("offline"), true);
      }
      return;
    }
    if (status >= 200 && status < 300) {
      // Saved, unless the participant chose (or typed) again since.
      if (!(name in unsent) || unsent[name] === el.foresightSent) delete unsent[name];
      else if (/^reason-/.test(name) && !typingTimer[name]) saveReason(name);
      if (!Object.keys(unsent).length) attempts = 0;
    } else if (retriable(status)) {
      unsent[name] = valueOf(name);
      say(statusFor(name), message("unsent"), true);
      attempts++;
      var wait = retryAfter(xhr);
      scheduleRetry(wait >= 0 ? wait : Math.min(1000 * Math.pow(2, attempts - 1), 15000));
    } else {
      delete unsent[name]; // refused: the server's message says why
    }
    keepUnsent();
  });
  // Back online, or the live stream is back: try at once.
  window.addEventListener("online", function () {
    if (Object.keys(unsent).length) scheduleRetry(0);
  });
  document.addEventListener("htmx:sseOpen", function () {
    if (Object.keys(unsent).length) scheduleRetry(0);
  });
  // A new page, or a new main region after the workshop moved on.
  document.addEventListener("htmx:load", function (e) {
    var el = e.detail.elt;
    if (el === document.body || el.id === "main") {
      countAll();
      showUnsent();
    }
  });

  // The participant page follows the workshop's state: when voting opens or
  // closes, reload the page's main region so the form matches.
  // The signal of the latest state message stays on the page; while the
  // main region differs from it (a reload that failed on a bad connection
  // included), reload it, again every few seconds until it matches.
  var syncing = false;
  function syncMain() {
    var main = document.getElementById("main");
    var signal = document.querySelector("[data-sse-swap=state] [data-state]");
    if (syncing || !main || !signal) return;
    var was = main.getAttribute("data-state");
    var now = signal.getAttribute("data-state");
    if (!was || !now || was === now) return;
    syncing = true;
    var done = function () { syncing = false; setTimeout(syncMain, 2000); };
    htmx.ajax("GET", window.location.pathname, { target: "#main", select: "#main", swap: "outerHTML" }).then(done, done);
  }
  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail.type === "state") syncMain();
  });
  window.addEventListener("online", syncMain);
  document.addEventListener("htmx:sseOpen", syncMain);

  // The facilitator's live results: a polite live region that stays on the
  // page says how many joined and rated, at most every few seconds, so a
  // screen reader is told of changes without being flooded.
  var announced = 0, announceTimer = null;
  function announce() {
    announceTimer = null;
    var live = document.getElementById("results-live");
    var src = document.querySelector("#results [data-announce]");
    if (!live || !src || live.textContent === src.textContent) return;
    live.textContent = src.textContent;
    announced = Date.now();
  }
  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail.type !== "results" || announceTimer) return;
    announceTimer = setTimeout(announce, Math.max(0, announced + 4000 - Date.now()));
  });

  // The facilitator's results fold each scenario's details. What the
  // facilitator unfolded stays unfolded when the panel is sent again, and
  // a scenario's name in the overview unfolds its details.
  var unfolded = {};
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.classList || !d.classList.contains("scenario-details")) return;
    if (d.open) unfolded[d.id] = true; else delete unfolded[d.id];
  }, true);
  function unfold(id) {
    var d = id && document.getElementById(id);
    if (d && d.tagName === "DETAILS") d.open = true;
  }
  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail.type === "results") Object.keys(unfolded).forEach(unfold);
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("#overview a[href^='#']");
    if (a) unfold(a.getAttribute("href").slice(1));
  });
  if (location.hash) unfold(location.hash.slice(1));

  // The projector: its live panel is a set of pages that each fit the
  // screen. One shows at a time; the arrow keys (or Page Up and Page Down,
  // or the space bar) turn them. A page's type shrinks, down to half, until
  // nothing on it overflows. A live update keeps the page; a new state (the
  // round revealed, the workshop finished) starts at the first page.
  var projectorPage = 0, projectorStage = null;
  function fitPage(page) {
    var scale = 1;
    page.style.fontSize = "";
    while (scale > 0.5 && (page.scrollHeight > page.clientHeight + 1 || page.scrollWidth > page.clientWidth + 1)) {
      scale -= 0.05;
      page.style.fontSize = scale.toFixed(2) + "em";
    }
  }
  function showProjectorPage(n) {
    var stage = document.querySelector("body.projector .stage");
    if (!stage) return;
    var pages = stage.querySelectorAll(".page");
    if (!pages.length) return;
    var key = stage.getAttribute("data-stage");
    if (key !== projectorStage) {
      projectorStage = key;
      n = 0;
    }
    projectorPage = Math.max(0, Math.min(n, pages.length - 1));
    Array.prototype.forEach.call(pages, function (p, i) { p.classList.toggle("current", i === projectorPage); });
    var pager = stage.querySelector(".pager");
    if (pager) {
      pager.textContent = pages.length > 1 ? (pager.getAttribute("data-of") || "").replace("{n}", String(projectorPage + 1)).replace("{pages}", String(pages.length)) : "";
    }
    fitPage(pages[projectorPage]);
  }
  document.addEventListener("keydown", function (e) {
    if (!document.querySelector("body.projector .stage") || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") {
      e.preventDefault();
      showProjectorPage(projectorPage + 1);
    } else if (e.key === "ArrowLeft" || e.key === "PageUp") {
      e.preventDefault();
      showProjectorPage(projectorPage - 1);
    }
  });
  // At once after a live update swaps the stage, before the browser paints
  // it: a stage with no current page would flash blank. Again after
  // settling, which may restore the swapped elements' attributes.
  document.addEventListener("htmx:afterSwap", function () { showProjectorPage(projectorPage); });
  document.addEventListener("htmx:afterSettle", function () { showProjectorPage(projectorPage); });
  document.addEventListener("htmx:load", function (e) {
    if (e.detail.elt === document.body) showProjectorPage(projectorPage);
  });
  window.addEventListener("resize", function () { showProjectorPage(projectorPage); });

  // A copy button copies the text of the field it names (a display link
  // shown once): by the clipboard API where the page may use it, else by
  // selecting the field's text, which also lets a person copy it by hand.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) return;
    var field = document.getElementById(btn.getAttribute("data-copy"));
    if (!field) return;
    var done = function () { btn.textContent = btn.getAttribute("data-copied") || btn.textContent; };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { if (document.execCommand("copy")) done(); });
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  // Ideas from the room: the idea being typed is kept in this tab until it
  // is proposed, so that nothing typed is lost when the page loads again (a
  // vote sent while the list was being refreshed, a lost connection, the
  // workshop moving on). The server shows a refused idea again itself.
  var ideaKey = "foresight-idea:" + window.location.pathname;
  function ideaForm() { return document.getElementById("idea-form"); }
  document.addEventListener("input", function (e) {
    var f = ideaForm();
    if (!f || e.target.form !== f) return;
    try {
      window.sessionStorage.setItem(ideaKey, JSON.stringify({ title: f.elements.title.value, text: f.elements.text.value }));
    } catch (err) { /* private mode: not kept */ }
  });
  document.addEventListener("submit", function (e) {
    if (e.target !== ideaForm()) return;
    try { window.sessionStorage.removeItem(ideaKey); } catch (err) { /* nothing kept */ }
  });
  function restoreIdea() {
    var f = ideaForm();
    if (!f) return;
    var kept = null;
    try { kept = JSON.parse(window.sessionStorage.getItem(ideaKey) || "null"); } catch (err) { kept = null; }
    if (!kept) return;
    if (!f.elements.title.value) f.elements.title.value = kept.title || "";
    if (!f.elements.text.value) f.elements.text.value = kept.text || "";
  }
  restoreIdea();
  document.addEventListener("htmx:load", function (e) {
    if (e.detail.elt.id === "main") restoreIdea();
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
