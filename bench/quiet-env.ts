/**
 * Imported first by a benchmark entry, before anything that creates a Powertools logger or metrics at module load
 * (ES modules evaluate their imports before the importing module's own body, so setting these in the entry's body
 * would be too late for module-level loggers).
 */
// Dependencies are pinned; Lambda runs Node 24. The SDK's notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'CRITICAL';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
