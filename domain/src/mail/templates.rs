//! French email templates, each in text and HTML.

use super::Email;

/// Text made safe for HTML (mail bodies, the Atom feed).
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Builds both bodies from paragraphs and an optional call-to-action link.
fn build(
    to: &str,
    subject: &str,
    greeting: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
) -> Email {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"fr\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        escape(greeting)
    );
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, url)) = link {
        text.push_str(&format!("{label} : {url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }
    let signature = "L'équipe Pairs, l'annuaire d'entraide des collectivités";
    text.push_str(&format!("-- \n{signature}\n"));
    html.push_str(&format!(
        "<p style=\"color:#555\">{}</p></body></html>",
        escape(signature)
    ));
    Email {
        to: to.to_string(),
        subject: subject.to_string(),
        text,
        html,
        reply_to: None,
        message_id: None,
        list_unsubscribe: None,
    }
}

/// A plain notice without a link.
pub fn build_notice(to: &str, subject: &str, body: &str) -> Email {
    build(to, subject, "Bonjour,", &[body.to_string()], None)
}

pub fn verify_email(to: &str, first_name: &str, link: &str) -> Email {
    build(
        to,
        "Confirmez votre adresse électronique",
        &format!("Bonjour {first_name},"),
        &[
            "Vous avez demandé à rejoindre Pairs. Pour confirmer votre adresse électronique, ouvrez le lien ci-dessous ; il est valable 48 heures et ne sert qu'une fois.".into(),
            "Votre demande sera ensuite examinée par un administrateur du réseau.".into(),
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.".into(),
        ],
        Some(("Confirmer mon adresse", link)),
    )
}

pub fn awaiting_approval(to: &str, first_name: &str) -> Email {
    build(
        to,
        "Votre demande d'adhésion est en cours d'examen",
        &format!("Bonjour {first_name},"),
        &["Votre adresse est confirmée. Un administrateur du réseau va examiner votre demande ; vous recevrez un message dès qu'elle sera acceptée.".into()],
        None,
    )
}

pub fn approved(to: &str, first_name: &str, login_link: &str) -> Email {
    build(
        to,
        "Bienvenue sur Pairs : votre compte est validé",
        &format!("Bonjour {first_name},"),
        &["Un administrateur a validé votre compte. Vous pouvez maintenant vous connecter, voir les coordonnées des membres et déclarer les logiciels de votre collectivité.".into()],
        Some(("Me connecter", login_link)),
    )
}

pub fn rejected(to: &str, first_name: &str, reason: &str, erase_link: &str) -> Email {
    build(
        to,
        "Votre demande d'adhésion à Pairs n'a pas été acceptée",
        &format!("Bonjour {first_name},"),
        &[
            "Un administrateur du réseau n'a pas accepté votre demande, pour la raison suivante :"
                .into(),
            reason.to_string(),
            "Vous pouvez répondre à ce message pour en savoir plus.".into(),
            "Vos données seront supprimées automatiquement dans 30 jours. Vous pouvez aussi les supprimer dès maintenant avec le lien ci-dessous (valable 30 jours)."
                .into(),
        ],
        Some(("Supprimer mes données maintenant", erase_link)),
    )
}

pub fn password_reset(to: &str, link: &str) -> Email {
    build(
        to,
        "Réinitialisation de votre mot de passe",
        "Bonjour,",
        &[
            "Une réinitialisation du mot de passe de votre compte Pairs a été demandée. Le lien ci-dessous est valable 2 heures et ne sert qu'une fois.".into(),
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.".into(),
        ],
        Some(("Choisir un nouveau mot de passe", link)),
    )
}

pub fn password_changed(to: &str, first_name: &str) -> Email {
    build(
        to,
        "Votre mot de passe a été modifié",
        &format!("Bonjour {first_name},"),
        &["Le mot de passe de votre compte Pairs vient d'être modifié, et toutes vos sessions ont été fermées.".into(),
          "Si vous n'êtes pas à l'origine de ce changement, réinitialisez votre mot de passe immédiatement et prévenez un administrateur.".into()],
        None,
    )
}

pub fn confirm_new_email(to: &str, first_name: &str, link: &str) -> Email {
    build(
        to,
        "Confirmez votre nouvelle adresse électronique",
        &format!("Bonjour {first_name},"),
        &["Vous avez demandé à utiliser cette adresse pour votre compte Pairs. Ouvrez le lien ci-dessous pour confirmer ; il est valable 48 heures.".into()],
        Some(("Confirmer ma nouvelle adresse", link)),
    )
}

/// Sent to the old address once an email change is confirmed: its owner learns of it even
/// if someone else made the change.
pub fn email_changed(to: &str, first_name: &str) -> Email {
    build(
        to,
        "L'adresse de votre compte a été modifiée",
        &format!("Bonjour {first_name},"),
        &["L'adresse électronique de votre compte Pairs vient d'être remplacée par une autre, et vos sessions ont été fermées. Les messages de Pairs n'arriveront plus ici.".into(),
          "Si vous n'êtes pas à l'origine de ce changement, prévenez un administrateur du réseau sans attendre.".into()],
        None,
    )
}

pub fn suspended(to: &str, first_name: &str, reason: &str) -> Email {
    build(
        to,
        "Votre compte Pairs est suspendu",
        &format!("Bonjour {first_name},"),
        &[
            "Un administrateur du réseau a suspendu votre compte, pour la raison suivante :".into(),
            reason.to_string(),
            "Vous ne pouvez plus vous connecter ni être contacté·e par les membres. Répondez à ce message pour en discuter.".into(),
        ],
        None,
    )
}

pub fn restored(to: &str, first_name: &str) -> Email {
    build(
        to,
        "Votre compte Pairs est rétabli",
        &format!("Bonjour {first_name},"),
        &[
            "Un administrateur a rétabli votre compte : vous pouvez de nouveau vous connecter."
                .into(),
        ],
        None,
    )
}

/// A moderator's warning after a contact request was reported.
pub fn contact_warning(to: &str, first_name: &str, note: &str) -> Email {
    build(
        to,
        "Avertissement au sujet d'une demande de contact",
        &format!("Bonjour {first_name},"),
        &[
            "Une demande de contact que vous avez envoyée par Pairs a été signalée, et un administrateur du réseau vous adresse cet avertissement :".into(),
            note.to_string(),
            "Les demandes de contact servent l'entraide entre collectivités. En cas de nouveau signalement, votre compte pourra être suspendu.".into(),
        ],
        None,
    )
}

/// What a contact request's email says: who writes, from where, about what, and the links
/// the recipient may use without signing in.
pub struct ContactMail<'a> {
    pub to: &'a str,
    pub recipient_first_name: &'a str,
    pub sender_name: &'a str,
    pub sender_job_title: &'a str,
    pub sender_authority: &'a str,
    pub sender_email: &'a str,
    pub software: Option<&'a str>,
    pub subject: &'a str,
    pub message: &'a str,
    pub opt_out_link: &'a str,
    pub block_link: &'a str,
    pub report_link: &'a str,
    /// For a question to many referents: where the recipient may also answer in public (a
    /// retour d'expérience on the tool's page, signed by their authority).
    pub review_link: Option<&'a str>,
}

pub fn contact_request(m: &ContactMail<'_>) -> Email {
    let about = m
        .software
        .map(|s| format!(" au sujet de {s}"))
        .unwrap_or_default();
    let intro = format!(
        "{} ({}, {}) vous écrit par Pairs{about}.",
        m.sender_name, m.sender_job_title, m.sender_authority
    );
    let quoted: String = m.message.lines().map(|l| format!("> {l}\n")).collect();
    let answer = format!(
        "Pour répondre, répondez simplement à ce courriel : votre réponse ira directement à {} ({}). Pairs ne lit pas vos échanges.",
        m.sender_name, m.sender_email
    );
    let links = [
        ("Ne plus recevoir de demandes de contact", m.opt_out_link),
        ("Bloquer cet expéditeur", m.block_link),
        ("Signaler ce message aux administrateurs", m.report_link),
    ];
    let greeting = format!("Bonjour {},", m.recipient_first_name);
    let public = m.review_link.map(|url| {
        (
            "Répondre aussi sur la fiche du logiciel (un retour d'expérience public, signé de votre collectivité, jamais de votre nom)",
            url,
        )
    });
    let mut text = format!(
        "{greeting}\n\n{intro}\n\nObjet : {}\n\n{quoted}\n{answer}\n\n",
        m.subject
    );
    if let Some((label, url)) = public {
        text.push_str(&format!("{label} : {url}\n\n"));
    }
    for (label, url) in links {
        text.push_str(&format!("{label} : {url}\n"));
    }
    let signature = "L'équipe Pairs, l'annuaire d'entraide des collectivités";
    text.push_str(&format!("\n-- \n{signature}\n"));
    let quoted_html: String = m
        .message
        .lines()
        .map(|l| format!("{}<br>", escape(l)))
        .collect();
    let mut html = format!(
        "<!doctype html><html lang=\"fr\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p><p>{}</p><p><strong>Objet :</strong> {}</p><blockquote style=\"border-left:3px solid #ccc;margin:0;padding-left:1em\">{quoted_html}</blockquote><p>{}</p><ul>",
        escape(&greeting),
        escape(&intro),
        escape(m.subject),
        escape(&answer)
    );
    if let Some((label, url)) = public {
        html.push_str(&format!(
            "<li><a href=\"{}\"><strong>{}</strong></a></li>",
            escape(url),
            escape(label)
        ));
    }
    for (label, url) in links {
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape(url),
            escape(label)
        ));
    }
    html.push_str(&format!(
        "</ul><p style=\"color:#555\">{}</p></body></html>",
        escape(signature)
    ));
    Email {
        to: m.to.to_string(),
        subject: format!("[Pairs] {}", m.subject),
        text,
        html,
        reply_to: Some(m.sender_email.to_string()),
        message_id: None,
        list_unsubscribe: None,
    }
}

/// One declaration in a reminder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderItem {
    pub tool: String,
    pub status: String,
    pub confirmed_on: String,
    pub confirm_link: String,
    pub change_link: String,
    /// `None` for a tool already declared abandoned.
    pub abandon_link: Option<String>,
}

pub struct ReminderMail<'a> {
    pub to: &'a str,
    pub first_name: &'a str,
    pub authority: &'a str,
    pub items: &'a [ReminderItem],
    pub settings_link: &'a str,
}

/// The reminder of declarations unconfirmed for a year: each with its three links.
pub fn reminder(m: &ReminderMail<'_>) -> Email {
    let signature = "L'équipe Pairs, l'annuaire d'entraide des collectivités";
    let intro = format!(
        "Ces déclarations de {} sur Pairs n'ont pas été confirmées depuis plus d'un an. Dites-nous en un clic si elles sont toujours vraies : vos pairs s'y fient pour vous contacter.",
        m.authority
    );
    let mut text = format!("Bonjour {},\n\n{intro}\n\n", m.first_name);
    let mut html = format!(
        "<!doctype html><html lang=\"fr\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>Bonjour {},</p><p>{}</p><ul>",
        escape(m.first_name),
        escape(&intro)
    );
    for item in m.items {
        let head = format!(
            "{} ({}, confirmé le {})",
            item.tool, item.status, item.confirmed_on
        );
        text.push_str(&format!(
            "{head}\n  Toujours d'actualité : {}\n  Changer le statut : {}\n",
            item.confirm_link, item.change_link
        ));
        html.push_str(&format!(
            "<li>{} — <a href=\"{}\">Toujours d'actualité</a> · <a href=\"{}\">Changer le statut</a>",
            escape(&head),
            escape(&item.confirm_link),
            escape(&item.change_link)
        ));
        if let Some(link) = &item.abandon_link {
            text.push_str(&format!("  Nous ne l'utilisons plus : {link}\n"));
            html.push_str(&format!(
                " · <a href=\"{}\">Nous ne l'utilisons plus</a>",
                escape(link)
            ));
        }
        text.push('\n');
        html.push_str("</li>");
    }
    let why = "Sans réponse à deux rappels, la déclaration est signalée « non confirmée » et ses référents ne sont plus proposés au contact.";
    text.push_str(&format!(
        "{why}\nNe plus recevoir ces rappels (déconseillé) : {}\n\n-- \n{signature}\n",
        m.settings_link
    ));
    html.push_str(&format!(
        "</ul><p style=\"color:#555\">{} <a href=\"{}\">Ne plus recevoir ces rappels (déconseillé)</a></p><p style=\"color:#555\">{}</p></body></html>",
        escape(why),
        escape(m.settings_link),
        escape(signature)
    ));
    Email {
        to: m.to.to_string(),
        subject: "Vos déclarations sur Pairs sont-elles toujours d'actualité ?".to_string(),
        text,
        html,
        reply_to: None,
        message_id: None,
        list_unsubscribe: None,
    }
}

/// One line of a digest: what happened, and the authority page it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestLine {
    pub text: String,
    pub href: String,
}

/// A digest's part about one tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestSection {
    pub title: String,
    pub lines: Vec<DigestLine>,
}

/// What a digest says.
pub struct DigestMail<'a> {
    pub to: &'a str,
    pub first_name: &'a str,
    pub subject: &'a str,
    /// The opening sentence (« 3 collectivités ont adopté Nextcloud, dont Istres (13) »).
    pub summary: &'a str,
    pub sections: &'a [DigestSection],
    pub settings_link: &'a str,
    /// The page with the unsubscribe button (the header's one-click address is beside it).
    pub unsubscribe_page: &'a str,
    pub one_click: &'a str,
}

/// The digest of what happened to what a member follows: a summary, then one section per
/// tool with one line per authority, each linking to its page.
pub fn digest(m: &DigestMail<'_>) -> Email {
    let signature = "L'équipe Pairs, l'annuaire d'entraide des collectivités";
    let mut text = format!("Bonjour {},\n\n{}\n\n", m.first_name, m.summary);
    let mut html = format!(
        "<!doctype html><html lang=\"fr\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>Bonjour {},</p><p>{}</p>",
        escape(m.first_name),
        escape(m.summary)
    );
    for section in m.sections {
        text.push_str(&format!("{}\n", section.title));
        html.push_str(&format!(
            "<h2 style=\"font-size:1.1em\">{}</h2><ul>",
            escape(&section.title)
        ));
        for line in &section.lines {
            text.push_str(&format!("- {} : {}\n", line.text, line.href));
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&line.href),
                escape(&line.text)
            ));
        }
        text.push('\n');
        html.push_str("</ul>");
    }
    let why = "Vous recevez ce résumé parce que vous suivez ces logiciels ou catégories sur Pairs.";
    text.push_str(&format!(
        "{why}\nFréquence et suivis : {}\nNe plus recevoir ce résumé : {}\n\n-- \n{signature}\n",
        m.settings_link, m.unsubscribe_page
    ));
    html.push_str(&format!(
        "<p style=\"color:#555\">{} <a href=\"{}\">Fréquence et suivis</a> · <a href=\"{}\">Ne plus recevoir ce résumé</a></p><p style=\"color:#555\">{}</p></body></html>",
        escape(why),
        escape(m.settings_link),
        escape(m.unsubscribe_page),
        escape(signature)
    ));
    Email {
        to: m.to.to_string(),
        subject: m.subject.to_string(),
        text,
        html,
        reply_to: None,
        message_id: None,
        list_unsubscribe: Some(m.one_click.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_carry_the_link_in_both_bodies_and_escape_html() {
        let mail = verify_email(
            "a@b.fr",
            "<Zoé>",
            "https://pairs.example/verifier?jeton=abc&x=1",
        );
        assert!(
            mail.text
                .contains("https://pairs.example/verifier?jeton=abc&x=1")
        );
        assert!(mail.html.contains("jeton=abc&amp;x=1"));
        assert!(mail.html.contains("&lt;Zoé&gt;"));
        assert!(!mail.html.contains("<Zoé>"));
        assert_eq!(mail.to, "a@b.fr");
    }

    #[test]
    fn a_contact_mail_quotes_the_message_and_carries_the_three_links() {
        let mail = contact_request(&ContactMail {
            to: "dest@ville.fr",
            recipient_first_name: "Paul",
            sender_name: "Zoé Martin",
            sender_job_title: "DSI",
            sender_authority: "Istres",
            sender_email: "zoe@istres.fr",
            software: Some("GLPI"),
            subject: "Votre migration <GLPI>",
            message: "Bonjour,\nComment avez-vous fait ?",
            opt_out_link: "https://p/contact/desinscription?jeton=a",
            block_link: "https://p/contact/bloquer?jeton=a",
            report_link: "https://p/contact/signaler?jeton=a",
            review_link: None,
        });
        assert!(!mail.text.contains("fiche du logiciel"));
        assert_eq!(mail.reply_to.as_deref(), Some("zoe@istres.fr"));
        assert_eq!(mail.subject, "[Pairs] Votre migration <GLPI>");
        assert!(
            mail.text
                .contains("Zoé Martin (DSI, Istres) vous écrit par Pairs au sujet de GLPI.")
        );
        assert!(mail.text.contains("> Comment avez-vous fait ?"));
        for link in ["desinscription", "bloquer", "signaler"] {
            assert!(
                mail.text
                    .contains(&format!("https://p/contact/{link}?jeton=a"))
            );
            assert!(
                mail.html
                    .contains(&format!("https://p/contact/{link}?jeton=a"))
            );
        }
        assert!(mail.html.contains("Votre migration &lt;GLPI&gt;"));
    }
}
