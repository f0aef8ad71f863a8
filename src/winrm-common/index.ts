// What src/winrm and src/lab/winrm use from here: NTLMv2 both sides, its session, WinRM's sealed
// HTTP bodies and the WS-Management names (docs/architecture.md).

export {
  ENCRYPTED_CONTENT_TYPE,
  ENCRYPTION_PROTOCOL,
  isEncryptedContentType,
  sealHttpBody,
  unsealHttpBody,
} from './http-encryption.ts';
export {
  CLIENT_FLAGS,
  createNtlmClient,
  type NtlmClientHandshake,
  type NtlmCredentials,
} from './ntlm-client.ts';
export { NtlmError } from './ntlm-crypto.ts';
export { FLAG } from './ntlm-messages.ts';
export {
  createNtlmServer,
  type NtlmServerHandshake,
  type NtlmServerOptions,
  type NtlmVerdict,
} from './ntlm-server.ts';
export { type NtlmRole, NtlmSession } from './ntlm-session.ts';
export { ACTION, ANONYMOUS, COMMAND_STATE, NS, RESOURCE_URI_CMD, SIGNAL } from './wsman-uris.ts';
