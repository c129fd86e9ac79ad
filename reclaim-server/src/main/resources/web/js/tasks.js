// Tasks page: filters, sortable columns (size too), keyset paging (Next/Previous), sizes, the
// totals of the filter, row selection and bulk archive / unarchive / delete behind a confirmation
// dialog.

import { get, post, describe } from './api.js';
import { h, fill, bytes, timeEl, say, confirmDialog } from './dom.js';
import { can, gate, needs } from './session.js';

export const NAME = 'tasks';

const STATUSES = ['CREATED', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'PUBLISHED'];
const FIELDS = 'id,name,project,type,status,system_tags,created,status_changed,archived_at';
const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'project', label: 'Project' },
  { key: 'status', label: 'Status' },
  { key: 'created', label: 'Created' },
  { key: 'archived_at', label: 'Archived' },
  { key: 'size', label: 'Size', num: true, title: 'bytes of live artifacts' },
];

// Kept for the whole tab session, so coming back from a task page shows the same list.
const state = {
  filters: { project: '', status: '', archived: 'any', olderDays: '', name: '', pageSize: '50' },
  sort: { key: 'created', desc: true },
  // Keyset paging: cursors[i] starts page i (null for the first); "Previous" pops back to one.
  cursors: [null],
  page: 0,
  rows: [],
  next: null,
  selected: new Set(),
  // Count and bytes of every task the filter matches (GET /tasks/summary), null until known.
  totals: null,
};

/** The filter parameters alone: what GET /tasks/summary takes. */
export function filterQuery(s = state, now = Date.now()) {
  const q = new URLSearchParams();
  const f = s.filters;
  if (f.project.trim()) for (const p of f.project.split(',')) if (p.trim()) q.append('project', p.trim());
  if (f.status) q.append('status', f.status);
  if (f.name.trim()) q.append('name', f.name.trim());
  const days = f.olderDays === '' ? null : Number(f.olderDays);
  if (f.archived === 'yes' || days !== null) q.append('system_tag', 'archived');
  else if (f.archived === 'no') q.append('system_tag', '-archived');
  if (days !== null) {
    // "Archived more than N days ago": the API takes an absolute time, computed from this browser's clock.
    q.append('archived_at', '<' + new Date(now - days * 86_400_000).toISOString());
  }
  return q;
}

/** The GET /tasks query for the current filters, sort and page. */
export function queryString(s = state, now = Date.now()) {
  const q = filterQuery(s, now);
  q.append('order_by', (s.sort.desc ? '-' : '') + s.sort.key);
  q.append('page_size', s.filters.pageSize);
  const cursor = s.cursors[s.page];
  if (cursor) q.append('cursor', cursor);
  q.append('fields', FIELDS);
  q.append('sizes', 'true');
  return q.toString();
}

export async function render(main) {
  const err = h('div', { id: 'tasks-error', class: 'msg', role: 'alert', hidden: true });
  const status = h('div', { id: 'tasks-status', class: 'msg', role: 'status', hidden: true });
  const f = state.filters;

  const inProject = h('input', { id: 'f-project', name: 'project', value: f.project, 'aria-describedby': 'f-project-hint' });
  const inStatus = h('select', { id: 'f-status', name: 'status' },
    h('option', { value: '' }, 'Any'), STATUSES.map((s) => h('option', { value: s, selected: f.status === s }, s)));
  const inArchived = h('select', { id: 'f-archived', name: 'archived' },
    h('option', { value: 'any', selected: f.archived === 'any' }, 'Any'),
    h('option', { value: 'yes', selected: f.archived === 'yes' }, 'Yes'),
    h('option', { value: 'no', selected: f.archived === 'no' }, 'No'));
  const inOlder = h('input', { id: 'f-older', name: 'older', type: 'number', min: '0', step: 'any', value: f.olderDays,
    inputmode: 'decimal', 'aria-describedby': 'f-older-hint' });
  const inName = h('input', { id: 'f-name', name: 'name', value: f.name, 'aria-describedby': 'f-name-hint' });
  const inSize = h('select', { id: 'f-page-size', name: 'page_size' },
    ['25', '50', '100', '500'].map((n) => h('option', { value: n, selected: f.pageSize === n }, n)));

  const form = h('form', { id: 'task-filters', class: 'filters', role: 'search', 'aria-label': 'Filter tasks' },
    h('div', { class: 'field' }, h('label', { for: 'f-project' }, 'Project'), inProject,
      h('span', { id: 'f-project-hint', class: 'hint' }, 'exact name; several separated by commas')),
    h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), inStatus),
    h('div', { class: 'field' }, h('label', { for: 'f-archived' }, 'Archived'), inArchived),
    h('div', { class: 'field' }, h('label', { for: 'f-older' }, 'Archived more than (days ago)'), inOlder,
      h('span', { id: 'f-older-hint', class: 'hint' }, 'implies archived; fractions allowed')),
    h('div', { class: 'field' }, h('label', { for: 'f-name' }, 'Name'), inName,
      h('span', { id: 'f-name-hint', class: 'hint' }, 'regular expression')),
    h('div', { class: 'field' }, h('label', { for: 'f-page-size' }, 'Rows per page'), inSize),
    h('div', { class: 'field buttons' },
      h('button', { type: 'submit', id: 'f-apply', class: 'primary' }, 'Apply filters'),
      h('button', { type: 'button', id: 'f-reset', onclick: () => {
        state.filters = { project: '', status: '', archived: 'any', olderDays: '', name: '', pageSize: '50' };
        restart();
        render(fill(main));
      } }, 'Reset')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    Object.assign(state.filters, {
      project: inProject.value, status: inStatus.value, archived: inArchived.value,
      olderDays: inOlder.value.trim(), name: inName.value, pageSize: inSize.value,
    });
    restart();
    load(true);
  });

  const count = h('span', { id: 'selection-count', 'aria-live': 'polite' }, '0 selected');
  const bArchive = h('button', { type: 'button', id: 'bulk-archive', onclick: () => bulk('archive') }, 'Archive…');
  const bUnarchive = h('button', { type: 'button', id: 'bulk-unarchive', onclick: () => bulk('unarchive') }, 'Unarchive…');
  const bDelete = h('button', { type: 'button', id: 'bulk-delete', class: 'danger', onclick: () => bulk('delete') }, 'Delete…');
  const toolbar = h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Bulk actions on selected tasks' },
    count, bArchive, bUnarchive, bDelete,
    can('operator') ? null : h('span', { class: 'hint needs', id: 'bulk-needs', 'data-needs': 'operator' },
      'Archive, unarchive and delete: ' + needs('operator') + '.'));

  const selectAll = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'Select all tasks on this page' });
  selectAll.addEventListener('change', () => {
    for (const r of state.rows) if (selectAll.checked) state.selected.add(r.id); else state.selected.delete(r.id);
    drawRows();
  });
  const headRow = h('tr', {}, h('th', { scope: 'col', class: 'sel' }, selectAll));
  for (const c of COLUMNS) {
    const th = h('th', { scope: 'col', 'data-col': c.key, class: c.num ? 'num' : null, title: c.title || null });
    th.append(h('button', { type: 'button', class: 'sort', id: 'sort-' + c.key, onclick: () => {
      // Size starts largest first: the column is there to find where the space goes.
      state.sort = { key: c.key, desc: state.sort.key === c.key ? !state.sort.desc : c.key === 'size' };
      restart();
      load();
    } }, c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' })));
    headRow.append(th);
  }
  const tbody = h('tbody', { id: 'tasks-body' });
  const table = h('table', { id: 'tasks-table', class: 'grid' },
    h('caption', { class: 'sr-only' }, 'Tasks; column headers sort'), h('thead', {}, headRow), tbody);

  const prev = h('button', { type: 'button', id: 'page-prev', onclick: () => { state.page--; load(); } }, '← Previous');
  const next = h('button', { type: 'button', id: 'page-next', onclick: () => {
    state.cursors[state.page + 1] = state.next;
    state.page++;
    load();
  } }, 'Next →');
  const pageInfo = h('span', { id: 'page-info', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of tasks' }, prev, pageInfo, next);
  const totals = h('p', { id: 'tasks-totals', class: 'totals', 'aria-live': 'polite' });

  main.append(h('h1', {}, 'Tasks'), form, err, status, toolbar, totals, h('div', { class: 'scroll' }, table), pager);

  function restart() {
    state.cursors = [null];
    state.page = 0;
  }

  function drawHeader() {
    for (const th of headRow.querySelectorAll('th[data-col]')) {
      const on = th.dataset.col === state.sort.key;
      if (on) th.setAttribute('aria-sort', state.sort.desc ? 'descending' : 'ascending'); else th.removeAttribute('aria-sort');
      th.querySelector('.arrow').textContent = on ? (state.sort.desc ? ' ▼' : ' ▲') : '';
    }
  }

  function drawRows() {
    const rows = state.rows.map((t) => {
      const box = h('input', { type: 'checkbox', class: 'row-select', 'data-id': t.id, 'aria-label': 'Select ' + t.name,
        checked: state.selected.has(t.id) });
      box.addEventListener('change', () => {
        if (box.checked) state.selected.add(t.id); else state.selected.delete(t.id);
        drawSelection();
      });
      const archived = (t.system_tags || []).includes('archived');
      return h('tr', { 'data-id': t.id, class: state.selected.has(t.id) ? 'selected' : null },
        h('td', { class: 'sel' }, box),
        h('td', {}, h('a', { href: '#/tasks/' + t.id, class: 'task-link' }, t.name)),
        h('td', {}, t.project),
        h('td', {}, h('span', { class: 'status s-' + t.status.toLowerCase() }, t.status)),
        h('td', {}, timeEl(t.created)),
        h('td', { class: 'archived' }, archived ? timeEl(t.archived_at) : 'no'),
        h('td', { class: 'num size', 'data-bytes': t.size_bytes, title: t.size_bytes + ' bytes' }, bytes(t.size_bytes)));
    });
    fill(tbody, rows.length ? rows : h('tr', {}, h('td', { colspan: COLUMNS.length + 1, class: 'empty' }, 'No tasks match.')));
    drawSelection();
  }

  function drawSelection() {
    const n = state.selected.size;
    count.textContent = n + ' selected';
    for (const b of [bArchive, bUnarchive, bDelete]) {
      b.disabled = n === 0;
      gate(b, 'operator');
    }
    selectAll.checked = state.rows.length > 0 && state.rows.every((r) => state.selected.has(r.id));
    for (const tr of tbody.querySelectorAll('tr[data-id]')) tr.classList.toggle('selected', state.selected.has(tr.dataset.id));
  }

  function drawTotals() {
    const t = state.totals;
    if (!t) {
      fill(totals);
      return;
    }
    if (t.error) {
      fill(totals, 'Totals of the filter unavailable: ' + t.error);
      return;
    }
    totals.dataset.count = t.count;
    totals.dataset.bytes = t.bytes;
    totals.title = t.bytes + ' bytes of live artifacts in all tasks the filter matches';
    fill(totals, t.count + (t.count === 1 ? ' task' : ' tasks') + ' · ' + bytes(t.bytes));
  }

  let totalsLoads = 0;

  // The totals cover every page, so only a new filter or a change to the tasks asks again, not a
  // new sort or page: counting a large filter costs more than one page.
  async function loadTotals() {
    const mine = ++totalsLoads;
    try {
      const r = await get('/api/v1/tasks/summary?' + filterQuery().toString());
      if (mine !== totalsLoads) return;
      state.totals = { count: r.count, bytes: r.bytes };
    } catch (e) {
      if (mine !== totalsLoads) return;
      state.totals = { error: describe(e) };
    }
    drawTotals();
  }

  let loads = 0;

  /** Loads the page; withTotals also asks for the totals of the filter (in parallel). */
  async function load(withTotals = false) {
    const counting = withTotals ? loadTotals() : null;
    drawHeader();
    table.setAttribute('aria-busy', 'true');
    // Only the latest request may draw: a quick filter-then-sort must not end on the older answer.
    const mine = ++loads;
    try {
      const r = await get('/api/v1/tasks?' + queryString());
      if (mine !== loads) return;
      say(err, '');
      state.rows = r.tasks;
      state.next = r.next_cursor || null;
    } catch (e) {
      if (mine !== loads) return;
      say(err, describe(e));
      state.rows = [];
      state.next = null;
    }
    table.removeAttribute('aria-busy');
    prev.disabled = state.page === 0;
    next.disabled = !state.next;
    pageInfo.textContent = 'Page ' + (state.page + 1) + ' · ' + state.rows.length + ' task(s)';
    drawRows();
    await counting;
  }

  async function bulk(action) {
    const ids = [...state.selected];
    if (ids.length === 0) return;
    const names = ids.map((id) => (state.rows.find((r) => r.id === id) || { name: id }).name);
    const force = h('input', { type: 'checkbox', id: 'delete-force', 'aria-describedby': 'delete-force-help' });
    const verb = { archive: 'Archive', unarchive: 'Unarchive', delete: 'Delete' }[action];
    const body = [
      h('p', {}, verb + ' ' + ids.length + ' task(s):'),
      h('ul', { class: 'names' }, names.slice(0, 20).map((n) => h('li', {}, n)), names.length > 20 ? h('li', {}, '…and ' + (names.length - 20) + ' more') : null),
    ];
    if (action === 'archive') body.push(h('p', { class: 'hint' }, 'Queued tasks are taken off their queue; running ones are stopped.'));
    if (action === 'delete') {
      body.push(h('p', {}, 'Deleting removes each task, its artifacts, debug samples and logs, and its unpublished output models no other task uses. It cannot be undone.'));
      body.push(h('div', { class: 'check' }, force,
        h('label', { for: 'delete-force' }, 'Force'),
        h('p', { id: 'delete-force-help', class: 'hint' },
          'Without force, only drafts (CREATED) and archived tasks are deleted, and a task with published children or '
          + 'published output models is refused. Force also deletes tasks in any other status, including PUBLISHED ones '
          + '(a running task is stopped first); published models other tasks still use are kept and detached.')));
    }
    const ok = await confirmDialog({ title: verb + ' tasks?', body, confirm: verb, danger: action === 'delete' });
    if (!ok) return;
    say(status, '');
    // Shown after the list reloads, because a reload clears the message area.
    let done = '';
    let problem = '';
    let kind = 'error';
    try {
      if (action === 'delete') {
        const r = await post('/api/v1/tasks/delete', { ids, force: force.checked });
        done = 'Deleted ' + r.succeeded.length + ' task(s)' + (r.failed.length ? '; ' + r.failed.length + ' failed' : '') + '.';
        problem = r.failed.map((x) => x.error).filter(Boolean).join('\n');
      } else {
        const r = await post('/api/v1/tasks/' + action, { ids });
        const changed = r.results.filter((x) => x.changed).length;
        done = verb + 'd ' + changed + ' of ' + ids.length + ' task(s).';
        problem = r.results.filter((x) => !x.changed && x.message).map((x) => x.message).join('\n');
        kind = 'warn';
      }
      state.selected.clear();
    } catch (e) {
      problem = describe(e);
      // A 409 needs_force still deleted the others: keep only the refused ones selected, for a retry with force.
      for (const d of (e.body && e.body.succeeded) || []) state.selected.delete(d.task_id);
    }
    await load(true);
    say(status, done, 'ok');
    if (problem) say(err, problem, kind);
  }

  drawTotals(); // what was known when the page was left, until the fresh totals come
  await load(true);
}
