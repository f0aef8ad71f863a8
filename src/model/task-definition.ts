// What the connector asks the Task Scheduler to run, independent of how a transport registers it:
// the adapters turn it into Task Scheduler XML (src/windows-common/task-xml.ts).

export interface TaskDefinition {
  description: string;
  command: string;
  arguments: string;
  workingDirectory: string;
  /** Always written with an explicit offset, so a target in another zone never shifts it. */
  startBoundary: Date;
  endBoundary?: Date | undefined;
  /** xs:duration, e.g. PT4H (PT0S would mean no limit). */
  executionTimeLimit: string;
  /** RegistrationInfo/URI, e.g. \WsusConnector\Patch. */
  uri?: string | undefined;
  /** Where the adapter stages the XML on the target (an admin-only folder). */
  xmlPath: string;
}
