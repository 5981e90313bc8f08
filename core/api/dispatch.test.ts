/** The core's one door: valid calls answered, anything else refused with a code and a sentence. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../app/core.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { methodNames, methods } from './contract.js';

let dir: TempDir;
let core: Core;
beforeAll(() => {
  dir = makeTempDir();
  core = openCore(dir.path);
});
afterAll(() => {
  core.close();
  dir.remove();
});

/** Arguments every no-argument method accepts; others list theirs here. */
const validArguments: Partial<Record<(typeof methodNames)[number], unknown>> = {};

describe('dispatch', () => {
  it('answers each parameterless method with a result that matches the contract', async () => {
    for (const method of methodNames.filter((m) => !(m in validArguments) && methods[m].args.safeParse({}).success)) {
      const answer = await core.call(method, {});
      expect(answer.ok, method).toBe(true);
      if (answer.ok) expect(methods[method].result.safeParse(answer.value).success, method).toBe(true);
    }
  });

  it('refuses an unknown method, naming it', async () => {
    expect(await core.call('dropAllTables', {})).toMatchObject({ ok: false, error: { code: 'unknown-method', message: expect.stringContaining('dropAllTables') } });
    expect(await core.call({ toString: () => 'getAppInfo' }, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await core.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('says where arguments were wrong', async () => {
    const answer = await core.call('getAppInfo', { extra: 1 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-arguments', issues: [expect.objectContaining({ path: '$' })] } });
  });

  it('never throws and never accepts hostile arguments to a parameterless method', async () => {
    const parameterless = methodNames.filter((m) => methods[m].args.safeParse({}).success && !methods[m].args.safeParse({ x: 1 }).success);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...parameterless),
        fc.oneof(
          fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { minKeys: 1 }),
          fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
          fc.constant(JSON.parse('{"__proto__":{"admin":true}}') as unknown),
        ),
        async (method, args) => {
          const answer = await core.call(method, args);
          expect(answer.ok).toBe(false);
          if (!answer.ok) expect(answer.error.message.length).toBeGreaterThan(10);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
