/** Pure: where the SQL endpoint is, from the connection settings. */
/**
 * The HiveServer2-over-HTTP path of an iomete lakehouse. An explicit `http_path` wins; otherwise
 * the current data-plane form, then the legacy workspace form the original target used, then the
 * form without either.
 */
export function httpPath(s) {
    if (s.http_path)
        return s.http_path.startsWith('/') ? s.http_path : `/${s.http_path}`;
    const lakehouse = encodeURIComponent(s.lakehouse);
    if (s.data_plane)
        return `/data-plane/${encodeURIComponent(s.data_plane)}/lakehouse/${lakehouse}`;
    if (s.workspace_id)
        return `/lakehouse/${encodeURIComponent(s.workspace_id)}/${lakehouse}`;
    return `/lakehouse/${lakehouse}`;
}
/** For logs and errors: the endpoint without credentials. */
export function endpointUrl(s) {
    return `${s.scheme}://${s.host}:${s.port}${httpPath(s)}`;
}
//# sourceMappingURL=endpoint.js.map