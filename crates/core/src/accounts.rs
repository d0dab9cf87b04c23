//! Linked accounts: the `accounts` table (no secrets) plus their keychain entries.
