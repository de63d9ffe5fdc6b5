//! `pairs seed-demo`: a realistic demo for newcomers. Member authorities spread over the
//! régions and kinds, one demo member each (clearly marked, email under
//! `demo.pairs.invalid`, no usable password), and usages drawn from the catalogue with
//! plausible statuses, years, notes and confirmation dates. Deterministic and idempotent.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, NotSet,
    Order, QueryFilter, QueryOrder, sea_query::NullOrdering,
};

use crate::entities::{authority, software, usage, usage_referent, user};
use crate::error::DomainResult;
use crate::sql::bytewise;
use model::account::{AccountStatus, Position};
use model::authority::AuthorityKind;
use model::software::SoftwareStatus;
use model::usage::UsageStatus;

pub const DEMO_EMAIL_DOMAIN: &str = "demo.pairs.invalid";

/// A small deterministic generator (no dependency, same demo on every machine).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Software most authorities run, drawn more often.
const POPULAR: &[&str] = &[
    "libreoffice",
    "firefox",
    "thunderbird",
    "glpi",
    "nextcloud",
    "qgis",
    "zimbra",
    "bluemind",
    "wordpress",
    "keepass",
    "ocs-inventory",
    "opencimetiere",
    "openelec",
    "openads",
    "iparapheur",
    "s2low",
    "pastell",
    "maarch-courrier",
    "lizmap",
    "centreon",
    "zabbix",
    "proxmox-ve",
    "matomo",
    "publik",
    "decidim",
    "jitsi-meet",
    "mattermost",
    "microsoft-office",
    "microsoft-teams",
    "koha",
];

const NOTES: &[&str] = &[
    "Déployé sur l'ensemble des postes des services.",
    "Mutualisé avec l'intercommunalité.",
    "Migration accompagnée par un prestataire local, formation des agents en deux sessions.",
    "Hébergé par notre syndicat informatique.",
    "Utilisé par le service urbanisme et les services techniques.",
    "Remplace l'ancienne solution propriétaire ; retours positifs des agents.",
    "Test en cours avec cinq agents volontaires.",
    "Abandonné faute de compétences en interne, nous pourrions y revenir.",
    "Intégré à notre annuaire LDAP.",
    "Contrat de support auprès d'une entreprise régionale.",
];

const FIRST_NAMES: &[&str] = &[
    "Camille",
    "Dominique",
    "Claude",
    "Sacha",
    "Alix",
    "Morgan",
    "Charlie",
    "Lou",
    "Eden",
    "Noa",
];
const JOBS: &[&str] = &[
    "DSI",
    "Responsable informatique",
    "Adjoint·e au numérique",
    "Directeur·rice général·e des services",
    "Chargé·e de mission numérique",
    "Technicien·ne informatique",
    "Conseiller·e municipal·e délégué·e au numérique",
];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub authorities: usize,
    pub members: usize,
    pub usages: usize,
}

/// Picks about 330 authorities: every metropolitan région, one in three départements, EPCI
/// and communes of all sizes across the country.
async fn pick(db: &DatabaseConnection) -> DomainResult<Vec<authority::Model>> {
    let mut picked = Vec::new();
    let by_kind = |kind: AuthorityKind| {
        authority::Entity::find()
            .filter(authority::Column::Kind.eq(kind))
            .order_by(
                bytewise(db.get_database_backend(), authority::Column::PublicId),
                Order::Asc,
            )
    };
    let regions = by_kind(AuthorityKind::Region).all(db).await?;
    picked.extend(
        regions
            .into_iter()
            .filter(|r| r.cog_code.as_deref().is_some_and(|c| c.len() == 2)),
    );
    let deps = by_kind(AuthorityKind::Departement).all(db).await?;
    picked.extend(deps.into_iter().step_by(3));
    let epcis = by_kind(AuthorityKind::Epci).all(db).await?;
    picked.extend(epcis.into_iter().step_by(20));
    // Communes of 2,000+ inhabitants, spread by stepping through all of them.
    let communes: Vec<authority::Model> = by_kind(AuthorityKind::Commune)
        .filter(authority::Column::Population.gte(2000))
        .all(db)
        .await?;
    let step = (communes.len() / 240).max(1);
    picked.extend(communes.into_iter().step_by(step).take(240));
    Ok(picked)
}

pub async fn seed_demo(db: &DatabaseConnection) -> DomainResult<DemoSummary> {
    let catalogue: Vec<software::Model> = software::Entity::find()
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .order_by(
            bytewise(db.get_database_backend(), software::Column::Slug),
            Order::Asc,
        )
        .all(db)
        .await?;
    let mut summary = DemoSummary::default();
    if catalogue.is_empty() {
        return Ok(summary);
    }
    let popular: Vec<&software::Model> = catalogue
        .iter()
        .filter(|s| POPULAR.contains(&s.slug.as_str()))
        .collect();
    // One shared hash of a random secret nobody knows: demo members cannot log in.
    let (secret, _) = crate::security::token::generate();
    let password_hash = crate::security::password::hash(secret).await?;
    let now = Utc::now();
    let picked = pick(db).await?;
    let txn = crate::db::begin_write(db).await?;
    for (i, a) in picked.iter().enumerate() {
        // One generator per concern, so what exists already does not shift later draws.
        let mut rng = Rng(a.id as u64 * 7919 + 17);
        let mut usage_rng = Rng(a.id as u64 * 104729 + 3);
        summary.authorities += 1;
        if !a.is_member {
            let mut active: authority::ActiveModel = a.clone().into();
            active.is_member = Set(true);
            let year = 2012 + rng.below(13) as i32;
            active.member_since = Set(NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1));
            if a.kind == AuthorityKind::Commune && rng.below(3) == 0 {
                active.label_level = Set(Some(1 + rng.below(5) as i16));
                active.label_year = Set(Some(2020 + rng.below(6) as i32));
            }
            active.update(&txn).await?;
        }
        let email = format!("{}@{DEMO_EMAIL_DOMAIN}", a.public_id);
        let member = match user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?
        {
            Some(m) => m,
            None => {
                summary.members += 1;
                user::ActiveModel {
                    id: NotSet,
                    email: Set(email),
                    password_hash: Set(password_hash.clone()),
                    first_name: Set(FIRST_NAMES[i % FIRST_NAMES.len()].to_string()),
                    last_name: Set(format!("(démo) {}", a.name)),
                    position: Set(if rng.below(4) == 0 {
                        Position::Elu
                    } else {
                        Position::Agent
                    }),
                    job_title: Set(JOBS[rng.below(JOBS.len() as u64) as usize].to_string()),
                    phone: Set(None),
                    authority_id: Set(Some(a.id)),
                    status: Set(AccountStatus::Approved),
                    is_admin: Set(false),
                    visible: Set(true),
                    accepts_contact: Set(true),
                    rejection_reason: Set(None),
                    email_verified_at: Set(Some(now)),
                    approved_at: Set(Some(now)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let count = 3 + usage_rng.below(10) as usize;
        for _ in 0..count {
            let s = if usage_rng.below(3) > 0 && !popular.is_empty() {
                popular[usage_rng.below(popular.len() as u64) as usize]
            } else {
                &catalogue[usage_rng.below(catalogue.len() as u64) as usize]
            };
            // Every draw happens before the existence check, so reruns replay the same sequence.
            let status = match usage_rng.below(10) {
                0 => UsageStatus::Evaluating,
                1 => UsageStatus::Planned,
                2 => UsageStatus::Abandoned,
                _ => UsageStatus::InUse,
            };
            let confirmed = now - Duration::days(usage_rng.below(600) as i64);
            let since = 2008 + usage_rng.below(18) as i32;
            let note = (usage_rng.below(2) == 0)
                .then(|| NOTES[usage_rng.below(NOTES.len() as u64) as usize].to_string());
            let satisfaction = 2 + usage_rng.below(4) as i16;
            let referent = usage_rng.below(2) == 0;
            let exists = usage::Entity::find()
                .filter(usage::Column::AuthorityId.eq(a.id))
                .filter(usage::Column::SoftwareId.eq(s.id))
                .one(&txn)
                .await?;
            if exists.is_some() {
                continue;
            }
            let created = usage::ActiveModel {
                id: NotSet,
                authority_id: Set(a.id),
                software_id: Set(s.id),
                status: Set(status),
                since_year: Set((status != UsageStatus::Planned).then_some(since)),
                version: Set(None),
                notes: Set(note),
                satisfaction: Set(
                    matches!(status, UsageStatus::InUse | UsageStatus::Abandoned)
                        .then_some(satisfaction),
                ),
                declared_by: Set(Some(member.id)),
                last_confirmed_at: Set(confirmed),
                created_at: Set(confirmed),
                updated_at: Set(confirmed),
                replaced_by_id: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            if referent {
                usage_referent::ActiveModel {
                    usage_id: Set(created.id),
                    user_id: Set(member.id),
                }
                .insert(&txn)
                .await?;
            }
            summary.usages += 1;
        }
    }
    txn.commit().await?;
    Ok(summary)
}

/// Whether demo members already exist.
pub async fn has_demo(db: &DatabaseConnection) -> DomainResult<bool> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.like(format!("%@{DEMO_EMAIL_DOMAIN}")))
        .one(db)
        .await?
        .is_some())
}

/// Synthetic data for benchmarks: the `authorities` most populated communes become
/// members and receive `usages` declarations drawn from the catalogue. Meant for a
/// throwaway database (`make bench`), never for a real one.
pub async fn seed_synthetic(
    db: &DatabaseConnection,
    authorities: usize,
    usages: usize,
) -> DomainResult<usize> {
    let catalogue: Vec<software::Model> = software::Entity::find()
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .order_by(
            bytewise(db.get_database_backend(), software::Column::Slug),
            Order::Asc,
        )
        .all(db)
        .await?;
    if catalogue.is_empty() {
        return Ok(0);
    }
    let members: Vec<authority::Model> = authority::Entity::find()
        .filter(authority::Column::Kind.eq(AuthorityKind::Commune))
        .order_by_with_nulls(
            authority::Column::Population,
            Order::Desc,
            NullOrdering::Last,
        )
        .order_by_asc(authority::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .take(authorities)
        .collect();
    authority::Entity::update_many()
        .col_expr(
            authority::Column::IsMember,
            sea_orm::sea_query::Expr::value(true),
        )
        .filter(authority::Column::Id.is_in(members.iter().map(|a| a.id).collect::<Vec<_>>()))
        .exec(db)
        .await?;
    let mut seen: std::collections::HashSet<(i32, i32)> = usage::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.authority_id, u.software_id))
        .collect();
    let target = usages.min(members.len() * catalogue.len());
    let mut rng = Rng(42);
    let now = Utc::now();
    let mut batch = Vec::new();
    let mut inserted = 0;
    while inserted < target {
        let a = &members[rng.below(members.len() as u64) as usize];
        // Squaring favours the first entries, so some tools are far more common.
        let r = rng.below(1000) as f64 / 1000.0;
        let s = &catalogue[((r * r) * catalogue.len() as f64) as usize % catalogue.len()];
        if !seen.insert((a.id, s.id)) {
            continue;
        }
        let status = [
            UsageStatus::InUse,
            UsageStatus::InUse,
            UsageStatus::InUse,
            UsageStatus::Evaluating,
            UsageStatus::Planned,
            UsageStatus::Abandoned,
        ][rng.below(6) as usize];
        batch.push(usage::ActiveModel {
            id: NotSet,
            authority_id: Set(a.id),
            software_id: Set(s.id),
            status: Set(status),
            since_year: Set(Some(2005 + rng.below(20) as i32)),
            version: Set(None),
            notes: Set(None),
            satisfaction: Set(Some(1 + rng.below(5) as i16)),
            declared_by: Set(None),
            last_confirmed_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
            replaced_by_id: Set(None),
            ..Default::default()
        });
        inserted += 1;
        if batch.len() == 500 {
            usage::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(db)
                .await?;
        }
    }
    if !batch.is_empty() {
        usage::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    Ok(inserted)
}
