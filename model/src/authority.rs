//! The kinds of local authority the national referential holds.

stored_enum! {
    /// The four kinds of authority the referential holds (the `kind` column).
    pub enum AuthorityKind {
        Commune = "commune" => "Commune",
        Epci = "epci" => "Intercommunalité",
        Departement = "departement" => "Département",
        Region = "region" => "Région",
    }
}

impl AuthorityKind {
    /// Prefix of the public identifier (`com-13047`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            Self::Commune => "com",
            Self::Epci => "epci",
            Self::Departement => "dep",
            Self::Region => "reg",
        }
    }

    /// The French label of many (a chart's bar, a filter).
    pub fn plural_label(self) -> &'static str {
        match self {
            Self::Commune => "Communes",
            Self::Epci => "Intercommunalités",
            Self::Departement => "Départements",
            Self::Region => "Régions",
        }
    }
}
