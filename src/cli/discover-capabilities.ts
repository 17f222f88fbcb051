import { CAPABILITIES } from './capabilities.js';
import { loaderFragment } from './meltano-definition.js';
import { packageInfo } from './package-info.js';

/**
 * `--discover-capabilities`: no Singer tool defines this flag (Meltano reads capabilities from the
 * plugin definition, never from the plugin), so it is ours to define: an offline document, built
 * from the same schema as `--about`, with the capability list in the Hub's spelling and a loader
 * definition ready to paste under `plugins.loaders` of a meltano.yml.
 */
export interface CapabilitiesDocument {
  name: string;
  version: string;
  capabilities: string[];
  meltano: Record<string, unknown>;
}

export function capabilitiesDocument(): CapabilitiesDocument {
  const { name, version } = packageInfo();
  return { name, version, capabilities: [...CAPABILITIES], meltano: loaderFragment() };
}

export function formatCapabilities(doc: CapabilitiesDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
