// The WS-Management names the winrm transport's envelopes use (MS-WSMV 2.2.1 namespaces, 3.1.4
// action URIs, 2.2.4.38 signal codes, 2.2.4.9 command states).

export const WSMAN_NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
} as const;

const SHELL = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';

export const WSMAN_RESOURCE_CMD = `${SHELL}/cmd`;

export const WSMAN_ACTION = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: `${SHELL}/Command`,
  send: `${SHELL}/Send`,
  receive: `${SHELL}/Receive`,
  signal: `${SHELL}/Signal`,
} as const;

export const WSMAN_SIGNAL = {
  terminate: `${SHELL}/signal/terminate`,
  ctrlC: `${SHELL}/signal/ctrl_c`,
} as const;

export const COMMAND_STATE_DONE = `${SHELL}/CommandState/Done`;
