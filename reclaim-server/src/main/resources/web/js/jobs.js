// Jobs page: the job list with live status, polled every 2 s while the tab is visible. Polling
// stops when the tab is hidden (no load from background tabs) and resumes at once when it shows.

import { get, describe } from './api.js';
import { h, fill, time, timeEl, say } from './dom.js';

export const NAME = 'jobs';
/** Milliseconds between polls. */
export const POLL_MS = 2000;

const STATES = ['', 'queued', 'running', 'finished', 'failed', 'canceled', 'undetermined'];

export async function render(main) {
  const err = h('div', { id: 'jobs-error', class: 'msg', role: 'alert', hidden: true });
  const live = h('p', { id: 'jobs-live', class: 'hint', role: 'status' });
  const stateSel = h('select', { id: 'jobs-state' }, STATES.map((s) => h('option', { value: s }, s ? s.toUpperCase() : 'Any')));
  const tbody = h('tbody', { id: 'jobs-body' });
  main.append(h('h1', {}, 'Jobs'),
    h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter jobs', onsubmit: (e) => { e.preventDefault(); poll(); } },
      h('div', { class: 'field' }, h('label', { for: 'jobs-state' }, 'State'), stateSel)),
    err, live,
    h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'jobs-table' },
      h('caption', { class: 'sr-only' }, 'Jobs, newest first, updated live'),
      h('thead', {}, h('tr', {}, ['Name', 'Project', 'Queue', 'Status', 'Submitted', 'Modified', 'Ended']
        .map((c) => h('th', { scope: 'col' }, c)))),
      tbody)));
  stateSel.addEventListener('change', () => poll());

  let timer = null;
  let stopped = false;

  async function poll() {
    clearTimeout(timer);
    timer = null;
    try {
      // people look for the newest: the first page, newest first
      const q = '?order=newest&page_size=100' + (stateSel.value ? '&state=' + encodeURIComponent(stateSel.value) : '');
      const r = await get('/api/v1/jobs' + q);
      say(err, '');
      const jobs = r.jobs;
      fill(tbody, jobs.length ? jobs.map((j) => h('tr', { 'data-id': j.id },
        h('td', {}, h('a', { href: '#/tasks/' + j.id }, j.name || j.id)),
        h('td', {}, j.project), h('td', {}, j.queue),
        h('td', { class: 'job-status' }, h('span', { class: 'status s-' + j.status.toLowerCase() }, j.status)),
        h('td', {}, timeEl(j.created_at)), h('td', {}, timeEl(j.modified_at)), h('td', {}, timeEl(j.ended_at))))
        : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No jobs.')));
      // An answer that arrives after the tab was hidden must not claim polling is live.
      live.textContent = document.hidden ? 'Paused while this tab is hidden.'
        : 'Live: updated ' + time(new Date().toISOString()) + ', every ' + POLL_MS / 1000 + ' s while this tab is visible.';
    } catch (e) {
      say(err, describe(e));
    }
    schedule();
  }

  function schedule() {
    if (!stopped && !document.hidden && timer === null) timer = setTimeout(poll, POLL_MS);
  }

  function onVisibility() {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
      live.textContent = 'Paused while this tab is hidden.';
      main.dataset.polling = 'paused';
    } else {
      main.dataset.polling = 'live';
      poll();
    }
  }

  document.addEventListener('visibilitychange', onVisibility);
  main.dataset.polling = 'live';
  await poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
