//! Reminders that keep declarations fresh. A declaration not confirmed for 12 months is
//! mailed to the approved member of its authority who declared it (to all its approved
//! members when the declarer has left), one mail per member listing all of theirs, each with
//! « toujours d'actualité » and « nous ne l'utilisons plus » links (single use, no sign-in)
//! and « changer le statut » (the authority page, signed in). A member gets one reminder a
//! month at most; a declaration is counted reminded once per month whoever received it.
//! After the second unanswered reminder it shows as « non confirmée depuis N mois » and its
//! referents are no longer offered for contact, until someone confirms it.
//!
//! The clock is the caller's (`now`). Two workers: the mail carries the delivery key
//! `reminder:{member}:{month}`, queued in the transaction that dates the member's reminder.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    NotSet, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use crate::entities::{authority, reminder_link, software, usage, user};
use crate::error::{DomainError, DomainResult};
use crate::mail::templates::{ReminderItem, ReminderMail};
use crate::security::token;
use model::account::AccountStatus;
use model::software::SoftwareStatus;
use model::usage::UsageStatus;
use model::watch::ReminderAction;

/// Days between two reminders to one member, and to one declaration.
pub const EVERY_DAYS: i64 = 30;
/// From this many unanswered reminders, a declaration shows as unconfirmed and its referents
/// are hidden.
pub const HIDE_AFTER: i32 = 2;
/// How long a reminder's links work.
pub const LINK_DAYS: i64 = 60;

/// Whether a declaration's reminders went unanswered long enough to say so.
pub fn unconfirmed(reminders_sent: i32) -> bool {
    reminders_sent >= HIDE_AFTER
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub sent: usize,
    /// Members another worker served first.
    pub taken: usize,
}

/// A stale declaration with its tool and authority.
type Stale = (usage::Model, software::Model, authority::Model);

/// Mails every reminder due at `now`.
pub async fn run_due(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<Run> {
    let stale_before = now - Duration::days(crate::usages::STALE_AFTER_DAYS);
    let again_before = now - Duration::days(EVERY_DAYS);
    let due: Vec<Stale> = usage::Entity::find()
        .filter(usage::Column::LastConfirmedAt.lt(stale_before))
        .filter(
            Condition::any()
                .add(usage::Column::RemindedAt.is_null())
                .add(usage::Column::RemindedAt.lt(again_before)),
        )
        .find_also_related(software::Entity)
        .find_also_related(authority::Entity)
        .filter(software::Column::Status.ne(SoftwareStatus::Merged))
        .order_by_asc(usage::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(u, s, a)| Some((u, s?, a?)))
        .collect();
    if due.is_empty() {
        return Ok(Run::default());
    }
    let authorities: Vec<i32> = due.iter().map(|(u, _, _)| u.authority_id).collect();
    // Demonstration accounts (`pairs seed-demo`) have no mailbox: never reminded.
    let members = user::Entity::find()
        .filter(user::Column::Status.eq(AccountStatus::Approved))
        .filter(user::Column::Email.not_like(format!("%@{}", crate::demo::DEMO_EMAIL_DOMAIN)))
        .filter(user::Column::AuthorityId.is_in(authorities))
        .all(db)
        .await?;
    // Each declaration to its declarer, or to everyone of its authority when they left.
    let mut by_member: BTreeMap<i32, Vec<&Stale>> = BTreeMap::new();
    for stale in &due {
        let (u, _, _) = stale;
        let here: Vec<&user::Model> = members
            .iter()
            .filter(|m| m.authority_id == Some(u.authority_id))
            .collect();
        let declarer: Vec<&user::Model> = here
            .iter()
            .copied()
            .filter(|m| Some(m.id) == u.declared_by)
            .collect();
        let to = if declarer.is_empty() { here } else { declarer };
        for m in to {
            by_member.entry(m.id).or_default().push(stale);
        }
    }
    let mut run = Run::default();
    for member in members {
        let Some(items) = by_member.get(&member.id) else {
            continue;
        };
        let rested = member.reminded_at.is_none_or(|at| at < again_before);
        if !member.reminders_on || !rested {
            continue;
        }
        match remind(db, public_url, member, items, now).await? {
            true => run.sent += 1,
            false => run.taken += 1,
        }
    }
    Ok(run)
}

/// One member's reminder; `false` when another worker sent it first.
async fn remind(
    db: &DatabaseConnection,
    public_url: &str,
    member: user::Model,
    items: &[&Stale],
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let base = public_url.trim_end_matches('/');
    let txn = crate::db::begin_write(db).await?;
    let mut listed = Vec::new();
    for (u, s, a) in items {
        let link = |action: ReminderAction| {
            let (plain, hashed) = token::generate();
            let row = reminder_link::ActiveModel {
                id: NotSet,
                token_hash: Set(hashed),
                usage_id: Set(u.id),
                user_id: Set(member.id),
                action: Set(action),
                expires_at: Set(now + Duration::days(LINK_DAYS)),
                used_at: Set(None),
            };
            (format!("{base}/rappel?jeton={plain}"), row)
        };
        let (confirm, confirm_row) = link(ReminderAction::Confirm);
        let mut rows = vec![confirm_row];
        // A tool already declared abandoned gets no « nous ne l'utilisons plus » link.
        let abandon = (u.status != UsageStatus::Abandoned).then(|| {
            let (url, row) = link(ReminderAction::Abandon);
            rows.push(row);
            url
        });
        reminder_link::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        listed.push(ReminderItem {
            tool: s.name.clone(),
            status: u.status.label().to_string(),
            confirmed_on: u.last_confirmed_at.format("%d/%m/%Y").to_string(),
            confirm_link: confirm,
            change_link: format!("{base}/collectivites/{}#outils", a.public_id),
            abandon_link: abandon,
        });
    }
    let authority = items
        .first()
        .map(|(_, _, a)| a.name.clone())
        .unwrap_or_default();
    let mail = crate::mail::templates::reminder(&ReminderMail {
        to: &member.email,
        first_name: &member.first_name,
        authority: &authority,
        items: &listed,
        settings_link: &format!("{base}/compte#rappels"),
    });
    let queued = crate::mail::outbox::Queued {
        email: mail,
        contact_request: None,
        delivery_key: Some(format!("reminder:{}:{}", member.id, now.format("%Y-%m"))),
    };
    if let Err(err) = crate::jobs::enqueue(&txn, &queued).await {
        if super::digest::is_duplicate(&err) {
            txn.rollback().await?;
            return Ok(false);
        }
        return Err(err);
    }
    // Counted once per month whoever else of the authority got it.
    let ids: Vec<i32> = items.iter().map(|(u, _, _)| u.id).collect();
    usage::Entity::update_many()
        .col_expr(
            usage::Column::RemindersSent,
            Expr::col(usage::Column::RemindersSent).add(1),
        )
        .col_expr(usage::Column::RemindedAt, Expr::value(now))
        .filter(usage::Column::Id.is_in(ids))
        .filter(
            Condition::any()
                .add(usage::Column::RemindedAt.is_null())
                .add(usage::Column::RemindedAt.lt(now - Duration::days(EVERY_DAYS))),
        )
        .exec(&txn)
        .await?;
    let mut active = member.into_active_model();
    active.reminded_at = Set(Some(now));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(true)
}

fn bad_link() -> DomainError {
    DomainError::Invalid(
        "Ce lien n'est plus valable (déjà utilisé, expiré, ou vous n'êtes plus membre de cette collectivité). Vous pouvez confirmer vos déclarations depuis la page de votre collectivité."
            .into(),
    )
}

/// What a reminder's link points to, for its page (changes nothing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTarget {
    pub action: ReminderAction,
    pub tool: String,
    pub authority: String,
    pub authority_public_id: String,
}

async fn usable(
    db: &impl ConnectionTrait,
    plain: &str,
    now: DateTime<Utc>,
) -> DomainResult<(
    reminder_link::Model,
    usage::Model,
    software::Model,
    authority::Model,
)> {
    if plain.is_empty() || plain.len() > 100 {
        return Err(bad_link());
    }
    let link = reminder_link::Entity::find()
        .filter(reminder_link::Column::TokenHash.eq(token::digest(plain)))
        .filter(reminder_link::Column::UsedAt.is_null())
        .filter(reminder_link::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or_else(bad_link)?;
    let (u, s, a) = usage::Entity::find_by_id(link.usage_id)
        .find_also_related(software::Entity)
        .find_also_related(authority::Entity)
        .one(db)
        .await?
        .and_then(|(u, s, a)| Some((u, s?, a?)))
        .ok_or_else(bad_link)?;
    // Whoever holds the link must still be an approved member of that authority.
    let still = user::Entity::find_by_id(link.user_id)
        .one(db)
        .await?
        .is_some_and(|m| {
            m.status == AccountStatus::Approved && m.authority_id == Some(u.authority_id)
        });
    if !still {
        return Err(bad_link());
    }
    Ok((link, u, s, a))
}

pub async fn target(db: &impl ConnectionTrait, plain: &str) -> DomainResult<LinkTarget> {
    let (link, _, s, a) = usable(db, plain, Utc::now()).await?;
    Ok(LinkTarget {
        action: link.action,
        tool: s.name,
        authority: a.name,
        authority_public_id: a.public_id,
    })
}

/// Does what the link says, once: confirms the declaration, or marks it abandoned (dated
/// today either way); journaled as its member's, with the event followers see.
pub async fn act(db: &DatabaseConnection, plain: &str) -> DomainResult<LinkTarget> {
    let now = Utc::now();
    let (link, found, s, a) = usable(db, plain, now).await?;
    let txn = crate::db::begin_write(db).await?;
    let used = reminder_link::Entity::update_many()
        .col_expr(reminder_link::Column::UsedAt, Expr::value(now))
        .filter(reminder_link::Column::Id.eq(link.id))
        .filter(reminder_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected == 0 {
        return Err(bad_link());
    }
    let new = match link.action {
        ReminderAction::Confirm => found.status,
        ReminderAction::Abandon => UsageStatus::Abandoned,
    };
    crate::audit::record(
        &txn,
        Some(link.user_id),
        match link.action {
            ReminderAction::Confirm => "usage.confirm",
            ReminderAction::Abandon => "usage.update",
        },
        "usage",
        &found.id.to_string(),
        Some(format!(
            "collectivité {} · logiciel {} · lien d'un rappel",
            found.authority_id, found.software_id
        )),
        None,
    )
    .await?;
    super::events::record(
        &txn,
        found.authority_id,
        found.software_id,
        Some(found.status),
        Some(new),
        now,
    )
    .await?;
    if new != found.status {
        crate::search::sync::enqueue_authority(&txn, found.authority_id).await?;
    }
    let mut active = found.into_active_model();
    active.status = Set(new);
    active.last_confirmed_at = Set(now);
    active.updated_at = Set(now);
    active.reminders_sent = Set(0);
    active.reminded_at = Set(None);
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(LinkTarget {
        action: link.action,
        tool: s.name,
        authority: a.name,
        authority_public_id: a.public_id,
    })
}

/// Turns the member's reminders on or off.
pub async fn set_enabled(db: &impl ConnectionTrait, user_id: i32, on: bool) -> DomainResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::RemindersOn, Expr::value(on))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_second_unanswered_reminder_marks_a_declaration() {
        assert!(!super::unconfirmed(0));
        assert!(!super::unconfirmed(1));
        assert!(super::unconfirmed(2));
        assert!(super::unconfirmed(5));
    }
}
