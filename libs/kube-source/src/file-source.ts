import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ResourceSink, ResourceSource, SpecProblem, StoredObject } from '@meridian/gslb-resources';
import type { Logger } from '@meridian/logging';
import { parseManifests, withoutDuplicates } from './parse-manifests';
import { nullObserver, type SourceObserver } from './source-observer';

export interface FileSourceOptions {
  /** YAML files of Kubernetes-shaped objects (Gslb, Ingress, Service, EndpointSlice, Gateway, routes). */
  paths: readonly string[];
  logger: Logger;
  observer?: SourceObserver;
  /** Files are also re-read on this period, for filesystems where change events are unreliable. */
  pollIntervalMs?: number;
  /** Change events closer than this are read once. */
  debounceMs?: number;
}

interface FileState {
  hash: string | undefined;
  objects: StoredObject[];
  problems: SpecProblem[];
}

const SCOPE = 'file';

/**
 * File mode: the objects of a set of YAML files, re-read when a file changes (watched, and
 * polled as a fallback). A broken document is reported and skipped; a file that cannot be
 * read keeps the objects it last had, so an editor's save never empties a region.
 */
export class FileResourceSource implements ResourceSource {
  readonly description: string;
  private readonly paths: string[];
  private readonly files = new Map<string, FileState>();
  private readonly watchers: FSWatcher[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private sink: ResourceSink | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: FileSourceOptions) {
    this.paths = options.paths.map((p) => resolve(p));
    this.description = this.paths.length > 0 ? this.paths.map((p) => `file:${p}`).join(', ') : 'no resource files';
  }

  async start(sink: ResourceSink): Promise<void> {
    this.sink = sink;
    await this.reload();
    sink.synced();
    (this.options.observer ?? nullObserver).synced();
    for (const dir of new Set(this.paths.map((p) => dirname(p)))) {
      try {
        // Watch the directory: editors and ConfigMap updates replace files rather than write them.
        const watcher = watch(dir, (_event, name) => {
          if (name === null || this.paths.some((p) => dirname(p) === dir && (basename(p) === String(name) || String(name).startsWith('..')))) this.schedule();
        });
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch (err) {
        this.options.logger.warn('cannot watch a directory; relying on polling', { dir, err });
      }
    }
    if (this.paths.length > 0) {
      this.pollTimer = setInterval(() => this.schedule(), this.options.pollIntervalMs ?? 1000);
      this.pollTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.debounceTimer);
    for (const watcher of this.watchers) watcher.close();
    await this.reloading;
  }

  /** Reads every file again now (tests and SIGHUP-style triggers). */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.readAll());
    return this.reloading;
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 50);
  }

  private async readAll(): Promise<void> {
    if (this.stopped || !this.sink) return;
    const observer = this.options.observer ?? nullObserver;
    let changed = false;
    for (const path of this.paths) {
      const previous = this.files.get(path) ?? { hash: undefined, objects: [], problems: [] };
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'the file does not exist' : String((err as Error).message);
        const problem: SpecProblem = {
          source: `file:${path}`,
          resource: 'file',
          field: '',
          message: `cannot read: ${reason}; fix: restore the file (the ${previous.objects.length} objects last read from it are kept)`,
        };
        if (previous.hash !== 'unreadable') {
          this.files.set(path, { hash: 'unreadable', objects: previous.objects, problems: [problem] });
          changed = true;
          observer.fileLoaded(path, false);
          this.options.logger.warn('cannot read a resource file; keeping what it last held', { path, reason });
        }
        continue;
      }
      const hash = createHash('sha256').update(text).digest('hex');
      if (hash === previous.hash) continue;
      const parsed = parseManifests(text, path);
      this.files.set(path, { hash, objects: parsed.objects, problems: parsed.problems });
      changed = true;
      observer.fileLoaded(path, parsed.problems.length === 0);
      if (parsed.problems.length > 0) this.options.logger.warn('resource file has problems; the rest is used', { path, problems: parsed.problems.length });
      this.options.logger.info('read resource file', { path, objects: parsed.objects.length });
    }
    if (!changed && this.files.size > 0) return;
    const problems = [...this.files.values()].flatMap((f) => f.problems);
    const objects = withoutDuplicates([...this.files.values()].flatMap((f) => f.objects), problems);
    this.sink.replace(SCOPE, objects, problems);
  }
}
