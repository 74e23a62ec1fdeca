/** A Dockerfile instruction: keyword in upper case, its raw arguments, the line it starts on. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  /** The `FROM` image (ARG references left as written). */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG instructions before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** Parses a Dockerfile: comments dropped, `\` continuations joined, split into stages. */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== undefined && trimmed.startsWith('#')) return;
    const continued = trimmed.endsWith('\\');
    const body = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending === undefined ? { text: body, line: i + 1 } : { text: `${pending.text} ${body}`, line: pending.line };
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/.exec(pending.text.trim());
      if (match) instructions.push({ keyword: (match[1] as string).toUpperCase(), args: (match[2] as string).trim(), line: pending.line });
      pending = undefined;
    }
  });
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`line ${instruction.line}: cannot parse FROM ${instruction.args}`);
      stages.push({ from: match[1] as string, name: match[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [name, value] = instruction.args.split('=', 2);
      globalArgs.set((name as string).trim(), value?.trim());
    } else {
      (stages[stages.length - 1] as Stage).instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `FROM ${X}`: the image after substituting global ARG defaults. */
export function resolvedImage(file: Dockerfile, stage: Stage): string {
  return stage.from.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => file.globalArgs.get(name) ?? '');
}

export interface Copy {
  /** The stage it copies from (`--from=`), or undefined for the build context. */
  from: string | undefined;
  sources: string[];
  destination: string;
  line: number;
}

/** The COPY (and ADD) instructions of a stage, shell form or JSON form. */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      let from: string | undefined;
      const words: string[] = [];
      const rest = i.args.replace(/--([a-z-]+)(?:=(\S+))?\s*/g, (_, flag: string, value: string | undefined) => {
        if (flag === 'from') from = value;
        return '';
      });
      if (rest.trim().startsWith('[')) words.push(...(JSON.parse(rest) as string[]));
      else words.push(...rest.trim().split(/\s+/));
      if (words.length < 2) throw new Error(`line ${i.line}: COPY needs a source and a destination`);
      return { from, sources: words.slice(0, -1), destination: words[words.length - 1] as string, line: i.line };
    });
}

/** The JSON-form (exec form) arguments of ENTRYPOINT/CMD, or undefined for the shell form. */
export function execForm(instruction: Instruction | undefined): string[] | undefined {
  if (!instruction || !instruction.args.startsWith('[')) return undefined;
  return JSON.parse(instruction.args) as string[];
}

/** The last instruction of a stage with that keyword (Docker keeps the last USER/ENTRYPOINT/CMD). */
export function last(stage: Stage, keyword: string): Instruction | undefined {
  return [...stage.instructions].reverse().find((i) => i.keyword === keyword);
}
