// finder: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  var MESSAGES = {
    1: "Location permission was denied. Type a ZIP code, city or address instead, or allow location for this site in your browser settings.",
    2: "Your location isn't available right now. Type a ZIP code, city or address instead.",
    3: "Finding your location took too long. Try again, or type a ZIP code, city or address."
  };

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
      fail("This browser can't share your location. Type a ZIP code, city or address instead.");
      return;
    }
    button.disabled = true;
    button.textContent = "Finding your location…";
    if (status) { status.textContent = ""; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var near = form.querySelector('input[name="near"]');
      // Rounded to about 110 m: enough to find meetings, not precise enough to be a home
      // address in the URL, the history or a shared link.
      setHidden(form, "lat", position.coords.latitude.toFixed(3));
      setHidden(form, "lng", position.coords.longitude.toFixed(3));
      if (near) { near.value = ""; near.disabled = true; }
      form.submit();
    }, function (error) {
      fail(MESSAGES[error.code] || MESSAGES[2]);
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  }

  // A typed place wins over remembered coordinates: drop them when text is entered.
  function dropCoordinates(event) {
    var form = event.target;
    var near = form.querySelector('input[name="near"]');
    if (near && near.value.trim() && !near.disabled) {
      form.querySelectorAll('input[type="hidden"][name="lat"], input[type="hidden"][name="lng"]')
        .forEach(function (input) { input.disabled = true; });
    }
  }

  document.querySelectorAll("[data-search-form]").forEach(function (form) {
    form.addEventListener("submit", dropCoordinates);
  });
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { locate(button); });
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
