//! A catalogue entry's standing.

stored_enum! {
    /// A catalogue entry's standing: shipped or accepted, proposed by a member and waiting
    /// for the administrators, or merged into another entry (its page redirects there).
    pub enum SoftwareStatus {
        Approved = "approved" => "Au catalogue",
        Proposed = "proposed" => "Proposé",
        Merged = "merged" => "Fusionné",
    }
}
