/** Every CLI command, in the order `entente --help` lists them. */
import type { Command } from '../command.js';
import { agentConnectCommand, agentDisconnectCommand, agentServeCommand, agentStatusCommand, agentSyncCommand } from './agent-link.js';
import { agentCertifyCommand, agentInstallCommand, agentListCommand, agentRequestCommand, agentRevokeCommand } from './agent.js';
import { auditCheckpointCommand, auditExportCommand, auditVerifyCommand, auditWitnessCommand } from './audit.js';
import { bundleExportCommand, bundleImportCommand, bundleVerifyCommand, receiptImportCommand } from './bundle.js';
import { exportCotCommand, ingestCotCommand } from './cot.js';
import { demoCommand } from './demo.js';
import { deviceEnrollCommand, deviceListCommand, deviceRevokeCommand } from './device.js';
import { federationExportCommand, federationImportCommand, federationProposeCommand, federationSignCommand, federationStatusCommand, federationWithdrawCommand } from './federation.js';
import { federationPreviewCommand } from './federation-preview.js';
import { integrityApplyCrlCommand, integrityListCommand } from './integrity.js';
import { lineageCommand } from './lineage.js';
import { provenanceExportCommand, provenanceVerifyCommand } from './provenance.js';
import { meshCardCommand, meshInitCommand } from './mesh.js';
import { quarantineListCommand, quarantineRejectCommand, quarantineReleaseCommand } from './quarantine.js';
import { observeCommand, showCommand, verifyCommand } from './observe.js';
import { pictureCommand, queueDecideCommand, queueListCommand, queueShowCommand, replayCommand } from './reconcile.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { statusCommand } from './status.js';
import { taxonomyAttestCommand, taxonomyDefineCommand, taxonomyListCommand, taxonomyShowCommand } from './taxonomy.js';
import { timeConfirmCommand, timeOffsetsCommand } from './time.js';

export const commands: readonly Command[] = [
  statusCommand,
  meshInitCommand,
  meshCardCommand,
  deviceEnrollCommand,
  deviceRevokeCommand,
  deviceListCommand,
  agentRequestCommand,
  agentCertifyCommand,
  agentInstallCommand,
  agentListCommand,
  agentRevokeCommand,
  agentServeCommand,
  agentSyncCommand,
  agentStatusCommand,
  agentDisconnectCommand,
  agentConnectCommand,
  observeCommand,
  showCommand,
  verifyCommand,
  lineageCommand,
  provenanceExportCommand,
  provenanceVerifyCommand,
  auditVerifyCommand,
  auditCheckpointCommand,
  auditExportCommand,
  auditWitnessCommand,
  federationProposeCommand,
  federationSignCommand,
  federationExportCommand,
  federationImportCommand,
  federationStatusCommand,
  federationWithdrawCommand,
  federationPreviewCommand,
  taxonomyShowCommand,
  taxonomyDefineCommand,
  taxonomyAttestCommand,
  taxonomyListCommand,
  bundleExportCommand,
  bundleVerifyCommand,
  bundleImportCommand,
  receiptImportCommand,
  quarantineListCommand,
  quarantineReleaseCommand,
  quarantineRejectCommand,
  pictureCommand,
  queueListCommand,
  queueShowCommand,
  queueDecideCommand,
  replayCommand,
  ingestCotCommand,
  exportCotCommand,
  timeConfirmCommand,
  timeOffsetsCommand,
  integrityListCommand,
  integrityApplyCrlCommand,
  demoCommand,
  simulateCommand,
  serveCommand,
];
