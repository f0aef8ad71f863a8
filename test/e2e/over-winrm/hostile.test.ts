// The hostile test of test/e2e/ again, over WinRM (docs/winrm.md): the lab serves both transports
// on every host, and a run over either must end with the same codes.
process.env.E2E_TRANSPORT = 'winrm';
await import('../hostile.test.ts');
