//! Schema migrations. One file per change; they never import entities so that old
//! migrations keep compiling as the entities evolve. Each runs on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_create_authorities;
mod m20261129_000002_create_jobs_and_audit;
mod m20261129_000003_create_accounts;
mod m20261129_000004_create_catalogue;
mod m20261129_000005_create_contact;
mod m20261129_000006_authority_details_and_profile_reports;
mod m20261203_000007_used_form_stamps;
mod m20261203_000008_signup_details_on_tokens;
mod m20261203_000009_contact_links;
mod m20261203_000010_saved_filters;
mod m20261203_000011_shared_limits_and_flash;
mod m20261204_000012_contact_questions;
mod m20261205_000013_software_reviews;
mod m20261205_000014_usage_replaced_by;
mod m20261208_000015_follows_and_events;
mod m20261208_000016_reminders;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_authorities::Migration),
            Box::new(m20261129_000002_create_jobs_and_audit::Migration),
            Box::new(m20261129_000003_create_accounts::Migration),
            Box::new(m20261129_000004_create_catalogue::Migration),
            Box::new(m20261129_000005_create_contact::Migration),
            Box::new(m20261129_000006_authority_details_and_profile_reports::Migration),
            Box::new(m20261203_000007_used_form_stamps::Migration),
            Box::new(m20261203_000008_signup_details_on_tokens::Migration),
            Box::new(m20261203_000009_contact_links::Migration),
            Box::new(m20261203_000010_saved_filters::Migration),
            Box::new(m20261203_000011_shared_limits_and_flash::Migration),
            Box::new(m20261204_000012_contact_questions::Migration),
            Box::new(m20261205_000013_software_reviews::Migration),
            Box::new(m20261205_000014_usage_replaced_by::Migration),
            Box::new(m20261208_000015_follows_and_events::Migration),
            Box::new(m20261208_000016_reminders::Migration),
        ]
    }
}
