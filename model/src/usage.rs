//! How an authority uses a tool.

stored_enum! {
    /// How an authority uses a tool. Declared in this order, which is also the display
    /// order (in use first).
    #[derive(PartialOrd, Ord)]
    pub enum UsageStatus {
        InUse = "in_use" => "Utilisé",
        Evaluating = "evaluating" => "En évaluation",
        Planned = "planned" => "Prévu",
        Abandoned = "abandoned" => "Abandonné",
    }
}
