#!/usr/bin/env node
// On Node below 22 the AWS SDK notes that its releases after the first week of January 2027 will
// need Node 22; the locked release runs on Node 20, which the tests cover (package.json's
// engines), so that notice would only clutter every run's log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
