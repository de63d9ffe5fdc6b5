use sea_orm::entity::prelude::*;

/// One link of a contact mail: its own token (stored hashed), for one action, until it
/// expires.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    pub request_id: i64,
    pub action: LinkAction,
    pub expires_at: DateTimeUtc,
}

/// What a contact mail's link does; its stored word is also the page's path
/// (`/contact/{word}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum LinkAction {
    /// Stop every request (the recipient's opt-out).
    #[sea_orm(string_value = "desinscription")]
    OptOut,
    /// Block this sender.
    #[sea_orm(string_value = "bloquer")]
    Block,
    /// Report this request.
    #[sea_orm(string_value = "signaler")]
    Report,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
