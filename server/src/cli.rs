//! The command line of the `pairs` binary.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "pairs",
    version,
    about = "Pairs, l'annuaire d'entraide des collectivités"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the site (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import (or refresh) the national referential of local authorities.
    ImportReferential {
        /// Folder holding the package's JSON (the package root or its `data/` folder).
        /// Without it, the pinned npm package is downloaded once into the data dir.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Do nothing when the database already holds authorities.
        #[arg(long)]
        if_empty: bool,
    },
    /// Load (or refresh) the curated software catalogue shipped with Pairs. Idempotent.
    SeedCatalogue,
    /// Seed a demo: member authorities, demo members and their declared tools. Idempotent;
    /// loads the catalogue first. Never run by `serve`.
    SeedDemo {
        /// Do nothing when demo members already exist.
        #[arg(long)]
        if_empty: bool,
    },
    /// Synthetic members and declarations for benchmarks (use a throwaway database).
    #[command(hide = true)]
    SeedBench {
        #[arg(long, default_value_t = 3000)]
        authorities: usize,
        #[arg(long, default_value_t = 40000)]
        usages: usize,
    },
    /// Write the benchmark's search workload: URL queries drawn from the catalogue and the
    /// referential with a fixed seed, one per line.
    #[command(hide = true)]
    BenchQueries {
        #[arg(long, default_value_t = 3000)]
        count: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Engine time alone over a workload file, in-process (an in-memory embedded index).
    #[command(hide = true)]
    BenchEngine {
        #[arg(long, value_name = "FILE")]
        queries: PathBuf,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// What the rate limits and flashes cost per check, in memory and in the database.
    #[command(hide = true)]
    BenchSharedState {
        #[arg(long, default_value_t = 2000)]
        rounds: usize,
    },
    /// Rebuild the search index from the database (on Meilisearch: a new index, then a swap).
    Reindex,
    /// Create an administrator, or promote an existing account. The password is read
    /// from standard input (one line), so it never appears in the shell history.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
}
