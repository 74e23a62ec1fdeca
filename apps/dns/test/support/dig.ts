import { execFile } from 'node:child_process';

export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

/** What dig or kdig printed, parsed: enough to assert on flags, sections, EDNS and ECS. */
export interface DigResult {
  status: string;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  /** The EDNS version and UDP size the server sent, if it sent OPT. */
  edns?: { version: number; udp: number };
  /** "10.1.2.0/24/16" as printed. */
  clientSubnet?: string;
  question?: string;
  text: string;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function section(text: string, title: RegExp): DigRecord[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => title.test(l));
  if (start < 0) return [];
  const records: DigRecord[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.startsWith(';;')) break;
    const [name = '', ttl = '0', , type = '', ...data] = line.trim().split(/\s+/);
    records.push({ name, ttl: Number(ttl), type, data: data.join(' ') });
  }
  return records;
}

function parse(text: string): DigResult {
  const status = /status: ([A-Z0-9]+)/.exec(text)?.[1] ?? 'NO-REPLY';
  const flags = (/flags: ([a-z ]*)[;]/i.exec(text)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const ednsDig = /EDNS: version: (\d+), flags:[^;]*; udp: (\d+)/.exec(text);
  const ednsKdig = /Version: (\d+); flags: [^;]*; UDP size: (\d+) B/.exec(text);
  const edns = ednsDig ?? ednsKdig;
  const subnet = /CLIENT-SUBNET: (\S+)/.exec(text)?.[1];
  return {
    status,
    flags,
    answer: section(text, /ANSWER SECTION:/),
    authority: section(text, /AUTHORITY SECTION:/),
    additional: section(text, /ADDITIONAL SECTION:/),
    ...(edns ? { edns: { version: Number(edns[1]), udp: Number(edns[2]) } } : {}),
    ...(subnet ? { clientSubnet: subnet } : {}),
    question: section(text, /QUESTION SECTION:/)[0]?.name.replace(/^;/, ''),
    text,
  };
}

/** Runs `dig @127.0.0.1 -p PORT +norec +tries=1 +time=3 ARGS`. */
export async function dig(port: number, ...args: string[]): Promise<DigResult> {
  return parse(await run('dig', ['@127.0.0.1', '-p', String(port), '+norec', '+tries=1', '+time=3', ...args]));
}

/** Runs `kdig @127.0.0.1 -p PORT +norec +retry=0 +time=3 ARGS`. */
export async function kdig(port: number, ...args: string[]): Promise<DigResult> {
  return parse(await run('kdig', ['@127.0.0.1', '-p', String(port), '+norec', '+retry=0', '+time=3', ...args]));
}
