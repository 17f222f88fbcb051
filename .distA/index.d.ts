export { default as TargetIomete } from './command.js';
export { Target } from './target.js';
export { resolveConfig } from './config/config.js';
