//! Relayed contact requests: their delivery, their reports, the links in their mails.

stored_enum! {
    /// Where a request stands (the `status` column).
    pub enum RequestStatus {
        /// Queued; retried while the mail server is unreachable.
        Pending = "pending" => "en attente",
        /// Accepted by the mail server.
        Sent = "sent" => "envoyé",
        /// Refused for good; the reason is shown to the sender.
        Failed = "failed" => "échec définitif",
    }
}

stored_enum! {
    /// A report's state in the moderators' queue (contact requests' and profiles' reports).
    pub enum ReportStatus {
        /// Waiting for an administrator.
        Open = "open" => "en attente d'examen",
        /// Closed without action.
        Dismissed = "dismissed" => "classé sans suite",
        /// Closed with a warning or a suspension.
        Actioned = "actioned" => "suivi d'une mesure",
    }
}

stored_enum! {
    /// What a contact mail's link does; its stored word is also the page's path
    /// (`/contact/{word}`).
    pub enum LinkAction {
        /// Stop every request (the recipient's opt-out).
        OptOut = "desinscription" => "Ne plus recevoir de demandes",
        /// Block this sender.
        Block = "bloquer" => "Bloquer cet expéditeur",
        /// Report this request.
        Report = "signaler" => "Signaler cette demande",
    }
}
