// The one place that edits docs/benchmarks.md: each benchmark replaces its own `## <title>`
// section (or appends it) and leaves every other section as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const HEADER = '# Benchmarks\n\nEach section is written by its benchmark under `tools/bench/`.\n';

/** Writes `section` (which starts with `## <title>`) into the file at `path`. */
export function writeBenchmarkSection(path, title, section) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : HEADER;
  const body = `${section.trimEnd()}\n`;
  const start = text.indexOf(`## ${title}`);
  let next;
  if (start >= 0) {
    const rest = text.indexOf('\n## ', start + 1);
    next = text.slice(0, start) + body + (rest >= 0 ? `\n${text.slice(rest + 1)}` : '');
  } else {
    next = `${text.trimEnd()}\n\n${body}`;
  }
  writeFileSync(path, next);
}
