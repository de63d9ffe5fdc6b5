//! Delivery backends: SMTP through lettre (`SMTP_URL`), or .eml files in a folder (default).

use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart, SinglePart,
        header::{ContentTransferEncoding, ContentType},
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

impl Mailer {
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
