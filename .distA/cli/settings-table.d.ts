import type { SettingSpec } from '../config/settings.js';
import { type Requirements } from './requirements.js';
/** Pure: a Markdown table of settings: name, requirement, default, description. */
export declare function settingsTable(specs: readonly SettingSpec[], requirements?: Requirements): string;
/** Pure: one table per settings group, in the order groups first appear. */
export declare function groupedSettingsTables(specs: readonly SettingSpec[], requirements?: Requirements): string;
