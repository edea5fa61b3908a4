// finder's service worker: served as /sw.js so its scope is the whole site.
// Keeps the app shell, /help, the offline page, the favorites page and every meeting page and
// shared list the person opened, so they open with no network. Pages always come from the network first; a
// saved copy is only used when the network fails, and is marked so app.js shows
// "Saved copy from <time>; times may have changed". Nothing here talks to any other site.
"use strict";

var VERSION = "__VERSION__";
var SHELL = "finder-shell-" + VERSION;  // CSS, JS, icons: versioned, replaced on update
var PAGES = "finder-pages";              // pages the person opened: kept across updates
var PRECACHE_PAGES = ["/", "/help", "/offline", "/me/favorites"];
var OFFLINE_PAGE = "/offline";
var SAVED_AT = "X-Finder-Saved-At";
// finder says on every page whether it was made for someone signed in. While a saved page is
// a signed-in person's, this cache exists; the first page for nobody (signed out elsewhere,
// a new password, the session ran out) makes the worker forget every saved page.
var SIGNED_IN = "X-Finder-Signed-In";
var SIGNED_IN_PAGES = "finder-signed-in";

// Pages worth keeping: the home page, help, offline, favorites, single meetings and lists
// (a sponsee's meetings for the week, read in a basement with no signal).
var LIST_PAGE = /^\/lists\/[A-Za-z0-9_-]{12}$/;
function keepable(url) {
  if (url.origin !== self.location.origin) { return false; }
  return PRECACHE_PAGES.indexOf(url.pathname) !== -1 ||
    /^\/meetings\/[^/]+$/.test(url.pathname) || LIST_PAGE.test(url.pathname);
}

// One copy per page, whatever its query string (?lang=es): keyed by the path alone.
function pageKey(url) {
  return new Request(url.origin + url.pathname);
}

function savePage(url, response) {
  var type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) {
    return Promise.resolve();
  }
  // A new list's page shows its secret edit link once (no-store): never keep that copy.
  var cacheControl = response.headers.get("Cache-Control") || "";
  if (LIST_PAGE.test(url.pathname) && cacheControl.indexOf("no-store") !== -1) {
    return Promise.resolve();
  }
  return response.text().then(function (body) {
    var headers = { "Content-Type": type };
    headers[SAVED_AT] = new Date().toISOString();
    var policy = response.headers.get("Content-Security-Policy");
    if (policy) { headers["Content-Security-Policy"] = policy; }
    return caches.open(PAGES).then(function (cache) {
      return cache.put(pageKey(url), new Response(body, { status: 200, headers: headers }));
    }).then(function () {
      return response.headers.get(SIGNED_IN) === "1" ? caches.open(SIGNED_IN_PAGES) : null;
    });
  });
}

// Every saved page, then the pages anyone may see again (the favorites page is private).
function forget() {
  return Promise.all([caches.delete(PAGES), caches.delete(SIGNED_IN_PAGES)]).then(function () {
    return precache(["/", "/help", "/offline"]);
  });
}

// A page for nobody while saved pages are a signed-in person's: forget them.
function forgetIfSignedOut(response) {
  if (response.headers.get(SIGNED_IN) !== "0") { return Promise.resolve(); }
  return caches.has(SIGNED_IN_PAGES).then(function (signedIn) {
    return signedIn ? forget() : null;
  });
}

// The pages, and the shell: whatever /static/ files they link (stylesheet, script, icons).
function precache(paths) {
  return Promise.all(paths.map(function (path) {
    var url = new URL(path, self.location.origin);
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      var copy = response.clone();
      return savePage(url, response).then(function () { return copy.text(); });
    }).then(function (html) {
      var found = html.match(/(?:href|src)="\/static\/[^"]+"/g) || [];
      var assets = found.map(function (attr) {
        return attr.slice(attr.indexOf('"') + 1, -1).replace(/&amp;/g, "&");
      });
      return caches.open(SHELL).then(function (cache) { return cache.addAll(assets); });
    }).catch(function () { return null; });  // one missing page must not stop the install
  }));
}

// A saved page, marked with when it was saved, or null.
function savedPage(url) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(pageKey(url));
  }).then(function (response) {
    if (!response) { return null; }
    var savedAt = response.headers.get(SAVED_AT) || "";
    var headers = { "Content-Type": response.headers.get("Content-Type") };
    var policy = response.headers.get("Content-Security-Policy");
    if (policy) { headers["Content-Security-Policy"] = policy; }
    return response.text().then(function (body) {
      var marked = body.replace("<html ", '<html data-saved-at="' + savedAt + '" ');
      return new Response(marked, { status: 200, headers: headers });
    });
  });
}

function offlineAnswer(url) {
  return savedPage(url).then(function (page) {
    if (page) { return page; }
    return caches.open(PAGES).then(function (cache) {
      return cache.match(new Request(self.location.origin + OFFLINE_PAGE));
    }).then(function (offline) {
      return offline || new Response("You're offline.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
      });
    });
  });
}

// Network first. A saved copy stands in when the network fails, when the server is in
// trouble (5xx), or when a kept page takes longer than SLOW_MS (a weak signal).
var SLOW_MS = 8000;

function page(event, url) {
  var network = fetch(event.request).then(function (response) {
    var forgotten = forgetIfSignedOut(response);
    event.waitUntil(forgotten);
    if (!keepable(url)) { return response; }
    if (response.status >= 500) {
      return savedPage(url).then(function (saved) { return saved || response; });
    }
    var copy = response.clone();
    event.waitUntil(forgotten.then(function () { return savePage(url, copy); }));
    return response;
  }).catch(function () { return offlineAnswer(url); });
  if (!keepable(url)) { return network; }
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS); }).then(function () {
    return savedPage(url);
  }).then(function (saved) { return saved || network; });
  return Promise.race([network, slow]);
}

// Static files have content-hashed URLs: a kept copy is always right.
function asset(request) {
  return caches.match(request).then(function (kept) {
    return kept || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache(PRECACHE_PAGES).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("finder-shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});

// From app.js: keep a page (the one open before this worker took control; My meetings and the
// meeting's pages again after a star changed them); forget saved pages at log out and when the
// account is deleted (the favorites page is private).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && typeof data.path === "string") {
    var url = new URL(data.path, self.location.origin);
    if (keepable(url)) {
      event.waitUntil(fetch(url, { credentials: "same-origin" }).then(function (response) {
        return savePage(url, response);
      }).catch(function () { return null; }));
    }
  } else if (data.type === "forget") {
    event.waitUntil(forget());
  }
});
