// Entente's local ESLint plugin: the import rules of docs/decisions/0004-layers.md.
//   entente/layers    each layer imports only its own or a lower one; production never imports
//                     test support (the map is eslint/layer-map.js)
//   entente/no-cycle  no import cycle, type-only imports included
import layers from './rules/layers.js';
import noCycle from './rules/no-cycle.js';

export default {
  meta: { name: 'entente' },
  rules: { layers, 'no-cycle': noCycle },
};
