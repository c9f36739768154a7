/** A command as the gateway protocol hands it out (section 5). */
export interface ProtocolCommand {
  commandId: string;
  sequence: number;
  type: string;
  parameters: Record<string, unknown>;
  issuedAt: string;
  deliverBy: string;
  timeoutSeconds: number;
}
