//! Who can be written to: approved members with a visible profile and an authority, who
//! have not opted out. Nothing here returns an address to the edge.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{authority, contact_block, user};
use crate::error::DomainResult;
use model::account::AccountStatus;

/// A member one may write to, as the contact form shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub id: i32,
    pub name: String,
    pub job_title: String,
    pub authority_name: String,
    pub authority_public_id: String,
}

fn receiving() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(user::Column::Status.eq(AccountStatus::Approved))
        .add(user::Column::Visible.eq(true))
        .add(user::Column::AcceptsContact.eq(true))
        .add(user::Column::AuthorityId.is_not_null())
}

/// The account behind `id` when it can receive requests (for the domain only).
pub(crate) async fn receiving_account(
    db: &impl ConnectionTrait,
    id: i32,
) -> DomainResult<Option<(user::Model, authority::Model)>> {
    let Some(account) = user::Entity::find_by_id(id)
        .filter(receiving())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(authority) = authority::Entity::find_by_id(account.authority_id.unwrap_or_default())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((account, authority)))
}

/// The peer `id`, if they can receive requests.
pub async fn peer(db: &impl ConnectionTrait, id: i32) -> DomainResult<Option<Peer>> {
    Ok(receiving_account(db, id).await?.map(|(u, a)| Peer {
        id: u.id,
        name: format!("{} {}", u.first_name, u.last_name),
        job_title: u.job_title,
        authority_name: a.name,
        authority_public_id: a.public_id,
    }))
}

/// The members of an authority one may write to, by name; the viewer is left out.
pub async fn of_authority(
    db: &impl ConnectionTrait,
    authority_id: i32,
    viewer_id: i32,
) -> DomainResult<Vec<Peer>> {
    let Some(a) = authority::Entity::find_by_id(authority_id).one(db).await? else {
        return Ok(Vec::new());
    };
    Ok(user::Entity::find()
        .filter(receiving())
        .filter(user::Column::AuthorityId.eq(authority_id))
        .filter(user::Column::Id.ne(viewer_id))
        .order_by_asc(user::Column::LastName)
        .order_by_asc(user::Column::FirstName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Peer {
            id: u.id,
            name: format!("{} {}", u.first_name, u.last_name),
            job_title: u.job_title,
            authority_name: a.name.clone(),
            authority_public_id: a.public_id.clone(),
        })
        .collect())
}

/// Whether `recipient` has blocked `sender`.
pub async fn is_blocked(
    db: &impl ConnectionTrait,
    recipient: i32,
    sender: i32,
) -> DomainResult<bool> {
    Ok(contact_block::Entity::find()
        .filter(contact_block::Column::RecipientId.eq(recipient))
        .filter(contact_block::Column::SenderId.eq(sender))
        .one(db)
        .await?
        .is_some())
}
