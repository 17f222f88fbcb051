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
export declare function capabilitiesDocument(): CapabilitiesDocument;
export declare function formatCapabilities(doc: CapabilitiesDocument): string;
