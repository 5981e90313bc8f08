/**
 * Long operations through the contract (issue 16): the log's verification, its export and the
 * after-action export, each telling `operationProgress` under the console's id and stopping on
 * `cancelOperation` — a cancelled export leaves no file in exports/, a finished one its files whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAfterAction } from '../app/provenance/after-action-format.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { exportFile } from '../workspace/exports.js';
import type { EventPayload } from './contract/index.js';
import { openCore, type Core } from './open-core.js';

let dir: TempDir;
let core: Core;
let progress: EventPayload<'operationProgress'>[];
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' });

beforeEach(async () => {
  dir = makeTempDir('entente-long-ops-');
  core = openCore(dir.file('home'));
  progress = [];
  core.events.subscribe((event, payload) => {
    if (event === 'operationProgress') progress.push(payload as EventPayload<'operationProgress'>);
  });
  const { mesh, credentials, observations } = core.services;
  await mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  await credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
  let previous: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const { id } = await observations.observe({ device: 'uav-7', class: 'track', subject: `track:${i}`, labelText: label, payloadText: `{"lat":${i}}`, derivedFrom: previous, derivation: previous.length ? { name: 'fuse', version: '1' } : null });
    previous = [id];
  }
});
afterEach(() => {
  core.close();
  dir.remove();
});

const exportsDir = () => join(dir.file('home'), 'exports');
const filesInExports = () => {
  try {
    return readdirSync(exportsDir());
  } catch {
    return [];
  }
};
const op = (c: string) => c.repeat(32);

describe('long operations', () => {
  it('verifies the log with progress, and the answer is the one the plain verification gives', async () => {
    const plain = await core.call('verifyAuditLog', {});
    const stepped = await core.call('verifyAuditLog', { operation: op('a') });
    expect(stepped).toMatchObject({ ok: true, value: { ok: true, entries: (plain as { value: { entries: number } }).value.entries } });
    const states = progress.filter((p) => p.operation === op('a')).map((p) => p.state);
    expect(states[0]).toBe('running');
    expect(states.at(-1)).toBe('done');
    expect(progress.every((p) => p.kind === 'audit-verification')).toBe(true);
  });

  it('exports the after-action bundle and report whole, and the bundle verifies', async () => {
    const answer = await core.call('exportAfterAction', { operation: op('b'), criteria: { subjectPrefix: 'track:2' } });
    expect(answer.ok).toBe(true);
    const prepared = (answer as { value: { export: string; files: { kind: 'bundle' | 'html'; name: string }[]; selected: number; observations: number } }).value;
    // track:2 and track:20…29: eleven found; their chains reach back to track:0.
    expect(prepared).toMatchObject({ selected: 11, observations: 30 });
    expect(prepared.files.map((f) => f.kind)).toEqual(['bundle', 'html']);
    expect(prepared.files[0]!.name).toMatch(/^after-action-DEU-\d{8}T\d{6}Z\.bundle\.json$/);
    const bundle = readFileSync(exportFile(dir.file('home'), prepared.export, 'bundle')!.path, 'utf8');
    expect(verifyAfterAction(bundle).failures).toEqual([]);
    expect(filesInExports().some((n) => n.endsWith('.part'))).toBe(false);
    const phases = new Set(progress.filter((p) => p.operation === op('b')).map((p) => p.phase));
    expect(phases.has('walking the chains') || phases.has('hashing the log')).toBe(true);
  });

  it('a cancelled export says so and leaves no file; the same id runs again afterwards', async () => {
    // Cancel as soon as the export first tells its progress: it stops at its next slice.
    const stop = core.events.subscribe((event, payload) => {
      if (event === 'operationProgress' && (payload as EventPayload<'operationProgress'>).state === 'running') void core.call('cancelOperation', { operation: op('c') });
    });
    const answer = await core.call('exportAfterAction', { operation: op('c'), criteria: { subjectPrefix: 'track:' } });
    stop();
    expect(answer).toMatchObject({ ok: false, error: { reason: 'cancelled' } });
    expect(progress.filter((p) => p.operation === op('c')).at(-1)?.state).toBe('cancelled');
    expect(filesInExports()).toEqual([]);

    const stopAudit = core.events.subscribe((event, payload) => {
      if (event === 'operationProgress' && (payload as EventPayload<'operationProgress'>).state === 'running') void core.call('cancelOperation', { operation: op('d') });
    });
    expect(await core.call('exportAuditLog', { operation: op('d'), format: 'bundle' })).toMatchObject({ ok: false, error: { reason: 'cancelled' } });
    expect(await core.call('verifyAuditLog', { operation: op('d') })).toMatchObject({ ok: false, error: { reason: 'cancelled' } });
    stopAudit();
    expect(filesInExports()).toEqual([]);

    // Nothing runs under that id now: a cancel finds nothing, and the export runs to the end.
    expect(await core.call('cancelOperation', { operation: op('c') })).toEqual({ ok: true, value: { cancelled: false } });
    const again = await core.call('exportAuditLog', { operation: op('c'), format: 'html' });
    expect(again).toMatchObject({ ok: true, value: { files: [{ kind: 'html' }] } });
    expect(filesInExports()).toHaveLength(1);
  });

  it('refuses a search that finds nothing, by name, writing nothing', async () => {
    expect(await core.call('exportAfterAction', { operation: op('e'), criteria: { label: 'TOP SECRET' } })).toMatchObject({ ok: false, error: { reason: 'nothing-selected' } });
    expect(await core.call('exportAfterAction', { operation: op('e'), criteria: { ids: ['f'.repeat(64)] } })).toMatchObject({ ok: false, error: { reason: 'not-found' } });
    expect(filesInExports()).toEqual([]);
  });
});
