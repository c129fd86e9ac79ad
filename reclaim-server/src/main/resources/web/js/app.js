// Hash router and the token field. Each page module exports render(main, params) and may return
// a function that stops what it started (polling), called when the user leaves the page.

import { get, token, setToken, describe } from './api.js';
import { say } from './dom.js';
import * as tasks from './tasks.js';
import * as task from './task.js';
import * as jobs from './jobs.js';
import * as cleanup from './cleanup.js';

const main = document.getElementById('main');
let leave = null;

const routes = [
  { re: /^#\/tasks\/([0-9a-f]{28})$/, page: 'tasks', view: task },
  { re: /^#\/tasks$/, page: 'tasks', view: tasks },
  { re: /^#\/jobs$/, page: 'jobs', view: jobs },
  { re: /^#\/cleanup$/, page: 'cleanup', view: cleanup },
];

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

/** Shows who the server thinks we are: open access, a token, or a refused token. */
async function checkAuth() {
  const state = document.getElementById('auth-state');
  try {
    const s = await get('/api/v1/cleanup/settings');
    say(state, token() ? 'Token accepted.' : 'No token: this server allows open access from this machine.', 'ok');
    return s;
  } catch (e) {
    say(state, describe(e), 'error');
    return null;
  }
}

function initToken() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  input.value = token();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setToken(input.value);
    checkAuth();
    route();
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    setToken('');
    input.value = '';
    checkAuth();
    route();
  });
}

initToken();
checkAuth();
window.addEventListener('hashchange', route);
route();
