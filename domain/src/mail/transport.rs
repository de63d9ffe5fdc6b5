//! Delivery backends: SMTP through lettre (`SMTP_URL`), or .eml files in a folder (default).

use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart, SinglePart,
        header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue},
    },
};

use super::Email;

/// Why a message was not delivered: transient failures are retried, permanent ones are not.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("transient delivery failure: {0}")]
    Transient(String),
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

#[derive(Clone)]
pub enum Mailer {
    /// Writes each message as an .eml file and logs a line (development default).
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Files(dir) => write!(f, "Mailer::Files({})", dir.display()),
            Self::Smtp(_) => write!(f, "Mailer::Smtp"),
        }
    }
}

/// How long the file mailer keeps a message: the links in it (with their tokens) are dead
/// well before, and nothing should keep them longer.
pub const FILE_RETENTION: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// Deletes the `.eml` files of `dir` last written more than `keep` ago; how many went.
/// A missing directory holds nothing to delete.
pub fn prune_mail_dir(dir: &std::path::Path, keep: std::time::Duration) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(err),
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "eml") {
            continue;
        }
        let written = std::fs::metadata(&path)?.modified()?;
        if now.duration_since(written).is_ok_and(|age| age > keep) {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

impl Mailer {
    /// The file mailer's retention (`FILE_RETENTION`); SMTP keeps nothing here.
    pub fn prune(&self) -> std::io::Result<usize> {
        match self {
            Self::Files(dir) => prune_mail_dir(dir, FILE_RETENTION),
            Self::Smtp(_) => Ok(0),
        }
    }

    pub fn from_config(config: &crate::Config) -> Result<Self, crate::DomainError> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Self::Smtp(b.timeout(Some(std::time::Duration::from_secs(10))).build()))
                .map_err(|e| crate::DomainError::Config(format!("SMTP_URL invalide : {e}"))),
            None => Ok(Self::Files(config.mail_dir.clone())),
        }
    }

    fn build(from: &str, email: &Email) -> Result<Message, SendError> {
        let parse = |s: &str| {
            s.parse::<Mailbox>()
                .map_err(|e| SendError::Permanent(format!("invalid address {s:?}: {e}")))
        };
        let mut builder = Message::builder()
            .from(parse(from)?)
            .to(parse(&email.to)?)
            .subject(email.subject.clone());
        if let Some(reply_to) = &email.reply_to {
            builder = builder.reply_to(parse(reply_to)?);
        }
        if let Some(id) = &email.message_id {
            builder = builder.message_id(Some(format!("<{id}>")));
        }
        if let Some(url) = &email.list_unsubscribe {
            // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the address.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        builder
            // Quoted-printable keeps links readable in the raw message.
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(email.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .header(ContentTransferEncoding::QuotedPrintable)
                            .body(email.html.clone()),
                    ),
            )
            .map_err(|e| SendError::Permanent(format!("cannot build message: {e}")))
    }

    pub async fn send(&self, from: &str, email: &Email) -> Result<(), SendError> {
        let message = Self::build(from, email)?;
        match self {
            Self::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| SendError::Transient(format!("mail dir: {e}")))?;
                let (name, _) = crate::security::token::generate();
                let path = dir.join(format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f"),
                    &name[..8]
                ));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| SendError::Transient(format!("write {}: {e}", path.display())))?;
                tracing::info!(subject = %email.subject, file = %path.display(), "mail written");
                // The link holds a token: at debug level only, so info logs never carry one.
                if let Some(link) = email
                    .text
                    .lines()
                    .find_map(|l| l.split(" : ").nth(1).filter(|u| u.starts_with("http")))
                {
                    tracing::debug!("mail link: {link}");
                }
                Ok(())
            }
            Self::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(err) if err.is_permanent() => Err(SendError::Permanent(err.to_string())),
                Err(err) => Err(SendError::Transient(err.to_string())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_messages_leave_the_mail_dir() {
        let dir = std::env::temp_dir().join(format!("pairs-mail-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let old = dir.join("old.eml");
        let fresh = dir.join("fresh.eml");
        let other = dir.join("notes.txt");
        for path in [&old, &fresh, &other] {
            std::fs::write(path, "x").expect("write");
        }
        let eight_days = std::time::Duration::from_secs(8 * 24 * 3600);
        let long_ago = std::time::SystemTime::now() - eight_days;
        for path in [&old, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .and_then(|f| f.set_modified(long_ago))
                .expect("age");
        }
        assert_eq!(prune_mail_dir(&dir, FILE_RETENTION).expect("prune"), 1);
        assert!(!old.exists() && fresh.exists() && other.exists());
        assert_eq!(
            prune_mail_dir(&dir.join("absent"), FILE_RETENTION).expect("ok"),
            0
        );
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}
