// Hash router, the token field, the caller's role and the one 401 banner. Each page module exports
// render(main, params) and may return a function that stops what it started (polling), called when
// the user leaves the page.

import { get, token, setToken, describe, unauthorizedText } from './api.js';
import { say } from './dom.js';
import { setMe } from './session.js';
import * as tasks from './tasks.js';
import * as task from './task.js';
import * as jobs from './jobs.js';
import * as cleanup from './cleanup.js';
import * as run from './run.js';
import * as storage from './storage.js';

const main = document.getElementById('main');
const banner = document.getElementById('auth-banner');
let leave = null;

const routes = [
  { re: /^#\/tasks\/([0-9a-f]{28})$/, page: 'tasks', view: task },
  { re: /^#\/tasks$/, page: 'tasks', view: tasks },
  { re: /^#\/jobs$/, page: 'jobs', view: jobs },
  { re: /^#\/storage$/, page: 'storage', view: storage },
  { re: /^#\/cleanup\/runs\/([0-9a-f]{28})$/, page: 'cleanup', view: run },
  { re: /^#\/cleanup$/, page: 'cleanup', view: cleanup },
];

// Every refused call of a page reports its 401 here; the banner says it once.
window.addEventListener('reclaim:unauthorized', (ev) => {
  if (!banner.hidden) return;
  say(banner, unauthorizedText(ev.detail || 'this route needs a token'), 'error');
  say(document.getElementById('auth-state'), '');
});

async function route() {
  if (leave) {
    leave();
    leave = null;
  }
  const hash = location.hash || '#/tasks';
  const r = routes.find((x) => x.re.test(hash));
  if (!r) {
    location.replace('#/tasks');
    return;
  }
  for (const a of document.querySelectorAll('nav a[data-page]')) {
    if (a.dataset.page === r.page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  await known; // pages decide what to offer from the caller's role
  main.replaceChildren();
  main.dataset.page = r.view.NAME;
  const params = hash.match(r.re).slice(1);
  leave = (await r.view.render(main, params)) || null;
  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  const h1 = main.querySelector('h1');
  if (h1) {
    h1.tabIndex = -1;
    h1.focus({ preventScroll: true });
    document.title = h1.textContent + ' · Reclaim';
  }
}

/** Asks who the server takes us for: open access, a token and its role, or a refused token (the banner). */
async function checkAuth() {
  const state = document.getElementById('auth-state');
  say(banner, '');
  try {
    const me = await get('/api/v1/whoami');
    setMe(me);
    document.body.dataset.role = me.role;
    say(state, token() ? 'Token accepted: ' + me.name + ' (' + me.role + ').'
      : 'No token: this server allows open access from this machine (' + me.role + ').', 'ok');
  } catch (e) {
    setMe(null);
    delete document.body.dataset.role;
    say(state, describe(e), 'error'); // a 401 is the banner's; anything else shows here
  }
}

let known = checkAuth();

function initToken() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  input.value = token();
  const changed = () => {
    known = checkAuth();
    route();
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken(input.value);
    changed();
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    setToken('');
    input.value = '';
    changed();
  });
}

initToken();
window.addEventListener('hashchange', route);
route();
