//! The `cachelab-server` command line: `--port N`, `--bind ADDR`, `--threads N`,
//! and where snapshots go: `--dir DIR`, `--dbfilename NAME`, `--save POINTS`.
//!
//! Parsing is a pure function so it can be tested without starting anything.

/// Where and how to serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Address to bind; loopback unless asked otherwise.
    pub bind: String,
    /// TCP port; 0 picks a free one.
    pub port: u16,
    /// Runtime worker threads. 1 (the default) is a current-thread runtime,
    /// which is fastest here: the engine is behind one lock anyway, and a
    /// second worker only competes with the clients for the CPU.
    pub threads: usize,
    /// Where SAVE writes and the start loads the RDB file (`None`: the
    /// current directory, as for redis-server).
    pub dir: Option<String>,
    pub dbfilename: String,
    /// The `save` points (`None`: Redis's default, [`DEFAULT_SAVE`]).
    pub save: Option<String>,
}

/// redis-server's `save` points without a config file: after an hour if a key
/// changed, five minutes if 100 did, a minute if 10,000 did.
pub const DEFAULT_SAVE: &str = "3600 1 300 100 60 10000";

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1".to_string(),
            port: 6379,
            threads: 1,
            dir: None,
            dbfilename: "dump.rdb".to_string(),
            save: None,
        }
    }
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invocation {
    Serve(Config),
    Help,
}

pub const USAGE: &str = "\
Usage: cachelab-server [--port N] [--bind ADDR] [--threads N] [--dir DIR]
                       [--dbfilename NAME] [--save POINTS]

A Redis 7.0 compatible server speaking RESP2 (use redis-cli, redis-benchmark or any client).

Options:
  --port N      TCP port to listen on (default 6379; 0 picks a free port)
  --bind ADDR   address to bind (default 127.0.0.1)
  --threads N   tokio worker threads (default 1: a current-thread runtime)
  --dir DIR     where SAVE writes the RDB file, loaded at start if present
                (default: the current directory)
  --dbfilename NAME
                the RDB file's name (default dump.rdb)
  --save POINTS snapshot points, \"seconds changes ...\" (default
                \"3600 1 300 100 60 10000\"; \"\" for none)
  -h, --help    print this help";

impl Invocation {
    /// Parses the arguments after the program name. Accepts `--flag value`
    /// and `--flag=value`. The error is a one-line message for stderr.
    pub fn parse<I, S>(args: I) -> Result<Invocation, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut config = Config::default();
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            let (flag, inline_value) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_string(), Some(value.to_string()))
                }
                _ => (arg, None),
            };
            if flag == "-h" || flag == "--help" {
                return Ok(Invocation::Help);
            }
            if !matches!(
                flag.as_str(),
                "--port" | "--bind" | "--threads" | "--dir" | "--dbfilename" | "--save"
            ) {
                return Err(format!("unknown argument '{flag}'"));
            }
            let value = match inline_value.or_else(|| args.next()) {
                Some(value) => value,
                None => return Err(format!("{flag} needs a value")),
            };
            match flag.as_str() {
                "--port" => {
                    config.port = value
                        .parse()
                        .map_err(|_| format!("invalid port '{value}'"))?;
                }
                "--bind" => config.bind = value,
                "--dir" => config.dir = Some(value),
                "--dbfilename" => config.dbfilename = value,
                "--save" => config.save = Some(value),
                _ => {
                    config.threads = value
                        .parse()
                        .ok()
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| format!("invalid thread count '{value}'"))?;
                }
            }
        }
        Ok(Invocation::Serve(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Config {
        match Invocation::parse(args.iter().copied()) {
            Ok(Invocation::Serve(config)) => config,
            other => panic!("{args:?} gave {other:?}"),
        }
    }

    #[test]
    fn defaults_to_loopback_6379() {
        assert_eq!(serve(&[]), Config::default());
        assert_eq!(Config::default().bind, "127.0.0.1");
        assert_eq!(Config::default().port, 6379);
    }

    #[test]
    fn flags_with_separate_and_inline_values() {
        let config = serve(&["--port", "7777", "--bind=0.0.0.0", "--threads=2"]);
        assert_eq!(config.port, 7777);
        assert_eq!(config.bind, "0.0.0.0");
        assert_eq!(config.threads, 2);
        let config = serve(&["--dir", "/tmp/x", "--dbfilename=a.rdb", "--save", ""]);
        assert_eq!(config.dir.as_deref(), Some("/tmp/x"));
        assert_eq!(config.dbfilename, "a.rdb");
        assert_eq!(config.save.as_deref(), Some(""));
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(Invocation::parse(["--help"]), Ok(Invocation::Help));
        assert_eq!(Invocation::parse(["-h"]), Ok(Invocation::Help));
        assert!(Invocation::parse(["--port"]).is_err());
        assert!(Invocation::parse(["--port", "70000"]).is_err());
        assert!(Invocation::parse(["--threads", "0"]).is_err());
        assert!(Invocation::parse(["--verbose"]).is_err());
    }
}
