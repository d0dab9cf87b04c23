//! Pulls pages through connectors into the cache, incrementally, with progress and stage changes.
