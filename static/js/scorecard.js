// Scorecard autosave: nothing typed is lost.
//
// htmx posts each field as it changes (debounced for text). This script keeps every
// unsent value in localStorage until the server confirms it, retries with backoff when
// the connection drops or the server fails, restores unsent text after a reload or a
// closed tab, and lets 409 (conflict) and 422 (invalid) answers show in place.
(function () {
  "use strict";
  var attempts = {};
  var timers = {};

  function form() { return document.getElementById("scorecard-form"); }
  function scorecardId() { var f = form(); return f ? f.dataset.scorecard : null; }
  function storageKey(field) { return "scorecard:" + scorecardId() + ":" + field; }
  function fieldName(el) { return el.name; }
  function store(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ } }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } }
  function forget(key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function currentValue(name) {
    var f = form();
    var els = f ? f.querySelectorAll('[name="' + name + '"][data-autosave]') : [];
    if (!els.length) return null;
    if (els[0].type === "radio") {
      for (var i = 0; i < els.length; i++) if (els[i].checked) return els[i].value;
      return "";
    }
    return els[0].value;
  }

  function setValue(name, value) {
    var f = form();
    f.querySelectorAll('[name="' + name + '"][data-autosave]').forEach(function (el) {
      if (el.type === "radio") el.checked = el.value === value;
      else el.value = value;
    });
  }

  function triggerElement(name) {
    var f = form();
    var els = f.querySelectorAll('[name="' + name + '"][data-autosave]');
    for (var i = 0; i < els.length; i++) if (els[i].type !== "radio" || els[i].checked) return els[i];
    return els[0];
  }

  function statusBox(name) { return document.getElementById("status-" + name); }
  function say(name, text, cls) {
    var box = statusBox(name);
    if (!box) return;
    box.className = "autosave-status " + (cls || "text-body-secondary");
    box.textContent = text;
  }

  function remember(el) {
    var name = fieldName(el);
    var base = document.getElementById("base-" + name);
    var previous = load(storageKey(name));
    store(storageKey(name), {
      value: currentValue(name),
      // The value this edit started from: the server checks it against what it holds now.
      base: previous ? previous.base : (base ? base.value : ""),
      at: Date.now()
    });
  }

  function retry(name) {
    var n = attempts[name] = (attempts[name] || 0) + 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, n - 1));
    clearTimeout(timers[name]);
    say(name, "Not saved yet: retrying in " + Math.round(delay / 1000) + " s. Your text is kept on this device.", "text-warning-emphasis");
    timers[name] = setTimeout(function () { sendNow(name); }, delay);
  }

  function sendNow(name) {
    var el = triggerElement(name);
    if (el && window.htmx) htmx.trigger(el, "scorecard:retry");
  }

  // Keep what is typed until the server has it.
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var el = event.target;
      if (el.matches && el.matches("[data-autosave]") && form() && form().contains(el)) remember(el);
    });
  });

  // Send the stored base with a restored value, so a stale edit comes back as a conflict.
  document.addEventListener("htmx:configRequest", function (event) {
    var el = event.detail.elt;
    if (!el.matches || !el.matches("[data-autosave]")) return;
    var name = fieldName(el);
    var stored = load(storageKey(name));
    if (stored) event.detail.parameters["base-" + name] = stored.base;
    el.dataset.sentValue = currentValue(name);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail.elt;
    if (!el.matches || !el.matches("[data-autosave]")) return;
    var name = fieldName(el);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 200) {
      attempts[name] = 0;
      var stored = load(storageKey(name));
      if (stored && stored.value === el.dataset.sentValue) forget(storageKey(name));
      else if (stored) {
        var base = document.getElementById("base-" + name);
        stored.base = base ? base.value : stored.base;
        store(storageKey(name), stored);
      }
    } else if (status === 0 || status >= 500) {
      retry(name);
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var el = event.detail.elt;
    if (el.matches && el.matches("[data-autosave]")) retry(fieldName(el));
  });

  window.addEventListener("online", function () {
    Object.keys(timers).forEach(function (name) { clearTimeout(timers[name]); sendNow(name); });
  });

  // "Take the saved text" after a conflict.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-take-saved]");
    if (!button) return;
    var name = button.dataset.takeSaved;
    var saved = document.getElementById("saved-" + name).value;
    var info = JSON.parse(button.dataset.version);
    setValue(name, saved);
    var base = document.getElementById("base-" + name);
    if (base) base.value = saved;
    var version = document.getElementById("scorecard-version");
    if (version && Number(info.version) > Number(version.value)) version.value = info.version;
    forget(storageKey(name));
    say(name, "Using the saved text.");
  });

  // After a reload or a closed tab: put back what never reached the server, and send it.
  function restore() {
    var f = form();
    if (!f) return;
    var prefix = "scorecard:" + f.dataset.scorecard + ":";
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) keys.push(key);
    }
    keys.forEach(function (key) {
      var name = key.slice(prefix.length);
      var stored = load(key);
      if (f.hasAttribute("data-locked") || !stored) { forget(key); return; }
      var value = currentValue(name);
      if (value === null) { forget(key); return; }
      if (value === stored.value) { forget(key); return; }
      setValue(name, stored.value);
      say(name, "Restored text that had not reached the server; saving…");
      sendNow(name);
    });
  }

  function focusFirstError() {
    var first = document.querySelector("#scorecard-form [aria-invalid=true]");
    if (first) first.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.elt && event.detail.elt.id === "scorecard-form") focusFirstError();
  });
  // Restore once htmx has wired up the form (first load, and each time the form is swapped in).
  htmx.onLoad(function (elt) {
    var f = form();
    if (f && (elt === f || elt.contains(f))) restore();
  });
})();
