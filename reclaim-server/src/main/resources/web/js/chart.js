// Bytes reclaimed per run as an inline SVG bar chart, drawn here (no chart library, no CDN).

import { bytes, time } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A bar per run, oldest on the left; each bar has a <title> (tooltip and accessible name).
 * @param {{started_at: string, bytes: number, id: string}[]} runs newest first, as the API lists them
 */
export function bytesChart(runs) {
  const data = [...runs].reverse();
  const w = 640;
  const hgt = 220;
  const pad = { l: 70, r: 10, t: 10, b: 40 };
  const max = Math.max(1, ...data.map((r) => r.bytes));
  const svg = s('svg', {
    viewBox: `0 0 ${w} ${hgt}`, width: '100%', role: 'img', id: 'history-chart', class: 'chart',
    'aria-label': `Bytes reclaimed per run, ${data.length} run(s), largest ${bytes(max)}`,
  });
  const plotW = w - pad.l - pad.r;
  const plotH = hgt - pad.t - pad.b;
  if (data.length === 0) {
    svg.append(s('text', { x: w / 2, y: hgt / 2, 'text-anchor': 'middle', class: 'axis' }, 'No runs yet'));
    return svg;
  }
  // Axis and three gridlines labelled in bytes.
  for (let i = 0; i <= 2; i++) {
    const v = (max * i) / 2;
    const y = pad.t + plotH - (plotH * i) / 2;
    svg.append(s('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: 'grid' }));
    svg.append(s('text', { x: pad.l - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, bytes(Math.round(v))));
  }
  const slot = plotW / data.length;
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  data.forEach((r, i) => {
    const bh = (plotH * r.bytes) / max;
    const x = pad.l + slot * i + (slot - barW) / 2;
    const bar = s('rect', {
      x, y: pad.t + plotH - bh, width: barW, height: Math.max(bh, r.bytes > 0 ? 1 : 0), class: 'bar',
      'data-run': r.id, 'data-bytes': r.bytes,
    });
    bar.append(s('title', {}, `${time(r.started_at)}: ${bytes(r.bytes)} (${r.bytes} bytes) reclaimed`));
    svg.append(bar);
    if (data.length <= 12) {
      svg.append(s('text', { x: x + barW / 2, y: hgt - pad.b + 16, 'text-anchor': 'middle', class: 'axis' },
        (r.started_at || '').slice(5, 10)));
    }
  });
  return svg;
}

/**
 * Horizontal bars, largest first, each labelled with its name and its size in human units; each
 * bar has a <title> with the exact bytes (tooltip and accessible name).
 * @param {{label: string, bytes: number, key?: string}[]} items
 * @param {{id: string, title: string}} o the chart's id and what it shows, for its accessible name
 */
export function barChart(items, o) {
  const rowH = 26;
  const w = 640;
  const pad = { l: 170, r: 90, t: 6, b: 6 };
  const hgt = pad.t + pad.b + Math.max(1, items.length) * rowH;
  const max = Math.max(1, ...items.map((i) => i.bytes));
  const svg = s('svg', {
    viewBox: `0 0 ${w} ${hgt}`, width: '100%', role: 'img', id: o.id, class: 'chart hbars',
    'aria-label': `${o.title}: ${items.map((i) => i.label + ' ' + bytes(i.bytes)).join(', ') || 'nothing stored'}`,
  });
  if (items.length === 0) {
    svg.append(s('text', { x: w / 2, y: hgt / 2 + 4, 'text-anchor': 'middle', class: 'axis' }, 'Nothing stored'));
    return svg;
  }
  const plotW = w - pad.l - pad.r;
  items.forEach((it, i) => {
    const y = pad.t + i * rowH;
    const bw = (plotW * it.bytes) / max;
    const name = it.label.length > 24 ? it.label.slice(0, 23) + '…' : it.label;
    svg.append(s('text', { x: pad.l - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'label' }, name));
    const bar = s('rect', { x: pad.l, y: y + 4, width: Math.max(bw, it.bytes > 0 ? 1 : 0), height: rowH - 8, class: 'bar',
      'data-key': it.key ?? it.label, 'data-bytes': it.bytes });
    bar.append(s('title', {}, `${it.label}: ${bytes(it.bytes)} (${it.bytes} bytes)`));
    svg.append(bar);
    svg.append(s('text', { x: pad.l + bw + 6, y: y + rowH / 2 + 4, class: 'axis value' }, bytes(it.bytes)));
  });
  return svg;
}

/**
 * Stored bytes at the end of each day as a line over a shaded area, oldest on the left; each day
 * has a transparent hit area with a <title> giving the day's stored, added and freed bytes.
 * @param {{day: string, bytes: number, added_bytes: number, freed_bytes: number}[]} days oldest first
 * @param {{id: string, title: string}} o the chart's id and what it shows, for its accessible name
 */
export function growthChart(days, o) {
  const w = 640;
  const hgt = 220;
  const pad = { l: 70, r: 10, t: 10, b: 30 };
  const max = Math.max(1, ...days.map((d) => d.bytes));
  const first = days[0];
  const last = days[days.length - 1];
  const svg = s('svg', {
    viewBox: `0 0 ${w} ${hgt}`, width: '100%', role: 'img', id: o.id, class: 'chart growth',
    'aria-label': days.length ? `${o.title}: ${bytes(first.bytes)} on ${first.day}, ${bytes(last.bytes)} on ${last.day}, `
      + `highest ${bytes(max)}` : `${o.title}: no days`,
  });
  if (days.length === 0) return svg;
  const plotW = w - pad.l - pad.r;
  const plotH = hgt - pad.t - pad.b;
  for (let i = 0; i <= 2; i++) {
    const y = pad.t + plotH - (plotH * i) / 2;
    svg.append(s('line', { x1: pad.l, x2: w - pad.r, y1: y, y2: y, class: 'grid' }));
    svg.append(s('text', { x: pad.l - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, bytes(Math.round((max * i) / 2))));
  }
  const step = days.length > 1 ? plotW / (days.length - 1) : 0;
  const x = (i) => pad.l + (days.length > 1 ? step * i : plotW / 2);
  const y = (b) => pad.t + plotH - (plotH * b) / max;
  const line = days.map((d, i) => `${x(i).toFixed(1)},${y(d.bytes).toFixed(1)}`).join(' ');
  svg.append(s('polygon', { points: `${x(0)},${pad.t + plotH} ${line} ${x(days.length - 1)},${pad.t + plotH}`, class: 'area' }));
  svg.append(s('polyline', { points: line, class: 'line' }));
  const slot = days.length > 1 ? step : plotW;
  days.forEach((d, i) => {
    const hit = s('rect', { x: x(i) - slot / 2, y: pad.t, width: slot, height: plotH, class: 'hit', 'data-day': d.day,
      'data-bytes': d.bytes });
    hit.append(s('title', {}, `${d.day}: ${bytes(d.bytes)} stored (${d.bytes} bytes); +${bytes(d.added_bytes)} added, `
      + `−${bytes(d.freed_bytes)} freed`));
    svg.append(hit);
  });
  // First, middle and last day under the axis: enough to read the span without crowding.
  [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])].forEach((i) => svg.append(s('text', {
    x: x(i), y: hgt - pad.b + 16, 'text-anchor': i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle', class: 'axis',
  }, days[i].day)));
  return svg;
}
