//! Who may do what, decided here and only here. Server functions and domain operations ask
//! `require(actor, action)`; nothing else compares statuses or admin flags to grant access.
//!
//! A suspended account is nobody: it has no session, and if one were presented anyway its
//! role is `Member` (signed in, not approved), which grants nothing reserved.

use crate::actor::CurrentUser;
use crate::error::{DomainError, DomainResult};
use model::account::AccountStatus;

/// What the caller is, as far as permissions go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Anonymous,
    /// Signed in, not (or no longer) approved: pending, rejected, suspended.
    Member,
    /// An approved member, of this authority if they have one.
    ApprovedMember {
        authority: Option<i32>,
    },
    /// An approved administrator (also an approved member).
    Admin {
        authority: Option<i32>,
    },
}

impl Role {
    pub fn of(actor: Option<&CurrentUser>) -> Self {
        match actor {
            None => Self::Anonymous,
            Some(u) if u.status != AccountStatus::Approved => Self::Member,
            Some(u) if u.is_admin => Self::Admin {
                authority: u.authority_id,
            },
            Some(u) => Self::ApprovedMember {
                authority: u.authority_id,
            },
        }
    }
}

/// The things access is decided for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Moderation, the journal, every `/admin` page and function.
    Administer,
    /// See members' names (referents, contactable members) and write to them.
    ReachMembers,
    /// Declare, edit, confirm or remove this authority's tools; propose software for it.
    EditAuthority(i32),
    /// Follow tools and categories and get their digest.
    Follow,
}

pub fn allows(role: Role, action: Action) -> bool {
    match (role, action) {
        (Role::Admin { .. }, Action::Administer) => true,
        (
            Role::Admin { .. } | Role::ApprovedMember { .. },
            Action::ReachMembers | Action::Follow,
        ) => true,
        (
            Role::Admin {
                authority: Some(mine),
            }
            | Role::ApprovedMember {
                authority: Some(mine),
            },
            Action::EditAuthority(target),
        ) => mine == target,
        _ => false,
    }
}

/// What a refused member reads, for the actions whose refusal a member can understand and
/// act on (wait for approval); `None`: the fixed « pas accès » answer, nothing to explain.
pub fn refusal(action: Action) -> Option<&'static str> {
    match action {
        Action::ReachMembers => Some(
            "Seuls les membres dont le compte est validé peuvent envoyer des demandes de contact.",
        ),
        Action::Follow => Some(
            "Seuls les membres dont le compte est validé peuvent suivre un logiciel ou une catégorie.",
        ),
        Action::Administer | Action::EditAuthority(_) => None,
    }
}

/// `Forbidden` unless the actor may do `action`; `Denied` with its reason when the action
/// has one (see `refusal`).
pub fn require(actor: &CurrentUser, action: Action) -> DomainResult<()> {
    if allows(Role::of(Some(actor)), action) {
        Ok(())
    } else {
        Err(refusal(action).map_or(DomainError::Forbidden, DomainError::Denied))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::account::Position;

    fn user(status: AccountStatus, is_admin: bool, authority: Option<i32>) -> CurrentUser {
        CurrentUser {
            id: 1,
            email: "a@b.fr".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            position: Position::Agent,
            job_title: "DSI".into(),
            phone: None,
            authority_id: authority,
            status,
            is_admin,
            visible: true,
            accepts_contact: true,
        }
    }

    #[test]
    fn each_role_gets_exactly_its_rights() {
        let admin = user(AccountStatus::Approved, true, None);
        let suspended_admin = user(AccountStatus::Suspended, true, Some(7));
        let member = user(AccountStatus::Approved, false, Some(7));
        let pending = user(AccountStatus::Pending, false, Some(7));
        assert!(require(&admin, Action::Administer).is_ok());
        assert!(require(&suspended_admin, Action::Administer).is_err());
        assert!(require(&suspended_admin, Action::ReachMembers).is_err());
        assert!(require(&suspended_admin, Action::EditAuthority(7)).is_err());
        assert!(require(&member, Action::Administer).is_err());
        assert!(require(&member, Action::ReachMembers).is_ok());
        assert!(require(&member, Action::EditAuthority(7)).is_ok());
        assert!(require(&member, Action::EditAuthority(8)).is_err());
        assert!(
            require(&admin, Action::EditAuthority(7)).is_err(),
            "admins edit through moderation, not as members of every authority"
        );
        assert!(require(&pending, Action::ReachMembers).is_err());
        assert!(require(&pending, Action::EditAuthority(7)).is_err());
        assert!(!allows(Role::Anonymous, Action::ReachMembers));
        assert!(require(&member, Action::Follow).is_ok());
        assert!(require(&admin, Action::Follow).is_ok());
        assert!(require(&pending, Action::Follow).is_err());
        assert!(require(&suspended_admin, Action::Follow).is_err());
        assert!(!allows(Role::Anonymous, Action::Follow));
    }

    #[test]
    fn a_refusal_says_why_only_where_the_member_can_act_on_it() {
        let pending = user(AccountStatus::Pending, false, Some(7));
        assert!(matches!(
            require(&pending, Action::ReachMembers),
            Err(DomainError::Denied(reason)) if reason.contains("compte est validé")
        ));
        assert!(matches!(
            require(&pending, Action::Administer),
            Err(DomainError::Forbidden)
        ));
        assert!(matches!(
            require(&pending, Action::EditAuthority(7)),
            Err(DomainError::Forbidden)
        ));
    }
}
