//! The network: which authorities are members (since when) and their Villes Internet label
//! (1 to 5 « @ », and its year). Set by administrators, journaled in the same transaction,
//! and carried to the search engines through the outbox.

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use crate::actor::CurrentUser;
use crate::entities::authority;
use crate::error::{DomainError, DomainResult};
use crate::permissions::{Action, require};

/// What an administrator sets on an authority.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    pub is_member: bool,
    pub member_since: Option<NaiveDate>,
    pub label_level: Option<i16>,
    pub label_year: Option<i32>,
}

fn invalid(message: &str) -> DomainError {
    DomainError::Invalid(message.into())
}

/// Checks a standing against today's date.
pub fn check(standing: &Standing, today: NaiveDate) -> DomainResult<()> {
    if standing.member_since.is_some() && !standing.is_member {
        return Err(invalid(
            "Une date d'adhésion n'a de sens que pour une collectivité membre.",
        ));
    }
    if standing.member_since.is_some_and(|d| d > today) {
        return Err(invalid(
            "La date d'adhésion ne peut pas être dans le futur.",
        ));
    }
    if standing.label_level.is_some_and(|l| !(1..=5).contains(&l)) {
        return Err(invalid("Le label Villes Internet va de 1 à 5 « @ »."));
    }
    match (standing.label_level, standing.label_year) {
        (None, Some(_)) => Err(invalid("Indiquez le niveau du label avant son année.")),
        (_, Some(y)) if !(1999..=today.year() + 1).contains(&y) => Err(invalid(&format!(
            "L'année du label va de 1999 à {}.",
            today.year() + 1
        ))),
        _ => Ok(()),
    }
}

fn describe(s: &Standing) -> String {
    let membership = match (s.is_member, s.member_since) {
        (true, Some(d)) => format!("membre depuis le {}", d.format("%d/%m/%Y")),
        (true, None) => "membre".into(),
        (false, _) => "non membre".into(),
    };
    let label = match (s.label_level, s.label_year) {
        (Some(l), Some(y)) => format!("label {} ({y})", "@".repeat(l as usize)),
        (Some(l), None) => format!("label {}", "@".repeat(l as usize)),
        _ => "sans label".into(),
    };
    format!("{membership} ; {label}")
}

/// Sets the membership and label of the authority `public_id`.
pub async fn set_standing(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    public_id: &str,
    standing: &Standing,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    check(standing, Utc::now().date_naive())?;
    let txn = crate::db::begin_write(db).await?;
    let found = authority::Entity::find()
        .filter(authority::Column::PublicId.eq(public_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let id = found.id;
    let mut active: authority::ActiveModel = found.into();
    active.is_member = Set(standing.is_member);
    active.member_since = Set(standing.member_since);
    active.label_level = Set(standing.label_level);
    active.label_year = Set(standing.label_year);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    crate::search::sync::enqueue_authority(&txn, id).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "authority.standing",
        "authority",
        public_id,
        Some(describe(standing)),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the identity fields the referential lacks: the official website (http or https)
/// and a short description (500 characters at most). Empty clears.
pub async fn set_details(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    public_id: &str,
    website: &str,
    description: &str,
    ip: Option<String>,
) -> DomainResult<()> {
    require(actor, Action::Administer)?;
    let website = match website.trim() {
        "" => None,
        w if (w.starts_with("https://") || w.starts_with("http://"))
            && w.len() <= 300
            && !w.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Some(w.to_string())
        }
        _ => {
            return Err(invalid(
                "Le site web doit être une adresse complète commençant par https:// (300 caractères au plus).",
            ));
        }
    };
    let description = match description.trim() {
        "" => None,
        d if d.chars().count() <= 500 => Some(d.to_string()),
        _ => {
            return Err(invalid(
                "La description est trop longue (500 caractères au plus).",
            ));
        }
    };
    let txn = crate::db::begin_write(db).await?;
    let found = authority::Entity::find()
        .filter(authority::Column::PublicId.eq(public_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut active: authority::ActiveModel = found.into();
    active.website = Set(website);
    active.description = Set(description);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "authority.details",
        "authority",
        public_id,
        None,
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn standings_are_checked() {
        let today = day(2026, 11, 29);
        let ok = Standing {
            is_member: true,
            member_since: Some(day(2020, 1, 15)),
            label_level: Some(4),
            label_year: Some(2026),
        };
        assert!(check(&ok, today).is_ok());
        assert!(check(&Standing::default(), today).is_ok());
        for bad in [
            Standing {
                is_member: false,
                ..ok.clone()
            },
            Standing {
                member_since: Some(day(2027, 1, 1)),
                ..ok.clone()
            },
            Standing {
                label_level: Some(6),
                ..ok.clone()
            },
            Standing {
                label_level: Some(0),
                ..ok.clone()
            },
            Standing {
                label_level: None,
                ..ok.clone()
            },
            Standing {
                label_year: Some(1990),
                ..ok.clone()
            },
        ] {
            assert!(check(&bad, today).is_err(), "{bad:?}");
        }
        assert_eq!(
            describe(&ok),
            "membre depuis le 15/01/2020 ; label @@@@ (2026)"
        );
    }
}
