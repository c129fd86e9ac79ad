// Small DOM helpers. Content goes in as text nodes, never as HTML, so names and messages from the
// API cannot inject markup.

/**
 * Creates an element: h('button', {type: 'button', onclick: f}, 'Text', child...).
 * Attributes starting with "on" become listeners; null/false attributes are left out.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Bytes as B, KB, MB... (powers of 1024, one decimal). */
export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Number(n);
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? String(v) : v.toFixed(1)) + ' ' + units[i];
}

/** An ISO instant as "2026-01-01 12:00:00Z" (UTC, as the API stores it); '' for none. */
export function time(iso) {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** "3 days ago" style age of an ISO instant. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 90) return s + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 129600) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' days ago';
}

/** A <time> element showing the UTC time with the age as a tooltip. */
export function timeEl(iso) {
  if (!iso) return '';
  return h('time', { datetime: iso, title: ago(iso) }, time(iso));
}

/** Shows a message in an alert region (empty text hides it). */
export function say(el, text, kind = 'error') {
  el.textContent = text || '';
  el.hidden = !text;
  el.dataset.kind = kind;
}

/**
 * Opens a modal confirmation dialog (native <dialog>: focus is trapped, Esc cancels).
 * @param {{title: string, body: Node[], confirm: string, danger?: boolean, id?: string}} o
 * @returns {Promise<boolean>} true when confirmed
 */
export function confirmDialog(o) {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'submit', value: 'ok', class: o.danger ? 'danger' : 'primary', id: 'dialog-confirm' }, o.confirm);
    const cancel = h('button', { type: 'submit', value: 'cancel', id: 'dialog-cancel', formnovalidate: true }, 'Cancel');
    const titleId = 'dialog-title';
    const dlg = h('dialog', { id: o.id || 'confirm-dialog', 'aria-labelledby': titleId },
      h('form', { method: 'dialog' },
        h('h2', { id: titleId }, o.title),
        o.body,
        h('div', { class: 'actions' }, cancel, ok)));
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(dlg.returnValue === 'ok');
    });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus(); // the safe choice has the focus: Enter does not delete by accident
  });
}
