/**
 * The preload, run against the stand-in `electron` module: it exposes exactly the contract on
 * `window.entente` and nothing of Electron — no ipcRenderer, no event objects.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventChannel, eventNames, methodNames } from '../core/api/index.js';
import { startShellOnTempHome, type StartedShell } from './test/shell-harness.js';
import { CONSOLE_TOP_FRAME, invokeFromFrame, recorded, sendToRenderer } from './test/stand-in-electron.js';
import { SAVE_EXPORT_CHANNEL, STAGE_BUNDLE_CHANNEL } from '../core/api/channels.js';
import { newExportId, writeExport } from '../core/workspace/exports.js';
import { stagedBundlePath } from '../core/workspace/staging.js';

let shell: StartedShell;
let entente: Record<string, (...args: unknown[]) => unknown>;

// One shell for the file: the preload runs once, on import, as it does in a real window.
beforeAll(async () => {
  shell = await startShellOnTempHome();
  await import('./preload.js');
  entente = recorded.exposed.get('entente') as typeof entente;
});
afterAll(() => shell.stop());

describe('window.entente', () => {
  it('is the only thing exposed, and holds exactly the contract methods plus `on`', () => {
    expect([...recorded.exposed.keys()]).toEqual(['entente']);
    expect(Object.keys(entente).sort()).toEqual([...methodNames, 'on', 'saveExport', 'stageBundle'].sort());
    expect(Object.isFrozen(entente)).toBe(true);
    for (const value of Object.values(entente)) expect(typeof value).toBe('function');
  });

  it('reaches the core in the main process and answers envelopes', async () => {
    expect(await entente.getAppInfo!()).toMatchObject({ ok: true, value: { name: 'Entente' } });
    expect(await entente.getWorkspaceInfo!({})).toMatchObject({ ok: true, value: { home: shell.home } });
    expect(await entente.getAppInfo!({ extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
  });

  it('delivers event payloads to listeners without Electron event objects, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = entente.on!(eventNames[0], (...args: unknown[]) => received.push(args)) as () => void;
    sendToRenderer(eventChannel(eventNames[0]!), { changed: true });
    unsubscribe();
    sendToRenderer(eventChannel(eventNames[0]!), { changed: 'again' });
    expect(received).toEqual([[{ changed: true }]]);
  });

  it('refuses to subscribe to anything but a contract event with a listener function', () => {
    expect(() => entente.on!('not-an-event', () => undefined)).toThrow(/contract event/);
    expect(() => entente.on!(eventNames[0], 'not a function')).toThrow(/listener function/);
    expect(() => entente.on!({ toString: () => eventNames[0] }, () => undefined)).toThrow(/contract event/);
  });

  it('stages a dropped file through main, which reads it; a path that is no regular file is refused', async () => {
    const dropped = join(shell.home, 'dropped');
    mkdirSync(dropped, { recursive: true });
    writeFileSync(join(dropped, 'deu-fra-1.bundle'), '{"manifest":1}\n');
    const file = Object.assign(new File(['ignored: main reads the file itself'], 'deu-fra-1.bundle'), { path: join(dropped, 'deu-fra-1.bundle') });
    const sent: number[] = [];
    const answer = (await entente.stageBundle!(file, (n: number) => sent.push(n))) as { ok: true; value: { staged: string; bytes: number } };
    expect(answer).toMatchObject({ ok: true, value: { staged: expect.stringMatching(/^[0-9a-f]{32}$/), bytes: 15 } });
    expect(readFileSync(stagedBundlePath(shell.home, answer.value.staged), 'utf8')).toBe('{"manifest":1}\n');
    expect(sent).toEqual([15]);

    expect(await entente.stageBundle!(Object.assign(new File([''], 'x'), { path: dropped }))).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await entente.stageBundle!('not a file')).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    for (const path of ['relative/x.bundle', join(dropped, 'missing.bundle'), `${dropped}\0x`, 42]) {
      expect(await invokeFromFrame(CONSOLE_TOP_FRAME, STAGE_BUNDLE_CHANNEL, path), String(path)).toMatchObject({ ok: false });
    }
    expect(await invokeFromFrame({ url: 'https://evil.example/', parent: null }, STAGE_BUNDLE_CHANNEL, join(dropped, 'deu-fra-1.bundle'))).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('saves a prepared export where the officer chooses, named by its id and kind only', async () => {
    const id = newExportId();
    writeExport(shell.home, id, [{ kind: 'html', text: '<!doctype html><p>report</p>' }]);
    const target = join(shell.home, 'chosen-report.html');
    recorded.saveAs = target;
    expect(await entente.saveExport!(id, 'html', 'after-action-NLD.html')).toEqual({ ok: true, value: { saved: true, name: 'chosen-report.html' } });
    expect(readFileSync(target, 'utf8')).toBe('<!doctype html><p>report</p>');
    expect(recorded.saveDialogs.at(-1)?.defaultPath).toBe('after-action-NLD.html');
    // The officer closed the dialog: nothing saved, and said so.
    recorded.saveAs = null;
    expect(await entente.saveExport!(id, 'html', 'x.html')).toEqual({ ok: true, value: { saved: false, name: null } });
    // Anything but an id and a kind is refused before a dialog opens; so is another frame.
    for (const args of [['../../etc/passwd', 'html', 'x'], [id, 'exe', 'x'], [id.toUpperCase(), 'html', 'x'], [id, 'bundle', 'x']]) {
      expect(await invokeFromFrame(CONSOLE_TOP_FRAME, SAVE_EXPORT_CHANNEL, ...args), String(args)).toMatchObject({ ok: false });
    }
    expect(await invokeFromFrame({ url: 'https://evil.example/', parent: null }, SAVE_EXPORT_CHANNEL, id, 'html', 'x')).toMatchObject({ ok: false, error: { code: 'refused' } });
  });
});
