// finder: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  var MESSAGES = {
    1: "Location is off for this site. That's fine: type a ZIP code, a city or an address in the box above and tap Find meetings.",
    2: "Your location isn't available right now. Type a ZIP code, city or address instead.",
    3: "Finding your location took too long. Try again, or type a ZIP code, city or address."
  };
  // The point this tab's phone located itself at, rounded as in the URL: for this tab only.
  var LOCATED = "finder-located";

  function setHidden(form, name, value) {
    var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  // The page's words (data-* set by the template, in its language), else the English ones.
  function words(el, name, fallback) {
    return (el && el.getAttribute(name)) || fallback;
  }

  function locate(button) {
    var form = button.form;
    var status = form.querySelector("[data-locate-status]");
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    function fail(message) {
      button.disabled = false;
      button.textContent = label;
      if (status) { status.textContent = message; }
    }
    if (!navigator.geolocation) {
      fail(words(button, "data-unsupported",
        "This browser can't share your location. Type a ZIP code, city or address instead."));
      return;
    }
    button.disabled = true;
    button.textContent = words(button, "data-finding", "Finding your location…");
    if (status) { status.textContent = ""; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var near = form.querySelector('input[name="near"]');
      // Rounded to about 110 m: enough to find meetings, not precise enough to be a home
      // address in the URL, the history or a shared link.
      var lat = position.coords.latitude.toFixed(3);
      var lng = position.coords.longitude.toFixed(3);
      setHidden(form, "lat", lat);
      setHidden(form, "lng", lng);
      // This tab's results for this point are "your location" (see sayYourLocation).
      try { window.sessionStorage.setItem(LOCATED, lat + "," + lng); } catch (e) { /* private mode */ }
      if (near) { near.value = ""; near.disabled = true; }
      dropEmptyName(form);
      form.submit();
    }, function (error) {
      var code = MESSAGES[error.code] ? error.code : 2;
      fail(words(button, "data-error-" + code, MESSAGES[code]));
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  }

  // An empty name box stays out of the address ("?name=&near=..."), which people share.
  function dropEmptyName(form) {
    var name = form.querySelector('input[name="name"]');
    if (name && !name.value.trim()) { name.disabled = true; }
  }

  // A typed place wins over remembered coordinates: drop them when text is entered.
  function dropCoordinates(event) {
    var form = event.target;
    dropEmptyName(form);
    var near = form.querySelector('input[name="near"]');
    if (near && near.value.trim() && !near.disabled) {
      form.querySelectorAll('input[type="hidden"][name="lat"], input[type="hidden"][name="lng"]')
        .forEach(function (input) { input.disabled = true; });
    }
  }

  document.querySelectorAll("[data-search-form]").forEach(function (form) {
    form.addEventListener("submit", dropCoordinates);
  });

  // A search by coordinates names "a shared location" (the link may be a sponsor's, sent
  // on). In the tab whose phone located itself there, it is "your location".
  function sayYourLocation() {
    var located;
    try { located = window.sessionStorage.getItem(LOCATED); } catch (e) { return; }
    var here = new URLSearchParams(window.location.search);
    var lat = parseFloat(here.get("lat"));
    var lng = parseFloat(here.get("lng"));
    if (!located || isNaN(lat) || isNaN(lng) || located !== lat.toFixed(3) + "," + lng.toFixed(3)) {
      return;
    }
    document.querySelectorAll("[data-place-label]").forEach(function (label) {
      var shared = label.textContent;
      label.textContent = label.getAttribute("data-yours");
      document.title = document.title.replace(shared, label.textContent);
    });
    document.querySelectorAll('input[name="near"][data-yours]').forEach(function (input) {
      input.placeholder = input.getAttribute("data-yours");
    });
  }
  sayYourLocation();
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { locate(button); });
  });
  // "Find another meeting" from a results page goes back to those results, where they were.
  document.querySelectorAll("[data-back-to-results]").forEach(function (link) {
    var from;
    try { from = new URL(document.referrer); } catch (e) { return; }
    if (from.origin !== window.location.origin || from.pathname !== "/meetings" || !from.search) {
      return;
    }
    link.href = from.pathname + from.search;
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
  // Coming back with the Back button: re-enable what a location search disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-search-form] input:disabled, [data-locate]:disabled")
      .forEach(function (el) {
        el.disabled = false;
        if (el.hasAttribute("data-label")) { el.textContent = el.getAttribute("data-label"); }
      });
  });
})();

// finder accounts: the favorite star updates in place; time zone fields learn the device's
// zone; a date field that the browser shows as plain text says how to type the date.
// Every page works without this file.
(function () {
  "use strict";

  // The page's words (data-* on <body>, in its language), else the English ones.
  function words(el, name, fallback) {
    return (el && el.getAttribute(name)) || fallback;
  }

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

  // The button's words come from its data-* attributes, written by the server's template.
  function showStar(slug, on) {
    var forms = document.querySelectorAll("form[data-favorite-form]");
    var state = on ? "on" : "off";
    Array.prototype.forEach.call(forms, function (form) {
      if (form.getAttribute("data-slug") !== slug) { return; }
      var button = form.querySelector("button");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.setAttribute("aria-label", button.getAttribute("data-name-" + state));
      button.querySelector("[data-star-label]").textContent = button.getAttribute("data-label-" + state);
      form.querySelector("[data-favorite-action]").value = on ? "remove" : "add";
    });
  }

  // The service worker's saved copies of My meetings, of this page and of the meeting's own
  // page show the star as it was: have it fetch them again, so they read the same offline.
  function refreshSavedCopies(slug) {
    if (!("serviceWorker" in navigator)) { return; }
    var paths = ["/me/favorites", location.pathname, "/meetings/" + encodeURIComponent(slug)];
    navigator.serviceWorker.ready.then(function (registration) {
      paths.filter(function (path, i) { return paths.indexOf(path) === i; }).forEach(function (path) {
        if (registration.active) { registration.active.postMessage({ type: "keep", path: path }); }
      });
    }).catch(function () { /* no offline copies to refresh */ });
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
      refreshSavedCopies(data.slug);
    }).catch(function () {
      form.submit();  // let the server answer with a full page
    });
  });

  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }

  function deviceZone() {
    if (!window.Intl || !Intl.DateTimeFormat) { return ""; }
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  function addHint(field, text) {
    var hint = document.createElement("p");
    hint.className = "hint";
    hint.id = field.id + "-device";
    hint.textContent = text;
    field.parentNode.insertBefore(hint, field.nextSibling);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
  }

  function zoneOption(select, zone) {
    return Array.prototype.filter.call(select.options, function (o) { return o.value === zone; })[0];
  }

  // How the zone reads in the list ("US Pacific (Los Angeles)"), or its name.
  function zoneName(select, zone) {
    var option = zoneOption(select, zone);
    return option ? option.textContent : zone.replace(/_/g, " ");
  }

  function selectZone(select, zone) {
    if (!zoneOption(select, zone)) {
      var option = document.createElement("option");
      option.value = zone;
      option.textContent = zone.replace(/_/g, " ");
      select.insertBefore(option, select.firstChild);
    }
    select.value = zone;
  }

  // A zone the person has not chosen yet starts as the device's; a chosen one is only compared.
  function useDeviceZone() {
    var zone = deviceZone();
    if (!zone) { return; }
    each("select[data-device-zone-select]", function (select) {
      selectZone(select, zone);
      addHint(select, words(select, "data-zone-filled",
        "Filled in from your device. Change it if it's wrong."));
    });
    each("input[data-device-zone]", function (input) {
      input.value = zone;
    });
    each("select[data-device-zone-check]", function (select) {
      if (select.value !== zone) {
        addHint(select, words(select, "data-zone-device", "Your device is set to {zone}.")
          .replace("{zone}", zoneName(select, zone)));
      }
    });
  }

  // Browsers without a date picker show type=date as a text box: say how to type the date.
  function explainTypedDates() {
    each("input[data-date-field]", function (input) {
      if (input.type === "date") { return; }
      input.setAttribute("placeholder", "YYYY-MM-DD");
      addHint(input, words(input, "data-date-hint",
        "Type it as year-month-day, for example 2024-03-15."));
    });
  }

  // Reading the device's zone loads the browser's time-zone data: only where a form asks.
  if (document.querySelector(
    "select[data-device-zone-select], input[data-device-zone], select[data-device-zone-check]")) {
    useDeviceZone();
  }
  explainTypedDates();
}());

// finder sharing: the Share button uses the phone's share sheet (Web Share API) where there
// is one, and otherwise copies the link and says "Copied". Its words come from data-*
// attributes. Without this file the text-message and e-mail links still work.
(function () {
  "use strict";

  function say(button, message) {
    var status = button.parentNode.parentNode.querySelector("[data-share-status]");
    if (status) { status.textContent = message; }
  }

  function copyByHand(url) {
    var field = document.createElement("textarea");
    field.value = url;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(field);
    return done;
  }

  function copy(button) {
    var url = button.getAttribute("data-share-url");
    var copied = button.getAttribute("data-copied");
    var failed = button.getAttribute("data-copy-failed");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { say(button, copied); }, function () {
        say(button, copyByHand(url) ? copied : failed);
      });
      return;
    }
    say(button, copyByHand(url) ? copied : failed);
  }

  function share(button) {
    var data = {
      title: button.getAttribute("data-share-title"),
      text: button.getAttribute("data-share-text"),
      url: button.getAttribute("data-share-url")
    };
    if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
      navigator.share(data).catch(function (error) {
        if (error && error.name !== "AbortError") { copy(button); }
      });
      return;
    }
    copy(button);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), function (button) {
    if (!navigator.share) { button.textContent = button.getAttribute("data-label-copy"); }
    button.hidden = false;
    button.addEventListener("click", function () { share(button); });
  });
}());

// finder offline: registers the service worker (static/sw.js, served as /sw.js), marks pages
// it kept ("Saved copy from <time>; times may have changed"), says plainly that a search needs
// the network when there is none, lists saved meeting pages on the offline page, and forgets
// saved pages at log out and when the account is deleted. Every page works without this file.
(function () {
  "use strict";

  var KEEPABLE = /^\/(|help|offline|me\/favorites|meetings\/[^/]+|lists\/[A-Za-z0-9_-]{12})$/;

  function showSavedCopy() {
    var savedAt = document.documentElement.getAttribute("data-saved-at");
    var banner = document.querySelector("[data-saved-copy]");
    if (!savedAt || !banner) { return; }
    var when = new Date(savedAt);
    var text = isNaN(when.getTime()) ? savedAt : when.toLocaleString(document.documentElement.lang, {
      weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit"
    });
    banner.textContent = banner.getAttribute("data-saved-copy").replace("{time}", text);
    banner.hidden = false;
  }

  function showOffline(focus) {
    var note = document.querySelector("[data-offline-note]");
    if (!note) { return; }
    note.hidden = false;
    if (focus) {
      note.setAttribute("tabindex", "-1");
      note.focus();
    }
  }

  // A search with no network would only show the browser's error page: say why instead.
  function guardSearch() {
    document.querySelectorAll("[data-search-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine === false) {
          event.preventDefault();
          showOffline(true);
        }
      });
    });
    if (navigator.onLine === false && document.querySelector("[data-search-form]")) {
      showOffline(false);
    }
    window.addEventListener("offline", function () {
      if (document.querySelector("[data-search-form]")) { showOffline(false); }
    });
    window.addEventListener("online", function () {
      var note = document.querySelector("[data-offline-note]");
      if (note) { note.hidden = true; }
    });
  }

  // On the offline page: the meeting and list pages this device kept, by their titles.
  function listSavedPages() {
    var box = document.querySelector("[data-saved-pages]");
    var meetingNote = document.querySelector("[data-offline-meeting]");
    // The service worker answers a meeting link it never kept with this page, under the
    // meeting's own address: say that, not "searching needs a connection".
    if (meetingNote && /^\/meetings\/[^/]+$/.test(location.pathname)) {
      meetingNote.hidden = false;
      var search = document.querySelector("[data-offline-search]");
      if (search) { search.hidden = true; }
    }
    if (!box || !window.caches) { return; }
    caches.open("finder-pages").then(function (cache) {
      return cache.keys();
    }).then(function (requests) {
      var list = box.querySelector("ul");
      requests.forEach(function (request) {
        var path = new URL(request.url).pathname;
        if (!/^\/(meetings|lists)\/[^/]+$/.test(path)) { return; }
        caches.match(request).then(function (response) {
          return response ? response.text() : "";
        }).then(function (html) {
          var title = new DOMParser().parseFromString(html, "text/html").title;
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.className = "button secondary";
          link.href = path;
          link.textContent = (title || path).replace(/ · finder$/, "");
          item.appendChild(link);
          list.appendChild(item);
          box.hidden = false;
        });
      });
    });
  }

  function register() {
    if (!("serviceWorker" in navigator)) { return; }
    var worker = navigator.serviceWorker;
    worker.register("/sw.js", { scope: "/" }).then(function () {
      return worker.ready;
    }).then(function (registration) {
      // The page that installed the worker was not fetched through it: keep it now.
      if (!worker.controller && KEEPABLE.test(location.pathname) && registration.active) {
        registration.active.postMessage({ type: "keep", path: location.pathname });
      }
    }).catch(function () { /* no offline copies; every page still works */ });
  }

  // Logging out and deleting the account (data-forget-saved) end what this device may show:
  // listened for at once, even before the worker's registration (after the page's load).
  function forgetOnLeaving() {
    if (!("serviceWorker" in navigator)) { return; }
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var ends = form.getAttribute && (form.getAttribute("action") === "/logout" ||
        form.hasAttribute("data-forget-saved"));
      var controller = navigator.serviceWorker.controller;
      if (ends && controller) {
        controller.postMessage({ type: "forget" });
      }
    });
  }

  forgetOnLeaving();
  showSavedCopy();
  guardSearch();
  listSavedPages();
  // The worker (and the copies it keeps) can wait until the page itself has loaded.
  if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register);
  }
}());

// finder viewer's time zone: online meetings anywhere are shown on the device's clock. The
// zone name (e.g. America/Chicago, no position) goes in a "tz" cookie the server reads; a list
// drawn before the server knew it is drawn again once. Every page works without this file.
(function () {
  "use strict";

  function deviceZone() {
    try {
      return (window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone) || "";
    } catch (e) {
      return "";
    }
  }

  function cookieZone() {
    var match = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
    return match ? match[1] : "";
  }

  function remember() {
    var zone = deviceZone();
    if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone) || cookieZone() === zone) { return; }
    var hadNone = !cookieZone();
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax" +
      (location.protocol === "https:" ? "; secure" : "");
    // Shown in each meeting's own zone because the server did not know this device's yet.
    if (hadNone && cookieZone() === zone && document.querySelector("[data-viewer-zone-missing]") &&
        !document.documentElement.hasAttribute("data-saved-at")) {
      location.reload();
    }
  }

  // A list waiting for the zone gets it now; elsewhere it is read (loading the browser's
  // time-zone data) once the page is idle, for the next search.
  if (document.querySelector("[data-viewer-zone-missing]")) {
    remember();
  } else if (window.requestIdleCallback) {
    window.requestIdleCallback(remember, { timeout: 3000 });
  } else {
    window.setTimeout(remember, 500);
  }
}());
