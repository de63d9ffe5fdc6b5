//! A member's account: where it stands, and in which capacity they speak.

stored_enum! {
    /// Account lifecycle. Only `Approved` members see what is reserved to members. Stored as
    /// text; a value Pairs did not write is a read error, never a silent default.
    pub enum AccountStatus {
        Unverified = "unverified" => "Adresse non confirmée",
        Pending = "pending" => "En attente",
        Approved = "approved" => "Validé",
        Rejected = "rejected" => "Refusé",
        Suspended = "suspended" => "Suspendu",
    }
}

impl AccountStatus {
    /// The order the administrators' member list offers them as filters.
    pub const FILTER_ORDER: [Self; 5] = [
        Self::Approved,
        Self::Pending,
        Self::Suspended,
        Self::Rejected,
        Self::Unverified,
    ];

    /// The French label of a filter on many accounts.
    pub fn plural_label(self) -> &'static str {
        match self {
            Self::Unverified => "Adresse non confirmée",
            Self::Pending => "En attente",
            Self::Approved => "Validés",
            Self::Rejected => "Refusés",
            Self::Suspended => "Suspendus",
        }
    }
}

stored_enum! {
    /// Elected official or staff.
    pub enum Position {
        Elu = "elu" => "Élu·e",
        Agent = "agent" => "Agent·e",
    }
}
