import type { TargetConfig } from '../config/config.js';
import type { SqlExecutor } from '../spark/executor.js';
import { type S3Probe } from './s3-probe.js';
/**
 * `--check`: everything a first load needs, tried step by step before any data moves: the config
 * is valid, the staging bucket takes, returns and deletes an object, the lakehouse opens a session
 * and answers a query, the catalog is there, and the lakehouse can read what was staged (the step
 * that fails when the cluster's own S3 settings cannot reach the bucket).
 */
export type StepStatus = 'pass' | 'fail' | 'skip';
export interface StepResult {
    step: string;
    status: StepStatus;
    detail: string;
    ms?: number;
}
export interface CheckDeps {
    probe: S3Probe;
    /** A fresh lakehouse session factory, configured as the load path configures its sessions. */
    connect: () => SqlExecutor;
    /** Called as each step ends, so slow steps (a lakehouse starting) show progress. */
    report: (result: StepResult) => void;
}
export declare const STEPS: {
    readonly config: "config";
    readonly s3Write: "s3 write";
    readonly s3Read: "s3 read";
    readonly session: "lakehouse session";
    readonly query: "lakehouse query";
    readonly catalog: "lakehouse catalog";
    readonly staging: "lakehouse reads staging";
    readonly s3Delete: "s3 delete";
};
/** Pure: the first step's result once the config resolved (or failed to). */
export declare function configStep(config: TargetConfig, unknownKeys: readonly string[], warnings?: readonly string[]): StepResult;
export declare function configFailure(message: string): StepResult;
/** Pure: the steps that cannot run after the config failed, reported as skipped. */
export declare function skippedAfterConfig(): StepResult[];
export declare function runChecks(config: TargetConfig, deps: CheckDeps): Promise<StepResult[]>;
/** Pure: one report line, e.g. `PASS  s3 write                 put s3://... (12 ms)`. */
export declare function formatStep(result: StepResult): string;
/** Pure: the closing line; the check passes only when every step passed. */
export declare function checkPassed(results: readonly StepResult[]): boolean;
export declare function formatSummary(results: readonly StepResult[]): string;
