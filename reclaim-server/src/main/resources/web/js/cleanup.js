// Cleanup Service page: the service task's state (enqueue / stop), its settings (validated by the
// API, whose message is shown as is), a dry-run preview by project and rule, run now with its
// progress, and the run history with a chart.

import { get, post, put, describe } from './api.js';
import { h, fill, bytes, timeEl, say, confirmDialog } from './dom.js';
import { bytesChart } from './chart.js';
import { can, gate, needs } from './session.js';

export const NAME = 'cleanup';

// Every setting of docs/rules.md section 4 plus ours. Numbers are plain text inputs on purpose: the
// API is the one validator, and a browser number input would silently blank a bad value instead of
// letting the API say what is wrong with it.
const SETTINGS = [
  { name: 'delete_threshold_days', label: 'Delete threshold (days)', kind: 'number',
    help: 'Only tasks archived longer ago than this are deleted. Fractions allowed.' },
  { name: 'cleanup_period_in_days', label: 'Period between runs (days)', kind: 'number',
    help: 'How often the service runs when enqueued as a service. At least one minute (0.0007).' },
  { name: 'force_delete', label: 'Force delete', kind: 'bool',
    help: 'Off: only archived drafts (CREATED) are deleted. On: archived tasks of any status — except PUBLISHED, which the service never deletes.' },
  { name: 'run_as_service', label: 'Run as service', kind: 'bool',
    help: 'When enqueued: repeat every period until stopped. Off: one run, then it is a draft again.' },
  { name: 'dry_run', label: 'Dry run', kind: 'bool',
    help: 'The enqueued service only reports what it would delete. (Preview never deletes; Run now always does.)' },
  { name: 'age_basis', label: 'Age measured from', kind: 'select', options: ['archived_at', 'status_changed'],
    help: 'archived_at: time since archiving. status_changed: the original service\'s behaviour.' },
  { name: 'projects', label: 'Projects', kind: 'text', help: 'Only these projects, comma-separated; empty for all.' },
  { name: 'keep_last', label: 'Keep last', kind: 'number', help: 'Never delete the newest N archived tasks of each project.' },
  { name: 'page_size', label: 'Page size', kind: 'number', help: 'Tasks selected per page of a run.' },
  { name: 'parallelism', label: 'Parallelism', kind: 'number', help: 'Storage delete batches in flight at once.' },
  { name: 'rules', label: 'Retention rules', kind: 'json',
    help: 'Named rules applied after the settings above (whose rule is "default"), as a JSON list. Each rule has a name, '
      + 'an optional scope (projects, tags, statuses, archived, kinds) and one action: delete_tasks_after (days), '
      + 'delete_artifacts_after (days), keep_best ({k, metric, direction}) or quota (a size such as 500GB). '
      + 'Holds, published tasks and keep rules always win over delete rules. Empty for none.' },
];

// The example under the rules field: keep the 3 best checkpoints by val_loss, delete debug samples after a
// week, keep the vision project under 500 GB.
const RULES_EXAMPLE = [
  { name: 'best-checkpoints', kinds: ['model'], keep_best: { k: 3, metric: 'val_loss', direction: 'min' } },
  { name: 'debug-samples', kinds: ['debug'], delete_artifacts_after: 7 },
  { name: 'vision-quota', projects: ['vision'], quota: '500GB' },
];

/** A JSON value on one line, with a space after ':' and ',' as people write it. */
function inline(v) {
  if (Array.isArray(v)) return '[' + v.map(inline).join(', ') + ']';
  if (v && typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ': ' + inline(x)).join(', ') + '}';
  return JSON.stringify(v);
}

/**
 * Rules as the field shows them: one rule a line, so a list reads (and diffs) rule by rule; '' for none.
 * Text that is not a JSON list is shown as it is.
 */
function rulesText(json) {
  if (!json || !json.trim()) return '';
  let rules;
  try {
    rules = JSON.parse(json);
  } catch {
    return json;
  }
  if (!Array.isArray(rules)) return json;
  return rules.length ? '[\n' + rules.map((r) => '  ' + inline(r)).join(',\n') + '\n]' : '';
}

/** The same rules written differently compare equal: whitespace and layout are no change. Blank is no rules. */
function sameJson(a, b) {
  const norm = (t) => {
    if (!t || !t.trim()) return '[]';
    try {
      return JSON.stringify(JSON.parse(t));
    } catch {
      return t;
    }
  };
  return norm(a) === norm(b);
}

/** Why the rules text is not JSON at all (the API says what is wrong with valid JSON), or null. */
function rulesSyntax(text) {
  if (!text.trim()) return null;
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return 'rules is not valid JSON (' + e.message + '); write a list of rules, e.g. '
      + '[{"name": "debug-samples", "kinds": ["debug"], "delete_artifacts_after": 7}]. Nothing was sent.';
  }
}

export async function render(main) {
  const err = h('div', { id: 'cleanup-error', class: 'msg', role: 'alert', hidden: true });
  main.append(h('h1', {}, 'Cleanup Service'), err);

  // ---- service state -----------------------------------------------------------------------
  const svcState = h('p', { id: 'service-state' });
  const svcMsg = h('div', { id: 'service-msg', class: 'msg', role: 'status', hidden: true });
  const bEnqueue = h('button', { type: 'button', id: 'service-enqueue', onclick: () => serviceAction('enqueue') }, 'Enqueue as service');
  const bStop = h('button', { type: 'button', id: 'service-stop', onclick: () => serviceAction('stop') }, 'Stop service');
  main.append(h('section', { 'aria-labelledby': 'svc-h', class: 'card' },
    h('h2', { id: 'svc-h' }, 'Service'),
    svcState,
    h('p', { class: 'hint' }, 'Enqueuing puts the Cleanup Service task on the ', h('code', {}, 'services'),
      ' queue; a worker in services mode (', h('code', {}, 'reclaim worker --services'), ') runs it with the saved settings. '
      + 'Stopping takes it off the queue, or ends a running service after its current batch. '
      + 'Settings can be changed only while it is stopped (a draft).'),
    h('div', { class: 'buttons' }, bEnqueue, bStop), note('operator', 'service-needs', 'Enqueuing and stopping the service'), svcMsg));

  async function loadService() {
    try {
      const s = await get('/api/v1/cleanup/service');
      const where = s.queue ? ' on queue ' + s.queue : '';
      const stopping = s.stop_requested ? ' (stop requested)' : '';
      fill(svcState, 'Status: ', h('strong', { id: 'service-status' }, s.status), where + stopping,
        s.worker ? ' · worker ' + s.worker : '', s.error ? ' · last error: ' + s.error : '');
      bEnqueue.disabled = s.status !== 'CREATED';
      bStop.disabled = s.status === 'CREATED';
      gate(bEnqueue, 'operator');
      gate(bStop, 'operator');
    } catch (e) {
      fill(svcState, describe(e));
    }
  }

  async function serviceAction(action) {
    say(svcMsg, '');
    try {
      const r = await post('/api/v1/cleanup/service/' + action);
      say(svcMsg, action === 'enqueue' ? 'Enqueued on queue ' + r.queue + '.' : 'Stop: ' + r.outcome.toLowerCase().replace('_', ' ') + '.', 'ok');
    } catch (e) {
      say(svcMsg, describe(e), 'error');
    }
    await loadService();
  }

  // ---- settings -----------------------------------------------------------------------------
  const settingsErr = h('div', { id: 'settings-error', class: 'msg', role: 'alert', hidden: true });
  const settingsOk = h('div', { id: 'settings-ok', class: 'msg', role: 'status', hidden: true });
  const stored = h('p', { class: 'hint', id: 'settings-stored' });
  const inputs = {};
  // A JSON setting's own message box, next to its field: its errors name a rule and key, and are long.
  const fieldErrs = {};
  const form = h('form', { id: 'settings-form', class: 'settings', novalidate: true, 'aria-labelledby': 'set-h' });
  for (const s of SETTINGS) {
    const id = 'set-' + s.name;
    const hintId = id + '-hint';
    let input;
    if (s.kind === 'bool') input = h('input', { type: 'checkbox', id, name: s.name, 'aria-describedby': hintId });
    else if (s.kind === 'select') input = h('select', { id, name: s.name, 'aria-describedby': hintId }, s.options.map((o) => h('option', { value: o }, o)));
    else if (s.kind === 'json') input = h('textarea', { id, name: s.name, rows: 8, 'aria-describedby': hintId, spellcheck: 'false', autocomplete: 'off', placeholder: 'No rules: only the settings above apply.' });
    else input = h('input', { type: 'text', id, name: s.name, inputmode: s.kind === 'number' ? 'decimal' : null, 'aria-describedby': hintId, spellcheck: 'false' });
    inputs[s.name] = input;
    let extra = null;
    if (s.kind === 'json') {
      fieldErrs[s.name] = h('div', { id: id + '-error', class: 'msg', role: 'alert', hidden: true });
      const example = rulesText(JSON.stringify(RULES_EXAMPLE));
      extra = [h('details', { class: 'example' }, h('summary', {}, 'Example'),
        h('pre', { id: id + '-example' }, h('code', {}, example)),
        h('p', { class: 'hint' }, 'best-checkpoints keeps the 3 models of each task with the lowest val_loss and deletes the '
          + 'other models; debug-samples deletes debug samples created more than 7 days ago; vision-quota deletes the oldest '
          + 'archived tasks of project vision while it stores more than 500 GB.'),
        h('button', { type: 'button', id: id + '-use-example', onclick: () => { input.value = example; input.focus(); } },
          'Put the example in the field')),
      fieldErrs[s.name]];
    }
    form.append(h('div', { class: 'field' + (s.kind === 'bool' ? ' check' : '') + (s.kind === 'json' ? ' wide' : ''), 'data-setting': s.name },
      s.kind === 'bool' ? [input, h('label', { for: id }, s.label)] : [h('label', { for: id }, s.label), input],
      h('span', { id: hintId, class: 'hint' }, s.name + ' — ' + s.help), extra));
  }
  form.append(h('div', { class: 'buttons' },
    h('button', { type: 'submit', id: 'settings-save', class: 'primary' }, 'Save settings'),
    h('button', { type: 'button', id: 'settings-revert', onclick: () => { say(settingsErr, ''); say(settingsOk, ''); loadSettings(); } }, 'Revert')),
  // native append writes null as the text "null": an allowed control has no note
  note('admin', 'settings-needs', 'Saving settings') || '', settingsErr, settingsOk);
  gate(form.querySelector('#settings-save'), 'admin');
  main.append(h('section', { 'aria-labelledby': 'set-h', class: 'card' }, h('h2', { id: 'set-h' }, 'Settings'), stored, form));

  let current = {};

  function formValues() {
    const out = {};
    for (const s of SETTINGS) {
      const el = inputs[s.name];
      out[s.name] = s.kind === 'bool' ? String(el.checked) : el.value;
    }
    return out;
  }

  /** Only what differs from the saved settings, so the request says exactly what the user changed. */
  function changes() {
    const v = formValues();
    const out = {};
    for (const s of SETTINGS) {
      const val = v[s.name];
      const was = String(current[s.name] ?? '');
      if (s.kind === 'json' ? !sameJson(was, val) : was !== val) out[s.name] = val;
    }
    return out;
  }

  /**
   * Marks the fields an API message names. A JSON setting's message goes in its own box next to it
   * (the form's box then points there); the others' stays in the form's box, as it always has.
   * @returns {boolean} true when a JSON setting's box took the message
   */
  function markInvalid(message) {
    const names = (s) => (message ? new RegExp('\\b' + s.name + '\\b').test(message) : false);
    // A rule's message lists a rule's keys (projects, ...), which are also setting names: it is the JSON field's alone.
    const json = SETTINGS.filter((s) => s.kind === 'json' && names(s));
    let atField = false;
    for (const s of SETTINGS) {
      const bad = json.length ? json.includes(s) : names(s);
      const box = fieldErrs[s.name];
      if (box) say(box, bad ? message : '');
      atField ||= bad && !!box;
      if (bad) inputs[s.name].setAttribute('aria-invalid', 'true'); else inputs[s.name].removeAttribute('aria-invalid');
      if (bad) inputs[s.name].setAttribute('aria-errormessage', box ? box.id : 'settings-error'); else inputs[s.name].removeAttribute('aria-errormessage');
    }
    return atField;
  }

  /** Shows an error of a settings request: next to the JSON field it names, or in the form's box. */
  function settingsError(message) {
    if (markInvalid(message)) say(settingsErr, 'Nothing was saved: see the message under Retention rules.');
    else say(settingsErr, message);
  }

  /** The client's own check of what the API would be sent: JSON syntax only; the API checks the rest. */
  function syntaxError(c) {
    for (const s of SETTINGS) {
      if (s.kind === 'json' && s.name in c) {
        const why = rulesSyntax(c[s.name]);
        if (why) return why;
      }
    }
    return null;
  }

  async function loadSettings() {
    try {
      const r = await get('/api/v1/cleanup/settings');
      current = r.settings;
      for (const s of SETTINGS) {
        const el = inputs[s.name];
        if (s.kind === 'bool') el.checked = current[s.name] === 'true';
        else if (s.kind === 'json') el.value = rulesText(current[s.name]);
        else el.value = current[s.name] ?? '';
      }
      stored.textContent = r.stored_in === 'task'
        ? 'Saved in the parameters of the Cleanup Service task ' + r.service_task_id + ', shared by every server on this store.'
        : 'Kept in this server\'s memory (the store has no Cleanup Service task).';
      markInvalid(null);
    } catch (e) {
      say(settingsErr, describe(e));
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    say(settingsErr, '');
    say(settingsOk, '');
    const c = changes();
    if (Object.keys(c).length === 0) {
      markInvalid(null);
      say(settingsOk, 'Nothing changed.', 'ok');
      return;
    }
    const syntax = syntaxError(c);
    if (syntax) {
      settingsError(syntax);
      return;
    }
    try {
      await put('/api/v1/cleanup/settings', { settings: c });
      await loadSettings();
      say(settingsOk, 'Saved: ' + Object.keys(c).join(', ') + '.', 'ok');
    } catch (e) {
      // All or nothing: the API changed nothing; the form keeps the user's input so it can be fixed.
      settingsError(describe(e));
    }
  });

  // ---- preview and run ------------------------------------------------------------------------
  const runMsg = h('div', { id: 'run-msg', class: 'msg', role: 'status', hidden: true });
  const previewOut = h('div', { id: 'preview' });
  const bar = h('progress', { id: 'run-progress', max: 1, 'aria-labelledby': 'run-progress-text' });
  const barText = h('span', { id: 'run-progress-text' });
  const progressOut = h('div', { id: 'run-progress-box', class: 'progress', hidden: true }, bar, ' ', barText);
  const bPreview = h('button', { type: 'button', id: 'preview-button', onclick: preview }, 'Preview (dry run)');
  const bRun = h('button', { type: 'button', id: 'run-button', class: 'danger', onclick: runNow }, 'Run now…');
  main.append(h('section', { 'aria-labelledby': 'run-h', class: 'card' }, h('h2', { id: 'run-h' }, 'Preview and run'),
    h('p', { class: 'hint' }, 'Preview shows what the saved settings (with any unsaved changes in the form) would delete, '
      + 'by project and rule (default for the settings, else the retention rule\'s name), and lists each task with the rule '
      + 'that selects it and the bytes it frees; it deletes nothing. '
      + 'Run now deletes with the saved settings.'),
    h('div', { class: 'buttons' }, bPreview, bRun), note('operator', 'run-needs', 'Preview and Run now'), progressOut, runMsg,
    previewOut));
  gate(bPreview, 'operator');
  gate(bRun, 'operator');

  async function preview() {
    say(runMsg, '');
    bPreview.disabled = true;
    const c = changes();
    const syntax = syntaxError(c);
    if (syntax) {
      markInvalid(syntax);
      say(runMsg, syntax, 'error');
      bPreview.disabled = false;
      gate(bPreview, 'operator');
      return;
    }
    try {
      const r = await post('/api/v1/cleanup/preview', Object.keys(c).length ? { settings: c } : undefined);
      const would = r.items.filter((i) => i.outcome === 'WOULD_DELETE');
      fill(previewOut,
        h('p', { id: 'preview-total', 'data-bytes': r.bytes, 'data-tasks': r.deleted },
          h('strong', {}, r.deleted + ' task(s) would be deleted, freeing ' + bytes(r.bytes) + ' (' + r.bytes + ' bytes) in '
            + r.objects + ' object(s).'),
          ' ' + r.candidates + ' candidate(s), ' + r.skipped + ' skipped.' + (Object.keys(c).length ? ' Includes unsaved changes: ' + Object.keys(c).join(', ') + '.' : '')),
        groupsTable(r),
        r.items.length === 0 ? h('p', { class: 'empty' }, 'Nothing to delete.')
          // every task is a long list: the groups above say where the space goes, the list is there to check
          : h('details', { id: 'preview-items' }, h('summary', {}, 'Every task (' + r.items.length
            + (r.items_truncated ? ' listed of ' + r.candidates : '') + ')'),
          h('div', { class: 'scroll' }, itemsTable(r.items, 'preview-table')),
          r.items_truncated ? h('p', { class: 'hint' }, 'Only the first ' + r.items.length + ' lines are listed; the groups and totals count every candidate.') : null));
      if (would.length === 0 && r.items.length > 0) previewOut.append(h('p', { class: 'hint' }, 'Every candidate was skipped; see the reasons in the list.'));
    } catch (e) {
      fill(previewOut);
      say(runMsg, describe(e), 'error');
    }
    bPreview.disabled = false;
    gate(bPreview, 'operator');
  }

  /**
   * What a run now would delete, from a forecast of today (dry runs of the run's own selection that,
   * unlike a preview, leave nothing in the history), or the reason it is not known.
   */
  async function expectation() {
    try {
      const f = await post('/api/v1/cleanup/forecast?days=1');
      const today = f.horizons.find((x) => x.days === 0);
      return today ? { today } : { why: 'the forecast has no figures for today' };
    } catch (e) {
      return { why: describe(e) };
    }
  }

  async function runNow() {
    say(runMsg, '');
    bRun.disabled = true;
    const expected = await expectation();
    const t = expected.today;
    const ok = await confirmDialog({
      title: 'Run the Cleanup Service now?', confirm: 'Run now', danger: true,
      body: [t
        ? h('p', { id: 'confirm-counts', 'data-tasks': t.tasks, 'data-objects': t.objects, 'data-bytes': t.bytes },
          'This will delete ' + t.tasks + ' task(s), ' + t.objects + ' object(s), ' + bytes(t.bytes) + ' (' + t.bytes + ' bytes), '
          + 'with their records, selected by the saved settings' + (t.skipped ? '; ' + t.skipped + ' candidate(s) are kept' : '') + '.')
        : h('p', { id: 'confirm-counts', 'data-unknown': 'true' },
          'How many tasks and bytes this run deletes could not be computed (' + expected.why + '). '
          + 'It deletes every task the saved settings select.'),
      h('p', {}, 'It cannot be undone. Preview first to see the list.')],
    });
    if (!ok) {
      bRun.disabled = false;
      gate(bRun, 'operator');
      return;
    }
    // Expected candidates: what the forecast saw, until the run has selected more (the catalog changed).
    const total = t ? t.tasks + t.skipped : null;
    progressOut.hidden = false;
    bar.removeAttribute('value'); // indeterminate until the run says how far it is
    barText.textContent = 'Starting…';
    let inFlight = true;
    const request = post('/api/v1/cleanup/run');
    const settled = request.then(() => {}, () => {}).finally(() => { inFlight = false; });
    const polling = (async () => {
      while (inFlight) {
        try {
          const p = await get('/api/v1/cleanup/progress');
          if (inFlight) showProgress(p, total);
        } catch (e) {
          // a missed poll is no failure of the run: the next one, or the run's answer, tells
        }
        await Promise.race([settled, new Promise((r) => setTimeout(r, 500))]);
      }
    })();
    try {
      const r = await request;
      await polling;
      const dealt = r.deleted + r.skipped + r.failed;
      bar.max = Math.max(1, r.candidates);
      bar.value = r.candidates === 0 ? 1 : dealt;
      barText.textContent = 'Done: ' + dealt + ' of ' + r.candidates + ' task(s), ' + bytes(r.bytes) + ' freed.';
      say(runMsg, 'Run finished: ' + r.deleted + ' task(s) deleted, ' + bytes(r.bytes) + ' (' + r.bytes + ' bytes) freed, '
        + r.skipped + ' skipped, ' + r.failed + ' failed.', 'ok');
      fill(previewOut);
    } catch (e) {
      await polling;
      progressOut.hidden = true;
      say(runMsg, describe(e), 'error');
    }
    bRun.disabled = false;
    gate(bRun, 'operator');
    await loadHistory();
  }

  /** One poll's snapshot. A finished one is an earlier run's (this one is still waiting): left out. */
  function showProgress(p, expectedTotal) {
    progressOut.dataset.phase = p.phase;
    if (p.phase === 'STARTING') {
      bar.removeAttribute('value');
      barText.textContent = 'Starting: taking the cleanup lease, finishing what earlier runs left…';
      return;
    }
    if (p.phase !== 'RUNNING' && p.phase !== 'FINISHING') return;
    const total = p.candidates_complete || expectedTotal === null ? p.candidates : Math.max(expectedTotal, p.candidates);
    bar.max = Math.max(1, total);
    bar.value = Math.min(p.done, bar.max);
    barText.textContent = p.done + ' of ' + total + (p.candidates_complete || expectedTotal !== null ? '' : '+') + ' task(s), '
      + bytes(p.bytes) + ' freed' + (p.phase === 'FINISHING' ? '; recording the report…' : '…');
  }

  /** The preview by project and rule, with its totals over every candidate; a header click sorts by its column. */
  function groupsTable(r) {
    const cols = [
      { key: 'project', label: 'Project' },
      { key: 'rule', label: 'Rule' },
      { key: 'tasks', label: 'Tasks', num: true },
      { key: 'objects', label: 'Objects', num: true },
      { key: 'bytes', label: 'Bytes', num: true },
    ];
    const groups = r.groups || [];
    let sort = { key: 'bytes', desc: true };
    const tbody = h('tbody', { id: 'preview-groups-body' });
    const ths = cols.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null, 'data-col': c.key },
      h('button', { type: 'button', class: 'sort', id: 'groups-sort-' + c.key, onclick: () => {
        // a new column starts with what matters most: the largest numbers, names from A
        sort = { key: c.key, desc: sort.key === c.key ? !sort.desc : !!c.num };
        draw();
      } }, c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }))));
    function draw() {
      const rows = [...groups].sort((a, b) => {
        const x = a[sort.key];
        const y = b[sort.key];
        const d = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
        return (sort.desc ? -d : d) || a.project.localeCompare(b.project) || a.rule.localeCompare(b.rule);
      });
      fill(tbody, rows.length ? rows.map((g) => h('tr', { 'data-project': g.project, 'data-rule': g.rule },
        h('td', {}, g.project || '(no project)'), h('td', {}, g.rule), h('td', { class: 'num' }, g.tasks),
        h('td', { class: 'num' }, g.objects), h('td', { class: 'num', 'data-bytes': g.bytes, title: g.bytes + ' bytes' }, bytes(g.bytes))))
        : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'Nothing would be deleted.')));
      cols.forEach((c, i) => {
        const on = c.key === sort.key;
        if (on) ths[i].setAttribute('aria-sort', sort.desc ? 'descending' : 'ascending'); else ths[i].removeAttribute('aria-sort');
        ths[i].querySelector('.arrow').textContent = on ? (sort.desc ? ' ▼' : ' ▲') : '';
      });
    }
    draw();
    return h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'preview-groups' },
      h('caption', {}, 'What would be deleted, by project and rule (column headers sort)'),
      h('thead', {}, h('tr', {}, ths)), tbody,
      h('tfoot', {}, h('tr', { id: 'preview-groups-total' }, h('th', { scope: 'row', colspan: 2 }, 'Total'),
        h('td', { class: 'num', 'data-tasks': r.deleted }, r.deleted), h('td', { class: 'num', 'data-objects': r.objects }, r.objects),
        h('td', { class: 'num', 'data-bytes': r.bytes, title: r.bytes + ' bytes' }, bytes(r.bytes))))));
  }

  function itemsTable(items, id) {
    return h('table', { class: 'grid', id },
      h('thead', {}, h('tr', {}, ['Task', 'Project', 'Outcome', 'Rule or reason', 'Objects', 'Bytes'].map((c, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, c)))),
      h('tbody', {}, items.map((i) => h('tr', { 'data-task': i.task_id },
        h('td', {}, i.outcome === 'DELETED' ? (i.name || i.task_id) : h('a', { href: '#/tasks/' + i.task_id }, i.name || i.task_id)),
        h('td', {}, i.project), h('td', {}, i.outcome), h('td', {}, i.rule),
        h('td', { class: 'num' }, i.objects), h('td', { class: 'num', 'data-bytes': i.bytes, title: i.bytes + ' bytes' }, bytes(i.bytes))))));
  }

  // ---- history ------------------------------------------------------------------------------
  const chartBox = h('figure', { id: 'history-figure' });
  const histBody = h('tbody', { id: 'history-body' });
  main.append(h('section', { 'aria-labelledby': 'hist-h', class: 'card' }, h('h2', { id: 'hist-h' }, 'Run history'),
    chartBox,
    h('div', { class: 'scroll' }, h('table', { class: 'grid', id: 'history-table' },
      h('caption', { class: 'sr-only' }, 'Past runs, newest first'),
      h('thead', {}, h('tr', {}, ['Started', 'Kind', 'Candidates', 'Deleted', 'Skipped', 'Failed', 'Objects', 'Bytes freed', 'Duration']
        .map((c, i) => h('th', { scope: 'col', class: i >= 2 && i <= 7 ? 'num' : null }, c)))),
      histBody))));

  async function loadHistory() {
    try {
      const r = await get('/api/v1/cleanup/history?limit=50');
      // Dry runs free nothing: the chart is what was actually reclaimed; the table lists both.
      const real = r.runs.filter((x) => !x.dry_run);
      fill(chartBox, bytesChart(real), h('figcaption', {}, 'Bytes reclaimed per run (' + real.length + ' run(s), dry runs left out), oldest on the left.'));
      fill(histBody, r.runs.length ? r.runs.map((x) => h('tr', { 'data-run': x.id, class: 'clickable' + (x.dry_run ? ' dry' : ''),
        // The whole row opens the run; the link in its first cell is the keyboard's way there.
        onclick: (ev) => { if (!ev.target.closest('a')) location.hash = '#/cleanup/runs/' + x.id; } },
        h('td', {}, h('a', { href: '#/cleanup/runs/' + x.id, class: 'run-link', title: 'Open this run: who, settings, every task it deleted' },
          timeEl(x.started_at))), h('td', {}, x.dry_run ? 'dry run' : 'run' + (x.stopped_early ? ' (stopped early)' : '')),
        h('td', { class: 'num' }, x.candidates), h('td', { class: 'num' }, x.deleted), h('td', { class: 'num' }, x.skipped),
        h('td', { class: 'num' }, x.failed), h('td', { class: 'num' }, x.objects),
        h('td', { class: 'num bytes', 'data-bytes': x.bytes, title: x.bytes + ' bytes' }, x.dry_run ? '(' + bytes(x.bytes) + ')' : bytes(x.bytes)),
        h('td', {}, duration(x.started_at, x.ended_at))))
        : h('tr', {}, h('td', { colspan: 9, class: 'empty' }, 'No runs yet.')));
    } catch (e) {
      say(err, describe(e));
    }
  }

  await Promise.all([loadService(), loadSettings(), loadHistory()]);
}

/** The visible reason a control is off ("… needs operator (this token is viewer)"), or nothing when allowed. */
function note(role, id, what) {
  return can(role) ? null : h('p', { class: 'hint needs', id, 'data-needs': role }, what + ': ' + needs(role) + '.');
}

function duration(a, b) {
  if (!a || !b) return '';
  const ms = Date.parse(b) - Date.parse(a);
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}
