/** `entente status`: which workspace this is, where it lives, and its schema version. */
import { appInfo } from '../../api/identity.js';
import type { Command } from '../command.js';
import { withCore } from '../open-core.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the workspace: home, identity, store schema, mesh.',
  usage: 'entente status [--home DIR] [--json]',
  options: {},
  run: async ({ home }) =>
    withCore(home, async (core) => {
      const workspace = core.workspace.info();
      const { mesh } = await core.handlers.getMeshIdentity({});
      const app = appInfo();
      return {
        json: { app, workspace, mesh },
        text: [
          `${app.name} ${app.version}`,
          `home        ${workspace.home}`,
          `workspace   ${workspace.workspaceId}`,
          `created     ${workspace.createdAt}`,
          `schema      v${workspace.schemaVersion}`,
          `mesh        ${mesh ? `${mesh.code} (${mesh.displayName})` : 'not initialised (entente mesh init)'}`,
          ...(mesh ? [`keys        ${mesh.keysEncrypted ? 'encrypted' : 'UNENCRYPTED (made with --insecure-keys: tests and demos only)'}`] : []),
        ].join('\n'),
      };
    }),
};
