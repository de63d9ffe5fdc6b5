use serde::{Deserialize, Serialize};

/// The four kinds of authority the referential holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthorityKind {
    Commune,
    Epci,
    Departement,
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
