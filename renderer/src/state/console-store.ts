/** What the console knows about the app, the workspace and its mesh, kept fresh from the core. */
import { create } from 'zustand';
import type { MethodResult } from '../../../core/api/index.js';
import { bridge, unwrap } from '../entente.js';

type Loaded = {
  app: MethodResult<'getAppInfo'>;
  mesh: MethodResult<'getMeshIdentity'>['mesh'];
  workspace: MethodResult<'getWorkspaceInfo'>;
};

interface ConsoleState {
  status: 'loading' | 'ready' | 'failed';
  data: Loaded | null;
  /** Bumped on every load, so views that fetch their own data know to fetch again. */
  revision: number;
  error: string | null;
  load: () => Promise<void>;
}

export const useConsoleStore = create<ConsoleState>((set) => ({
  status: 'loading',
  data: null,
  revision: 0,
  error: null,
  load: async () => {
    try {
      const api = bridge();
      const [app, identity, workspace] = await Promise.all([
        unwrap(api.getAppInfo()),
        unwrap(api.getMeshIdentity()),
        unwrap(api.getWorkspaceInfo()),
      ]);
      set((state) => ({ status: 'ready', data: { app, mesh: identity.mesh, workspace }, error: null, revision: state.revision + 1 }));
    } catch (error) {
      set({ status: 'failed', error: (error as Error).message });
    }
  },
}));

/** Reloads whenever the core says the workspace changed. */
export function followWorkspaceChanges(): () => void {
  return bridge().on('workspaceChanged', () => void useConsoleStore.getState().load());
}
