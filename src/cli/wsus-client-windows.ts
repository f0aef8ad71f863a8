// Entry point of the shipped wsus-client.exe: the WUA bridge and Windows system adapter, no lab
// (scripts/build-windows.mjs checks the bundle).
import { windowsClientPlatform } from './client-platform.ts';
import { runClientProcess } from './client-process.ts';

runClientProcess(windowsClientPlatform);
