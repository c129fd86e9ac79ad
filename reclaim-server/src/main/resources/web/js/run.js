// One Cleanup Service run: who or what started it, with which settings, its totals, and every task
// it deleted, read from the audit trail a page at a time ("Load more" follows next_cursor).

import { get, describe } from './api.js';
import { h, fill, bytes, timeEl, say } from './dom.js';

export const NAME = 'run';
/** Audit lines per page; the API allows up to its own maximum. */
export const PAGE = 50;

const TRIGGERS = { cli: 'reclaim cleanup (command line)', service: 'the Cleanup Service on its schedule',
  ui: 'the web UI (Run now)', api: 'the HTTP API' };

export async function render(main, [id]) {
  const err = h('div', { id: 'run-error', class: 'msg', role: 'alert', hidden: true });
  main.append(h('p', {}, h('a', { href: '#/cleanup' }, '← Cleanup Service')), h('h1', {}, 'Cleanup run'), err);
  let r;
  try {
    r = await get('/api/v1/cleanup/runs/' + id);
  } catch (e) {
    say(err, describe(e));
    return;
  }
  main.querySelector('h1').textContent = (r.dry_run ? 'Dry run ' : 'Cleanup run ') + r.id;

  const field = (k, label, v) => [h('dt', {}, label), h('dd', { 'data-field': k }, v === '' || v === null || v === undefined
    ? h('span', { class: 'none' }, '—') : v)];
  main.append(h('section', { class: 'card', 'aria-labelledby': 'run-h' }, h('h2', { id: 'run-h' }, 'Report'),
    h('dl', { class: 'fields', id: 'run-fields' },
      field('trigger', 'Trigger', r.trigger ? r.trigger + ' — ' + (TRIGGERS[r.trigger] || r.trigger) : ''),
      field('started_by', 'Started by', r.started_by),
      field('started_at', 'Started', timeEl(r.started_at)),
      field('ended_at', 'Ended', timeEl(r.ended_at)),
      field('kind', 'Kind', (r.dry_run ? 'dry run (deletes nothing)' : 'run') + (r.stopped_early ? ', stopped early' : '')
        + (r.lease_lost ? ', lost its lease: ' + r.lease_lost : '')),
      field('totals', 'Totals', r.deleted + ' deleted, ' + r.skipped + ' skipped, ' + r.failed + ' failed of '
        + r.candidates + ' candidate(s)'),
      field('bytes', 'Freed', h('span', { 'data-bytes': r.bytes, title: r.bytes + ' bytes' },
        bytes(r.bytes) + ' in ' + r.objects + ' object(s)' + (r.dry_run ? ' (would be)' : ''))),
      field('holder', 'Ran on', r.holder))));

  const keys = Object.keys(r.settings || {}).sort();
  main.append(h('section', { class: 'card', 'aria-labelledby': 'rs-h' }, h('h2', { id: 'rs-h' }, 'Settings of this run'),
    keys.length === 0 ? h('p', { class: 'empty' }, 'Not recorded.')
      : h('table', { class: 'grid', id: 'run-settings' }, h('tbody', {}, keys.map((k) => h('tr', {},
        h('th', { scope: 'row' }, h('code', {}, k)), h('td', { 'data-setting': k }, r.settings[k])))))));

  const body = h('tbody', { id: 'deleted-body' });
  const count = h('p', { id: 'deleted-count', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', id: 'deleted-more', hidden: true, onclick: () => load() }, 'Load more');
  const section = h('section', { class: 'card', 'aria-labelledby': 'del-h' },
    h('h2', { id: 'del-h' }, r.dry_run ? 'Tasks it would have deleted' : 'Tasks it deleted'), count);
  main.append(section);

  if (r.dry_run) {
    // A dry run deletes nothing, so the audit trail has no lines of it: its own report lists the plan.
    const would = r.items.filter((i) => i.outcome === 'WOULD_DELETE');
    count.textContent = would.length + ' task(s) in the report' + (r.items_truncated ? ' (the report keeps only its first lines)' : '') + '.';
    section.append(table(body), more);
    fill(body, would.map((i) => row({ task_id: i.task_id, task_name: i.name, project: i.project, reason: i.rule,
      objects: i.objects, bytes: i.bytes })));
    return;
  }

  section.append(h('div', { class: 'scroll' }, table(body)), h('div', { class: 'pager' }, more));
  let cursor = null;
  let shown = 0;

  async function load() {
    more.disabled = true;
    try {
      const page = await get('/api/v1/cleanup/runs/' + id + '/deleted?limit=' + PAGE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      body.append(...page.items.map(row));
      shown += page.items.length;
      cursor = page.next_cursor || null;
      if (shown === 0) fill(body, h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'This run deleted no task.')));
      count.textContent = 'Showing ' + shown + ' of ' + r.deleted + ' deleted task(s)' + (cursor ? '; more to load.' : '.');
      more.hidden = !cursor;
    } catch (e) {
      say(err, describe(e));
    }
    more.disabled = false;
  }

  await load();
}

function table(body) {
  return h('table', { class: 'grid', id: 'deleted-table' },
    h('thead', {}, h('tr', {}, ['Task', 'Project', 'When', 'Rule or reason', 'Objects', 'Bytes']
      .map((c, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, c)))),
    body);
}

/** An audit line (or a dry run's report line in the same shape); the task is gone, so no link. */
function row(a) {
  return h('tr', { 'data-task': a.task_id },
    h('td', { class: 'task-name', title: a.task_id }, a.task_name || a.task_id),
    h('td', {}, a.project || '—'), h('td', {}, a.at ? timeEl(a.at) : '—'), h('td', {}, a.reason || ''),
    h('td', { class: 'num' }, a.objects), h('td', { class: 'num', 'data-bytes': a.bytes, title: a.bytes + ' bytes' }, bytes(a.bytes)));
}
