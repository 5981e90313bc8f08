/**
 * `entente picture`, `queue` and `replay` from the command line: a mesh's own observations make
 * its picture (digest, per-field provenance), the queue's refusals and usage errors are one
 * line with a reason, and a replay under a malformed policy is refused.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-reconcile-cli-')));
afterEach(() => dir.remove());

async function run(argv: string[], stdin = '') {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: { ENTENTE_PASSPHRASE: 'reconcile cli test' }, untilStopped: () => new Promise(() => {}), readStdin: () => Promise.resolve(stdin) };
  const code = await main([...argv, '--home', dir.file('deu')], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('entente picture, queue, replay', () => {
  it('shows the picture with its digest and provenance; refuses what it cannot do with a reason', async () => {
    expect((await run(['mesh', 'init', '--mesh', 'DEU'])).code).toBe(0);
    expect((await run(['device', 'enroll', '--device', 'uav-7'])).code).toBe(0);
    const labelFile = dir.file('label.json');
    writeFileSync(labelFile, JSON.stringify({ kind: 'originator', policy: { id: 'DEU' }, classification: 'GEHEIM', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    const observed = await run(['observe', '--device', 'uav-7', '--class', 'track', '--subject', 'track:1', '--label', labelFile, '--json'], '{"lat":54.1,"kind":"frigate"}');
    expect(observed.code).toBe(0);
    const id = (JSON.parse(observed.stdout) as { id: string }).id;

    const picture = await run(['picture', '--json']);
    expect(picture.code).toBe(0);
    const { picture: view } = JSON.parse(picture.stdout) as { picture: { digest: string; subjects: number; items: { subject: string; fields: { field: string; observation: string; mesh: string }[] }[] } };
    expect(view.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(view.digest).not.toBe('0'.repeat(64));
    expect(view.items[0]!.fields).toEqual([expect.objectContaining({ field: 'kind', observation: id, mesh: 'DEU' }), expect.objectContaining({ field: 'lat', observation: id, mesh: 'DEU' })]);
    const text = await run(['picture', '--subject', 'track:1']);
    expect(text.stdout).toContain(`Picture digest ${view.digest}`);
    expect(text.stdout).toContain('kind = "frigate"  from DEU');
    expect((await run(['picture', '--subject', 'track:404', '--json'])).stdout).toContain('"not-found"');
    const narrowed = await run(['picture', '--prefix', 'track:', '--state', 'merged']);
    expect(narrowed.stdout).toContain('1 subject(s) match.');
    expect(narrowed.stdout).toContain('track:1  merged');
    expect((await run(['picture', '--state', 'held'])).stdout).toContain('0 subject(s) match.');
    const badState = await run(['picture', '--state', 'open']);
    expect([badState.code, badState.stderr]).toEqual([2, expect.stringContaining('--state is merged or held')]);
    expect((await run(['picture', '--subject', 'track:1', '--prefix', 'track'])).code).toBe(2);

    expect((await run(['queue', 'list'])).stdout).toBe('The queue is empty.');
    const unknown = await run(['queue', 'decide', '--item', 'a'.repeat(64), '--reject', '--reason', 'no', '--operator', 'op-1', '--json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('"unknown-item"');
    expect((await run(['queue', 'decide', '--item', 'a'.repeat(64), '--reject', '--escalate', '--reason', 'no', '--operator', 'op-1'])).code).toBe(2);
    expect((await run(['queue', 'decide', '--item', 'a'.repeat(64), '--merge', 'kind', '--reason', 'no', '--operator', 'op-1'])).code).toBe(2);
    expect((await run(['queue', 'show', 'not-an-id'])).code).toBe(2);

    const policy = dir.file('draft.json');
    writeFileSync(policy, '{"type":"entente.federation/v1"}');
    const replayed = await run(['replay', '--policy', policy, '--json']);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain('malformed-declaration');
  });
});
