// The import rules of docs/architecture.md, checked by `npm run lint:deps` (part of `npm test`).
// Each rule names the folder it guards and forbids every src/ import outside what that folder may
// use; npm packages are free (zod, ssh2...), Node built-ins are limited by the `*-no-io` rules.
// Type-only imports count too: a port's types are part of the arrow.

/** Why: one "may import only these src/ paths" rule per folder, so a violation names the folder. */
function onlyImports(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: '^src/', pathNot: allowed },
  };
}

const MODEL = '^src/model/';
const PROTOCOL = '^src/protocol/';
const WINDOWS_COMMON = '^src/windows-common/';
const WINRM_COMMON = '^src/winrm-common/';
const LOCAL = '^src/local/';
const SSH2 = '^src/ssh2/';
const REMOTE_COMMON = '^src/remote-common/';
// The port type files adapters implement; they import model only (checked by connector/client rules).
const PORTS = '^src/(connector|client)/ports[.]ts$';

module.exports = {
  forbidden: [
    onlyImports(
      'model-is-pure',
      MODEL,
      [MODEL],
      'src/model is the pure domain: it imports nothing else in src.',
    ),
    onlyImports('protocol-on-model', PROTOCOL, [MODEL, PROTOCOL], 'src/protocol imports src/model only.'),
    onlyImports(
      'connector-over-ports',
      '^src/connector/',
      [MODEL, PROTOCOL, '^src/connector/'],
      'src/connector is pure orchestration over its ports: model, protocol and its own files only; adapters are wired in src/cli.',
    ),
    onlyImports(
      'client-over-ports',
      '^src/client/',
      [MODEL, PROTOCOL, '^src/client/'],
      'src/client gets UpdateAgent/SystemPort injected: model, protocol and its own files only.',
    ),
    onlyImports(
      'windows-common-on-model',
      WINDOWS_COMMON,
      [MODEL, PROTOCOL, WINDOWS_COMMON],
      'src/windows-common is Windows knowledge shared by ssh, windows and lab: model (and protocol) only.',
    ),
    onlyImports(
      'winrm-common-on-model',
      WINRM_COMMON,
      [MODEL, WINRM_COMMON],
      'src/winrm-common (NTLM, WinRM message encryption, WS-Man names) is shared by the winrm adapter and the lab: model only.',
    ),
    onlyImports(
      'local-on-model',
      LOCAL,
      [MODEL, LOCAL],
      'src/local (controller-side exec, ping, TCP probe) imports src/model only.',
    ),
    onlyImports(
      'ssh2-loader',
      SSH2,
      [SSH2],
      'src/ssh2 (how ssh2 is loaded and keyed) imports nothing else in src.',
    ),
    {
      name: 'ssh2-through-loader',
      comment:
        'Only src/ssh2/ssh2.ts loads the ssh2 package, between its padding-pool modules (docs/architecture.md); import ssh2 from src/ssh2/ssh2.ts, types from ssh2.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/ssh2/ssh2[.]ts$' },
      to: { path: 'node_modules/ssh2/', dependencyTypesNot: ['type-only'] },
    },
    onlyImports(
      'remote-common-on-model',
      REMOTE_COMMON,
      [MODEL, PROTOCOL, WINDOWS_COMMON, REMOTE_COMMON],
      'src/remote-common (what the ssh and winrm transports share) imports model, protocol and windows-common only.',
    ),
    onlyImports(
      'ssh-adapter',
      '^src/ssh/',
      [MODEL, PROTOCOL, WINDOWS_COMMON, REMOTE_COMMON, LOCAL, PORTS, SSH2, '^src/ssh/'],
      'src/ssh implements the ports: model, protocol, windows-common, remote-common, local, ssh2, the port type files and its own files.',
    ),
    onlyImports(
      'winrm-adapter',
      '^src/winrm/',
      [MODEL, PROTOCOL, WINDOWS_COMMON, REMOTE_COMMON, '^src/winrm-common/', LOCAL, PORTS, '^src/winrm/'],
      'src/winrm implements the ports: model, protocol, windows-common, remote-common, winrm-common, local, the port type files and its own files.',
    ),
    onlyImports(
      'windows-adapter',
      '^src/windows/',
      [MODEL, PROTOCOL, WINDOWS_COMMON, LOCAL, PORTS, '^src/windows/'],
      'src/windows implements the ports: model, protocol, windows-common, local, the port type files and its own files.',
    ),
    onlyImports(
      'lab-emulates',
      '^src/lab/',
      [MODEL, PROTOCOL, '^src/client/', WINDOWS_COMMON, WINRM_COMMON, SSH2, '^src/lab/'],
      'src/lab may import model, protocol, client, windows-common, winrm-common, ssh2 and itself; never cli, connector or the real adapters.',
    ),
    {
      name: 'cli-is-the-root',
      comment: 'src/cli is the composition root: nothing else in src imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-io-in-pure-code',
      comment: 'src/connector and src/model reach processes, sockets and files only through ports.',
      severity: 'error',
      from: { path: '^src/(connector|model)/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(child_process|net|fs|fs/promises)$' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes the parts inseparable: split the shared piece out.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
