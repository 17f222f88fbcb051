/**
 * What the Meltano Hub shows about the plugin beyond its settings. Settings and capabilities are
 * never written here: they come from the config schema and CAPABILITIES.
 */
export const PLUGIN = {
  namespace: 'target_iomete',
  variant: 'iomete',
  label: 'IOMETE',
  /** On PATH after `npm install -g target-iomete`, and in the Docker image. */
  executable: 'target-iomete',
  domain_url: 'https://iomete.com/',
  logo_url: '/assets/logos/loaders/iomete.png',
  repo: 'https://github.com/iomete/target-iomete',
  docker_image: 'ghcr.io/iomete/target-iomete',
  keywords: ['lakehouse', 'iceberg', 'spark', 'database', 'typescript'],
  maintenance_status: 'active',
  quality: 'silver',
} as const;

/** The Hub's `prereq` block: Meltano cannot pip-install a Node.js program, so say how to get it. */
export function prereqMarkdown(): string {
  return [
    'target-iomete is a Node.js program, not a Python package: Meltano runs the `target-iomete` executable it finds on `PATH`.',
    '',
    '- With Node.js 20 or later: `npm install -g target-iomete`.',
    '- In the Docker image of a Meltano project: install Node.js 20 or later, then `npm install -g target-iomete`.',
    '',
    'Check the installation and the settings before the first run with `target-iomete --config config.json --check`.',
    '',
  ].join('\n');
}
