use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The four kinds of authority the referential holds; the `kind` column of `authorities`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum AuthorityKind {
    #[sea_orm(string_value = "commune")]
    Commune,
    #[sea_orm(string_value = "epci")]
    Epci,
    #[sea_orm(string_value = "departement")]
    Departement,
    #[sea_orm(string_value = "region")]
    Region,
}

impl AuthorityKind {
    pub const ALL: [AuthorityKind; 4] =
        [Self::Commune, Self::Epci, Self::Departement, Self::Region];

    /// The value stored in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Commune => "commune",
            Self::Epci => "epci",
            Self::Departement => "departement",
            Self::Region => "region",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Prefix of the public identifier.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Self::Commune => "com",
            Self::Epci => "epci",
            Self::Departement => "dep",
            Self::Region => "reg",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_storage_value() {
        for kind in AuthorityKind::ALL {
            assert_eq!(AuthorityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(AuthorityKind::parse("canton"), None);
    }
}
