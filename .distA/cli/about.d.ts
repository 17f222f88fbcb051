import { type PackageInfo } from './package-info.js';
export type AboutFormat = 'text' | 'json' | 'markdown';
export declare const ABOUT_FORMATS: readonly AboutFormat[];
/**
 * What `--about` reports. Keys in the Meltano SDK's order (name, description, version,
 * capabilities, settings); the SDK's Python-only keys (sdk_version, supported_python_versions)
 * are left out, which Hub tooling accepts. `settings` is the config JSON Schema the target
 * validates with, so secrets carry `secret` and `writeOnly`.
 */
export interface AboutInfo {
    name: string;
    description: string;
    version: string;
    capabilities: string[];
    settings: Record<string, unknown>;
}
/** Pure given the package info: needs no config, so it works with a missing or broken one. */
export declare function aboutInfo(pkg?: PackageInfo): AboutInfo;
export declare function formatAbout(info: AboutInfo, format: AboutFormat): string;
