import { CAPABILITIES } from './capabilities.js';
import { loaderFragment } from './meltano-definition.js';
import { packageInfo } from './package-info.js';
export function capabilitiesDocument() {
    const { name, version } = packageInfo();
    return { name, version, capabilities: [...CAPABILITIES], meltano: loaderFragment() };
}
export function formatCapabilities(doc) {
    return `${JSON.stringify(doc, null, 2)}\n`;
}
//# sourceMappingURL=discover-capabilities.js.map