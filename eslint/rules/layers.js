// entente/layers: a file imports only from its own layer or a lower one (eslint/layer-map.js,
// docs/decisions/0004-layers.md), and production code never imports test support. Type-only
// imports count: a type from a higher layer ties this layer to that one's shape all the same.
import { LAYERS, LAYER_ORDER, areaOf, isTestSupport, layerOf, mustHaveLayer } from '../layer-map.js';
import { importSites, projectRelative, resolveRelative } from '../imports.js';
import { exceptionSchema, exceptionsByPair } from './exceptions.js';

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only its own layer or those below; production never imports test support.' },
    schema: [exceptionSchema],
    messages: {
      upward: '{{fromArea}} ({{fromLayer}}) may not import {{toArea}} ({{toLayer}}): a layer imports only its own or a lower one ({{order}}); see docs/decisions/0004-layers.md.',
      testSupport: '{{from}} is production code and may not import test support ({{to}}); move what both need out of the test support.',
      unplaced: '{{area}} is in no layer: place it in eslint/layer-map.js (docs/decisions/0004-layers.md).',
    },
  },
  create(context) {
    const from = projectRelative(context.filename);
    if (from === null) return {};
    const fromLayer = layerOf(from);
    const fromIsTest = isTestSupport(from);
    const allowed = exceptionsByPair(context.options[0]);

    return {
      Program(program) {
        if (fromLayer === null) {
          if (mustHaveLayer(from) && !fromIsTest) context.report({ node: program, messageId: 'unplaced', data: { area: areaOf(from) } });
          return;
        }
        for (const site of importSites(program, context.sourceCode.visitorKeys)) {
          const target = resolveRelative(context.filename, site.specifier);
          // A `new URL` that names no source file points into the build output, not at code here.
          if (target === null || (site.kind === 'url' && !target.exists)) continue;
          const to = projectRelative(target.file);
          if (to === null || allowed.has(`${from} → ${to}`)) continue;

          if (isTestSupport(to)) {
            if (!fromIsTest) context.report({ node: site.node, messageId: 'testSupport', data: { from, to } });
            continue;
          }
          // Test support may reach any layer: a test sets up what it checks, from wherever.
          if (fromIsTest) continue;
          const toLayer = layerOf(to);
          if (toLayer === null || LAYERS.indexOf(toLayer) <= LAYERS.indexOf(fromLayer)) continue;
          context.report({
            node: site.node,
            messageId: 'upward',
            data: { fromArea: areaOf(from), fromLayer, toArea: areaOf(to), toLayer, order: LAYER_ORDER },
          });
        }
      },
    };
  },
};
