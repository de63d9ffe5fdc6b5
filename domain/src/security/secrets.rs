//! Server-side keys kept in the database, so that every process sharing it agrees on them
//! without configuration. Created on first use; never shown to anyone.

use base64::Engine;
use chrono::Utc;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::entities::app_secret;
use crate::error::{DomainError, DomainResult};

/// The key called `name`, created at random the first time it is asked for. Two processes
/// asking at once both read the one that was inserted first.
pub async fn get_or_create(db: &impl ConnectionTrait, name: &str) -> DomainResult<Vec<u8>> {
    if let Some(found) = app_secret::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
    {
        return decode(&found.value);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    app_secret::Entity::insert(app_secret::ActiveModel {
        name: Set(name.to_string()),
        value: Set(base64::engine::general_purpose::STANDARD.encode(bytes)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(app_secret::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = app_secret::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    decode(&stored.value)
}

fn decode(value: &str) -> DomainResult<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|e| DomainError::Corrupt(format!("stored secret is not base64: {e}")))
}

/// HMAC-SHA256 of `message` under `key`, in hex.
pub fn mac(key: &[u8], message: &str) -> String {
    use hmac::{Hmac, Mac};
    // HMAC accepts keys of any length: this cannot fail.
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two tags in constant time.
pub fn same_tag(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
