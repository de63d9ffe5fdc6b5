//! One module per subcommand.

mod bench_engine;
mod bench_shared_state;
mod import_referential;
pub mod reindex;
mod serve;

use anyhow::Context;
use domain::Config;

use crate::cli::{Cli, Command};

pub use import_referential::import_referential;

async fn create_admin(config: &Config, email: &str) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .context("lecture du mot de passe sur l'entrée standard")?;
    let password = password.trim_end_matches(['\r', '\n']);
    let db = domain::db::connect(config).await?;
    domain::db::migrate(&db).await?;
    match domain::accounts::admin::create_admin(&db, email, password).await {
        Ok(true) => println!("Administrateur créé : {email}"),
        Ok(false) => println!("Compte existant promu administrateur : {email}"),
        Err(domain::DomainError::Invalid(msg)) => anyhow::bail!(msg),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
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
        Command::CreateAdmin { email } => create_admin(&config, &email).await,
        Command::SeedBench {
            authorities,
            usages,
        } => {
            let db = domain::db::connect(&config).await?;
            domain::db::migrate(&db).await?;
            domain::catalogue::seed::load_catalogue(&db).await?;
            let n = domain::demo::seed_synthetic(&db, authorities, usages).await?;
            println!(
                "Données de banc d'essai : {authorities} collectivités membres, {n} déclarations."
            );
            Ok(())
        }
        Command::BenchQueries { count, seed } => {
            let db = domain::db::connect(&config).await?;
            for line in domain::search::workload::generate(&db, count, seed).await? {
                println!("{line}");
            }
            Ok(())
        }
        Command::BenchEngine { queries, rounds } => {
            bench_engine::bench_engine(&config, &queries, rounds).await
        }
        Command::BenchSharedState { rounds } => {
            bench_shared_state::bench_shared_state(&config, rounds).await
        }
        Command::Reindex => {
            let started = std::time::Instant::now();
            let bar = indicatif::ProgressBar::new_spinner();
            let done = reindex::reindex(&config, |step| bar.set_message(step.to_string())).await;
            bar.finish_and_clear();
            match done? {
                reindex::Rebuilt::Here {
                    authorities,
                    engine,
                } => println!(
                    "Index reconstruit ({engine}) : {authorities} collectivités en {:.1} s.",
                    started.elapsed().as_secs_f64()
                ),
                reindex::Rebuilt::ByServer => println!(
                    "Index reconstruit par le serveur en service, en {:.1} s.",
                    started.elapsed().as_secs_f64()
                ),
            }
            Ok(())
        }
        Command::SeedCatalogue => {
            let db = domain::db::connect(&config).await?;
            domain::db::migrate(&db).await?;
            let s = domain::catalogue::seed::load_catalogue(&db).await?;
            if s.inserted + s.updated > 0 {
                domain::search::sync::enqueue(&db, domain::search::sync::IndexJob::All).await?;
            }
            println!(
                "Catalogue : {} logiciels ajoutés, {} mis à jour, {} inchangés.",
                s.inserted, s.updated, s.unchanged
            );
            Ok(())
        }
        Command::SeedDemo { if_empty } => {
            let db = domain::db::connect(&config).await?;
            domain::db::migrate(&db).await?;
            if domain::authorities::count(&db).await? == 0 {
                anyhow::bail!("importez d'abord le référentiel : pairs import-referential");
            }
            if if_empty && domain::demo::has_demo(&db).await? {
                println!("Démo déjà en place : rien à faire.");
                return Ok(());
            }
            domain::catalogue::seed::load_catalogue(&db).await?;
            let s = domain::demo::seed_demo(&db).await?;
            domain::search::sync::enqueue(&db, domain::search::sync::IndexJob::All).await?;
            println!(
                "Démo : {} collectivités membres, {} membres de démonstration créés, {} déclarations ajoutées.",
                s.authorities, s.members, s.usages
            );
            Ok(())
        }
    }
}
