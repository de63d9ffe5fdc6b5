//! « Vos pairs »: public, computed by `domain::peers`; whether the viewer may declare the
//! tools it suggests is decided by `domain::permissions`.

use leptos::prelude::*;

use crate::dto::PeersView;
use crate::error::AppError;

#[server(endpoint = "get_peers")]
pub async fn get_peers(public_id: String) -> Result<Option<PeersView>, AppError> {
    if public_id.len() > 32 {
        return Ok(None);
    }
    let state = super::state()?;
    let Some((target, peers)) = domain::peers::source::for_authority(
        &state.db,
        state.search.as_ref(),
        &state.peers,
        &public_id,
    )
    .await?
    else {
        return Ok(None);
    };
    let me = super::session::current_user().await?;
    let can_declare = me.as_ref().is_some_and(|m| {
        i32::try_from(target.key)
            .is_ok_and(|id| super::session::may(m, domain::permissions::Action::EditAuthority(id)))
    });
    Ok(Some(convert::peers(target, peers, can_declare)))
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use domain::peers::{Peer, Peers, Target, ToolShare};
    use model::authority::AuthorityKind;

    use crate::dto::{AuthorityLink, PeerAuthorityView, PeersView, ToolShareView};

    fn share(t: ToolShare) -> ToolShareView {
        ToolShareView {
            slug: t.slug,
            name: t.name,
            count: t.count,
            declared_here: t.declared_here,
            moved_to: t.moved_to,
        }
    }

    fn peer(p: Peer) -> PeerAuthorityView {
        let kind = AuthorityKind::parse(&p.kind).unwrap_or(AuthorityKind::Commune);
        PeerAuthorityView {
            authority: AuthorityLink {
                public_id: p.public_id,
                name: p.name,
                kind,
                epci_type: None,
                departement_code: p.departement,
                population: p.population,
            },
            departement_name: p.departement_name,
            tools: p.tools,
        }
    }

    pub fn peers(target: Target, peers: Peers, can_declare: bool) -> PeersView {
        PeersView {
            public_id: target.public_id,
            name: target.name,
            can_declare,
            peers: peers.peers.into_iter().map(peer).collect(),
            most_used: peers.most_used.into_iter().map(share).collect(),
            abandoned: peers.abandoned.into_iter().map(share).collect(),
        }
    }
}
