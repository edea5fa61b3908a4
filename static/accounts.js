// finder accounts: the favorite star updates in place, and the time zone form suggests
// the browser's zone. Every page works without this file.
(function () {
  "use strict";

  var live = null;

  function announce(message) {
    if (!live) {
      live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  function showStar(slug, on) {
    var forms = document.querySelectorAll("form[data-favorite-form]");
    Array.prototype.forEach.call(forms, function (form) {
      if (form.getAttribute("data-slug") !== slug) { return; }
      form.querySelector("button").setAttribute("aria-pressed", on ? "true" : "false");
      form.querySelector("[data-favorite-action]").value = on ? "remove" : "add";
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-favorite-form]")) { return; }
    if (!window.fetch || !window.FormData) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    // form.action would be the input named "action", so read the attribute.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      button.disabled = false;
      showStar(data.slug, data.favorite);
      announce(data.message);
    }).catch(function () {
      form.submit();  // let the server answer with a full page
    });
  });

  function suggestZone() {
    var form = document.querySelector("form[data-suggest-zone]");
    if (!form || !window.Intl || !Intl.DateTimeFormat) { return; }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var select = form.querySelector("select");
    if (!zone || !select || select.value === zone) { return; }
    var match = Array.prototype.filter.call(select.options, function (o) { return o.value === zone; });
    if (!match.length) {
      var option = document.createElement("option");
      option.value = zone;
      option.textContent = zone.replace(/_/g, " ");
      select.insertBefore(option, select.firstChild);
    }
    select.value = zone;
    var hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = "Your device says you are in " + zone.replace(/_/g, " ") + ". Save to use it.";
    select.parentNode.appendChild(hint);
  }

  suggestZone();
}());
