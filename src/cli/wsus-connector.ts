// Entry point of the npm `wsus-connector` bin: the whole CLI, the `lab` subcommand included
// (loaded only when it runs).
import { runConnectorProcess } from './connector-process.ts';

runConnectorProcess(async (raw, io) => (await import('./lab-command.ts')).runLab(raw, io));
