// Keep test output readable: Powertools would print metrics and info logs for every invocation.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'CRITICAL';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
