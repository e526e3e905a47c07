//! The `caucus` command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

use crate::configuration::{AuditSettings, AuthSettings, ServerSettings, StoreSettings};

/// Caucus: the record of a council political group's office.
#[derive(Debug, Parser)]
#[command(name = "caucus", version, about)]
pub struct Cli {
    /// Log as JSON lines (for production log collectors).
    #[arg(long, env = "CAUCUS_LOG_JSON", global = true)]
    pub log_json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API.
    Serve {
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        auth: AuthSettings,
        #[command(flatten)]
        audit: AuditSettings,
        #[command(flatten)]
        server: ServerSettings,
    },
    /// Load the sample group (Newham Labour) if the store is empty, print a
    /// token, and serve the API on the embedded store.
    Demo {
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        auth: AuthSettings,
        #[command(flatten)]
        audit: AuditSettings,
        #[command(flatten)]
        server: ServerSettings,
    },
    /// Apply pending migrations and exit.
    Migrate {
        #[command(flatten)]
        store: StoreSettings,
    },
    /// Replay the whole event log into a fresh read model and swap it in,
    /// reporting events per second.
    #[command(alias = "rebuild-views")]
    Replay {
        #[command(flatten)]
        store: StoreSettings,
    },
    /// Mint a development token signed with the configured HS256 secret.
    Token {
        /// The subject (user id).
        #[arg(long, default_value = "dev-assistant")]
        subject: String,
        /// The group (tenant).
        #[arg(long, default_value = "newham-labour")]
        group: String,
        /// A role; repeat for several.
        #[arg(long = "role", default_value = "assistant")]
        roles: Vec<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 8 * 3600)]
        ttl: u64,
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        auth: AuthSettings,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Write a group's whole log as JSON Lines (format caucus-log/1), with its
    /// signed checkpoints, for offline verification.
    Export {
        /// The group.
        #[arg(long, default_value = "newham-labour")]
        group: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        store: StoreSettings,
    },
    /// Verify a group's hash chain and checkpoints: in the store, or in an
    /// export file with the group's public key. Exits 1 if anything is wrong.
    Verify {
        /// The group (for the store).
        #[arg(long, default_value = "newham-labour")]
        group: String,
        /// An export file to verify instead of the store.
        #[arg(long)]
        export: Option<PathBuf>,
        /// The verifier key (`name+id+key`); default: the configured audit key's.
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        audit: AuditSettings,
    },
    /// Casework housekeeping.
    Casework {
        /// What to do.
        #[command(subcommand)]
        action: CaseworkCommand,
    },
    /// Print the public verifier key of the audit key (creating the
    /// development key if none is configured).
    AuditKey {
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        audit: AuditSettings,
    },
}

/// `caucus casework ...`.
#[derive(Debug, Subcommand)]
pub enum CaseworkCommand {
    /// Erase the personal data of every closed case whose retention period
    /// has run out (and of each resident left with no case keeping any);
    /// `caucus serve` does this daily. Prints what it erased.
    Retention {
        /// Only list what is due; erase nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        store: StoreSettings,
        #[command(flatten)]
        server: ServerSettings,
    },
}
