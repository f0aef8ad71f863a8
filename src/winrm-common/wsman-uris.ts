// The WS-Management names both the WinRM client and the lab's listener use (MS-WSMV 2.2.4 and
// 3.1.4.1; DSP0226 WS-Management 1.x): SOAP 1.2 namespaces, the shell resource URI, actions,
// signals and command states.

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
} as const;

export const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
export const RESOURCE_URI_CMD = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd';

const SHELL = NS.rsp;
export const ACTION = {
  create: `${NS.x}/Create`,
  createResponse: `${NS.x}/CreateResponse`,
  delete: `${NS.x}/Delete`,
  deleteResponse: `${NS.x}/DeleteResponse`,
  command: `${SHELL}/Command`,
  commandResponse: `${SHELL}/CommandResponse`,
  send: `${SHELL}/Send`,
  sendResponse: `${SHELL}/SendResponse`,
  receive: `${SHELL}/Receive`,
  receiveResponse: `${SHELL}/ReceiveResponse`,
  signal: `${SHELL}/Signal`,
  signalResponse: `${SHELL}/SignalResponse`,
  /** A WS-Management fault (DSP0226 "wsman:fault"). */
  wsmanFault: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
  /** A WS-Addressing fault (e.g. a missing action or destination). */
  addressingFault: `${NS.a}/fault`,
} as const;

export const SIGNAL = {
  terminate: `${SHELL}/signal/terminate`,
  ctrlC: `${SHELL}/signal/ctrl_c`,
} as const;

export const COMMAND_STATE = {
  done: `${SHELL}/CommandState/Done`,
  running: `${SHELL}/CommandState/Running`,
  pending: `${SHELL}/CommandState/Pending`,
} as const;
