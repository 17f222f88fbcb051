import { type PyValue } from './values.js';
/** Names callable as `f(...)`; like simpleeval, record properties never shadow them in calls. */
export declare const FUNCTIONS: ReadonlyMap<string, PyValue>;
/** `value.name`: a whitelisted method or attribute, else Python's AttributeError. */
export declare function attribute(value: PyValue, name: string): PyValue;
