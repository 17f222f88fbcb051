/** Pure: where the SQL endpoint is, from the connection settings. */
export interface EndpointSettings {
    host: string;
    port: number;
    scheme: 'https' | 'http';
    lakehouse: string;
    data_plane?: string;
    workspace_id?: string;
    http_path?: string;
}
/**
 * The HiveServer2-over-HTTP path of an iomete lakehouse. An explicit `http_path` wins; otherwise
 * the current data-plane form, then the legacy workspace form the original target used, then the
 * form without either.
 */
export declare function httpPath(s: Pick<EndpointSettings, 'lakehouse' | 'data_plane' | 'workspace_id' | 'http_path'>): string;
/** For logs and errors: the endpoint without credentials. */
export declare function endpointUrl(s: EndpointSettings): string;
