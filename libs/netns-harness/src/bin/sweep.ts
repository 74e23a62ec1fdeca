#!/usr/bin/env node
// Removes what test networks left behind (a run killed with SIGKILL cannot clean up):
//   node libs/netns-harness/dist/bin/sweep.js [--prefix mrd] [--all]
// Without --all, only runs whose owner process is gone are touched.
import { sweep } from '../sweep';

const args = process.argv.slice(2);
const prefixAt = args.indexOf('--prefix');
const report = sweep({ ...(prefixAt >= 0 && args[prefixAt + 1] ? { prefix: args[prefixAt + 1] as string } : {}), includeLive: args.includes('--all') });
process.stdout.write(
  `removed ${report.namespaces.length} namespace(s), killed ${report.killed.length} process(es), removed ${report.directories.length} directory(ies)\n` +
    [...report.namespaces, ...report.directories].map((n) => `  ${n}\n`).join(''),
);
