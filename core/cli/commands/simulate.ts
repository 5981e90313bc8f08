/**
 * `entente simulate` feeds generated observation streams (platform tracks, sensor detections,
 * derived assessments) through this home's own pipeline at a chosen rate, for demos and
 * benchmarks, and reports the counts and the rate it achieved.
 */
import { simulate } from '../../exercise/simulate.js';
import type { Command } from '../command.js';
import { UsageError } from '../failures.js';
import { refusing, withMesh } from './shared.js';

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Generate tracks, detections and assessments through this home\'s pipeline at N a second for S seconds.',
  usage: 'entente simulate --rate N --duration S [--seed TEXT] [--home DIR] [--json]',
  options: { rate: { type: 'string' }, duration: { type: 'string' }, seed: { type: 'string' } },
  run: async (context) => {
    const { values, io } = context;
    const rate = positiveNumber(values.rate, 'rate', 'observations a second');
    const durationS = positiveNumber(values.duration, 'duration', 'seconds');
    const seed = typeof values.seed === 'string' && values.seed !== '' ? values.seed : undefined;
    const controller = new AbortController();
    void io.untilStopped().then(() => controller.abort());
    return withMesh(context, 'sign the simulated observations', async (services) => {
      const report = await refusing(() =>
        simulate(services, {
          rate,
          durationS,
          ...(seed !== undefined ? { seed } : {}),
          signal: controller.signal,
          onProgress: context.json ? undefined : (p) => io.stderr(`${p.stored} observations in ${p.elapsedS.toFixed(0)} s`),
        }),
      );
      const { counts } = report;
      return {
        json: { ...report },
        text: [
          ...(report.enrolled.length > 0 ? [`The home had no active device: enrolled ${report.enrolled.join(', ')} to sign the simulated observations.`] : []),
          `${counts.total} observations stored in mesh ${report.mesh} in ${report.elapsedS.toFixed(1)} s${report.stopped ? ' (stopped early)' : ''}: ${counts.track} tracks, ${counts.detection} detections, ${counts.assessment} assessments`,
          `rate: ${report.achievedRate} a second achieved, ${report.requestedRate} asked (seed ${report.seed})`,
        ].join('\n'),
      };
    });
  },
};

function positiveNumber(value: unknown, option: string, unit: string): number {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`--${option} needs a positive number of ${unit} (usage: ${simulateCommand.usage}).`);
  }
  return Number(value);
}
