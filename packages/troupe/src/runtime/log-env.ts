// The environment variables the default logger reads, apart from it: the CLI sets them before it
// loads a registry, and must not load pino itself (the registry's module graph brings its own).

export const LOG_LEVEL_ENV = "TROUPE_LOG_LEVEL";
export const LOG_FORMAT_ENV = "TROUPE_LOG_FORMAT";
