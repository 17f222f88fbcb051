import { Command } from '@oclif/core';
export default class TargetIomete extends Command {
    static description: string;
    static examples: string[];
    static flags: {
        config: import("@oclif/core/interfaces").OptionFlag<string[] | undefined, import("@oclif/core/interfaces").CustomOptions>;
        input: import("@oclif/core/interfaces").OptionFlag<string | undefined, import("@oclif/core/interfaces").CustomOptions>;
        about: import("@oclif/core/interfaces").BooleanFlag<boolean>;
        format: import("@oclif/core/interfaces").OptionFlag<string | undefined, import("@oclif/core/interfaces").CustomOptions>;
        'discover-capabilities': import("@oclif/core/interfaces").BooleanFlag<boolean>;
        check: import("@oclif/core/interfaces").BooleanFlag<boolean>;
        version: import("@oclif/core/interfaces").BooleanFlag<boolean>;
    };
    run(): Promise<void>;
    private runLoad;
    private check;
    private load;
}
/** The documented exit codes: 0 done, 1 failed, 128 + signal number after a signal stopped the run (data received was loaded). */
export declare const EXIT: {
    readonly ok: 0;
    readonly failed: 1;
    readonly usage: 2;
    readonly SIGINT: 130;
    readonly SIGTERM: 143;
};
