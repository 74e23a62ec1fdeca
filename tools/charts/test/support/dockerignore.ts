/**
 * The exclusion rules of a .dockerignore file, as Docker applies them: patterns relative to the
 * context root, `*` and `?` within one path element, `**` across any number of them, `!` re-includes,
 * the last matching rule wins, and a rule that matches a directory matches everything under it.
 */
export class DockerIgnore {
  private readonly rules: { pattern: RegExp; exclude: boolean; text: string }[];

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const exclude = !l.startsWith('!');
        const body = (exclude ? l : l.slice(1)).trim().replace(/^\/+/, '').replace(/\/+$/, '');
        return { pattern: toRegExp(body), exclude, text: l };
      });
  }

  /** The rule that excludes the path (relative to the root), or undefined when the path is sent. */
  excludedBy(path: string): string | undefined {
    const parts = path.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
    let verdict: string | undefined;
    for (const rule of this.rules) {
      // The path itself or any folder above it.
      const hit = parts.some((_, i) => rule.pattern.test(parts.slice(0, i + 1).join('/')));
      if (hit) verdict = rule.exclude ? rule.text : undefined;
    }
    return verdict;
  }
}

function toRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches anything.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
