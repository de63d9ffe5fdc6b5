//! French email templates, each in text and HTML.

use super::Email;

fn escape(s: &str) -> String {
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

pub fn rejected(to: &str, first_name: &str, reason: &str) -> Email {
    build(
        to,
        "Votre demande d'adhésion à Pairs n'a pas été acceptée",
        &format!("Bonjour {first_name},"),
        &[
            "Un administrateur du réseau n'a pas accepté votre demande, pour la raison suivante :"
                .into(),
            reason.to_string(),
            "Vous pouvez répondre à ce message pour en savoir plus.".into(),
        ],
        None,
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
}
