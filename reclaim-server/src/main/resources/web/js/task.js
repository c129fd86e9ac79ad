// Task page: its fields, artifacts grouped by kind with sizes and download links, children,
// input models and parameters.

import { get, describe, download, token } from './api.js';
import { h, bytes, timeEl, say } from './dom.js';

export const NAME = 'task';

const KINDS = [
  ['MODEL', 'Models'], ['ARTIFACT', 'Artifacts'], ['DEBUG_SAMPLE', 'Debug samples'], ['LOG', 'Logs'], ['RESULT', 'Results'],
];
const TIME_FIELDS = new Set(['created', 'started', 'ended', 'status_changed', 'last_update', 'archived_at', 'results_retrieved_at']);
const SHOWN = ['id', 'name', 'project', 'type', 'owner', 'status', 'tags', 'system_tags', 'created', 'started', 'ended',
  'status_changed', 'last_update', 'archived_at', 'results_retrieved_at', 'parent', 'queue', 'worker', 'exit_code', 'error'];

function value(k, v) {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return h('span', { class: 'none' }, '—');
  if (TIME_FIELDS.has(k)) return timeEl(v);
  if (k === 'parent' && /^[0-9a-f]{28}$/.test(v)) return h('a', { href: '#/tasks/' + v }, v);
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export async function render(main, [id]) {
  const err = h('div', { id: 'task-error', class: 'msg', role: 'alert', hidden: true });
  main.append(h('p', {}, h('a', { href: '#/tasks' }, '← All tasks')), h('h1', {}, 'Task ' + id), err);
  let t;
  let arts;
  let children;
  try {
    [t, arts, children] = await Promise.all([
      get('/api/v1/tasks/' + id),
      get('/api/v1/tasks/' + id + '/artifacts?page_size=500'),
      get('/api/v1/tasks?parent=' + id + '&fields=id,name,status&order_by=created&page_size=500'),
    ]);
  } catch (e) {
    say(err, describe(e));
    return;
  }
  main.querySelector('h1').textContent = 'Task ' + t.name;

  const dl = h('dl', { class: 'fields', id: 'task-fields' });
  for (const k of SHOWN) {
    if (k === 'error' && !t.error) continue;
    dl.append(h('dt', {}, k.replace(/_/g, ' ')), h('dd', { 'data-field': k }, value(k, t[k])));
  }
  main.append(h('section', { 'aria-labelledby': 'fields-h' }, h('h2', { id: 'fields-h' }, 'Fields'), dl));

  const live = arts.artifacts;
  const total = live.reduce((s, a) => s + a.size_bytes, 0);
  const artSection = h('section', { 'aria-labelledby': 'arts-h', id: 'artifacts' },
    h('h2', { id: 'arts-h' }, 'Artifacts ', h('span', { class: 'sub', id: 'artifacts-total', 'data-bytes': total },
      live.length + ' · ' + bytes(total))));
  if (live.length === 0) artSection.append(h('p', { class: 'empty' }, 'No live artifacts.'));
  if (arts.next_cursor) {
    artSection.append(h('p', { class: 'hint', id: 'artifacts-more' }, 'The first ' + live.length
      + ' artifacts are shown; list the rest with reclaim or GET /api/v1/tasks/' + id + '/artifacts with a cursor.'));
  }
  for (const [kind, label] of KINDS) {
    const of = live.filter((a) => a.kind === kind);
    if (of.length === 0) continue;
    const sum = of.reduce((s, a) => s + a.size_bytes, 0);
    const hid = 'kind-' + kind.toLowerCase();
    artSection.append(h('section', { class: 'kind', 'data-kind': kind, 'aria-labelledby': hid },
      h('h3', { id: hid }, label + ' (' + of.length + ', ' + bytes(sum) + ')'),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'num' }, 'Size'),
          h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Published'), h('th', { scope: 'col' }, 'Download'))),
        h('tbody', {}, of.map((a) => {
          const file = a.name.split('/').pop();
          const link = h('a', { href: a.download, class: 'download', download: file, 'data-artifact': a.id },
            'Download', h('span', { class: 'sr-only' }, ' ' + a.name));
          // A link cannot send the bearer header: with a token, fetch the bytes and save them instead.
          link.addEventListener('click', (ev) => {
            if (!token()) return;
            ev.preventDefault();
            download(a.download, file).catch((e) => say(err, describe(e)));
          });
          return h('tr', { 'data-artifact': a.id },
            h('td', {}, a.name),
            h('td', { class: 'num size', 'data-bytes': a.size_bytes, title: a.size_bytes + ' bytes' }, bytes(a.size_bytes)),
            h('td', {}, timeEl(a.created_at)),
            h('td', {}, a.published ? 'yes' : 'no'),
            h('td', {}, link));
        })))));
  }
  main.append(artSection);

  main.append(h('section', { 'aria-labelledby': 'children-h', id: 'children' }, h('h2', { id: 'children-h' }, 'Children'),
    children.tasks.length === 0 ? h('p', { class: 'empty' }, 'No child tasks.')
      : h('ul', {}, children.tasks.map((c) => h('li', {}, h('a', { href: '#/tasks/' + c.id }, c.name), ' — ', c.status)))));

  const inputs = t.input_models || [];
  main.append(h('section', { 'aria-labelledby': 'inputs-h', id: 'input-models' }, h('h2', { id: 'inputs-h' }, 'Input models'),
    inputs.length === 0 ? h('p', { class: 'empty' }, 'Uses no models of other tasks.')
      : h('ul', {}, inputs.map((m) => h('li', {}, h('code', {}, m), ' (model artifact id)')))));

  const params = t.params || {};
  const keys = Object.keys(params).sort();
  main.append(h('section', { 'aria-labelledby': 'params-h' }, h('h2', { id: 'params-h' }, 'Parameters'),
    keys.length === 0 ? h('p', { class: 'empty' }, 'No parameters.')
      : h('table', { class: 'grid' }, h('tbody', {}, keys.map((k) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, params[k])))))));
}
