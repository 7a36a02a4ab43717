// Keep test output readable: Powertools would print metrics and info logs for every invocation.
// Dependencies are pinned; Lambda runs Node 24. The SDK's notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'CRITICAL';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
