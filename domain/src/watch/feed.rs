//! The public Atom feed of a tool (`/logiciels/{slug}/flux.atom`): its newest adoptions and
//! abandons, authority by authority — no person, as everything public about declarations.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{authority, declaration_event, software};
use crate::error::DomainResult;
use crate::mail::templates::escape;
use model::software::SoftwareStatus;
use model::watch::EventKind;

/// How many entries a feed holds.
pub const ENTRIES: u64 = 50;

/// The host of the public address, for the feed's `tag:` identifiers.
fn host(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

/// The feed of the approved tool `slug`, or `None` when there is no such tool.
pub async fn atom(
    db: &impl ConnectionTrait,
    public_url: &str,
    slug: &str,
) -> DomainResult<Option<String>> {
    let Some(tool) = software::Entity::find()
        .filter(software::Column::Slug.eq(slug))
        .filter(software::Column::Status.eq(SoftwareStatus::Approved))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let events = declaration_event::Entity::find()
        .filter(declaration_event::Column::SoftwareId.eq(tool.id))
        .filter(declaration_event::Column::Kind.is_in([EventKind::Adopted, EventKind::Abandoned]))
        .find_also_related(authority::Entity)
        .order_by_desc(declaration_event::Column::At)
        .order_by_desc(declaration_event::Column::Id)
        .limit(ENTRIES)
        .all(db)
        .await?;
    let base = public_url.trim_end_matches('/');
    let page = format!("{base}/logiciels/{}", tool.slug);
    let updated = events.first().map_or(tool.updated_at, |(e, _)| e.at);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
    xml.push_str(&format!(
        "  <id>{}</id>\n  <title>{}</title>\n  <subtitle>Les collectivités qui adoptent ou abandonnent ce logiciel, d'après leurs déclarations sur Pairs.</subtitle>\n",
        escape(&page),
        escape(&format!("{} : adoptions et abandons — Pairs", tool.name)),
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/flux.atom\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&page),
        escape(&page)
    ));
    xml.push_str(&format!(
        "  <updated>{}</updated>\n  <author><name>Pairs</name><uri>{}</uri></author>\n",
        updated.to_rfc3339(),
        escape(base)
    ));
    let host = host(base);
    for (event, authority) in events {
        let Some(authority) = authority else { continue };
        let who = super::named(&authority);
        let title = format!("{who} {} {}", event.kind.label(), tool.name);
        let status = event
            .new_status
            .map(|s| format!(" Statut déclaré : {}.", s.label()))
            .unwrap_or_default();
        xml.push_str(&format!(
            "  <entry>\n    <id>tag:{},{}:evenement-{}</id>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape(host),
            event.at.format("%Y-%m-%d"),
            event.id,
            escape(&title),
            escape(&format!("{base}/collectivites/{}", authority.public_id)),
            event.at.to_rfc3339(),
            escape(&format!("{title}.{status}")),
        ));
    }
    xml.push_str("</feed>\n");
    Ok(Some(xml))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tag_host_is_the_public_address_host() {
        assert_eq!(super::host("https://pairs.example.fr"), "pairs.example.fr");
        assert_eq!(super::host("http://127.0.0.1:3000/x"), "127.0.0.1");
    }
}
