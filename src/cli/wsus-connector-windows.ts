// Entry point of the shipped wsus-connector.exe: the CLI without the lab, so no lab code ships
// (scripts/build-windows.mjs checks the bundle).
import { runConnectorProcess } from './connector-process.ts';

runConnectorProcess();
