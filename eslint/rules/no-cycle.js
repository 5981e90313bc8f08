// entente/no-cycle: no import cycle anywhere. For each import of the file being linted, looks
// for the shortest way back to it through the project's relative imports, and reports the path.
// Type-only imports count: a type cycle still means neither module can be understood, moved or
// tested without the other, and it turns into a load-order cycle the day a value is added.
import { targetsOnDisk, moduleTargets } from '../import-graph.js';
import { importSites, projectRelative } from '../imports.js';
import { exceptionSchema, exceptionsByPair } from './exceptions.js';

export default {
  meta: {
    type: 'problem',
    docs: { description: 'No import cycle, value or type-only, through relative imports.' },
    schema: [exceptionSchema],
    messages: {
      cycle: 'Import cycle: {{path}}; move what both sides need into a module below them.',
    },
  },
  create(context) {
    const file = context.filename;
    const allowed = exceptionsByPair(context.options[0]);
    const name = (absolutePath) => projectRelative(absolutePath) ?? absolutePath;
    const isAllowed = (from, to) => allowed.has(`${name(from)} → ${name(to)}`);

    return {
      Program(program) {
        const sites = importSites(program, context.sourceCode.visitorKeys);
        // This file as the editor holds it; every other file as it is on disk, each stat'd once here.
        const edges = new Map([[file, moduleTargets(file, sites)]]);
        const edgesOf = (node) => {
          if (!edges.has(node)) edges.set(node, targetsOnDisk(node).filter((target) => !isAllowed(node, target)));
          return edges.get(node);
        };

        const reported = new Set();
        for (const site of sites) {
          if (site.kind !== 'module') continue;
          const [target] = moduleTargets(file, [site]);
          if (target === undefined || target === file || reported.has(target) || isAllowed(file, target)) continue;
          const way = shortestPath(target, file, edgesOf);
          if (way === null) continue;
          reported.add(target);
          context.report({ node: site.node, messageId: 'cycle', data: { path: [file, ...way].map(name).join(' → ') } });
        }
      },
    };
  },
};

/** The nodes from `start` to `goal` (both included) along the fewest edges, or null. */
function shortestPath(start, goal, edgesOf) {
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head];
    if (node === goal) {
      const way = [];
      for (let step = node; step !== null; step = cameFrom.get(step)) way.unshift(step);
      return way;
    }
    for (const next of edgesOf(node)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}
