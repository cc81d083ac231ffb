//! Connections: parsing libpq-style connection strings, applying the `PG*` environment,
//! TLS per `sslmode`, and turning driver failures into messages a user can act on.
//!
//! Accepts `postgres://` / `postgresql://` URLs and `key=value` strings. Passwords are kept
//! out of every `Display` of a target and out of every error message.

use native_tls::{Certificate, Identity, TlsConnector};
use postgres_native_tls::MakeTlsConnector;
use std::fmt;
use std::time::Duration;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{Client, Config};

/// Errors while parsing a connection string or connecting.
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    /// The connection string could not be parsed.
    #[error("invalid connection string: {0}")]
    Parse(String),
    /// TLS could not be set up (bad certificate files, ...).
    #[error("setting up TLS for {target}: {detail}")]
    Tls {
        /// The target, without password.
        target: String,
        /// What went wrong.
        detail: String,
    },
    /// Connecting failed; the message says why and what to check.
    #[error("{0}")]
    Connect(String),
}

/// How to verify the server when connecting with TLS (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ssl {
    /// Plain text only.
    Disable,
    /// TLS if the server offers it, without verification; plain text otherwise.
    Prefer,
    /// TLS required, server certificate not verified (unless a root certificate is given).
    Require,
    /// TLS required, certificate chain verified, host name not checked.
    VerifyCa,
    /// TLS required, certificate chain and host name verified.
    VerifyFull,
}

impl Ssl {
    fn parse(s: &str) -> Result<Ssl, ConnError> {
        Ok(match s {
            "disable" => Ssl::Disable,
            "allow" | "prefer" => Ssl::Prefer,
            "require" => Ssl::Require,
            "verify-ca" => Ssl::VerifyCa,
            "verify-full" => Ssl::VerifyFull,
            other => {
                return Err(ConnError::Parse(format!(
                    "sslmode {other:?} is not one of disable, allow, prefer, require, verify-ca, \
                     verify-full"
                )));
            }
        })
    }
}

/// A database to connect to: driver configuration plus the TLS settings the driver does not
/// handle itself.
#[derive(Clone)]
pub struct Target {
    config: Config,
    ssl: Ssl,
    root_cert: Option<String>,
    client_cert: Option<(String, String)>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({self})")
    }
}

impl fmt::Display for Target {
    /// `user@host:port/dbname`, never the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        write!(
            f,
            "{}@{}:{}/{}",
            self.config.get_user().unwrap_or("?"),
            host,
            port,
            self.config.get_dbname().unwrap_or("?")
        )
    }
}

/// Splits a key=value connection string into pairs (values may be single-quoted with
/// backslash escapes, as in libpq).
fn parse_key_values(s: &str) -> Result<Vec<(String, String)>, ConnError> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(ConnError::Parse(format!(
                "expected key=value, found {key:?} without '=' (use a postgres:// URL or \
                 key=value pairs)"
            )));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(ConnError::Parse(format!("unterminated quote in {key}")));
                    }
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    value.extend(chars.next());
                    continue;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((key, value));
    }
    Ok(out)
}

fn percent_decode(s: &str) -> Result<String, ConnError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| ConnError::Parse("invalid percent-encoding in URL".into()))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ConnError::Parse("URL is not valid UTF-8".into()))
}

/// Splits a `postgres://` URL into key=value pairs.
fn parse_url(url: &str) -> Result<Vec<(String, String)>, ConnError> {
    let rest = url
        .strip_prefix("postgresql://")
        .or_else(|| url.strip_prefix("postgres://"))
        .ok_or_else(|| ConnError::Parse("URL must start with postgres://".into()))?;
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut out = Vec::new();
    let hostspec = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                out.push(("user".into(), percent_decode(user)?));
            }
            if let Some(p) = password {
                out.push(("password".into(), percent_decode(p)?));
            }
            hosts
        }
        None => authority,
    };
    if !hostspec.is_empty() {
        let mut hosts = Vec::new();
        let mut ports = Vec::new();
        for hp in hostspec.split(',') {
            let (h, p) = if let Some(v6) = hp.strip_prefix('[') {
                let (h, after) = v6
                    .split_once(']')
                    .ok_or_else(|| ConnError::Parse("unterminated [ in host".into()))?;
                (h.to_string(), after.strip_prefix(':').unwrap_or(""))
            } else {
                match hp.rsplit_once(':') {
                    Some((h, p)) => (h.to_string(), p),
                    None => (hp.to_string(), ""),
                }
            };
            hosts.push(percent_decode(&h)?);
            ports.push(p.to_string());
        }
        out.push(("host".into(), hosts.join(",")));
        if ports.iter().any(|p| !p.is_empty()) {
            out.push(("port".into(), ports.join(",")));
        }
    }
    if !path.is_empty() {
        out.push(("dbname".into(), percent_decode(path)?));
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| ConnError::Parse(format!("URL parameter {pair:?} has no '='")))?;
        out.push((percent_decode(k)?, percent_decode(v)?));
    }
    Ok(out)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Target {
    /// Parses a URL or key=value string; parameters it leaves out come from the libpq
    /// environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`,
    /// `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`) and then libpq's defaults.
    pub fn parse(s: &str) -> Result<Target, ConnError> {
        let s = s.trim();
        let pairs = if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            parse_url(s)?
        } else {
            parse_key_values(s)?
        };
        let mut get = std::collections::BTreeMap::new();
        for (k, v) in pairs {
            get.insert(k, v);
        }
        let pick = |key: &str, env_name: &str| get.get(key).cloned().or_else(|| env(env_name));
        let mut config = Config::new();
        let user = pick("user", "PGUSER").unwrap_or_else(current_user);
        config.user(&user);
        let dbname = pick("dbname", "PGDATABASE").unwrap_or_else(|| user.clone());
        config.dbname(&dbname);
        if let Some(p) = pick("password", "PGPASSWORD") {
            config.password(p);
        }
        let hosts = pick("host", "PGHOST").unwrap_or_else(|| {
            if std::path::Path::new("/var/run/postgresql").is_dir() {
                "/var/run/postgresql".into()
            } else {
                "localhost".into()
            }
        });
        let host_list: Vec<&str> = hosts.split(',').collect();
        for h in &host_list {
            if h.starts_with('/') {
                config.host_path(h);
            } else {
                config.host(*h);
            }
        }
        if let Some(ports) = pick("port", "PGPORT") {
            for p in ports.split(',') {
                let port = if p.is_empty() {
                    5432
                } else {
                    p.parse()
                        .map_err(|_| ConnError::Parse(format!("invalid port {p:?}")))?
                };
                config.port(port);
            }
        }
        let timeout = pick("connect_timeout", "PGCONNECT_TIMEOUT")
            .map(|t| {
                t.parse::<u64>()
                    .map_err(|_| ConnError::Parse(format!("invalid connect_timeout {t:?}")))
            })
            .transpose()?
            .unwrap_or(10);
        config.connect_timeout(Duration::from_secs(timeout.max(1)));
        if let Some(o) = get.get("options") {
            config.options(o);
        }
        config.application_name("pgdiff");
        let ssl_default = if host_list.iter().all(|h| h.starts_with('/')) {
            "disable".to_string()
        } else {
            "prefer".to_string()
        };
        let ssl = Ssl::parse(&pick("sslmode", "PGSSLMODE").unwrap_or(ssl_default))?;
        let root_cert = pick("sslrootcert", "PGSSLROOTCERT");
        let client_cert = match (pick("sslcert", "PGSSLCERT"), pick("sslkey", "PGSSLKEY")) {
            (Some(c), Some(k)) => Some((c, k)),
            (None, None) => None,
            _ => {
                return Err(ConnError::Parse(
                    "sslcert and sslkey must be given together".into(),
                ));
            }
        };
        for key in get.keys() {
            const KNOWN: &[&str] = &[
                "user",
                "password",
                "dbname",
                "host",
                "port",
                "connect_timeout",
                "options",
                "sslmode",
                "sslrootcert",
                "sslcert",
                "sslkey",
                "application_name",
            ];
            if !KNOWN.contains(&key.as_str()) {
                return Err(ConnError::Parse(format!(
                    "unsupported connection parameter {key:?}"
                )));
            }
        }
        Ok(Target {
            config,
            ssl,
            root_cert,
            client_cert,
        })
    }

    /// The database name.
    pub fn dbname(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// The same server, another database.
    pub fn with_dbname(&self, dbname: &str) -> Target {
        let mut t = self.clone();
        t.config.dbname(dbname);
        t
    }

    /// The TLS mode in effect.
    pub fn ssl(&self) -> Ssl {
        self.ssl
    }

    fn tls(&self) -> Result<MakeTlsConnector, ConnError> {
        let err = |detail: String| ConnError::Tls {
            target: self.to_string(),
            detail,
        };
        let mut b = TlsConnector::builder();
        let verify_chain = match self.ssl {
            Ssl::VerifyCa | Ssl::VerifyFull => true,
            // libpq: with a root certificate present, `require` behaves like verify-ca.
            Ssl::Require => self.root_cert.is_some(),
            _ => false,
        };
        if let Some(path) = &self.root_cert {
            let pem = std::fs::read(path).map_err(|e| err(format!("reading {path}: {e}")))?;
            let cert = Certificate::from_pem(&pem).map_err(|e| err(format!("{path}: {e}")))?;
            b.add_root_certificate(cert);
        }
        if let Some((cert, key)) = &self.client_cert {
            let c = std::fs::read(cert).map_err(|e| err(format!("reading {cert}: {e}")))?;
            let k = std::fs::read(key).map_err(|e| err(format!("reading {key}: {e}")))?;
            let id = Identity::from_pkcs8(&c, &k).map_err(|e| err(format!("{cert}: {e}")))?;
            b.identity(id);
        }
        b.danger_accept_invalid_certs(!verify_chain);
        b.danger_accept_invalid_hostnames(self.ssl != Ssl::VerifyFull);
        let connector = b.build().map_err(|e| err(e.to_string()))?;
        Ok(MakeTlsConnector::new(connector))
    }

    /// Connects, spawning the connection task on the current tokio runtime.
    pub async fn connect(&self) -> Result<Client, ConnError> {
        let mut config = self.config.clone();
        config.ssl_mode(match self.ssl {
            Ssl::Disable => SslMode::Disable,
            Ssl::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        });
        let result = if self.ssl == Ssl::Disable {
            config
                .connect(tokio_postgres::NoTls)
                .await
                .map(|(c, conn)| {
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                    c
                })
        } else {
            let tls = self.tls()?;
            config.connect(tls).await.map(|(c, conn)| {
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                c
            })
        };
        result.map_err(|e| ConnError::Connect(explain_connect_error(self, &e)))
    }
}

fn current_user() -> String {
    env("USER").unwrap_or_else(|| "postgres".into())
}

/// Turns a driver error from connecting into one line that names the target (without
/// password) and says what to check.
fn explain_connect_error(t: &Target, e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let hint = match db.code().code() {
            "28P01" => " (check the password in the URL, PGPASSWORD or ~/.pgpass)",
            "28000" => " (check pg_hba.conf on the server and the user name)",
            "3D000" => " (create the database or fix the database name)",
            "53300" => " (the server has no free connection slots; retry later)",
            "57P03" => " (the server is starting up or shutting down; retry shortly)",
            _ => "",
        };
        return format!("cannot connect to {t}: {}{hint}", db.message());
    }
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    let hint = if msg.contains("Connection refused") || msg.contains("No such file") {
        " (is the server running and accepting connections there?)"
    } else if msg.contains("failed to lookup") || msg.contains("Name or service not known") {
        " (check the host name)"
    } else if msg.contains("timed out") || msg.contains("timeout") {
        " (the host did not answer; check host, port and firewall)"
    } else if msg.contains("server does not support TLS") {
        " (the server has no TLS; use sslmode=prefer or sslmode=disable)"
    } else if msg.contains("certificate") || msg.contains("TLS") || msg.contains("tls") {
        " (check sslrootcert, or use sslmode=require to skip verification)"
    } else {
        ""
    };
    format!("cannot connect to {t}: {msg}{hint}")
}

/// The message of a driver error: for a server error its message, detail and hint;
/// otherwise the driver's text with its causes.
pub fn db_message(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut m = db.message().to_string();
        if let Some(d) = db.detail() {
            m.push_str("\nDETAIL: ");
            m.push_str(d);
        }
        if let Some(h) = db.hint() {
            m.push_str("\nHINT: ");
            m.push_str(h);
        }
        return m;
    }
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_without_leaking_passwords() {
        let t =
            Target::parse("postgres://alice:s%40cret@db.example.com:6543/sales?sslmode=require")
                .unwrap();
        assert_eq!(t.to_string(), "alice@db.example.com:6543/sales");
        assert_eq!(t.ssl(), Ssl::Require);
        assert!(!format!("{t:?}").contains("s@cret"));
        assert_eq!(t.config.get_password(), Some(&b"s@cret"[..]));
    }

    #[test]
    fn parses_key_values_with_quotes_and_unix_sockets() {
        let t =
            Target::parse("host=/tmp/sock port=5433 user=bob dbname='my db' password='a b\\'c'")
                .unwrap();
        assert_eq!(t.dbname(), "my db");
        assert_eq!(t.config.get_password(), Some(&b"a b'c"[..]));
        assert_eq!(t.ssl(), Ssl::Disable);
        let t = Target::parse("postgresql://u@%2Ftmp%2Fsock:5433/x").unwrap();
        assert!(matches!(t.config.get_hosts()[0], Host::Unix(_)));
    }

    #[test]
    fn rejects_bad_input_precisely() {
        let e = Target::parse("host=x sslmode=maybe")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sslmode \"maybe\""), "{e}");
        let e = Target::parse("host=x bogus=1").unwrap_err().to_string();
        assert!(e.contains("bogus"), "{e}");
        let e = Target::parse("justaword").unwrap_err().to_string();
        assert!(e.contains("key=value"), "{e}");
        let e = Target::parse("postgres://h:notaport/db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("invalid port"), "{e}");
    }
}
