//! The pages whose filters are saved server-side.

stored_enum! {
    /// The page a filter belongs to: an id saved for one page finds nothing on the other.
    pub enum FilterPage {
        /// `/admin/membres`: name, email or authority searched.
        Members = "membres" => "Membres",
        /// `/admin/journal`: the author's email.
        Journal = "journal" => "Journal",
    }
}
