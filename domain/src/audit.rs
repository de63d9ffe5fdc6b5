//! The append-only audit log (the journal) of administrative and account actions. Rows hold ids and
//! the action, never personal data, so they survive account deletion.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, NotSet};

use crate::entities::audit_log;
use crate::error::DomainResult;

pub async fn record(
    db: &impl ConnectionTrait,
    actor_id: Option<i32>,
    action: &str,
    target_type: &str,
    target_id: &str,
    reason: Option<String>,
    ip: Option<String>,
) -> DomainResult<()> {
    audit_log::ActiveModel {
        id: NotSet,
        actor_id: Set(actor_id),
        action: Set(action.to_string()),
        target_type: Set(target_type.to_string()),
        target_id: Set(target_id.to_string()),
        reason: Set(reason),
        ip: Set(ip),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What the journal page filters on; empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalFilter {
    /// The actor's email (exact, any case) — the journal itself holds ids only.
    pub actor_email: String,
    /// An action, or the start of one (`member.` lists every member action).
    pub action: String,
    /// A target id (a member's number, a software slug…).
    pub target: String,
    pub from: Option<chrono::NaiveDate>,
    /// Inclusive.
    pub to: Option<chrono::NaiveDate>,
}

/// One journal line as administrators read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: i64,
    pub at: chrono::DateTime<Utc>,
    /// `None` for the system (CLI, purge) or an erased account.
    pub actor: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub reason: Option<String>,
    pub ip: Option<String>,
}

pub const JOURNAL_PAGE_SIZE: u64 = 50;

/// Page `page` (1-based) of the journal, newest first, and the number of matching lines.
/// Administrators only; nothing in Pairs edits or deletes journal lines.
pub async fn journal(
    db: &sea_orm::DatabaseConnection,
    actor: &crate::actor::CurrentUser,
    filter: &JournalFilter,
    page: u64,
) -> DomainResult<(u64, Vec<JournalEntry>)> {
    use crate::entities::user;
    use sea_orm::{
        ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    };
    crate::permissions::require(actor, crate::permissions::Action::Administer)?;
    let mut condition = Condition::all();
    if !filter.actor_email.trim().is_empty() {
        let email = crate::accounts::normalize_email(&filter.actor_email);
        let id = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(db)
            .await?
            .map(|u| u.id)
            .unwrap_or(-1);
        condition = condition.add(audit_log::Column::ActorId.eq(id));
    }
    if !filter.action.trim().is_empty() {
        condition = condition
            .add(audit_log::Column::Action.like(crate::sql::starts_with(filter.action.trim())));
    }
    if !filter.target.trim().is_empty() {
        condition = condition.add(audit_log::Column::TargetId.eq(filter.target.trim()));
    }
    if let Some(from) = filter.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        condition = condition.add(audit_log::Column::CreatedAt.gte(from.and_utc()));
    }
    if let Some(to) = filter
        .to
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        condition = condition.add(audit_log::Column::CreatedAt.lt(to.and_utc()));
    }
    let query = audit_log::Entity::find()
        .filter(condition)
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id);
    let total = query.clone().count(db).await?;
    let rows = query
        .find_also_related(user::Entity)
        .offset((Ord::max(page, 1) - 1) * JOURNAL_PAGE_SIZE)
        .limit(JOURNAL_PAGE_SIZE)
        .all(db)
        .await?;
    Ok((
        total,
        rows.into_iter()
            .map(|(r, actor)| JournalEntry {
                id: r.id,
                at: r.created_at,
                actor: r.actor_id.map(|id| {
                    actor
                        .map(|u| u.email)
                        .unwrap_or_else(|| format!("compte supprimé n° {id}"))
                }),
                action: r.action,
                target_type: r.target_type,
                target_id: r.target_id,
                reason: r.reason,
                ip: r.ip,
            })
            .collect(),
    ))
}

/// Client addresses in the journal are kept whole this long, then cut to their network.
pub const IP_KEPT_DAYS: i64 = 90;

/// An address cut to its network: IPv4 to its /24, IPv6 to its /48. Already cut (or not an
/// address): unchanged.
pub fn truncate_ip(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
            format!("{net}/48")
        }
        Err(_) => ip.to_string(),
    }
}

/// Cuts the client addresses of journal lines older than `IP_KEPT_DAYS` (run hourly by
/// the worker); returns how many lines changed. The journal's other fields never change.
pub async fn truncate_old_ips(
    db: &sea_orm::DatabaseConnection,
    now: chrono::DateTime<Utc>,
) -> DomainResult<u64> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};
    let old: Vec<(i64, Option<String>)> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Id)
        .column(audit_log::Column::Ip)
        .filter(audit_log::Column::CreatedAt.lt(now - chrono::Duration::days(IP_KEPT_DAYS)))
        .filter(audit_log::Column::Ip.is_not_null())
        .filter(audit_log::Column::Ip.not_like("%/%"))
        .limit(10_000)
        .into_tuple()
        .all(db)
        .await?;
    let mut changed = 0;
    for (id, ip) in old {
        let Some(ip) = ip else { continue };
        audit_log::Entity::update_many()
            .col_expr(audit_log::Column::Ip, Expr::value(Some(truncate_ip(&ip))))
            .filter(audit_log::Column::Id.eq(id))
            .exec(db)
            .await?;
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::truncate_ip;

    #[test]
    fn addresses_are_cut_to_their_network() {
        assert_eq!(truncate_ip("192.0.2.17"), "192.0.2.0/24");
        assert_eq!(truncate_ip("2001:db8:1:2:3:4:5:6"), "2001:db8:1::/48");
        assert_eq!(truncate_ip("192.0.2.0/24"), "192.0.2.0/24");
    }
}
