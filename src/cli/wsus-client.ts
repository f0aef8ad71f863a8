// Entry point of the npm `wsus-client` bin: the real platform adapters plus the lab agent.
import { labClientPlatform } from './client-platform-lab.ts';
import { runClientProcess } from './client-process.ts';

runClientProcess(labClientPlatform);
