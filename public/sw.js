// Stillpoint service worker. The server fills in the version and the precache list (the
// shell pages and the hashed bundles of this build) when it serves this file.
'use strict';

const VERSION = '__STILLPOINT_VERSION__';
const PRECACHE = __STILLPOINT_PRECACHE__;
const CACHE = `stillpoint-${VERSION}`;
const OFFLINE_PAGE = '/offline';
// Pages kept for offline use: the patient's own areas only. Therapist and admin pages show
// other people's health data and are never stored in this browser.
const OFFLINE_PAGES = ['/', '/check-in', '/prepare', '/practice', '/history', '/crisis', '/offline', '/sign-in', '/account'];
// Page families kept too: every preparation module.
const OFFLINE_PREFIXES = ['/prepare/'];

function keptOffline(pathname) {
  return OFFLINE_PAGES.includes(pathname) || OFFLINE_PREFIXES.some((p) => pathname.startsWith(p));
}

self.addEventListener('install', (event) => {
  // `cache: 'reload'` bypasses the HTTP cache so the precache holds this build's files.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload', credentials: 'same-origin' })))
    )
  );
  // No skipWaiting here: a new version waits until the page offers "Update now".
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('stillpoint-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// Fetches pages the app asks for (e.g. every module once Prepare was opened) and keeps
// them, so they open offline later. Only same-origin patient pages are accepted.
async function cachePages(urls) {
  const cache = await caches.open(CACHE);
  for (const url of urls) {
    const target = new URL(url, self.location.origin);
    if (target.origin !== self.location.origin || !keptOffline(target.pathname)) {
      continue;
    }
    try {
      const response = await fetch(target.pathname, { credentials: 'same-origin', cache: 'no-store' });
      if (response.ok && response.type === 'basic') {
        await cache.put(target.pathname, response);
      }
    } catch (offline) {
      // Offline: the page keeps its older copy, if any.
    }
  }
}

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') {
    self.skipWaiting();
  } else if (event.data && event.data.type === 'cache-pages' && Array.isArray(event.data.urls)) {
    event.waitUntil(cachePages(event.data.urls.slice(0, 50)));
  }
});

async function fromNetworkThenCache(request) {
  const cache = await caches.open(CACHE);
  const keep = keptOffline(new URL(request.url).pathname);
  try {
    const response = await fetch(request);
    if (keep && response.ok && response.type === 'basic') {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = keep ? await cache.match(request, { ignoreVary: true, ignoreSearch: true }) : undefined;
    if (cached) {
      return cached;
    }
    const fallback = await cache.match(OFFLINE_PAGE);
    return fallback || new Response('You are offline.', { status: 503, headers: { 'Content-Type': 'text/plain' } });
  }
}

async function fromCacheThenNetwork(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  // The API is never cached: the outbox handles offline writes.
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/readyz') {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(fromNetworkThenCache(request));
    return;
  }
  if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(fromCacheThenNetwork(request));
  }
});
