//! The contact form's start time, sealed by the server: the form carries
//! `<unix seconds>.<nonce>.<HMAC>` so a request sent faster than a person could write it
//! (a bot) is refused, and the time cannot be forged or moved to another account. Each
//! stamp is used once (`consume`, in the transaction that stores what the form sent): fifty
//! parallel posts of one form send one request.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::used_form_stamp;
use crate::error::{DomainError, DomainResult};
use crate::security::{secrets, token};

const KEY_NAME: &str = "contact_form";
/// A form older than this is stale: the page is to be reloaded.
const MAX_AGE_SECONDS: i64 = 24 * 3600;

fn seal(key: &[u8], user_id: i32, started: i64, nonce: &str) -> String {
    secrets::mac(key, &format!("contact-form:{user_id}:{started}:{nonce}"))
}

/// A fresh stamp for a form shown to `user_id` at `now`.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<String> {
    let key = secrets::get_or_create(db, KEY_NAME).await?;
    let started = now.timestamp();
    // Two forms opened in the same second are two stamps.
    let (nonce, _) = token::generate();
    let nonce = &nonce[..16];
    Ok(format!(
        "{started}.{nonce}.{}",
        seal(&key, user_id, started, nonce)
    ))
}

/// Checks that the stamp was issued to `user_id`, at least `min_seconds` and at most a
/// day before `now`.
pub async fn check(
    db: &impl ConnectionTrait,
    user_id: i32,
    stamp: &str,
    now: DateTime<Utc>,
    min_seconds: u64,
) -> DomainResult<()> {
    let key = secrets::get_or_create(db, KEY_NAME).await?;
    verify(&key, user_id, stamp, now.timestamp(), min_seconds)
}

/// Marks a checked stamp used, inside the caller's write transaction; a stamp already
/// used (by an earlier or a parallel post: the second insert waits for the first) is
/// refused. Marks older than a stamp's lifetime are cleared on the way.
pub async fn consume(
    txn: &impl ConnectionTrait,
    stamp: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    used_form_stamp::Entity::delete_many()
        .filter(used_form_stamp::Column::UsedAt.lt(now - Duration::seconds(2 * MAX_AGE_SECONDS)))
        .exec(txn)
        .await?;
    let inserted = used_form_stamp::Entity::insert(used_form_stamp::ActiveModel {
        digest: Set(token::digest(stamp)),
        used_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(used_form_stamp::Column::Digest)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted == 0 {
        return Err(DomainError::Invalid(
            "Ce formulaire a déjà été envoyé : rechargez la page pour écrire une nouvelle demande."
                .into(),
        ));
    }
    Ok(())
}

fn verify(key: &[u8], user_id: i32, stamp: &str, now: i64, min_seconds: u64) -> DomainResult<()> {
    let stale = || {
        DomainError::Invalid(
            "Le formulaire a expiré ou a été modifié : vérifiez votre message puis envoyez-le de nouveau."
                .into(),
        )
    };
    let mut parts = stamp.splitn(3, '.');
    let (Some(started), Some(nonce), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(stale());
    };
    let started: i64 = started.parse().map_err(|_| stale())?;
    let expected = seal(key, user_id, started, nonce);
    let same = secrets::same_tag(&expected, mac);
    if !same || now - started > MAX_AGE_SECONDS || started > now + 60 {
        return Err(stale());
    }
    if now - started < min_seconds as i64 {
        return Err(DomainError::Invalid(format!(
            "Le formulaire a été envoyé trop vite (moins de {min_seconds} secondes) : relisez votre message puis envoyez-le de nouveau."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"une cle de test de trente-deux o";

    fn stamp(user: i32, at: i64) -> String {
        format!("{at}.nonce.{}", seal(KEY, user, at, "nonce"))
    }

    #[test]
    fn a_stamp_passes_after_the_minimum_time_only() {
        assert!(verify(KEY, 7, &stamp(7, 1_000), 1_003, 3).is_ok());
        assert!(verify(KEY, 7, &stamp(7, 1_000), 1_002, 3).is_err());
        assert!(verify(KEY, 7, &stamp(7, 1_000), 1_000, 0).is_ok());
    }

    #[test]
    fn forged_moved_or_stale_stamps_fail() {
        // Another account's stamp, an edited time, garbage, a day-old form.
        assert!(verify(KEY, 8, &stamp(7, 1_000), 1_010, 3).is_err());
        let edited = stamp(7, 1_000).replacen("1000", "900", 1);
        assert!(verify(KEY, 7, &edited, 1_010, 3).is_err());
        assert!(verify(KEY, 7, "n'importe quoi", 1_010, 3).is_err());
        assert!(verify(KEY, 7, "", 1_010, 3).is_err());
        assert!(verify(KEY, 7, &stamp(7, 1_000), 1_000 + 86_401, 3).is_err());
        assert!(verify(b"une autre cle", 7, &stamp(7, 1_000), 1_010, 3).is_err());
        let other_nonce = stamp(7, 1_000).replacen(".nonce.", ".autre.", 1);
        assert!(verify(KEY, 7, &other_nonce, 1_010, 3).is_err());
    }
}
