export interface PackageInfo {
    name: string;
    version: string;
    description: string;
}
/**
 * name, version and description from package.json, the one place they are set. Resolved from this
 * module's location, which is two levels below the package root both in src/ and in dist/.
 */
export declare function packageInfo(): PackageInfo;
