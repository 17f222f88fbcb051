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
export function httpPath(s: Pick<EndpointSettings, 'lakehouse' | 'data_plane' | 'workspace_id' | 'http_path'>): string {
  if (s.http_path) return s.http_path.startsWith('/') ? s.http_path : `/${s.http_path}`;
  const lakehouse = encodeURIComponent(s.lakehouse);
  if (s.data_plane) return `/data-plane/${encodeURIComponent(s.data_plane)}/lakehouse/${lakehouse}`;
  if (s.workspace_id) return `/lakehouse/${encodeURIComponent(s.workspace_id)}/${lakehouse}`;
  return `/lakehouse/${lakehouse}`;
}

/** For logs and errors: the endpoint without credentials. */
export function endpointUrl(s: EndpointSettings): string {
  return `${s.scheme}://${s.host}:${s.port}${httpPath(s)}`;
}
