//! The production topology, from outside: two real `pairs serve` processes on one
//! PostgreSQL database behind Debian's nginx in round robin, mail through a real SMTP
//! server. Through the proxy a refused login shows its message whichever process serves
//! the next page, the eleventh wrong password is refused by either, 50 contact requests
//! sent alternately are delivered once each, and a SIGTERM to one process during a burst
//! loses no request and no job. With Meilisearch at hand (`MEILI_URL`), a declaration made
//! through one process is found through the other; with the embedded engine (one index per
//! process) that step is skipped with a message.
//!
//! Needs nginx (`make test` installs it and sets `PAIRS_REQUIRE_NGINX=1`, so that its
//! absence fails instead of skipping).

use crate::common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Backend;
use common::binary::{Answer, Server, http, serve_with};
use common::smtp::{SmtpServer, free_port};
use common::web::*;
use domain::entities::job;
use model::job::JobStatus;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const SENDER: &str = "zoe@istres.test";
const RECIPIENT: &str = "paul@fos.test";
const WRONG: &str = "pas le bon mot de passe";

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Debian's nginx in front of `upstreams`, on its own port and prefix; stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
}

impl Nginx {
    fn start(binary: &Path, prefix: &Path, upstreams: &[u16]) -> Self {
        let port = free_port();
        let servers: String = upstreams
            .iter()
            .map(|p| format!("server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n"))
            .collect();
        std::fs::create_dir_all(prefix.join("logs")).expect("nginx dir");
        // The directives of deploy/nginx/pairs.conf that matter here, plus the upstream's
        // address in a header so the test knows which process answered.
        let conf = format!(
            "daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n\
             error_log {prefix}/logs/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n\
               access_log off;\n\
               client_body_temp_path {prefix}/body;\n proxy_temp_path {prefix}/proxy;\n\
               fastcgi_temp_path {prefix}/fastcgi;\n uwsgi_temp_path {prefix}/uwsgi;\n\
               scgi_temp_path {prefix}/scgi;\n\
               upstream pairs {{\n{servers} keepalive 8;\n }}\n\
               server {{\n listen 127.0.0.1:{port};\n client_max_body_size 300k;\n\
                 location / {{\n proxy_pass http://pairs;\n proxy_http_version 1.1;\n\
                   proxy_set_header Connection \"\";\n proxy_set_header Host $http_host;\n\
                   proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
                   proxy_next_upstream error timeout http_502 http_503;\n\
                   proxy_next_upstream_tries 2;\n proxy_connect_timeout 2s;\n\
                   add_header X-Upstream $upstream_addr always;\n }}\n }}\n\
             }}\n",
            prefix = prefix.display()
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("nginx.conf");
        let child = Command::new(binary)
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(prefix.join("logs/error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not listen: {}",
                std::fs::read_to_string(prefix.join("logs/error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, port }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Which process (upstream port) answered through the proxy.
fn upstream(answer: &Answer) -> String {
    answer.header("x-upstream").unwrap_or_default().to_string()
}

/// A wrong-password login through the proxy, then the page it sends the browser to:
/// (the processes that answered each, the notice shown).
fn refused_login(port: u16) -> (String, String, String) {
    let body = encode(&[("email", SENDER), ("password", WRONG)]);
    let posted = http(port, "POST", "/api/login", None, Some(&body)).expect("login");
    let flash = posted.cookie("pairs_flash").expect("the message waits");
    let back = posted
        .header("location")
        .unwrap_or("/connexion")
        .to_string();
    let page = http(port, "GET", &back, Some(&flash), None).expect("page");
    (upstream(&posted), upstream(&page), error_notice(&page.body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_behind_nginx_behave_as_one() {
    if common::postgres_server().is_none() {
        common::skip_postgres("two_processes_behind_nginx_behave_as_one");
        return;
    }
    let Some(nginx) = nginx_binary() else {
        assert!(
            std::env::var("PAIRS_REQUIRE_NGINX").is_err(),
            "nginx is required (apt-get install nginx)"
        );
        eprintln!("topology: nginx is not installed; the two-process test is skipped");
        return;
    };
    // The accounts and the declaration, made through an in-process site on the database
    // both processes will share (sessions live in the database: the cookies work there).
    let site = TestApp::start(Backend::Postgres, &[]).await;
    domain::catalogue::seed::load_catalogue(&site.t.db)
        .await
        .expect("catalogue");
    let sender = member_of(&site, SENDER, "com-13047", "approved").await;
    let paul_cookie = member_of(&site, RECIPIENT, "com-13039", "approved").await;
    declare(&site, &paul_cookie, "com-13039", "glpi", true).await;
    let paul = user_by_email(&site, RECIPIENT).await.expect("paul").id;
    let zoe = user_by_email(&site, SENDER).await.expect("zoe").id;

    let maildir = site.t.dir.path().join("maildir");
    let smtp = SmtpServer::start(free_port(), &maildir);
    let proxy_port = free_port();
    let meili = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty());
    let index = format!("pairs_topology_{}", std::process::id());
    let env = |name: &str| -> Vec<(&'static str, String)> {
        let data = site.t.dir.path().join(name);
        let mut env = vec![
            ("DATABASE_URL", site.t.url.clone()),
            ("PAIRS_DATA_DIR", data.display().to_string()),
            ("PAIRS_PUBLIC_URL", format!("http://127.0.0.1:{proxy_port}")),
            ("PAIRS_TRUSTED_PROXIES", "127.0.0.1".to_string()),
            ("SMTP_URL", smtp.url()),
            ("PAIRS_CONTACT_MIN_FILL_SECONDS", "0".into()),
            ("PAIRS_CONTACT_SENDER_DAILY", "100".into()),
            ("PAIRS_CONTACT_RECIPIENT_DAILY", "100".into()),
            ("PAIRS_CONTACT_PAIR_WEEKLY", "100".into()),
            ("PAIRS_DRAIN_SECONDS", "2".into()),
            ("PAIRS_SHUTDOWN_TIMEOUT_SECONDS", "20".into()),
            ("MEILI_URL", meili.clone().unwrap_or_default()),
            ("MEILI_INDEX", index.clone()),
        ];
        if let Ok(key) = std::env::var("MEILI_MASTER_KEY") {
            env.push(("MEILI_MASTER_KEY", key));
        }
        env
    };
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = serve_with(port_a, &env("a"));
    let b = serve_with(port_b, &env("b"));
    let proxy = Nginx::start(&nginx, &site.t.dir.path().join("nginx"), &[port_a, port_b]);
    let port = proxy.port;

    // 1. Refused logins: every message shown, whichever process serves the next page.
    let mut crossed = 0;
    for n in 0..10 {
        let (posted_by, shown_by, notice) = refused_login(port);
        assert!(notice.contains("incorrect"), "attempt {n}: « {notice} »");
        crossed += u32::from(posted_by != shown_by);
    }
    assert!(
        crossed >= 3,
        "only {crossed} pages came from the other process"
    );
    // 2. The eleventh and twelfth wrong passwords: refused, whichever process gets them.
    // Each attempt is two requests (the POST, then its page): a request in between sends
    // the next POST to the other process.
    let mut refusers = HashSet::new();
    for _ in 0..4 {
        let (posted_by, _, notice) = refused_login(port);
        assert!(notice.contains("Trop de tentatives"), "« {notice} »");
        refusers.insert(posted_by);
        if refusers.len() == 2 {
            break;
        }
        http(port, "GET", "/healthz", None, None).expect("healthz");
    }
    assert_eq!(refusers.len(), 2, "both processes refused: {refusers:?}");

    // 3. A declaration through one process, found in search through the other.
    if meili.is_some() {
        let before =
            http(port_b, "GET", "/api/v1/search?q=nextcloud", None, None).expect("search before");
        assert!(
            before.status == 200 && !before.body.contains("Istres"),
            "before the declaration: {} {}",
            before.status,
            before.body
        );
        let body = encode(&declaration_form("com-13047", "nextcloud", false));
        // Timed from the request that saves, so the figure covers the whole way.
        let started = Instant::now();
        let saved = http(
            port_a,
            "POST",
            "/api/declare_usage",
            Some(&sender),
            Some(&body),
        )
        .expect("declare");
        assert!(saved.status < 400, "declared: {}", saved.status);
        loop {
            let found =
                http(port_b, "GET", "/api/v1/search?q=nextcloud", None, None).expect("search");
            if found.body.contains("Istres") {
                eprintln!(
                    "topology: found through the other process {} ms after the saving request",
                    started.elapsed().as_millis()
                );
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "not found in 10 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    } else {
        eprintln!(
            "topology: no MEILI_URL; each process has its own embedded index, so the \
             cross-process search step is skipped"
        );
    }

    // 4. Fifty contact requests, alternately through both processes: each mailed once.
    let before = smtp.messages().len();
    for n in 0..50 {
        let stamp = domain::contact::stamp::issue(
            &site.t.db,
            zoe,
            chrono::Utc::now() - chrono::Duration::seconds(10),
        )
        .await
        .expect("stamp");
        let subject = format!("Question {n}");
        let paul_id = paul.to_string();
        let body = encode(&[
            ("destinataire", &paul_id),
            ("logiciel", "glpi"),
            ("objet", &subject),
            (
                "message",
                "Bonjour,\nComment avez-vous migré vers GLPI 10 ?",
            ),
            ("consentement", "oui"),
            ("site_web", ""),
            ("debut", &stamp),
        ]);
        let sent = http(
            port,
            "POST",
            "/api/send_contact_request",
            Some(&sender),
            Some(&body),
        )
        .expect("send");
        assert_eq!(
            sent.header("location"),
            Some("/compte/messages?info=demande-envoyee"),
            "request {n}: {} {}",
            sent.status,
            error_notice(&sent.body)
        );
    }
    let delivered = |smtp: &SmtpServer| {
        smtp.messages()[before..]
            .iter()
            .filter_map(|m| {
                m.lines()
                    .find(|l| l.starts_with("Subject:"))
                    .map(str::to_string)
            })
            .filter(|s| s.starts_with("Subject: [Pairs] Question "))
            .collect::<Vec<_>>()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while delivered(&smtp).len() < 50 {
        assert!(
            Instant::now() < deadline,
            "{} of 50 delivered",
            delivered(&smtp).len()
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // 5. A SIGTERM to one process during a burst: every request answered, the process
    // drains (its /healthz at 503), exits 0, and leaves no job claimed.
    let burst = std::thread::spawn(move || {
        let mut statuses = Vec::new();
        for _ in 0..150 {
            let answer = http(port, "GET", "/logiciels/glpi", None, None);
            statuses.push(answer.map(|a| a.status).unwrap_or(0));
        }
        statuses
    });
    std::thread::sleep(Duration::from_millis(300));
    a.terminate();
    std::thread::sleep(Duration::from_millis(300));
    let health = http(port_a, "GET", "/healthz", None, None).expect("healthz while draining");
    assert_eq!(health.status, 503, "{}", health.body);
    assert!(health.body.contains("arrêt en cours"), "{}", health.body);
    let status = a
        .wait_exit(Duration::from_secs(30))
        .expect("the process exits");
    assert!(status.success(), "exit status {status:?}");
    let statuses = burst.join().expect("burst");
    let failed: Vec<_> = statuses.iter().filter(|s| **s != 200).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed: {failed:?}",
        failed.len(),
        statuses.len()
    );
    // The remaining process still serves through the proxy.
    let after = http(port, "GET", "/healthz", None, None).expect("healthz");
    assert_eq!(after.status, 200);
    // Every mail exactly once, no job left claimed.
    std::thread::sleep(Duration::from_secs(3));
    let subjects = delivered(&smtp);
    assert_eq!(subjects.len(), 50, "no request mailed twice");
    assert_eq!(
        subjects.iter().collect::<HashSet<_>>().len(),
        50,
        "each request once"
    );
    let running = job::Entity::find()
        .filter(job::Column::Status.eq(JobStatus::Running))
        .count(&site.t.db)
        .await
        .expect("jobs");
    assert_eq!(running, 0, "no job left claimed");
    drop(proxy);
    drop::<Server>(b);
    drop(smtp);
    site.t.cleanup().await;
}
