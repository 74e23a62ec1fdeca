import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindConfig, zoneFile, type TsigKey, type ZoneFileRecord } from './bind-config';
import { binPath } from './bin-path';
import { registerCleanup, unregisterCleanup, type SyncCleanup } from './cleanup-registry';
import { run, type CommandResult } from './command';
import { digArgs, digRepeatArgs, parseDigYaml, parseDigYamlAll, type DigOptions, type DigResult } from './dig';
import { ManagedProcess } from './managed-process';
import { requireNetnsRights } from './rights';
import { namespaceName, newRunName, runBase, type RunName } from './run-names';
import { removeNamespaceSync, sweep } from './sweep';
import { unboundConfig } from './unbound-config';
import type { HeartbeatRecord, ZoneRecord, ZoneSpec } from './zone-model';

export type NodeRole = 'edge' | 'region' | 'witness' | 'client' | 'host';

/** One host of the test network: a namespace with one address, linked to the core router. */
export interface NetNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly namespace: string;
  readonly address: string;
  /** The node's link number on the core router (its address is 10.<subnet>.<index>.2). */
  readonly index: number;
}

/** A region's namespace, where its services and sample backends run. */
export interface RegionNode extends NetNode {
  readonly geotag: string;
  /** The region's nameserver name in the parent zone, k8gb style: `gslb-ns-eu-gslb.example.com`. */
  readonly nameserver: string;
  /** `<geotag>._witness.<zone>`: answered only by this region's nameservers. */
  readonly heartbeatName: string;
}

export interface NetworkSpec {
  /** Geotags; each region gets a namespace whose address is its nameserver's. */
  readonly regions: readonly string[];
  /** Unbound witness resolvers, each in its own namespace (default 3). */
  readonly witnessResolvers?: number;
  /** An Unbound client resolver, the path a user's queries take (default true). */
  readonly clientResolver?: boolean;
  /** More namespaces without a DNS role (a client host, a backend…). */
  readonly hosts?: readonly string[];
  /** The delegated GSLB zone (default `gslb.example.com`); the edge serves its parent. */
  readonly zone?: string;
  /** More records in the parent zone (for example `app.example.com CNAME app.gslb.example.com`). */
  readonly edgeRecords?: readonly ZoneFileRecord[];
  /** Start the edge BIND and the resolvers (default true). */
  readonly startDns?: boolean;
  /** More `server:` lines for every Unbound. */
  readonly resolverOptions?: readonly string[];
  /** Namespace name prefix (default `mrd`). */
  readonly prefix?: string;
  /** Second octet of the addresses, 10.<subnet>.<node>.2 (default 77). */
  readonly subnet?: number;
  /** Keep configs and logs after destroy (default: $NETNS_HARNESS_KEEP is 1). */
  readonly keepArtifacts?: boolean;
}

/** Another Unbound inside a node, next to the network's own resolvers. */
export interface ResolverOptions {
  /** Process and directory name (default `unbound`: the node's own resolver). */
  readonly name?: string;
  /** Listens on the node's address and on 127.0.0.1 at this port (default 53). */
  readonly port?: number;
  /** `module-config` (default `iterator`). */
  readonly modules?: string;
  /** More `server:` lines, verbatim (`cache-max-ttl: 0`, `send-client-subnet: 10.77.2.2`…). */
  readonly options?: readonly string[];
}

export interface StartOptions {
  readonly ready?: RegExp;
  readonly readyTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** A host-side loopback port that reaches a TCP port inside a namespace. */
export interface Forward {
  readonly host: string;
  readonly port: number;
  /** `127.0.0.1:port`. */
  readonly address: string;
  close(): Promise<void>;
}

type NodeRef = string | NetNode;

const CORE = 'core';
const NODE_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/**
 * A multi-region network made of namespaces on this machine, for tests and benchmarks:
 * - one namespace per region, one for the edge DNS (BIND 9 serving a root zone and the parent
 *   zone with the GSLB zone's delegation and glue), one per witness resolver and one for the
 *   client resolver (Unbound, resolving from the root as the internet does), plus any hosts;
 * - every node is linked by a veth pair to a core router namespace; links are cut per pair
 *   of nodes with blackhole rules on the router, so packets vanish silently as in a real
 *   partition, and healed by removing them;
 * - programs started in a node run inside its namespace with their output logged;
 * - nothing changes in the host's own network: only namespaces named `<prefix><pid>x<id>-*`
 *   appear, and they go on `destroy`, on exit, on SIGINT/SIGTERM, or at the next run's sweep.
 */
export class Network implements SyncCleanup {
  readonly run: RunName;
  readonly dir: string;
  readonly zone: string;
  readonly parentZone: string;
  readonly edge: NetNode;
  readonly regions: Readonly<Record<string, RegionNode>>;
  readonly witnessResolvers: readonly NetNode[];
  readonly client: NetNode | undefined;
  readonly hosts: Readonly<Record<string, NetNode>>;
  /** The key the edge accepts RFC 2136 updates of the parent zone with. */
  readonly edgeTsig: TsigKey;
  private readonly nodes = new Map<string, NetNode>();
  private readonly coreNamespace: string;
  private readonly processes: ManagedProcess[] = [];
  private readonly forwards = new Set<Server>();
  /** Active blackhole rules on the router: key → rule preference. */
  private readonly rules = new Map<string, { pref: number; selector: string[] }>();
  private nextPref = 1000;
  private readonly keep: boolean;
  private destroyed = false;

  private constructor(spec: NetworkSpec) {
    this.run = newRunName(spec.prefix);
    this.dir = join(tmpdir(), runBase(this.run));
    this.zone = (spec.zone ?? 'gslb.example.com').toLowerCase();
    const dot = this.zone.indexOf('.');
    if (dot < 0) throw new Error(`zone "${this.zone}" must have a parent zone (for example gslb.example.com)`);
    this.parentZone = this.zone.slice(dot + 1);
    this.keep = spec.keepArtifacts ?? process.env['NETNS_HARNESS_KEEP'] === '1';
    this.coreNamespace = namespaceName(this.run, CORE);
    this.edgeTsig = { name: 'meridian-edge', algorithm: 'hmac-sha256', secret: randomBytes(32).toString('base64') };
    const subnet = spec.subnet ?? 77;
    const plan: [string, NodeRole][] = [
      ['edge', 'edge'],
      ...spec.regions.map((r): [string, NodeRole] => [r, 'region']),
      ...Array.from({ length: spec.witnessResolvers ?? 3 }, (_, i): [string, NodeRole] => [`witness-${i + 1}`, 'witness']),
      ...((spec.clientResolver ?? true) ? [['client', 'client'] as [string, NodeRole]] : []),
      ...(spec.hosts ?? []).map((h): [string, NodeRole] => [h, 'host']),
    ];
    if (plan.length > 250) throw new Error('at most 250 nodes');
    const label = this.zone.slice(0, dot).replace(/\./g, '-');
    plan.forEach(([name, role], i) => {
      if (!NODE_NAME.test(name) || name === CORE) throw new Error(`node name "${name}" must be a short lower-case label (not "core")`);
      if (this.nodes.has(name)) throw new Error(`node name "${name}" is used twice`);
      const base = { name, role, namespace: namespaceName(this.run, name), address: `10.${subnet}.${i + 1}.2`, index: i + 1 };
      const region: RegionNode | undefined =
        role === 'region' ? { ...base, geotag: name, nameserver: `gslb-ns-${name}-${label}.${this.parentZone}`, heartbeatName: `${name}._witness.${this.zone}` } : undefined;
      const node: NetNode = region ?? base;
      this.nodes.set(name, node);
    });
    this.edge = this.nodes.get('edge') as NetNode;
    this.regions = Object.fromEntries(spec.regions.map((r) => [r, this.nodes.get(r) as RegionNode]));
    this.witnessResolvers = [...this.nodes.values()].filter((n) => n.role === 'witness');
    this.client = this.nodes.get('client');
    this.hosts = Object.fromEntries((spec.hosts ?? []).map((h) => [h, this.nodes.get(h) as NetNode]));
  }

  /**
   * Builds the network (and, unless `startDns` is false, starts the edge BIND and the
   * resolvers). Refuses with a clear message without root or `ip netns`; removes leftovers
   * of dead runs first.
   */
  static async create(spec: NetworkSpec): Promise<Network> {
    requireNetnsRights();
    sweep(spec.prefix ? { prefix: spec.prefix } : {});
    const network = new Network(spec);
    registerCleanup(network);
    try {
      mkdirSync(join(network.dir, 'logs'), { recursive: true });
      await network.buildLinks(spec.subnet ?? 77);
      if (spec.startDns ?? true) await network.startDns(spec);
      return network;
    } catch (err) {
      await network.destroy();
      throw err;
    }
  }

  /** Every node: edge, regions, witness resolvers, client, hosts. */
  get allNodes(): NetNode[] {
    return [...this.nodes.values()];
  }

  node(ref: NodeRef): NetNode {
    const node = typeof ref === 'string' ? this.nodes.get(ref) : this.nodes.get(ref.name);
    if (!node) throw new Error(`no node "${typeof ref === 'string' ? ref : ref.name}" in this network (nodes: ${[...this.nodes.keys()].join(', ')})`);
    return node;
  }

  /** A path inside this run's directory (configs, logs, sockets). */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Writes a file into this run's directory and returns its path. */
  writeFile(relativePath: string, content: string): string {
    const path = this.path(relativePath);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  // --- links ---------------------------------------------------------------------------

  /** Drops every packet between two nodes, both ways, until `heal`. */
  async cut(a: NodeRef, b: NodeRef): Promise<void> {
    const [x, y] = [this.node(a), this.node(b)];
    await this.addRule(`pair:${x.name}>${y.name}`, ['from', x.address, 'to', y.address]);
    await this.addRule(`pair:${y.name}>${x.name}`, ['from', y.address, 'to', x.address]);
  }

  async heal(a: NodeRef, b: NodeRef): Promise<void> {
    const [x, y] = [this.node(a), this.node(b)];
    await this.removeRule(`pair:${x.name}>${y.name}`);
    await this.removeRule(`pair:${y.name}>${x.name}`);
  }

  /** Cuts a node off from every other node (its own loopback still works). */
  async isolate(ref: NodeRef): Promise<void> {
    const x = this.node(ref);
    await this.addRule(`all:${x.name}>`, ['from', x.address]);
    await this.addRule(`all:>${x.name}`, ['to', x.address]);
  }

  async rejoin(ref: NodeRef): Promise<void> {
    const x = this.node(ref);
    await this.removeRule(`all:${x.name}>`);
    await this.removeRule(`all:>${x.name}`);
  }

  /** Cuts every link between the two groups. */
  async partition(groupA: readonly NodeRef[], groupB: readonly NodeRef[]): Promise<void> {
    for (const a of groupA) for (const b of groupB) await this.cut(a, b);
  }

  /** Removes every cut and isolation. */
  async healAll(): Promise<void> {
    for (const key of [...this.rules.keys()]) await this.removeRule(key);
  }

  /** The cuts in force, as `a>b` (pairs) or `a>`/`>a` (isolation). */
  get cuts(): string[] {
    return [...this.rules.keys()];
  }

  /** Whether packets can flow from `a` to `b` by the rules in force. */
  connected(a: NodeRef, b: NodeRef): boolean {
    const [x, y] = [this.node(a), this.node(b)];
    return !this.rules.has(`pair:${x.name}>${y.name}`) && !this.rules.has(`all:${x.name}>`) && !this.rules.has(`all:>${y.name}`);
  }

  // --- programs --------------------------------------------------------------------------

  /** Starts a program inside a node's namespace; its output goes to `logs/<node>-<name>.log`. */
  async start(ref: NodeRef, name: string, command: string, args: readonly string[], options: StartOptions = {}): Promise<ManagedProcess> {
    const node = this.node(ref);
    const proc = await ManagedProcess.start({
      name: `${node.name}/${name}`,
      command,
      args,
      namespace: node.namespace,
      logFile: this.path('logs', `${node.name}-${name}.log`),
      ...options,
    });
    this.processes.push(proc);
    return proc;
  }

  /** Runs a command inside a node's namespace to completion. */
  exec(ref: NodeRef, command: string, args: readonly string[], options: { timeoutMs?: number; check?: boolean } = {}): Promise<CommandResult> {
    return run('ip', ['netns', 'exec', this.node(ref).namespace, command, ...args], { check: options.check ?? false, timeoutMs: options.timeoutMs ?? 30_000 });
  }

  /** `dig` from inside a node, at a server (a node or an address). */
  async dig(ref: NodeRef, server: NodeRef | string, name: string, type = 'A', options: DigOptions = {}): Promise<DigResult> {
    const address = typeof server === 'string' && !this.nodes.has(server) ? server : this.node(server).address;
    const out = await this.exec(ref, 'dig', digArgs(address, name, type, options));
    return parseDigYaml(out.stdout);
  }

  /**
   * Asks the same question `count` times in a row from inside a node, with one dig process
   * (one message per question, in order): the samples of a per-query choice, such as a
   * weighted pick. A question that got no reply is NO-REPLY.
   */
  async digRepeat(ref: NodeRef, server: NodeRef | string, name: string, type: string, count: number, options: DigOptions = {}): Promise<DigResult[]> {
    const address = typeof server === 'string' && !this.nodes.has(server) ? server : this.node(server).address;
    const out = await this.exec(ref, 'dig', digRepeatArgs(address, name, type, count, options), { timeoutMs: 30_000 + count * 1_000 });
    const results = parseDigYamlAll(out.stdout);
    if (results.length !== count) throw new Error(`dig asked ${count} questions but printed ${results.length} messages:\n${out.stdout.slice(0, 2000)}\n${out.stderr}`);
    return results;
  }

  /**
   * Starts another Unbound resolving from the edge's root inside a node (for example a
   * client resolver without a cache, or with EDNS Client Subnet), listening on the node's
   * address and 127.0.0.1 at `port`; its files go to `<node>/<name>/`.
   */
  startResolver(ref: NodeRef, options: ResolverOptions = {}): Promise<ManagedProcess> {
    return this.startUnbound(this.node(ref), options);
  }

  /**
   * The zone a region's nameservers serve, as `records` and `dns` will publish it: apex NS of
   * every region, the other regions' heartbeat names delegated to their own nameservers
   * only, and this region's heartbeat (a TXT whose sequence moves every interval).
   */
  regionZone(geotag: string, options: { heartbeatIntervalMs?: number; records?: readonly ZoneRecord[] } = {}): ZoneSpec {
    const me = this.region(geotag);
    const others = Object.values(this.regions).filter((r) => r.geotag !== geotag);
    const heartbeat: HeartbeatRecord = { name: me.heartbeatName, region: geotag, intervalMs: options.heartbeatIntervalMs ?? 1000, ttl: 1 };
    return {
      origin: this.zone,
      nameservers: Object.values(this.regions).map((r) => ({ name: r.nameserver })),
      delegations: others.map((o) => ({ name: o.heartbeatName, nameservers: [{ name: o.nameserver }] })),
      heartbeats: [heartbeat],
      records: options.records ?? [],
    };
  }

  region(geotag: string): RegionNode {
    const region = this.regions[geotag];
    if (!region) throw new Error(`no region "${geotag}" (regions: ${Object.keys(this.regions).join(', ')})`);
    return region;
  }

  /** Runs the harness's tiny authoritative responder inside a node (default port 53). */
  async startResponder(ref: NodeRef, zone: ZoneSpec, options: { port?: number; name?: string } = {}): Promise<ManagedProcess> {
    const node = this.node(ref);
    const name = options.name ?? 'responder';
    const config = this.writeFile(`${node.name}/${name}.json`, JSON.stringify({ zone, host: node.address, port: options.port ?? 53 }, null, 2));
    return this.start(node, name, process.execPath, [binPath('authoritative-responder'), config], { ready: /"listening"/ });
  }

  /**
   * Makes a TCP port inside a node reachable from this process at 127.0.0.1:<port>, through
   * a Unix socket (namespaces share the file system): gRPC, metrics, anything over TCP.
   */
  async forward(ref: NodeRef, port: number, targetHost = '127.0.0.1'): Promise<Forward> {
    const node = this.node(ref);
    const socketPath = this.path(`fwd-${node.name}-${port}.sock`);
    const helper = await this.start(node, `forward-${port}`, process.execPath, [binPath('unix-forwarder'), socketPath, targetHost, String(port)], {
      ready: /"forwarding"/,
    });
    const server = createServer((inbound) => {
      const outbound = connect(socketPath);
      inbound.pipe(outbound).pipe(inbound);
      const close = () => {
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', close);
      outbound.on('error', close);
      inbound.on('close', close);
      outbound.on('close', close);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.forwards.add(server);
    const local = (server.address() as { port: number }).port;
    return {
      host: '127.0.0.1',
      port: local,
      address: `127.0.0.1:${local}`,
      close: async () => {
        this.forwards.delete(server);
        server.close();
        await helper.stop();
      },
    };
  }

  /** The pids of every process started in the network (running or not). */
  processPids(): number[] {
    return this.processes.flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
  }

  /** The last lines of every process's log, for a failing test's message. */
  logTails(lines = 20): string {
    return this.processes.map((p) => `--- ${p.name} (${p.running ? 'running' : 'exited'})\n${p.tail(lines)}`).join('\n');
  }

  /** Stops every process, deletes every namespace and (unless kept) the run's directory. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const server of this.forwards) server.close();
    this.forwards.clear();
    await Promise.all(this.processes.map((p) => p.stop('SIGTERM', 2_000)));
    this.removeNamespaces();
    unregisterCleanup(this);
  }

  /** The same, synchronously, for exit and signal handlers. */
  cleanupSync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const server of this.forwards) server.close();
    for (const p of this.processes) p.killSync();
    this.removeNamespaces();
  }

  private removeNamespaces(): void {
    for (const node of this.nodes.values()) removeNamespaceSync(node.namespace);
    removeNamespaceSync(this.coreNamespace);
    if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  // --- building --------------------------------------------------------------------------

  private async ip(args: string[]): Promise<void> {
    await run('ip', args);
  }

  private async buildLinks(subnet: number): Promise<void> {
    const core = this.coreNamespace;
    await this.ip(['netns', 'add', core]);
    await this.ip(['-n', core, 'link', 'set', 'lo', 'up']);
    await run('ip', ['netns', 'exec', core, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
    for (const node of this.nodes.values()) {
      const ns = node.namespace;
      const port = `n${node.index}`;
      await this.ip(['netns', 'add', ns]);
      await this.ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      // Both ends are created directly inside their namespaces: nothing appears on the host.
      await this.ip(['link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', core]);
      await this.ip(['-n', ns, 'addr', 'add', `${node.address}/24`, 'dev', 'eth0']);
      await this.ip(['-n', core, 'addr', 'add', `10.${subnet}.${node.index}.1/24`, 'dev', port]);
      await this.ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
      await this.ip(['-n', core, 'link', 'set', port, 'up']);
      await this.ip(['-n', ns, 'route', 'add', 'default', 'via', `10.${subnet}.${node.index}.1`]);
    }
  }

  private async addRule(key: string, selector: string[]): Promise<void> {
    if (this.rules.has(key)) return;
    const pref = this.nextPref++;
    await this.ip(['-n', this.coreNamespace, 'rule', 'add', ...selector, 'blackhole', 'pref', String(pref)]);
    this.rules.set(key, { pref, selector });
  }

  private async removeRule(key: string): Promise<void> {
    const rule = this.rules.get(key);
    if (!rule) return;
    await this.ip(['-n', this.coreNamespace, 'rule', 'del', ...rule.selector, 'blackhole', 'pref', String(rule.pref)]);
    this.rules.delete(key);
  }

  private async startDns(spec: NetworkSpec): Promise<void> {
    const edge = this.edge;
    const rootNs = 'ns.root-servers.test';
    const parentNs = `ns.${this.parentZone}`;
    const root = zoneFile('.', rootNs, [
      { name: '@', type: 'NS', data: rootNs },
      { name: rootNs, type: 'A', data: edge.address },
      { name: this.parentZone, type: 'NS', data: parentNs },
      { name: parentNs, type: 'A', data: edge.address },
    ]);
    const parent = zoneFile(this.parentZone, parentNs, [
      { name: '@', type: 'NS', data: parentNs },
      { name: parentNs, type: 'A', data: edge.address },
      ...Object.values(this.regions).flatMap((r) => [
        { name: this.zone, type: 'NS', data: r.nameserver, ttl: 30 },
        { name: r.nameserver, type: 'A', data: r.address, ttl: 30 },
      ]),
      ...(spec.edgeRecords ?? []),
    ]);
    const edgeDir = this.path('edge');
    mkdirSync(edgeDir, { recursive: true });
    const bind = bindConfig({
      dir: edgeDir,
      listen: [
        { address: edge.address, port: 53 },
        { address: '127.0.0.1', port: 53 },
      ],
      zones: [
        { name: '.', text: root },
        { name: this.parentZone, text: parent, updateKey: this.edgeTsig },
      ],
    });
    for (const [file, text] of Object.entries(bind.files)) writeFileSync(join(edgeDir, file), text);
    writeFileSync(join(edgeDir, 'named.conf'), bind.conf);
    const resolvers = [...this.witnessResolvers, ...(this.client ? [this.client] : [])];
    await Promise.all([
      this.start(edge, 'named', 'named', ['-g', '-n', '1', '-c', join(edgeDir, 'named.conf')], { ready: /running$/m }),
      ...resolvers.map((node) => this.startUnbound(node, { options: spec.resolverOptions ?? [] })),
    ]);
  }

  private async startUnbound(node: NetNode, options: ResolverOptions): Promise<ManagedProcess> {
    const name = options.name ?? 'unbound';
    if (!NODE_NAME.test(name)) throw new Error(`resolver name "${name}" must be a short lower-case label`);
    const port = options.port ?? 53;
    // The node's own resolver keeps its files in <node>/, as before; others in <node>/<name>/.
    const dir = name === 'unbound' ? this.path(node.name) : this.path(node.name, name);
    mkdirSync(dir, { recursive: true });
    const { conf, rootHints } = unboundConfig({
      dir,
      listen: [
        { address: node.address, port },
        { address: '127.0.0.1', port },
      ],
      rootServers: [{ name: 'ns.root-servers.test', address: this.edge.address }],
      ...(options.modules ? { modules: options.modules } : {}),
      extra: ['do-ip6: no', ...(options.options ?? [])],
    });
    writeFileSync(join(dir, 'unbound.conf'), conf);
    if (rootHints) writeFileSync(join(dir, 'root.hints'), rootHints);
    return this.start(node, name, 'unbound', ['-d', '-c', join(dir, 'unbound.conf')], { ready: /start of service/ });
  }
}
