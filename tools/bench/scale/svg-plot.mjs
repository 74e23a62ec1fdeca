// Hand-written SVG line charts for the scale benchmark: a grid of panels, each with a
// log-scale x axis (hosts) and a log-scale y axis, one line per series. No dependencies.

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const log10 = Math.log10;

/** Powers of ten (and 2×, 5× between them when the range is short) covering [lo, hi]. */
function logTicks(lo, hi) {
  const ticks = [];
  const steps = log10(hi) - log10(lo) <= 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(log10(lo)); e <= Math.ceil(log10(hi)); e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

function fmt(v) {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(Number(v.toPrecision(3)));
}

/**
 * One panel: `series` is [{label, points: [[x, y], …]}]; y values ≤ 0 or missing are left out
 * (a log axis cannot show them).
 */
function panel({ x0, y0, width, height, title, yLabel, series }) {
  const pad = { left: 58, right: 12, top: 26, bottom: 40 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && y > 0);
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const xlo = 10 ** Math.floor(log10(Math.min(...xs)));
  const xhi = 10 ** Math.ceil(log10(Math.max(...xs)));
  const ylo = 10 ** Math.floor(log10(Math.min(...ys)));
  const yhi = 10 ** Math.ceil(log10(Math.max(...ys) * 1.0001));
  const px = (x) => x0 + pad.left + ((log10(x) - log10(xlo)) / (log10(xhi) - log10(xlo) || 1)) * w;
  const py = (y) => y0 + pad.top + h - ((log10(y) - log10(ylo)) / (log10(yhi) - log10(ylo) || 1)) * h;
  const out = [];
  out.push(`<text x="${x0 + pad.left + w / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${x0 + pad.left}" y="${y0 + pad.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  for (const t of logTicks(ylo, yhi)) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${x0 + pad.left}" x2="${x0 + pad.left + w}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x0 + pad.left - 5}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  for (const t of logTicks(xlo, xhi)) {
    const x = px(t).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${y0 + pad.top}" y2="${y0 + pad.top + h}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x}" y="${y0 + pad.top + h + 14}" text-anchor="middle">${fmt(t)}</text>`);
  }
  out.push(`<text x="${x0 + pad.left + w / 2}" y="${y0 + height - 6}" text-anchor="middle">hosts (log scale)</text>`);
  out.push(`<text transform="translate(${x0 + 13},${y0 + pad.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const valid = s.points.filter(([x, y]) => x > 0 && y > 0);
    if (valid.length === 0) return;
    const d = valid.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="${DASHES[Math.floor(i / 2) % DASHES.length]}"/>`);
    for (const [x, y] of valid) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"><title>${esc(`${s.label}: ${fmt(x)} hosts, ${Number(y.toPrecision(3))}`)}</title></circle>`);
    const ly = y0 + pad.top + 12 + i * 14;
    out.push(`<line x1="${x0 + pad.left + 8}" x2="${x0 + pad.left + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2" stroke-dasharray="${DASHES[Math.floor(i / 2) % DASHES.length]}"/>`);
    out.push(`<text x="${x0 + pad.left + 30}" y="${ly}">${esc(s.label)}</text>`);
  });
  return out.join('\n');
}

/** A whole figure: `panels` laid out in `columns`, with a title and a footnote. */
export function renderPlot({ title, note, panels, columns = 2, panelWidth = 440, panelHeight = 300 }) {
  const rows = Math.ceil(panels.length / columns);
  const width = columns * panelWidth;
  const height = 34 + rows * panelHeight + 24;
  const body = panels.map((p, i) => panel({ ...p, x0: (i % columns) * panelWidth, y0: 34 + Math.floor(i / columns) * panelHeight, width: panelWidth, height: panelHeight }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...body,
    `<text x="8" y="${height - 8}" fill="#555">${esc(note)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
