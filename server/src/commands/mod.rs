//! One module per subcommand.

mod import_referential;
mod serve;

use anyhow::Context;
use domain::Config;

use crate::cli::{Cli, Command};

pub use import_referential::import_referential;
pub use serve::serve;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env().context("configuration invalide")?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = domain::db::connect(&config).await?;
            domain::db::migrate(&db).await?;
            println!("Base de données à jour.");
            Ok(())
        }
        Command::ImportReferential { from, if_empty } => {
            import_referential(&config, from, if_empty).await
        }
    }
}
