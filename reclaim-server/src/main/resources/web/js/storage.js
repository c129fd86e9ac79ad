// Storage page: where the bytes are (by project and by kind, read from totals the store keeps), the
// growth over time (rebuilt by the server from what is stored and the audit trail), the largest
// tasks, and what the Cleanup Service would free today, in 7 and in 30 days (a forecast, which is a
// dry run and so needs an operator token).

import { get, post, describe } from './api.js';
import { h, fill, bytes, time, say } from './dom.js';
import { barChart, growthChart } from './chart.js';
import { can, needs } from './session.js';

export const NAME = 'storage';
/** Bars per chart; the rest is added up in one "other" bar. */
const BARS = 12;
const KIND_LABELS = { MODEL: 'Models', ARTIFACT: 'Artifacts', DEBUG_SAMPLE: 'Debug samples', LOG: 'Logs', RESULT: 'Results' };

/** Usage groups of one dimension as chart items, largest first, with the tail folded into "other". */
function items(groups, label) {
  const all = groups.map((g) => ({ key: g.key[0] ?? '', label: label(g.key[0]), bytes: g.bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.label.localeCompare(b.label));
  if (all.length <= BARS) return all;
  const rest = all.slice(BARS - 1);
  return [...all.slice(0, BARS - 1), { key: '', label: 'other (' + rest.length + ')', bytes: rest.reduce((s, i) => s + i.bytes, 0) }];
}

const projectLabel = (p) => (p ? p : '(no project)');
const kindLabel = (k) => KIND_LABELS[k] || (k ? k.toLowerCase() : '(none)');

export async function render(main) {
  const err = h('div', { id: 'storage-error', class: 'msg', role: 'alert', hidden: true });
  const totals = h('div', { class: 'totals', id: 'storage-total' });
  const byProject = h('figure', { id: 'by-project' });
  const byKind = h('figure', { id: 'by-kind' });
  const topBody = h('tbody', { id: 'top-tasks-body' });
  const growth = h('figure', { id: 'growth' });
  const span = h('select', { id: 'growth-days', 'aria-label': 'Days shown', onchange: () => showGrowth() },
    [30, 90, 365].map((d) => h('option', { value: d }, 'last ' + d + ' days')));
  const forecast = h('div', { id: 'forecast' });
  main.append(h('h1', {}, 'Storage'), err, totals,
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'proj-h' }, h('h2', { id: 'proj-h' }, 'Bytes by project'), byProject),
      h('section', { class: 'card', 'aria-labelledby': 'kind-h' }, h('h2', { id: 'kind-h' }, 'Bytes by kind'), byKind)),
    h('section', { class: 'card', 'aria-labelledby': 'growth-h' }, h('h2', { id: 'growth-h' }, 'Stored over time ', span), growth),
    h('section', { class: 'card', 'aria-labelledby': 'top-h' }, h('h2', { id: 'top-h' }, 'Largest tasks'),
      h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'top-tasks' },
        h('thead', {}, h('tr', {}, ['Task', 'Project', 'Objects', 'Bytes'].map((c, i) => h('th', { scope: 'col', class: i >= 2 ? 'num' : null }, c)))),
        topBody))),
    h('section', { class: 'card', 'aria-labelledby': 'fc-h' }, h('h2', { id: 'fc-h' }, 'What cleanup would free'),
      h('p', { class: 'hint' }, 'A forecast with the saved Cleanup Service settings: the tasks a run would delete today, in 7 days '
        + 'and in 30 days if nothing else changed meanwhile. It deletes and records nothing.'), forecast));

  try {
    const [p, k] = await Promise.all([get('/api/v1/usage?by=project&top=10'), get('/api/v1/usage?by=kind&top=0')]);
    fill(totals,
      h('div', {}, h('div', { class: 'big', id: 'total-bytes', 'data-bytes': p.bytes, title: p.bytes + ' bytes' }, bytes(p.bytes)), 'stored'),
      h('div', {}, h('div', { class: 'big', id: 'total-objects', 'data-objects': p.objects }, String(p.objects)), 'objects'),
      h('div', {}, h('div', { class: 'big' }, String(p.groups.length)), 'projects'));
    const pItems = items(p.groups, projectLabel);
    fill(byProject, barChart(pItems, { id: 'project-chart', title: 'Bytes by project' }),
      h('figcaption', {}, p.groups.length + ' project(s), largest first' + (p.groups.length > BARS ? '; the smallest are added up as other' : '') + '.'));
    fill(byKind, barChart(items(k.groups, kindLabel), { id: 'kind-chart', title: 'Bytes by kind' }),
      h('figcaption', {}, 'Live artifacts by kind.'));
    fill(topBody, p.top_tasks.length ? p.top_tasks.map((t) => h('tr', { 'data-task': t.task_id },
      h('td', {}, h('a', { href: '#/tasks/' + t.task_id, class: 'task-link' }, t.name || t.task_id)),
      h('td', {}, projectLabel(t.project)), h('td', { class: 'num' }, t.objects),
      h('td', { class: 'num', 'data-bytes': t.bytes, title: t.bytes + ' bytes' }, bytes(t.bytes))))
      : h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No stored artifacts.')));
  } catch (e) {
    say(err, describe(e));
  }

  await showGrowth();

  async function showGrowth() {
    try {
      const g = await get('/api/v1/usage/history?days=' + span.value);
      const d = g.days;
      const added = d.reduce((t, x) => t + x.added_bytes, 0);
      const freed = d.reduce((t, x) => t + x.freed_bytes, 0);
      fill(growth, growthChart(d, { id: 'growth-chart', title: 'Bytes stored at the end of each day' }),
        h('figcaption', { id: 'growth-caption' }, 'Bytes stored at the end of each UTC day: ' + bytes(added) + ' added, '
          + bytes(freed) + ' freed over the ' + d.length + ' days. Rebuilt from what is stored now (from the day its task was '
          + 'created) and the deletions the audit trail recorded.'));
    } catch (e) {
      fill(growth);
      say(err, describe(e));
    }
  }

  if (!can('operator')) {
    // Not an error: the forecast is a dry run of the Cleanup Service, which is an operator's to start.
    fill(forecast, h('p', { id: 'forecast-needs', class: 'needs' },
      'Not shown: the forecast is a dry run of the Cleanup Service and ' + needs('operator') + '.'));
    return;
  }
  fill(forecast, h('p', { class: 'hint', id: 'forecast-busy' }, 'Computing the forecast…'));
  try {
    const f = await post('/api/v1/cleanup/forecast?days=30');
    const label = (d) => (d === 0 ? 'Today' : 'In ' + d + ' days');
    fill(forecast,
      h('table', { class: 'grid', id: 'forecast-table' },
        h('thead', {}, h('tr', {}, ['When', 'Tasks', 'Objects', 'Bytes freed', 'Skipped', 'Largest projects']
          .map((c, i) => h('th', { scope: 'col', class: i >= 1 && i <= 4 ? 'num' : null }, c)))),
        h('tbody', {}, f.horizons.map((x) => h('tr', { 'data-days': x.days },
          h('th', { scope: 'row' }, label(x.days)), h('td', { class: 'num' }, x.tasks), h('td', { class: 'num' }, x.objects),
          h('td', { class: 'num', 'data-bytes': x.bytes, title: x.bytes + ' bytes' }, bytes(x.bytes)),
          h('td', { class: 'num' }, x.skipped),
          h('td', {}, x.projects.length ? x.projects.slice(0, 3).map((q) => projectLabel(q.project) + ' ' + bytes(q.bytes)).join(', ')
            + (x.projects.length > 3 ? ', …' : '') : '—'))))),
      h('p', { class: 'hint' }, 'Computed ' + time(f.at) + ' with delete_threshold_days ' + (f.settings.delete_threshold_days ?? '?')
        + (f.settings.force_delete === 'true' ? ', force_delete' : '') + '.'));
  } catch (e) {
    fill(forecast);
    say(err, describe(e));
  }
}
