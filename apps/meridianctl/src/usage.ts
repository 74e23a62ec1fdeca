export const USAGE = `Usage: meridianctl <command> [flags]

Commands:
  status                      regions and verdicts, peers, zone version and epoch, prober hosts
  hosts                       each host's current answer per address family
  explain <host>              why a host answers what it answers
  watch                       stream zone and verdict changes until Ctrl-C

Flags:
  --region eu|us              the local demo's region (default eu); repeat for hosts
  --all-regions               hosts: every demo region (eu and us)
  --records host:port         explicit addresses; override the region's defaults
  --witness host:port
  --peer-sync host:port
  --prober host:port
  --dns host:port
  --client-subnet CIDR        explain: the client's address or subnet (geoip, ECS)
  --ca FILE                   TLS: CA that verifies the servers
  --cert FILE --key FILE      TLS: client certificate and key (mutual TLS)
  --timeout SECONDS           deadline of every call (default 5)
  --json                      machine-readable JSON instead of tables
  -h, --help                  this help

Examples:
  npx meridianctl status
  npx meridianctl explain failover.gslb.example.com
  npx meridianctl explain geo.gslb.example.com --client-subnet 10.2.0.0/16 --region us
  npx meridianctl hosts --all-regions
  npx meridianctl watch --json
`;
