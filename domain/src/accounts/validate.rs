//! Input checks for account forms. Each error is the French sentence shown to the user.

use crate::error::DomainError;

fn invalid(msg: &str) -> DomainError {
    DomainError::Invalid(msg.to_string())
}

/// A plausible address: one @, a dotted domain, no spaces, at most 254 characters, and
/// the whole input an address as the mailer reads it (`x<me@ville.fr>` would otherwise
/// reach lettre as a display name and another address).
pub fn email(value: &str) -> Result<String, DomainError> {
    let email = super::normalize_email(value);
    let valid = email.len() <= EMAIL_MAX
        && email
            .parse::<lettre::Address>()
            .is_ok_and(|address| address.as_ref() == email)
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(invalid_email())
    }
}

/// The longest address there is (RFC 5321).
pub const EMAIL_MAX: usize = 254;

/// The refusal of an address that cannot be one.
pub fn invalid_email() -> DomainError {
    invalid("Saisissez une adresse électronique valide, par exemple prenom.nom@mairie.fr.")
}

/// A required short text, trimmed.
pub fn text(value: &str, label: &str, max: usize) -> Result<String, DomainError> {
    let t = value.trim();
    if t.is_empty() {
        return Err(DomainError::Invalid(format!(
            "Le champ « {label} » est obligatoire."
        )));
    }
    if t.chars().count() > max {
        return Err(DomainError::Invalid(format!(
            "Le champ « {label} » doit faire au plus {max} caractères."
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(DomainError::Invalid(format!(
            "Le champ « {label} » contient des caractères non autorisés."
        )));
    }
    Ok(t.to_string())
}

/// An optional French or international phone number.
pub fn phone(value: &str) -> Result<Option<String>, DomainError> {
    let t = value.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
    if allowed && (8..=15).contains(&digits) && t.len() <= 30 {
        Ok(Some(t.to_string()))
    } else {
        Err(invalid(
            "Saisissez un numéro de téléphone valide, par exemple 04 42 00 00 00.",
        ))
    }
}

pub fn password(value: &str) -> Result<(), DomainError> {
    crate::security::policy::check(value).map_err(DomainError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email(" Zoe.Martin@Istres.FR ").expect("valid"),
            "zoe.martin@istres.fr"
        );
        for bad in [
            "",
            "zoe",
            "zoe@",
            "@istres.fr",
            "zoe@istres",
            "zo e@istres.fr",
            "a@b@c.fr",
            "zoe@.fr",
            "x<me@ville.fr>",
            "x<me@ville.fr",
            "\"zoe\" <zoe@istres.fr>",
            "zoe@istres.fr>",
        ] {
            assert!(email(bad).is_err(), "{bad:?} rejected");
        }
    }

    #[test]
    fn texts_and_phones() {
        assert_eq!(text("  DSI ", "Fonction", 10).expect("ok"), "DSI");
        assert!(text("   ", "Fonction", 10).is_err());
        assert!(text("abcdefghijk", "Fonction", 10).is_err());
        assert!(text("a\u{0}b", "Fonction", 10).is_err());
        assert_eq!(phone("").expect("ok"), None);
        assert_eq!(
            phone("04 42 55 01 01").expect("ok").as_deref(),
            Some("04 42 55 01 01")
        );
        assert!(phone("appelez-moi").is_err());
        assert!(phone("123").is_err());
    }
}
