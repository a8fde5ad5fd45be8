/* The members' offline reader: its service worker (issue 18), served at /my/sw.js, scope /my/.
 *
 * Network first, always: a kept file is answered from the cache only when the network fails.
 * The cache is "reader-<token>", the token a keyed hash of the person and the session that the
 * server sends with every signed-in page under /my/ (X-Reader-Token). Whenever a response names
 * a token, every other reader cache is deleted; a page under /my/ answered without one (signed
 * out, session ended) deletes them all. So a cache written in one session is never read in
 * another. The service worker itself never writes the cache: the reader's pages do, when the
 * member asks to keep a meeting (static/js/reader.js). */
'use strict';

var PREFIX = 'reader-';
var OFFLINE_PAGE = '/my/reader/offline/';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

function keepOnly(token) {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name.indexOf(PREFIX) === 0 && (!token || name !== PREFIX + token);
        })
        .map(function (name) {
          return caches.delete(name);
        })
    );
  });
}

function fromCache(request) {
  return caches.keys().then(function (names) {
    var mine = names.filter(function (name) {
      return name.indexOf(PREFIX) === 0;
    });
    // After keepOnly there is at most one: the cache of the last session seen online.
    return mine.reduce(function (found, name) {
      return found.then(function (response) {
        if (response) return response;
        return caches.open(name).then(function (cache) {
          return cache.match(request, { ignoreVary: true });
        });
      });
    }, Promise.resolve(undefined));
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var scope = new URL(self.registration.scope).pathname;
  var navigation = request.mode === 'navigate';

  event.respondWith(
    fetch(request).then(
      function (response) {
        var token = response.headers.get('X-Reader-Token');
        if (token) {
          event.waitUntil(keepOnly(token));
        } else if (navigation && url.pathname.indexOf(scope) === 0) {
          // Signed out (sent to sign in) or an answer for nobody in particular: drop them all.
          event.waitUntil(keepOnly(null));
        }
        return response;
      },
      function (error) {
        return fromCache(request).then(function (cached) {
          if (cached) return cached;
          if (navigation) {
            return fromCache(new Request(OFFLINE_PAGE)).then(function (page) {
              if (page) return page;
              throw error;
            });
          }
          throw error;
        });
      }
    )
  );
});
