//! Declarations of the software an authority runs. Only approved members of that
//! authority may add, edit, confirm or remove them; each check happens here.

use chrono::{Datelike, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, NotSet, QueryFilter,
};

use crate::actor::CurrentUser;
use crate::entities::{software, usage, usage_referent};
use crate::error::{DomainError, DomainResult};
use model::software::SoftwareStatus;

use model::usage::UsageStatus;
/// A declaration not confirmed for this long asks for re-confirmation.
pub const STALE_AFTER_DAYS: i64 = 365;

/// What the declaration form sends (raw text, checked here).
#[derive(Clone, Debug, Default)]
pub struct UsageInput {
    pub status: String,
    pub since_year: String,
    pub version: String,
    pub notes: String,
    pub satisfaction: String,
    pub referent: bool,
    /// For an abandoned tool: what replaced it (a catalogue name or slug), or empty.
    pub replaced_by: String,
}

pub(crate) struct Checked {
    status: UsageStatus,
    since_year: Option<i32>,
    version: Option<String>,
    notes: Option<String>,
    satisfaction: Option<i16>,
    replaced_by: Option<i32>,
}

fn invalid(msg: impl Into<String>) -> DomainError {
    DomainError::Invalid(msg.into())
}

/// The catalogue entry a declaration says replaced an abandoned tool: found by slug or by
/// name (any case and accents), approved only.
async fn replacement(db: &impl ConnectionTrait, raw: &str) -> DomainResult<Option<i32>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let folded = crate::text::fold(raw);
    let found = software::Entity::find()
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .all(db)
        .await?
        .into_iter()
        .find(|s| s.slug == raw || crate::text::fold(&s.name) == folded);
    match found {
        Some(s) => Ok(Some(s.id)),
        None => Err(invalid(format!(
            "« {raw} » ne figure pas au catalogue : choisissez le logiciel qui l'a remplacé dans la liste."
        ))),
    }
}

/// The form checked, the replacement looked up; `own` is the declared tool (it cannot
/// replace itself).
pub(crate) async fn check(
    db: &impl ConnectionTrait,
    input: &UsageInput,
    own: Option<i32>,
) -> DomainResult<Checked> {
    let mut checked = check_fields(input)?;
    let replaced_by = replacement(db, &input.replaced_by).await?;
    if replaced_by.is_some() && checked.status != UsageStatus::Abandoned {
        return Err(invalid(
            "Indiquez un logiciel de remplacement seulement pour un logiciel abandonné.",
        ));
    }
    if replaced_by.is_some() && replaced_by == own {
        return Err(invalid("Un logiciel ne peut pas se remplacer lui-même."));
    }
    checked.replaced_by = replaced_by;
    Ok(checked)
}

fn check_fields(input: &UsageInput) -> DomainResult<Checked> {
    let status = UsageStatus::parse(input.status.trim()).ok_or_else(|| {
        invalid("Choisissez un statut : utilisé, en évaluation, prévu ou abandonné.")
    })?;
    let this_year = Utc::now().year();
    let since_year = match input.since_year.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) if (1970..=this_year).contains(&y) => Some(y),
            _ => {
                return Err(invalid(format!(
                    "L'année de mise en service doit être comprise entre 1970 et {this_year}."
                )));
            }
        },
    };
    let version = match input.version.trim() {
        "" => None,
        v if v.chars().count() > 60 => {
            return Err(invalid("La version doit faire au plus 60 caractères."));
        }
        v => Some(v.to_string()),
    };
    let notes = match input.notes.trim() {
        "" => None,
        n if n.chars().count() > 2000 => {
            return Err(invalid("Le contexte doit faire au plus 2 000 caractères."));
        }
        n => Some(n.to_string()),
    };
    let satisfaction = match input.satisfaction.trim() {
        "" => None,
        s => match s.parse::<i16>() {
            Ok(s) if (1..=5).contains(&s) => Some(s),
            _ => return Err(invalid("La satisfaction se note de 1 à 5.")),
        },
    };
    Ok(Checked {
        status,
        since_year,
        version,
        notes,
        satisfaction,
        replaced_by: None,
    })
}

/// The actor must be an approved member of this authority.
pub(crate) fn authorize(actor: &CurrentUser, authority_id: i32) -> DomainResult<()> {
    crate::permissions::require(
        actor,
        crate::permissions::Action::EditAuthority(authority_id),
    )
}

async fn set_referent(
    db: &impl ConnectionTrait,
    usage_id: i32,
    user_id: i32,
    on: bool,
) -> DomainResult<()> {
    usage_referent::Entity::delete_many()
        .filter(usage_referent::Column::UsageId.eq(usage_id))
        .filter(usage_referent::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if on {
        usage_referent::ActiveModel {
            usage_id: Set(usage_id),
            user_id: Set(user_id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Declares that the actor's authority runs this software.
pub async fn declare(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    authority_id: i32,
    software_slug: &str,
    input: &UsageInput,
) -> DomainResult<usage::Model> {
    authorize(actor, authority_id)?;
    let software = crate::catalogue::query::find_by_slug(db, software_slug.trim())
        .await?
        .filter(|s| {
            s.status == SoftwareStatus::Approved
                || (s.status == SoftwareStatus::Proposed && s.proposed_by == Some(actor.id))
        })
        .ok_or_else(|| invalid("Choisissez un logiciel du catalogue."))?;
    let checked = check(db, input, Some(software.id)).await?;
    let exists = usage::Entity::find()
        .filter(usage::Column::AuthorityId.eq(authority_id))
        .filter(usage::Column::SoftwareId.eq(software.id))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(invalid(format!(
            "{} est déjà déclaré pour votre collectivité : modifiez la déclaration existante.",
            software.name
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    let created = insert(
        &txn,
        actor,
        authority_id,
        &software,
        checked,
        input.referent,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Writes a declaration with its referent role, search update and journal line, in the
/// caller's transaction (a declaration alone, or with the software it proposes).
pub(crate) async fn insert(
    txn: &impl ConnectionTrait,
    actor: &CurrentUser,
    authority_id: i32,
    software: &software::Model,
    checked: Checked,
    referent: bool,
) -> DomainResult<usage::Model> {
    let now = Utc::now();
    let created = usage::ActiveModel {
        id: NotSet,
        authority_id: Set(authority_id),
        software_id: Set(software.id),
        status: Set(checked.status),
        since_year: Set(checked.since_year),
        version: Set(checked.version),
        notes: Set(checked.notes),
        satisfaction: Set(checked.satisfaction),
        declared_by: Set(Some(actor.id)),
        last_confirmed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        replaced_by_id: Set(checked.replaced_by),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    set_referent(txn, created.id, actor.id, referent).await?;
    crate::search::sync::enqueue_authority(txn, authority_id).await?;
    journal(txn, actor, "usage.declare", &created).await?;
    event(txn, &created, None, Some(created.status)).await?;
    Ok(created)
}

/// Who changed an authority's public data must be answerable: each declaration change is
/// journaled (target: the declaration; reason: the authority and software ids).
async fn journal(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    action: &str,
    usage: &usage::Model,
) -> DomainResult<()> {
    crate::audit::record(
        db,
        Some(actor.id),
        action,
        "usage",
        &usage.id.to_string(),
        Some(format!(
            "collectivité {} · logiciel {}",
            usage.authority_id, usage.software_id
        )),
        None,
    )
    .await
}

/// What followers of the tool are told (`crate::watch`): the change, no person.
async fn event(
    db: &impl ConnectionTrait,
    usage: &usage::Model,
    old: Option<UsageStatus>,
    new: Option<UsageStatus>,
) -> DomainResult<()> {
    crate::watch::events::record(
        db,
        usage.authority_id,
        usage.software_id,
        old,
        new,
        Utc::now(),
    )
    .await
}

async fn load_for(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    usage_id: i32,
) -> DomainResult<usage::Model> {
    let found = usage::Entity::find_by_id(usage_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    authorize(actor, found.authority_id)?;
    Ok(found)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    usage_id: i32,
    input: &UsageInput,
) -> DomainResult<()> {
    let found = load_for(db, actor, usage_id).await?;
    let checked = check(db, input, Some(found.software_id)).await?;
    let txn = crate::db::begin_write(db).await?;
    crate::search::sync::enqueue_authority(&txn, found.authority_id).await?;
    journal(&txn, actor, "usage.update", &found).await?;
    event(&txn, &found, Some(found.status), Some(checked.status)).await?;
    let mut active: usage::ActiveModel = found.into();
    active.status = Set(checked.status);
    active.since_year = Set(checked.since_year);
    active.version = Set(checked.version);
    active.notes = Set(checked.notes);
    active.satisfaction = Set(checked.satisfaction);
    active.replaced_by_id = Set(checked.replaced_by);
    active.last_confirmed_at = Set(Utc::now());
    active.updated_at = Set(Utc::now());
    active.reminders_sent = Set(0);
    active.reminded_at = Set(None);
    active.update(&txn).await?;
    set_referent(&txn, usage_id, actor.id, input.referent).await?;
    txn.commit().await?;
    Ok(())
}

/// "Still true": the declaration is dated today.
pub async fn confirm(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    usage_id: i32,
) -> DomainResult<()> {
    let found = load_for(db, actor, usage_id).await?;
    let txn = crate::db::begin_write(db).await?;
    journal(&txn, actor, "usage.confirm", &found).await?;
    event(&txn, &found, Some(found.status), Some(found.status)).await?;
    let mut active: usage::ActiveModel = found.into();
    active.last_confirmed_at = Set(Utc::now());
    active.reminders_sent = Set(0);
    active.reminded_at = Set(None);
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn remove(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    usage_id: i32,
) -> DomainResult<()> {
    let found = load_for(db, actor, usage_id).await?;
    let txn = crate::db::begin_write(db).await?;
    usage::Entity::delete_by_id(found.id).exec(&txn).await?;
    crate::search::sync::enqueue_authority(&txn, found.authority_id).await?;
    journal(&txn, actor, "usage.remove", &found).await?;
    event(&txn, &found, Some(found.status), None).await?;
    txn.commit().await?;
    Ok(())
}

/// One declaration as the authority page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageRow {
    pub id: i32,
    pub software_slug: String,
    pub software_name: String,
    pub software_proposed: bool,
    pub status: UsageStatus,
    pub since_year: Option<i32>,
    pub version: Option<String>,
    pub notes: Option<String>,
    pub satisfaction: Option<i16>,
    pub confirmed_on: chrono::DateTime<Utc>,
    pub stale: bool,
    /// After unanswered reminders: for how many months it has gone unconfirmed.
    pub unconfirmed_months: Option<i64>,
    /// Whether the viewer is a referent of this declaration.
    pub viewer_is_referent: bool,
    pub referents: u64,
    /// For an abandoned tool: the name of what replaced it, when said.
    pub replaced_by: Option<String>,
}

pub async fn for_authority(
    db: &impl ConnectionTrait,
    authority_id: i32,
    viewer: Option<i32>,
) -> DomainResult<Vec<UsageRow>> {
    let (usages, entries): (Vec<usage::Model>, Vec<Option<software::Model>>) =
        usage::Entity::find()
            .filter(usage::Column::AuthorityId.eq(authority_id))
            .find_also_related(software::Entity)
            .filter(software::Column::Status.ne(SoftwareStatus::Merged))
            .all(db)
            .await?
            .into_iter()
            .unzip();
    let links = usage_referent::Entity::find()
        .inner_join(usage::Entity)
        .filter(usage::Column::AuthorityId.eq(authority_id))
        .all(db)
        .await?;
    // What replaced an abandoned tool is a second catalogue entry: few rows, one lookup.
    // Most authorities name no replacement: no statement then.
    let replaced: Vec<i32> = usages.iter().filter_map(|u| u.replaced_by_id).collect();
    let replacements: std::collections::HashMap<i32, String> = if replaced.is_empty() {
        std::collections::HashMap::new()
    } else {
        software::Entity::find()
            .filter(software::Column::Id.is_in(replaced))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect()
    };
    let stale_before = Utc::now() - Duration::days(STALE_AFTER_DAYS);
    let mut rows: Vec<UsageRow> = usages
        .into_iter()
        .zip(entries)
        .filter_map(|(u, s)| {
            let s = s?;
            let links: Vec<_> = links.iter().filter(|l| l.usage_id == u.id).collect();
            Some(UsageRow {
                id: u.id,
                software_slug: s.slug,
                software_name: s.name,
                software_proposed: s.status == SoftwareStatus::Proposed,
                status: u.status,
                since_year: u.since_year,
                version: u.version,
                notes: u.notes,
                satisfaction: u.satisfaction,
                confirmed_on: u.last_confirmed_at,
                stale: u.last_confirmed_at < stale_before,
                unconfirmed_months: crate::watch::reminders::unconfirmed(u.reminders_sent)
                    .then(|| (Utc::now() - u.last_confirmed_at).num_days() / 30),
                viewer_is_referent: viewer.is_some_and(|v| links.iter().any(|l| l.user_id == v)),
                referents: links.len() as u64,
                replaced_by: u
                    .replaced_by_id
                    .and_then(|id| replacements.get(&id).cloned()),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(a.software_name.cmp(&b.software_name))
    });
    Ok(rows)
}
