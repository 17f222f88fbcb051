import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '../storage/s3-object-store.js';
/**
 * A probe client with the staging store's settings (same credentials, endpoint and addressing),
 * but one attempt and short timeouts: a check should say "unreachable" in seconds, not retry.
 */
export class S3ProbeClient {
    settings;
    client;
    constructor(settings, timeouts = { connectMs: 5_000, requestMs: 20_000 }) {
        this.settings = settings;
        this.client = new S3Client({
            ...s3ClientConfig(settings),
            maxAttempts: 1,
            requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs },
        });
    }
    async put(key, body) {
        await this.client.send(new PutObjectCommand({
            Bucket: this.settings.s3_bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            ...(this.settings.s3_acl ? { ACL: this.settings.s3_acl } : {}),
        }));
    }
    async get(key) {
        const result = await this.client.send(new GetObjectCommand({ Bucket: this.settings.s3_bucket, Key: key }));
        return (await result.Body?.transformToString('utf8')) ?? '';
    }
    async remove(key) {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.s3_bucket, Key: key }));
    }
    close() {
        this.client.destroy();
    }
}
/**
 * Pure: a readable reason for an S3 failure that `explainFailure` does not know (SDK errors carry
 * a name and often an HTTP status).
 */
export function describeS3Error(e) {
    const error = e;
    const status = error.$metadata?.httpStatusCode;
    const name = error.name && error.name !== 'Error' ? error.name : error.code;
    const message = error.message && error.message !== name ? error.message : '';
    return [[name, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', '), message].filter((p) => p).join(': ');
}
//# sourceMappingURL=s3-probe.js.map