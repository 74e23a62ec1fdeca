// The one place that edits docs/benchmarks.md: each benchmark replaces its own `## <title>`
// section (or appends it) and leaves every other section as it is.
//
//   writeBenchmarkSection(path, title, section)            // as before: the section only
//   writeBenchmarkSection(path, title, section, targets)   // plus rows of the targets summary
//
// `targets` (optional) is an array of { target, measured, met }: `target` names the goal
// ("failover ≤ 2 s (p50)"), `measured` is what the run measured ("1.4 s"), and `met` is true,
// false (shown as MISSED, never hidden) or null (not measured in this run, shown as "not
// measured"). The rows are stored in the section itself, as one HTML comment
// (`<!-- bench-targets: [...] -->`, invisible in the rendered page), so a section written again
// replaces its own rows, and a section written without targets has none.
//
// Every write also regenerates the top of the file (everything before the first `## `): how to
// run the benchmarks, the machine of this write (cores, memory, OS, Node, each peer's version)
// and the summary table of every section's target rows, in the order of the sections.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

const MARK = '<!-- bench-targets: ';

/** "met" / "MISSED" / "not measured" for a target row's `met`. */
export function verdict(met) {
  if (met === null || met === undefined) return 'not measured';
  return met ? 'met' : 'MISSED';
}

/** Writes `section` (which starts with `## <title>`) into the file at `path`, with its target rows. */
export function writeBenchmarkSection(path, title, section, targets) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const rows = Array.isArray(targets) ? targets.map(checkRow) : [];
  const body = `${section.trimEnd()}\n${rows.length ? `\n${MARK}${JSON.stringify(rows)} -->\n` : ''}`;
  const sections = splitSections(text).filter((s) => s.title !== title);
  const existing = splitSections(text).findIndex((s) => s.title === title);
  const entry = { title, text: body };
  if (existing >= 0) sections.splice(existing, 0, entry);
  else sections.push(entry);
  writeFileSync(path, `${header(sections)}\n${sections.map((s) => s.text.trimEnd()).join('\n\n')}\n`);
}

function checkRow(row) {
  if (!row || typeof row.target !== 'string' || typeof row.measured !== 'string' || ![true, false, null].includes(row.met ?? null)) {
    throw new Error(`a target row needs { target: string, measured: string, met: true | false | null }, got ${JSON.stringify(row)}`);
  }
  return { target: row.target, measured: row.measured, met: row.met ?? null };
}

/** The `## ` sections of the file, each with its title and text (the header before them is dropped). */
function splitSections(text) {
  const starts = [];
  const re = /^## (.+)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push({ index: m.index, title: m[1].trim() });
  return starts.map((s, i) => ({ title: s.title, text: text.slice(s.index, starts[i + 1]?.index ?? text.length) }));
}

function rowsOf(sectionText) {
  const at = sectionText.indexOf(MARK);
  if (at < 0) return [];
  const end = sectionText.indexOf(' -->', at);
  try {
    return JSON.parse(sectionText.slice(at + MARK.length, end));
  } catch {
    return [];
  }
}

function firstLine(command, args, pattern = /\S/) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) return undefined;
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => pattern.test(l))?.trim();
}

function machine() {
  const os = existsSync('/etc/os-release') ? /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] : undefined;
  const peers = [
    ['dnsperf', firstLine('dnsperf', ['-h'], /^Version/)?.replace(/^Version\s*/, '')],
    ['BIND 9', firstLine('/usr/sbin/named', ['-v'])?.replace(/^BIND\s*/, '').replace(/ \(.*$/, '')],
    ['Knot DNS', firstLine('/usr/sbin/knotd', ['-V'])?.replace(/^.*version\s*/, '')],
    ['NSD', firstLine('/usr/sbin/nsd', ['-v'])?.replace(/^NSD version\s*/, '')],
    ['PowerDNS Authoritative', firstLine('/usr/sbin/pdns_server', ['--version'], /PowerDNS Authoritative/)?.replace(/^.*Server ([\d.]+).*$/, '$1')],
    ['Unbound', firstLine('/usr/sbin/unbound', ['-V'], /^Version/)?.replace(/^Version\s*/, '')],
  ];
  return [
    `${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB memory,`,
    `${os ?? 'unknown OS'} (Linux ${release()}), Node ${process.version};`,
    `${peers.map(([name, v]) => `${name} ${v ?? 'not installed'}`).join(', ')}.`,
  ].join(' ');
}

function header(sections) {
  const rows = sections.flatMap((s) => rowsOf(s.text).map((r) => ({ ...r, section: s.title })));
  const table = rows.length
    ? [
        '| target | benchmark | measured | result |',
        '|---|---|---|---|',
        ...rows.map((r) => `| ${r.target} | [${r.section}](#${anchor(r.section)}) | ${r.measured} | ${verdict(r.met)} |`),
      ].join('\n')
    : '(no benchmark has reported a target yet)';
  return [
    '# Benchmarks',
    '',
    'Each section below is written by its benchmark under `tools/bench/<name>/run.mjs`; this top part is',
    'regenerated by `tools/bench/doc-section.mjs` whenever a section is written.',
    '',
    'How to run: `npm run bench` runs every benchmark one after the other (about 30 minutes) and rewrites',
    'every section; `npm run bench -- <name>` (for example `npm run bench -- failover`) runs one. Trial',
    'runs: `BENCH_NO_DOC=1` leaves this file alone, `BENCH_QUICK=1` (where a benchmark supports it) runs',
    'fewer and shorter rounds. The DNS, failover and witness/partition benchmarks need root (Debian packages,',
    'network namespaces).',
    '',
    `Machine of the last write (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): ${machine()}`,
    'Every section states its own date and the load on the machine when it ran.',
    '',
    '### Targets',
    '',
    'Every target a benchmark checks, as its last run measured it. A miss is shown as MISSED.',
    '',
    table,
    '',
  ].join('\n');
}

function anchor(title) {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}
