/* The members' offline reader (issue 18): keeping a meeting for offline reading, checking what
 * was kept whenever the reader is online (access revoked: dropped; a newer paper: fetched and
 * marked "Updated"), and the member's private notes (written on any device, kept on the server,
 * written offline and sent when back online, the later edit of a note winning).
 *
 * Everything kept lives in one Cache Storage cache, "reader-<token>", the token naming this
 * person in this session (the page's data-reader-token, the X-Reader-Token header for the
 * service worker). Sign-out clears it (Clear-Site-Data); the service worker deletes any other. */
(function () {
  'use strict';

  var root = document.querySelector('[data-reader]');
  if (!root) return;
  var token = root.getAttribute('data-reader-token');
  var CACHE = 'reader-' + token;
  var hasCaches = 'caches' in window && window.isSecureContext;
  var NOTES_KEY = root.getAttribute('data-notes-key');
  var UPDATED_KEY = root.getAttribute('data-updated-key');

  function squash(text) {
    return (text || '').replace(/\s+/g, ' ').trim();
  }

  function bare(text) {
    return (text || '').replace(/\s+/g, '');
  }

  // ------------------------------------------------------------------ service worker, network

  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker
      .register(root.getAttribute('data-sw'), { scope: root.getAttribute('data-scope') })
      .catch(function () {});
  }

  var network = root.querySelector('[data-reader-network]');
  function showNetwork() {
    if (network) network.hidden = navigator.onLine;
  }
  window.addEventListener('online', showNetwork);
  window.addEventListener('offline', showNetwork);
  showNetwork();

  // Any reader cache but this session's is someone else's (or an ended session's): drop it.
  function dropOthers() {
    if (!hasCaches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (n) {
            return n.indexOf('reader-') === 0 && n !== CACHE;
          })
          .map(function (n) {
            return caches.delete(n);
          })
      );
    });
  }

  function openCache() {
    return caches.open(CACHE);
  }

  function readJson(key, fallback) {
    return openCache()
      .then(function (cache) {
        return cache.match(key);
      })
      .then(function (response) {
        return response ? response.json() : fallback;
      })
      .catch(function () {
        return fallback;
      });
  }

  function writeJson(key, value) {
    return openCache().then(function (cache) {
      return cache.put(
        key,
        new Response(JSON.stringify(value), { headers: { 'Content-Type': 'application/json' } })
      );
    });
  }

  function fetchFresh(url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  }

  // ------------------------------------------------------------------------ kept meetings

  function keptManifests() {
    return openCache().then(function (cache) {
      return cache.keys().then(function (requests) {
        var wanted = requests.filter(function (r) {
          return /\/offline\.json$/.test(new URL(r.url).pathname);
        });
        return Promise.all(
          wanted.map(function (r) {
            return cache.match(r).then(function (res) {
              return res.json().then(function (m) {
                m.key = r.url;
                return m;
              });
            });
          })
        );
      });
    });
  }

  function storeAll(cache, urls) {
    // One at a time: gentle on the server, and the first failure stops the keep.
    return urls.reduce(function (done, url) {
      return done.then(function () {
        return fetchFresh(url).then(function (response) {
          if (!response.ok || response.redirected) {
            throw new Error('Could not keep ' + url + ' (' + response.status + ')');
          }
          return cache.put(url, response);
        });
      });
    }, Promise.resolve());
  }

  // Remove a kept meeting's files, except those another kept meeting still needs.
  function forget(key, manifest) {
    return keptManifests().then(function (all) {
      var still = {};
      all.forEach(function (m) {
        if (m.key !== key) {
          m.urls.forEach(function (u) {
            still[u] = true;
          });
        }
      });
      return openCache().then(function (cache) {
        var gone = manifest.urls.filter(function (u) {
          return !still[u];
        });
        return Promise.all(
          gone.map(function (u) {
            return cache.delete(u);
          })
        ).then(function () {
          return cache.delete(key);
        });
      });
    });
  }

  function keep(box, status) {
    var key = new URL(box.getAttribute('data-offline-url'), location.href).href;
    status.textContent = 'Keeping this meeting for offline reading…';
    return fetchFresh(key)
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error('status ' + response.status);
        return response.json();
      })
      .then(function (manifest) {
        return openCache().then(function (cache) {
          return storeAll(cache, manifest.urls).then(function () {
            manifest.title = box.getAttribute('data-title');
            manifest.kept_at = new Date().toISOString();
            return writeJson(key, manifest);
          });
        }).then(function () {
          return clearUpdated(manifest.papers.map(function (p) {
            return String(p.item);
          })).then(function () {
            return manifest;
          });
        });
      })
      .then(function (manifest) {
        status.textContent =
          'Kept for offline reading: ' + manifest.papers.length + ' paper' +
          (manifest.papers.length === 1 ? '' : 's') +
          ', the agenda and your pack. You can read them on this device with no network until you sign out.';
        showKeepState(box, true);
      })
      .catch(function () {
        status.textContent = 'The meeting could not be kept for offline reading. Try again when you have a steady connection.';
      });
  }

  function showKeepState(box, kept) {
    var keepButton = box.querySelector('[data-reader-keep]');
    var forgetButton = box.querySelector('[data-reader-forget]');
    keepButton.textContent = kept ? 'Update the copy on this device' : 'Keep for offline reading';
    forgetButton.hidden = !kept;
    box.setAttribute('data-kept', kept ? 'yes' : 'no');
  }

  function setUpKeep() {
    var box = root.querySelector('[data-reader-keep-box]');
    if (!box || !hasCaches) return;
    var status = box.querySelector('[data-reader-status]');
    var key = new URL(box.getAttribute('data-offline-url'), location.href).href;
    box.hidden = false;
    openCache()
      .then(function (cache) {
        return cache.match(key);
      })
      .then(function (found) {
        showKeepState(box, !!found);
      });
    box.querySelector('[data-reader-keep]').addEventListener('click', function () {
      keep(box, status);
    });
    box.querySelector('[data-reader-forget]').addEventListener('click', function () {
      readJson(key, null).then(function (manifest) {
        if (!manifest) return;
        forget(key, manifest).then(function () {
          showKeepState(box, false);
          status.textContent = 'Removed from this device.';
        });
      });
    });
  }

  function listKept() {
    var list = root.querySelector('[data-reader-kept]');
    if (!list || !hasCaches) return;
    keptManifests().then(function (all) {
      list.textContent = '';
      all.forEach(function (m) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.className = 'govuk-link';
        a.href = m.url;
        a.textContent = m.title || 'Meeting';
        li.appendChild(a);
        list.appendChild(li);
      });
      var section = root.querySelector('[data-reader-kept-section]');
      if (section) section.hidden = all.length === 0;
    });
  }

  // "Updated": items whose paper changed since the meeting was kept.
  function readUpdated() {
    return readJson(UPDATED_KEY, { items: [] }).then(function (v) {
      return v.items || [];
    });
  }

  function clearUpdated(items) {
    return readUpdated().then(function (current) {
      var next = current.filter(function (i) {
        return items.indexOf(i) < 0;
      });
      return writeJson(UPDATED_KEY, { items: next });
    });
  }

  function showUpdated() {
    readUpdated().then(function (items) {
      root.querySelectorAll('[data-updated-item]').forEach(function (tag) {
        tag.hidden = items.indexOf(tag.getAttribute('data-updated-item')) < 0;
      });
    });
  }

  // Online: ask again for each kept meeting. Gone (access revoked, signed out): drop it.
  // Changed (a newer version of a paper): keep the new files, drop the old, mark "Updated".
  function revalidate() {
    if (!hasCaches || !navigator.onLine) return Promise.resolve();
    return keptManifests().then(function (all) {
      return all.reduce(function (done, old) {
        return done.then(function () {
          return fetchFresh(old.key).then(
            function (response) {
              if (response.redirected || response.status === 404 || response.status === 403) {
                return forget(old.key, old);
              }
              if (!response.ok) return null;
              return response.json().then(function (fresh) {
                var before = {};
                old.papers.forEach(function (p) {
                  before[p.item] = p.paper;
                });
                var changed = fresh.papers
                  .filter(function (p) {
                    return before[p.item] && before[p.item] !== p.paper;
                  })
                  .map(function (p) {
                    return String(p.item);
                  });
                var sameUrls = fresh.urls.length === old.urls.length &&
                  fresh.urls.every(function (u, i) {
                    return u === old.urls[i];
                  });
                if (sameUrls) return null;
                return openCache().then(function (cache) {
                  return storeAll(cache, fresh.urls).then(function () {
                    var gone = old.urls.filter(function (u) {
                      return fresh.urls.indexOf(u) < 0;
                    });
                    return Promise.all(gone.map(function (u) {
                      return cache.delete(u);
                    }));
                  }).then(function () {
                    fresh.title = old.title;
                    fresh.kept_at = old.kept_at;
                    return writeJson(old.key, fresh);
                  }).then(function () {
                    return readUpdated().then(function (items) {
                      changed.forEach(function (i) {
                        if (items.indexOf(i) < 0) items.push(i);
                      });
                      return writeJson(UPDATED_KEY, { items: items });
                    });
                  });
                });
              });
            },
            function () {
              return null; // offline after all: try next time
            }
          );
        });
      }, Promise.resolve());
    });
  }

  // ----------------------------------------------------------------------------- notes

  var notesBox = root.querySelector('[data-reader-notes]');

  function loadStore() {
    if (!hasCaches) return Promise.resolve({ notes: {} });
    return readJson(NOTES_KEY, { notes: {} });
  }

  function saveStore(store) {
    if (!hasCaches) return Promise.resolve();
    return writeJson(NOTES_KEY, store);
  }

  // Every change to the stored notes reads, changes and writes them in its turn. Without the
  // turns, a sync's answer merged while a note was being added could write back notes read
  // before the new note was in them, and the note was lost (seen with notes saved in quick
  // succession: tests/browser/test_offline_reader.py).
  var storeTurn = Promise.resolve();

  function updateStore(change) {
    var turn = storeTurn.then(function () {
      return loadStore().then(function (store) {
        var next = change(store);
        return saveStore(next).then(function () {
          return next;
        });
      });
    });
    storeTurn = turn.catch(function () {});
    return turn;
  }

  function noteFromElement(li, lost) {
    return {
      id: li.getAttribute('data-note-id'),
      paper: li.getAttribute('data-paper'),
      item: notesBox ? notesBox.getAttribute('data-item') : '',
      quote: li.getAttribute('data-quote') || '',
      prefix: li.getAttribute('data-prefix') || '',
      suffix: li.getAttribute('data-suffix') || '',
      page: li.getAttribute('data-page') || null,
      body: li.getAttribute('data-body') || '',
      deleted: false,
      updated_at: li.getAttribute('data-updated'),
      lost: lost
    };
  }

  var serverNotes = {};
  if (notesBox) {
    notesBox.querySelectorAll('[data-notes-list] [data-note-id]').forEach(function (li) {
      var n = noteFromElement(li, false);
      serverNotes[n.id] = n;
    });
    notesBox.querySelectorAll('[data-notes-lost] [data-note-id]').forEach(function (li) {
      var n = noteFromElement(li, true);
      serverNotes[n.id] = n;
    });
  }

  function newer(a, b) {
    return new Date(a.updated_at).getTime() > new Date(b.updated_at).getTime();
  }

  // The notes of this paper's item: what the page was rendered with, overlaid by what this
  // device knows (its last sync, and its own edits not yet sent). A note the page lacks is
  // added from the device's copy only when that copy is newer than the page (or is an edit not
  // yet sent): a copy synced before the page was drawn still holds notes deleted since.
  function notesHere(store) {
    var item = String(notesBox.getAttribute('data-item'));
    var pageAt = notesBox.getAttribute('data-rendered-at');
    var copyIsNewer =
      !pageAt || (store.synced_at && new Date(store.synced_at).getTime() > new Date(pageAt).getTime());
    var all = {};
    Object.keys(serverNotes).forEach(function (id) {
      all[id] = serverNotes[id];
    });
    Object.keys(store.notes).forEach(function (id) {
      var n = store.notes[id];
      if (String(n.item) !== item) return;
      if (!all[id]) {
        if (n.dirty || copyIsNewer) all[id] = n;
      } else if (n.dirty || newer(n, all[id])) {
        all[id] = n;
      }
    });
    return Object.keys(all)
      .map(function (id) {
        return all[id];
      })
      .filter(function (n) {
        return !n.deleted;
      });
  }

  var textRoot = root.querySelector('[data-reader-text]') || root.querySelector('[data-pdf-pages]');

  function isFound(note) {
    var article = root.querySelector('[data-reader-text]');
    if (!note.quote) return true;
    if (article) return bare(article.textContent).indexOf(bare(note.quote)) >= 0;
    return !note.lost;
  }

  // A note's element, as the page's template draws it (portal/reader/_note.html): its Delete is
  // a form, sent by this script (see onDelete) and, without it, to the server.
  function renderNote(note) {
    var li = document.createElement('li');
    li.className = 'app-reader-note';
    li.setAttribute('data-note-id', note.id);
    li.setAttribute('data-updated', note.updated_at || '');
    if (note.dirty) li.setAttribute('data-dirty', '');
    if (note.quote) {
      var q = document.createElement('blockquote');
      q.className = 'app-reader-note__quote';
      q.textContent = note.quote;
      li.appendChild(q);
    }
    if (note.body) {
      var p = document.createElement('p');
      p.className = 'govuk-body app-reader-note__body';
      p.textContent = note.body;
      li.appendChild(p);
    }
    if (note.dirty) {
      var s = document.createElement('span');
      s.className = 'govuk-body-s app-reader-note__sync';
      s.textContent = 'Saved on this device; not yet sent.';
      li.appendChild(s);
    }
    var form = document.createElement('form');
    form.setAttribute('data-note-delete', '');
    var del = document.createElement('button');
    del.type = 'submit';
    del.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0';
    del.textContent = 'Delete';
    var hidden = document.createElement('span');
    hidden.className = 'govuk-visually-hidden';
    hidden.textContent = ' this note';
    del.appendChild(hidden);
    form.appendChild(del);
    li.appendChild(form);
    return li;
  }

  // The element already drawn for this note, if it still shows the note as it is. Redrawing
  // keeps it rather than drawing it afresh: a press on its Delete that began before a redraw
  // (a sync is answered at any moment) ends on the same button, and is not lost.
  function drawnAs(note) {
    var li = notesBox.querySelector('[data-note-id="' + note.id + '"]');
    if (!li) return null;
    var at = new Date(li.getAttribute('data-updated')).getTime();
    if (at !== new Date(note.updated_at).getTime()) return null;
    if (li.hasAttribute('data-dirty') !== Boolean(note.dirty)) return null;
    return li;
  }

  // The notes shown, by id: what a Delete acts on.
  var shown = {};
  Object.keys(serverNotes).forEach(function (id) {
    shown[id] = serverNotes[id];
  });

  // Make the list hold these elements in this order, moving none that is already in place
  // (moving an element takes it out of the page for a moment, which also loses a press on it).
  function fill(list, elements) {
    Array.prototype.slice.call(list.children).forEach(function (child) {
      if (elements.indexOf(child) < 0) list.removeChild(child);
    });
    elements.forEach(function (el, i) {
      if (list.children[i] !== el) list.insertBefore(el, list.children[i] || null);
    });
  }

  function render() {
    if (!notesBox) return Promise.resolve();
    return loadStore().then(function (store) {
      var notes = notesHere(store);
      var list = notesBox.querySelector('[data-notes-list]');
      var lostList = notesBox.querySelector('[data-notes-lost]');
      var lostBox = notesBox.querySelector('[data-notes-lost-box]');
      var found = notes.filter(isFound);
      var lost = notes.filter(function (n) {
        return !isFound(n);
      });
      var elements = {};
      notes.forEach(function (n) {
        elements[n.id] = drawnAs(n) || renderNote(n);
      });
      shown = {};
      notes.forEach(function (n) {
        shown[n.id] = n;
      });
      var foundEls = found.map(function (n) {
        return elements[n.id];
      });
      if (!found.length) {
        var empty = list.querySelector('[data-notes-empty]');
        if (!empty) {
          empty = document.createElement('li');
          empty.setAttribute('data-notes-empty', '');
          empty.textContent = 'You have no notes on this paper.';
        }
        foundEls.push(empty);
      }
      fill(list, foundEls);
      fill(
        lostList,
        lost.map(function (n) {
          return elements[n.id];
        })
      );
      lostBox.hidden = lost.length === 0;
      highlight(found);
    });
  }

  // ------------------------------------------------------------------------- highlighting

  function textIndex(container) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, null);
    var chars = [];
    var map = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentNode && node.parentNode.closest && node.parentNode.closest('h2')) continue;
      var s = node.nodeValue;
      for (var i = 0; i < s.length; i++) {
        if (!/\s/.test(s[i])) {
          chars.push(s[i]);
          map.push([node, i]);
        }
      }
    }
    return { text: chars.join(''), map: map };
  }

  function clearMarks(container) {
    container.querySelectorAll('mark[data-note-mark]').forEach(function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    });
  }

  function markNote(container, note) {
    var quote = bare(note.quote);
    if (!quote) return;
    var index = textIndex(container);
    var at = index.text.indexOf(quote);
    var prefix = bare(note.prefix).slice(-16);
    if (prefix) {
      for (var i = at; i >= 0; i = index.text.indexOf(quote, i + 1)) {
        if (index.text.slice(Math.max(0, i - prefix.length), i) === prefix) {
          at = i;
          break;
        }
      }
    }
    if (at < 0) return;
    var first = index.map[at];
    var last = index.map[at + quote.length - 1];
    // Each text node between first and last, wrapped in its own <mark>, last to first.
    var nodes = [];
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, null);
    var inside = false;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node === first[0]) inside = true;
      if (inside) nodes.push(node);
      if (node === last[0]) break;
    }
    for (var k = nodes.length - 1; k >= 0; k--) {
      var n = nodes[k];
      var start = n === first[0] ? first[1] : 0;
      var end = n === last[0] ? last[1] + 1 : n.nodeValue.length;
      if (end <= start || !n.nodeValue.slice(start, end).trim()) continue;
      var range = document.createRange();
      range.setStart(n, start);
      range.setEnd(n, end);
      var mark = document.createElement('mark');
      mark.className = 'app-reader-mark';
      mark.setAttribute('data-note-mark', note.id);
      range.surroundContents(mark);
    }
  }

  function highlight(notes) {
    var container = root.querySelector('[data-reader-text]') || root.querySelector('[data-pdf-pages]');
    if (!container) return;
    clearMarks(container);
    notes.forEach(function (n) {
      try {
        markNote(container, n);
      } catch (e) {
        /* a quote across elements that cannot be wrapped: listed, not highlighted */
      }
    });
  }

  // The text selected in the paper fills the note's quote, with a little context either side
  // so the note can be found again in a later version.
  var anchor = { quote: '', prefix: '', suffix: '', page: null };

  function onSelection() {
    if (!notesBox || !textRoot) return;
    var container = root.querySelector('[data-reader-text]') || root.querySelector('[data-pdf-pages]');
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;
    var quote = squash(selection.toString());
    if (!quote) return;
    var before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(container, container.childNodes.length);
    anchor.quote = quote;
    anchor.prefix = squash(before.toString()).slice(-32);
    anchor.suffix = squash(after.toString()).slice(0, 32);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentNode;
    var page = start.closest('[data-page]');
    anchor.page = page ? page.getAttribute('data-page') : null;
    notesBox.querySelector('[data-note-quote]').value = quote;
  }

  document.addEventListener('mouseup', onSelection);
  document.addEventListener('keyup', onSelection);

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function status(text) {
    var el = notesBox && notesBox.querySelector('[data-notes-status]');
    if (el) el.textContent = text;
  }

  function changeNote(note, changes) {
    return updateStore(function (store) {
      var next = {};
      Object.keys(note).forEach(function (k) {
        next[k] = note[k];
      });
      Object.keys(changes).forEach(function (k) {
        next[k] = changes[k];
      });
      next.updated_at = new Date().toISOString();
      next.dirty = true;
      store.notes[next.id] = next;
      return store;
    })
      .then(render)
      .then(function () {
        status(navigator.onLine ? 'Saving…' : 'Saved on this device. It will be sent when you are back online.');
        return sync();
      });
  }

  // Delete, on a note drawn by the page or by this script: kept on this device, then sent.
  function onDelete(event) {
    var form = event.target.closest && event.target.closest('[data-note-delete]');
    if (!form) return;
    event.preventDefault();
    var li = form.closest('[data-note-id]');
    var note = li && shown[li.getAttribute('data-note-id')];
    if (note) changeNote(note, { deleted: true });
  }

  if (notesBox && hasCaches) {
    notesBox.addEventListener('submit', onDelete);
    notesBox.querySelector('[data-note-form]').addEventListener('submit', function (event) {
      event.preventDefault();
      var quoteField = notesBox.querySelector('[data-note-quote]');
      var bodyField = notesBox.querySelector('[data-note-body]');
      var quote = squash(quoteField.value);
      var body = bodyField.value.trim();
      if (!quote && !body) {
        status('Write a note, or select the text it is about.');
        bodyField.focus();
        return;
      }
      var note = {
        id: newId(),
        paper: notesBox.getAttribute('data-paper'),
        item: notesBox.getAttribute('data-item'),
        quote: quote,
        prefix: quote === anchor.quote ? anchor.prefix : '',
        suffix: quote === anchor.quote ? anchor.suffix : '',
        page: quote === anchor.quote ? anchor.page : null,
        body: body,
        deleted: false
      };
      quoteField.value = '';
      bodyField.value = '';
      anchor = { quote: '', prefix: '', suffix: '', page: null };
      changeNote(note, {});
    });
  }

  // Send this device's edits; keep the server's answer (every note of this person) as what
  // this device knows. An edit made while the request was on its way stays to be sent.
  var syncing = null;
  var retry = null;

  function sync() {
    if (!hasCaches) return Promise.resolve();
    if (syncing) {
      return syncing.then(sync);
    }
    syncing = loadStore()
      .then(function (store) {
        var dirty = Object.keys(store.notes)
          .map(function (id) {
            return store.notes[id];
          })
          .filter(function (n) {
            return n.dirty;
          });
        if (!dirty.length && !notesBox) return null;
        if (!navigator.onLine) {
          scheduleRetry(dirty.length);
          return null;
        }
        var sent = {};
        dirty.forEach(function (n) {
          sent[n.id] = n.updated_at;
        });
        return fetch(root.getAttribute('data-sync-url'), {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            'Content-Type': 'application/json',
            'X-CSRFToken': root.getAttribute('data-csrf')
          },
          body: JSON.stringify({ notes: dirty })
        }).then(
          function (response) {
            if (response.redirected || response.status === 403) {
              status('Sign in again to send your notes.');
              return null;
            }
            if (!response.ok) {
              return response.json().then(
                function (data) {
                  status(data.error || 'Your notes could not be sent.');
                },
                function () {
                  scheduleRetry(dirty.length);
                }
              );
            }
            return response.json().then(function (data) {
              return updateStore(function (now) {
                var next = { notes: {}, synced_at: data.now };
                data.notes.forEach(function (n) {
                  next.notes[n.id] = n;
                });
                Object.keys(now.notes).forEach(function (id) {
                  var n = now.notes[id];
                  if (n.dirty && sent[id] !== n.updated_at) next.notes[id] = n;
                });
                return next;
              }).then(function () {
                if (dirty.length) status('Your notes are saved on the server.');
                return render();
              });
            });
          },
          function () {
            scheduleRetry(dirty.length);
          }
        );
      })
      .then(
        function () {
          syncing = null;
        },
        function () {
          syncing = null;
        }
      );
    return syncing;
  }

  function scheduleRetry(pending) {
    if (!pending || retry) return;
    retry = window.setTimeout(function () {
      retry = null;
      sync();
    }, 10000);
  }

  window.addEventListener('online', function () {
    revalidate().then(showUpdated);
    sync();
  });

  // ------------------------------------------------------------------------------ start

  if (!hasCaches) return;
  setUpKeep();
  document.addEventListener('reader:text-ready', function () {
    render();
  });
  dropOthers()
    .then(function () {
      return render();
    })
    .then(function () {
      // Opening a paper that was marked "Updated" clears the mark.
      if (notesBox) return clearUpdated([String(notesBox.getAttribute('data-item'))]);
      return null;
    })
    .then(revalidate)
    .then(function () {
      showUpdated();
      listKept();
      return sync();
    });
})();
