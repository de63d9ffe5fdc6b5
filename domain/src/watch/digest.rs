//! The digest: at the start of each period (Monday 00:00 UTC for a weekly digest, the 1st
//! of the month for a monthly one), each approved member who follows something gets one
//! mail telling what happened, since their last digest, to the tools they follow: peers
//! nearest to them first. Nothing is sent when nothing happened.
//!
//! Exactly once per member and period, whichever worker runs it: the mail job carries the
//! delivery key `digest:{member}:{period}` (unique in the jobs table) and is queued in the
//! transaction that moves the member's `digest_until`; a second worker's transaction fails
//! on the key and changes nothing. The clock is the caller's (`now`), so tests choose it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::{authority, declaration_event, follow, software, user};
use crate::error::DomainResult;
use crate::mail::templates::{DigestLine, DigestMail, DigestSection};
use model::account::AccountStatus;
use model::software::SoftwareStatus;
use model::watch::{DigestFrequency, EventKind, FollowTarget};

use super::named;
use crate::accounts::tokens::UNSUBSCRIBE;

/// The start of the period `now` is in; `None` for `never`.
pub fn period_start(frequency: DigestFrequency, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let day = now.date_naive();
    let first = match frequency {
        DigestFrequency::Weekly => {
            day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
        }
        DigestFrequency::Monthly => NaiveDate::from_ymd_opt(day.year(), day.month(), 1)?,
        DigestFrequency::Never => return None,
    };
    Some(Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0)?))
}

/// The start of the period before the one starting at `start`.
pub fn previous_start(frequency: DigestFrequency, start: DateTime<Utc>) -> DateTime<Utc> {
    match frequency {
        DigestFrequency::Monthly => {
            period_start(frequency, start - Duration::days(1)).unwrap_or(start)
        }
        _ => start - Duration::days(7),
    }
}

/// A period's name in a delivery key: `2026-W50`, `2026-12`.
pub fn period_key(frequency: DigestFrequency, start: DateTime<Utc>) -> String {
    match frequency {
        DigestFrequency::Weekly => {
            let week = start.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        _ => start.format("%Y-%m").to_string(),
    }
}

/// The delivery key of a member's digest for one period.
pub fn delivery_key(user_id: i32, period: &str) -> String {
    format!("digest:{user_id}:{period}")
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    /// Digests queued.
    pub sent: usize,
    /// Members whose period held nothing to tell.
    pub empty: usize,
    /// Members another worker served first.
    pub taken: usize,
}

/// Queues the digest of every member whose period has begun since their last one.
pub async fn run_due(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<Run> {
    let followers = user::Entity::find()
        .filter(user::Column::Status.eq(AccountStatus::Approved))
        .filter(user::Column::DigestFrequency.ne(DigestFrequency::Never))
        .filter(
            user::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(follow::Column::UserId)
                    .from(follow::Entity)
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let mut run = Run::default();
    for member in followers {
        let Some(start) = period_start(member.digest_frequency, now) else {
            continue;
        };
        if member.digest_until.is_some_and(|until| until >= start) {
            continue;
        }
        match serve(db, public_url, member, start).await? {
            Served::Sent => run.sent += 1,
            Served::Empty => run.empty += 1,
            Served::Taken => run.taken += 1,
        }
    }
    Ok(run)
}

enum Served {
    Sent,
    Empty,
    Taken,
}

/// One member's digest for the period ending at `end`.
async fn serve(
    db: &DatabaseConnection,
    public_url: &str,
    member: user::Model,
    end: DateTime<Utc>,
) -> DomainResult<Served> {
    let frequency = member.digest_frequency;
    let from = member
        .digest_until
        .unwrap_or_else(|| previous_start(frequency, end));
    let events = events_for(db, member.id, from, end).await?;
    let home = match member.authority_id {
        Some(id) => authority::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let txn = crate::db::begin_write(db).await?;
    let served = if events.is_empty() {
        Served::Empty
    } else {
        let period = period_key(frequency, end);
        let plain = crate::accounts::tokens::issue(&txn, member.id, UNSUBSCRIBE, None).await?;
        let mail = compose(public_url, &member, home.as_ref(), &events, &plain);
        let queued = crate::mail::outbox::Queued {
            email: mail,
            contact_request: None,
            delivery_key: Some(delivery_key(member.id, &period)),
        };
        if let Err(err) = crate::jobs::enqueue(&txn, &queued).await {
            if is_duplicate(&err) {
                txn.rollback().await?;
                return Ok(Served::Taken);
            }
            return Err(err);
        }
        Served::Sent
    };
    let mut active = member.into_active_model();
    active.digest_until = Set(Some(end));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(served)
}

/// The unsubscribe link of a digest (the page's button or a mail client's one-click POST):
/// no more digests. An unknown or expired link changes nothing.
pub async fn unsubscribe(db: &impl ConnectionTrait, plain: &str) -> DomainResult<()> {
    let token = crate::accounts::tokens::find_usable(db, plain, UNSUBSCRIBE)
        .await?
        .ok_or_else(|| {
            crate::DomainError::Invalid(
                "Ce lien de désabonnement n'est pas valide ou a expiré : réglez vos résumés depuis « Mon compte »."
                    .into(),
            )
        })?;
    super::follows::set_frequency(db, token.user_id, DigestFrequency::Never).await
}

pub(super) fn is_duplicate(err: &crate::DomainError) -> bool {
    matches!(
        err,
        crate::DomainError::Db(e)
            if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
    )
}

/// One event as a digest tells it.
#[derive(Clone, Debug)]
struct Told {
    kind: EventKind,
    old: Option<model::usage::UsageStatus>,
    new: Option<model::usage::UsageStatus>,
    authority: authority::Model,
    software: software::Model,
}

/// The last event of each (authority, tool) in `[from, to)` about the tools `user_id`
/// follows, directly or by category; confirmations and unapproved tools left out.
async fn events_for(
    db: &impl ConnectionTrait,
    user_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<Told>> {
    let follows = follow::Entity::find()
        .filter(follow::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let ids = |t: FollowTarget| -> Vec<i32> {
        follows
            .iter()
            .filter(|f| f.target == t)
            .map(|f| f.target_id)
            .collect()
    };
    let told: Vec<EventKind> = EventKind::ALL
        .into_iter()
        .filter(|k| k.in_digest())
        .collect();
    let rows = declaration_event::Entity::find()
        .filter(declaration_event::Column::At.gte(from))
        .filter(declaration_event::Column::At.lt(to))
        .filter(declaration_event::Column::Kind.is_in(told))
        .find_also_related(authority::Entity)
        .find_also_related(software::Entity)
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .filter(
            Condition::any()
                .add(declaration_event::Column::SoftwareId.is_in(ids(FollowTarget::Software)))
                .add(software::Column::CategoryId.is_in(ids(FollowTarget::Category))),
        )
        .order_by_asc(declaration_event::Column::Id)
        .limit(5000)
        .all(db)
        .await?;
    // The last word of each declaration in the period is what followers need.
    let mut last: HashMap<(i32, i32), Told> = HashMap::new();
    for (event, authority, software) in rows {
        let (Some(authority), Some(software)) = (authority, software) else {
            continue;
        };
        last.insert(
            (event.authority_id, event.software_id),
            Told {
                kind: event.kind,
                old: event.old_status,
                new: event.new_status,
                authority,
                software,
            },
        );
    }
    Ok(last.into_values().collect())
}

/// How near an authority is to the member's own: same département, same région, then the
/// rest; within each, the same size band first.
fn nearness(home: Option<&authority::Model>, other: &authority::Model) -> (u8, u8) {
    let Some(home) = home else {
        return (2, 1);
    };
    let place =
        if home.departement_code.is_some() && home.departement_code == other.departement_code {
            0
        } else if home.region_code.is_some() && home.region_code == other.region_code {
            1
        } else {
            2
        };
    let size = u8::from(
        model::population::band(home.population) != model::population::band(other.population),
    );
    (place, size)
}

fn sentence(kind: EventKind, told: &Told) -> String {
    let tool = &told.software.name;
    let who = named(&told.authority);
    match (kind, told.old, told.new) {
        (EventKind::StatusChanged, Some(old), Some(new)) => format!(
            "{who} : {tool} passe de « {} » à « {} »",
            old.label(),
            new.label()
        ),
        _ => format!("{who} {} {tool}", kind.label()),
    }
}

/// The opening sentence: per tool and kind, how many and the nearest.
fn summary(sections: &[(String, BTreeMap<usize, Vec<&Told>>)]) -> String {
    let mut parts = Vec::new();
    for (tool, kinds) in sections {
        for group in kinds.values() {
            let Some(first) = group.first() else { continue };
            let kind = first.kind;
            parts.push(if group.len() == 1 {
                format!("{} {} {tool}", named(&first.authority), kind.label())
            } else {
                let verb = match kind {
                    EventKind::Adopted => "ont adopté",
                    EventKind::Abandoned => "ont abandonné",
                    EventKind::Removed => "ne déclarent plus",
                    _ => "ont changé de statut pour",
                };
                format!(
                    "{} collectivités {verb} {tool}, dont {}",
                    group.len(),
                    named(&first.authority)
                )
            });
        }
    }
    let mut text = parts.join(" ; ");
    text.push('.');
    text
}

fn compose(
    public_url: &str,
    member: &user::Model,
    home: Option<&authority::Model>,
    events: &[Told],
    token: &str,
) -> crate::mail::Email {
    let base = public_url.trim_end_matches('/');
    // Tool by tool (by name), kind by kind (adoptions first), nearest first.
    let mut by_tool: BTreeMap<String, BTreeMap<usize, Vec<&Told>>> = BTreeMap::new();
    for told in events {
        let rank = EventKind::ALL
            .iter()
            .position(|k| *k == told.kind)
            .unwrap_or(usize::MAX);
        by_tool
            .entry(told.software.name.clone())
            .or_default()
            .entry(rank)
            .or_default()
            .push(told);
    }
    for kinds in by_tool.values_mut() {
        for group in kinds.values_mut() {
            group.sort_by(|a, b| {
                nearness(home, &a.authority)
                    .cmp(&nearness(home, &b.authority))
                    .then_with(|| a.authority.name.cmp(&b.authority.name))
            });
        }
    }
    let ordered: Vec<(String, BTreeMap<usize, Vec<&Told>>)> = by_tool.into_iter().collect();
    let sections: Vec<DigestSection> = ordered
        .iter()
        .map(|(tool, kinds)| DigestSection {
            title: tool.clone(),
            lines: kinds
                .values()
                .flatten()
                .map(|t| DigestLine {
                    text: sentence(t.kind, t),
                    href: format!("{base}/collectivites/{}", t.authority.public_id),
                })
                .collect(),
        })
        .collect();
    let summary = summary(&ordered);
    let subject = match member.digest_frequency {
        DigestFrequency::Monthly => "Pairs : ce qui a changé ce mois-ci pour ce que vous suivez",
        _ => "Pairs : ce qui a changé cette semaine pour ce que vous suivez",
    };
    // A token is base64url: safe in a query as it is.
    crate::mail::templates::digest(&DigestMail {
        to: &member.email,
        first_name: &member.first_name,
        subject,
        summary: &summary,
        sections: &sections,
        settings_link: &format!("{base}/compte#suivis"),
        unsubscribe_page: &format!("{base}/desabonnement?jeton={token}"),
        one_click: &format!("{base}/desabonnement/un-clic?jeton={token}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn periods_start_on_monday_and_on_the_first() {
        // Tuesday 8 December 2026.
        let now = at(2026, 12, 8, 15);
        let week = period_start(DigestFrequency::Weekly, now).expect("weekly");
        assert_eq!(week, at(2026, 12, 7, 0));
        assert_eq!(period_key(DigestFrequency::Weekly, week), "2026-W50");
        assert_eq!(
            previous_start(DigestFrequency::Weekly, week),
            at(2026, 11, 30, 0)
        );
        let month = period_start(DigestFrequency::Monthly, now).expect("monthly");
        assert_eq!(month, at(2026, 12, 1, 0));
        assert_eq!(period_key(DigestFrequency::Monthly, month), "2026-12");
        assert_eq!(
            previous_start(DigestFrequency::Monthly, month),
            at(2026, 11, 1, 0)
        );
        assert_eq!(
            previous_start(DigestFrequency::Monthly, at(2027, 1, 1, 0)),
            at(2026, 12, 1, 0)
        );
        assert_eq!(period_start(DigestFrequency::Never, now), None);
        // A Monday at midnight is its own period's start.
        assert_eq!(
            period_start(DigestFrequency::Weekly, at(2026, 12, 7, 0)),
            Some(at(2026, 12, 7, 0))
        );
    }
}
