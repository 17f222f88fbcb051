#!/usr/bin/env node
// The AWS SDK version is pinned on purpose (its later releases need Node 22); its notice about
// that would otherwise appear in every run's log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
