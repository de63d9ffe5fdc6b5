//! Following tools and categories, the digests that tell followers what changed, and the
//! events those digests are made of.

stored_enum! {
    /// What a member follows.
    pub enum FollowTarget {
        /// One catalogue entry (`/logiciels/{slug}`).
        Software = "logiciel" => "Logiciel",
        /// Every tool of a catalogue category.
        Category = "categorie" => "Catégorie",
    }
}

stored_enum! {
    /// How often a follower gets the digest of what happened to what they follow.
    pub enum DigestFrequency {
        Weekly = "weekly" => "Chaque semaine",
        Monthly = "monthly" => "Chaque mois",
        Never = "never" => "Jamais",
    }
}

stored_enum! {
    /// What happened to a declaration. An event names an authority and a tool, never a
    /// person.
    pub enum EventKind {
        /// Declared in use, in evaluation or planned.
        Adopted = "adopted" => "a adopté",
        /// Its status changed (other than to abandoned).
        StatusChanged = "status_changed" => "a changé de statut pour",
        Abandoned = "abandoned" => "a abandonné",
        /// Said still true, or edited without a change of status.
        Confirmed = "confirmed" => "a confirmé",
        /// The declaration was deleted.
        Removed = "removed" => "ne déclare plus",
    }
}

stored_enum! {
    /// What a reminder's link does without signing in (changing a status is done on the
    /// authority page, signed in).
    pub enum ReminderAction {
        Confirm = "confirmer" => "Toujours d'actualité",
        Abandon = "abandonner" => "Nous ne l'utilisons plus",
    }
}

impl EventKind {
    /// Whether a digest tells of it (a confirmation changes nothing a follower would act on).
    pub fn in_digest(self) -> bool {
        !matches!(self, Self::Confirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmations_stay_out_of_digests() {
        let told: Vec<_> = EventKind::ALL.iter().filter(|k| k.in_digest()).collect();
        assert_eq!(told.len(), 4);
        assert!(!EventKind::Confirmed.in_digest());
    }
}
