//! The password policy: 12 to 128 characters, not a common password, no composition rules.

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// Frequent passwords of 12+ characters (leaked-password lists, French and English).
const COMMON: &str = include_str!("common_passwords.txt");

/// `Err` carries the French message shown to the user.
pub fn check(password: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(format!(
            "Le mot de passe doit contenir au moins {MIN_LEN} caractères."
        ));
    }
    if len > MAX_LEN {
        return Err(format!(
            "Le mot de passe doit contenir au plus {MAX_LEN} caractères."
        ));
    }
    let lowered = password.to_lowercase();
    if COMMON.lines().any(|p| p.trim() == lowered) {
        return Err("Ce mot de passe est trop courant : choisissez-en un autre, par exemple une phrase de plusieurs mots.".into());
    }
    let first = lowered.chars().next();
    if lowered.chars().all(|c| Some(c) == first) {
        return Err("Ce mot de passe est trop simple : choisissez-en un autre.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_and_common_list() {
        assert!(check("court").is_err());
        assert!(check(&"a".repeat(129)).is_err());
        assert!(check("aaaaaaaaaaaaaa").is_err());
        assert!(check("123456789012").is_err());
        assert!(check("MotDePasse123").is_err(), "case does not help");
        assert!(check("la mairie de Fos a un beau port").is_ok());
        assert!(
            check(&"é".repeat(12).replacen('é', "x", 1)).is_ok(),
            "counts characters, not bytes"
        );
        assert!(check(&"ab".repeat(64)).is_ok(), "128 characters accepted");
    }
}
